import { describe, expect, it } from 'vitest';
import { LABELS, decodeWorkspaceLabels, flatLabels, workspaceLabels } from '../../../main/core/labels';
import { parseWorkspaceRequest } from '../../../main/core/workspace-spec';

const spec = parseWorkspaceRequest({ name: 'gpu1', user: 'alice', cpus: 2, days: 1, env: ['A=1'] }, { now: new Date('2026-01-01T00:00:00Z') });
const K8S_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

describe('label codec', () => {
  it('puts identity in Kubernetes-valid labels and free text in annotations', () => {
    const { labels, annotations } = workspaceLabels(spec, 'local');
    expect(labels).toMatchObject({ [LABELS.origin]: 'local', [LABELS.user]: 'alice', [LABELS.workspace]: 'gpu1', [LABELS.kind]: 'workspace', [LABELS.expires]: String(Date.parse('2026-01-02T00:00:00Z') / 1000) });
    for (const v of Object.values(labels)) {
      expect(v.length).toBeLessThanOrEqual(63);
      expect(v).toMatch(K8S_VALUE);
    }
    expect(annotations[LABELS.expiresAt]).toBe('2026-01-02T00:00:00.000Z');
  });

  it('decodes what it encoded, and ignores foreign or damaged labels', () => {
    const flat = flatLabels(workspaceLabels(spec, 'local'));
    expect(decodeWorkspaceLabels(flat)).toEqual({ origin: 'local', user: 'alice', name: 'gpu1', spec, specIssue: null, expiresAt: '2026-01-02T00:00:00.000Z' });
    // the Unix-seconds label alone (all a label-only engine may keep) still gives the expiry
    const { [LABELS.expiresAt]: _dropped, ...labelsOnly } = flat;
    expect(decodeWorkspaceLabels(labelsOnly)?.expiresAt).toBe('2026-01-02T00:00:00.000Z');
    // an expiry cleared later says "never", which wins over the spec's creation-time expiry
    expect(decodeWorkspaceLabels({ ...flat, [LABELS.expiresAt]: 'never', [LABELS.expires]: 'never' })?.expiresAt).toBeNull();
    expect(decodeWorkspaceLabels({ 'com.example': 'x' })).toBeNull();
    const tampered = { ...flat, [LABELS.spec]: JSON.stringify({ ...spec, user: 'mallory' }) };
    expect(decodeWorkspaceLabels(tampered)?.spec).toBeNull();
    expect(decodeWorkspaceLabels(tampered)?.specIssue).toBe('its spec label names another workspace');
    expect(decodeWorkspaceLabels(tampered)?.user).toBe('alice');
  });
});

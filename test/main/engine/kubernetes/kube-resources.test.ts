// main/engine/kubernetes/kube-resources.ts: the hub's resources listed with use and removal order.
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { LABELS } from '../../../../main/core/labels';
import { resourcesOf } from '../../../../main/engine/kubernetes/kube-resources';

describe('resources', () => {
  const meta = (name: string, labels: Record<string, string>, extra: object = {}) => ({ metadata: { name, labels: { [LABELS.origin]: 'hub', ...labels }, ...extra } });
  it('lists workspaces, data and named volumes and networks, with use and removal order; leaves out what is being deleted', () => {
    const roots = [meta('r1', { [LABELS.kind]: 'workspace', [LABELS.user]: 'alice', [LABELS.workspace]: 'nb' })];
    const claims = [
      meta('c1', { [LABELS.kind]: 'volume', [LABELS.user]: 'alice', [LABELS.workspace]: 'nb' }),
      meta('c2', { [LABELS.kind]: 'volume', [LABELS.user]: 'alice', [LABELS.workspace]: 'gone' }),
      { ...meta('c3', { [LABELS.kind]: 'user-volume', [LABELS.user]: 'alice' }), metadata: { ...meta('c3', { [LABELS.kind]: 'user-volume', [LABELS.user]: 'alice' }).metadata, annotations: { 'hubdeck.io/volume-source': 'scratch' } } },
      meta('c4', { [LABELS.kind]: 'volume', [LABELS.user]: 'bob', [LABELS.workspace]: 'x' }, { deletionTimestamp: new Date() }),
    ];
    const policies = [meta('n1', { [LABELS.kind]: 'network', [LABELS.user]: 'alice' }), meta('n2', { [LABELS.kind]: 'network', [LABELS.user]: 'bob' })];
    const pods = [{ spec: { containers: [], volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'c3' } }] } }];
    const r = resourcesOf(roots, claims, policies, pods as V1Pod[]);
    expect(r.map((x) => [x.kind, x.id, x.name, x.user, x.workspace, x.inUse, x.order])).toEqual([
      ['workspace', 'r1', 'nb', 'alice', 'nb', true, 0],
      ['volume', 'c1', 'c1', 'alice', 'nb', true, 1],
      ['volume', 'c2', 'c2', 'alice', 'gone', false, 1],
      ['user-volume', 'c3', 'scratch', 'alice', null, true, 1],
      ['network', 'n1', 'n1', 'alice', null, true, 2],
      ['network', 'n2', 'n2', 'bob', null, false, 2],
    ]);
  });
});

// One saved-hub record for the CLI's hubs.json and the desktop's settings: the name rule, a pin kept
// normalized, and a JupyterHub's details present exactly when it is a JupyterHub.
import { describe, expect, it } from 'vitest';
import { defaultHubName, savedHubNameProblem, savedHubRecordSchema } from '../../../main/client/saved-hub-record';

const HUB = { name: 'team', kind: 'hubdeck', url: 'https://10.0.0.5:8585', fingerprint: null, user: 'bob', hubId: 'hub-team', addedAt: '2026-03-01T00:00:00Z' };
const JH = { ...HUB, name: 'lab', kind: 'jupyterhub', url: 'https://jh.example.org', jupyterhub: { version: '3.0.0', options: { form: 'profile', defaults: {} } } };
const issue = (v: unknown) => { const r = savedHubRecordSchema.safeParse(v); return r.success ? null : `${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message}`; };

describe('saved-hub record', () => {
  it('names a hub by the rule, with a default made from the hub id', () => {
    expect(defaultHubName('Team GPU')).toBe('team-gpu');
    expect(defaultHubName('--')).toBe('hub');
    expect(defaultHubName('x'.repeat(50))).toHaveLength(40);
    expect(savedHubNameProblem('lab.2')).toBeNull();
    expect(savedHubNameProblem('Lab')).toMatch(/"Lab" is not a hub name/);
    expect(issue({ ...HUB, name: '-x' })).toMatch(/^name: must be lower-case letters/);
  });

  it('keeps a pin as 64 upper-case hex digits, read from any common spelling', () => {
    expect(savedHubRecordSchema.parse({ ...HUB, fingerprint: 'ab:'.repeat(31) + 'ab' }).fingerprint).toBe('AB'.repeat(32));
    expect(savedHubRecordSchema.parse({ ...HUB, fingerprint: 'ab '.repeat(32).trim() }).fingerprint).toBe('AB'.repeat(32));
    expect(issue({ ...HUB, fingerprint: 'AB:CD' })).toMatch(/^fingerprint: must be a SHA-256 fingerprint/);
  });

  it('holds a JupyterHub\'s details exactly when it is one', () => {
    expect(savedHubRecordSchema.parse(JH)).toEqual(JH);
    expect(savedHubRecordSchema.parse(HUB)).toEqual(HUB);
    expect(issue({ ...JH, jupyterhub: undefined })).toMatch(/^jupyterhub: a JupyterHub needs its jupyterhub settings/);
    expect(issue({ ...HUB, jupyterhub: JH.jupyterhub })).toMatch(/^jupyterhub:/);
    expect(issue({ ...JH, jupyterhub: { version: '3', options: { form: 'yaml', defaults: {} } } })).toMatch(/^jupyterhub\.options\.form/);
    expect(issue({ ...HUB, kind: 'slurm' })).toMatch(/^kind/);
    expect(issue({ ...HUB, url: 'not a url' })).toMatch(/^url/);
    expect(issue({ ...HUB, user: '' })).toMatch(/^user/);
  });
});

// The desktop settings' current layout (version 4): defaults, refusals naming the field, a remote hub
// as a saved-hub record (a connected JupyterHub with its details), and the guard against secrets.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettings, secretsIn, SETTINGS_VERSION } from '../../../main/shell/settings-schema';
import { migrateSettings } from '../../../main/shell/settings-migrations';

const TOKEN = 'hdk_0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ';

describe('settings schema', () => {
  it('starts a new install with defaults', () => {
    expect(migrateSettings({})).toEqual({ settings: DEFAULT_SETTINGS, secrets: [], migratedFrom: null });
    expect(DEFAULT_SETTINGS).toEqual({
      version: SETTINGS_VERSION, hubs: [], activeHub: 'local', windows: {}, tunnels: [],
      preferences: { startAtLogin: false, notifications: true, theme: 'system', shareListen: null },
    });
  });

  it('refuses bad or unknown content with the field named, and files from a newer app', () => {
    expect(() => migrateSettings({ version: 2, hubs: [{ id: 'x', url: 'nope' }] })).toThrow(/^settings: hubs\.0\.url/);
    expect(() => migrateSettings({ version: 2, hubs: [], colour: 'red' })).toThrow(/^settings: \(root\)/);
    expect(() => migrateSettings({ version: 2, hubs: [], tunnels: [
      { name: 'tb', hub: 'local', workspace: 'w', remotePort: 6006, localPort: 16006 },
      { name: 'tb2', hub: 'local', workspace: 'w', remotePort: 6007, localPort: 16006 },
    ] })).toThrow(/local port 16006 appears twice/);
    expect(() => migrateSettings({ version: 5 })).toThrow(/newer Hubdeck \(version 5\)/);
    expect(() => migrateSettings({ version: 'x' })).toThrow(/unknown version "x"/);
    expect(() => parseSettings({ ...DEFAULT_SETTINGS, hubs: [{ name: 'local', kind: 'hubdeck', url: 'https://a', fingerprint: null, user: 'u', hubId: 'h', addedAt: '' }] })).toThrow(/reserved for the local hub/);
    // The same refusals in the current layout.
    expect(() => migrateSettings({ ...DEFAULT_SETTINGS, hubs: [{ name: 'x', kind: 'hubdeck', url: 'nope' }] })).toThrow(/^settings: hubs\.0\.url/);
    expect(() => migrateSettings({ ...DEFAULT_SETTINGS, colour: 'red' })).toThrow(/^settings: \(root\)/);
    const hub = { name: 'team', kind: 'hubdeck', url: 'https://10.0.0.5:8585', fingerprint: null, user: 'bob', hubId: 'hub-team', addedAt: '' };
    expect(() => parseSettings({ ...DEFAULT_SETTINGS, hubs: [hub, hub] })).toThrow(/hub team appears twice/);
    expect(() => parseSettings({ ...DEFAULT_SETTINGS, hubs: [{ ...hub, id: 'team' }] })).toThrow(/^settings: hubs\.0/);
    expect(() => parseSettings({ ...DEFAULT_SETTINGS, hubs: [{ ...hub, fingerprint: 'AB:CD' }] })).toThrow(/^settings: hubs\.0\.fingerprint: must be a SHA-256 fingerprint/);
  });

  it('keeps a pin normalized: 64 upper-case hex digits, however it was written', () => {
    const hub = { name: 'team', kind: 'hubdeck', url: 'https://10.0.0.5:8585', fingerprint: 'ab:'.repeat(31) + 'ab', user: 'bob', hubId: 'hub-team', addedAt: '' };
    expect(parseSettings({ ...DEFAULT_SETTINGS, hubs: [hub] }).hubs[0]!.fingerprint).toBe('AB'.repeat(32));
  });

  it('keeps a connected JupyterHub with its options, and refuses a half-described one', () => {
    const jh = { name: 'lab', kind: 'jupyterhub', url: 'https://jh.example.org', fingerprint: null, user: 'ann', hubId: 'lab', addedAt: '', jupyterhub: { version: '3.0.0', options: { form: 'mlhub', defaults: { team: 'ml' } } } };
    expect(parseSettings({ ...DEFAULT_SETTINGS, hubs: [jh] }).hubs[0]).toEqual(jh);
    expect(() => parseSettings({ ...DEFAULT_SETTINGS, hubs: [{ ...jh, jupyterhub: undefined }] })).toThrow(/^settings: hubs\.0\.jupyterhub: a JupyterHub needs its jupyterhub settings/);
    expect(() => parseSettings({ ...DEFAULT_SETTINGS, hubs: [{ ...jh, kind: 'hubdeck' }] })).toThrow(/hubs\.0\.jupyterhub/);
    expect(() => parseSettings({ ...DEFAULT_SETTINGS, hubs: [{ ...jh, jupyterhub: { ...jh.jupyterhub, options: { ...jh.jupyterhub.options, form: 'yaml' } } }] })).toThrow(/hubs\.0\.jupyterhub\.options\.form/);
  });

  it('finds token-shaped strings anywhere', () => {
    expect(secretsIn({ a: [{ b: `x ${TOKEN}` }], c: 'hdi_0123456789_zz' })).toEqual(['a.0.b', 'c']);
    expect(secretsIn(DEFAULT_SETTINGS)).toEqual([]);
  });
});

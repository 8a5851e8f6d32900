import { describe, expect, it } from 'vitest';
import type { SecretStore } from '../../../main/core/secret-store';
import { DEFAULT_SETTINGS, migrateSettings, parseSettings, secretsIn, SETTINGS_VERSION, type DesktopSettings } from '../../../main/shell/settings-schema';
import { SettingsStore, type RawSettings } from '../../../main/shell/settings-store';

class MemorySecrets implements SecretStore {
  readonly map = new Map<string, string>();
  failing = false;
  async get(a: string) { return this.map.get(a) ?? null; }
  async set(a: string, s: string) { if (this.failing) throw new Error('no keychain'); this.map.set(a, s); }
  async delete(a: string) { return this.map.delete(a); }
}

function memoryFile(initial: unknown): RawSettings & { value: unknown; asides: string[] } {
  const f = {
    value: initial, asides: [] as string[],
    read: () => structuredClone(f.value),
    write: (v: DesktopSettings) => { f.value = structuredClone(v); },
    keepAside: (reason: string) => { f.asides.push(reason); return '/tmp/settings.invalid.json'; },
  };
  return f;
}

const TOKEN = 'hdk_0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ';
const V1 = {
  version: 1,
  remoteHubs: [{ name: 'Team GPU', url: 'https://10.0.0.5:8585/', token: TOKEN, fingerprint: 'ab:'.repeat(31) + 'ab', user: 'bob', hubId: 'hub-team' }],
  preferences: { startAtLogin: true, darkMode: true },
  windowBounds: { x: 10.4, y: 20, width: 1000, height: 700 },
};

describe('settings schema and migration', () => {
  it('starts a new install with defaults', () => {
    expect(migrateSettings({})).toEqual({ settings: DEFAULT_SETTINGS, secrets: [], migratedFrom: null });
    expect(DEFAULT_SETTINGS).toEqual({
      version: SETTINGS_VERSION, hubs: [], activeHub: 'local', windows: {}, tunnels: [],
      preferences: { startAtLogin: false, notifications: true, theme: 'system', shareListen: null },
    });
  });

  it('migrates version 1: tokens leave the file for the keychain, preferences and bounds are kept', () => {
    const m = migrateSettings(V1, '2026-03-01T00:00:00Z');
    expect(m.migratedFrom).toBe(1);
    expect(m.secrets).toEqual([{ account: 'https://10.0.0.5:8585#bob', secret: TOKEN }]);
    expect(m.settings.hubs).toEqual([{ id: 'team-gpu', url: 'https://10.0.0.5:8585', fingerprint: 'AB'.repeat(32), user: 'bob', hubId: 'hub-team', addedAt: '2026-03-01T00:00:00Z', kind: 'hubdeck' }]);
    expect(m.settings.preferences).toMatchObject({ startAtLogin: true, theme: 'dark' });
    expect(m.settings.windows.main).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false });
    expect(JSON.stringify(m.settings)).not.toContain(TOKEN);
  });

  it('refuses bad or unknown content with the field named, and files from a newer app', () => {
    expect(() => migrateSettings({ version: 2, hubs: [{ id: 'x', url: 'nope' }] })).toThrow(/^settings: hubs\.0\.url/);
    expect(() => migrateSettings({ version: 2, hubs: [], colour: 'red' })).toThrow(/^settings: \(root\)/);
    expect(() => migrateSettings({ version: 2, hubs: [], tunnels: [
      { name: 'tb', hub: 'local', workspace: 'w', remotePort: 6006, localPort: 16006 },
      { name: 'tb2', hub: 'local', workspace: 'w', remotePort: 6007, localPort: 16006 },
    ] })).toThrow(/local port 16006 appears twice/);
    expect(() => migrateSettings({ version: 4 })).toThrow(/newer Hubdeck \(version 4\)/);
    expect(() => migrateSettings({ version: 'x' })).toThrow(/unknown version "x"/);
    expect(() => parseSettings({ ...DEFAULT_SETTINGS, hubs: [{ id: 'local', url: 'https://a', fingerprint: null, user: 'u', hubId: 'h', addedAt: '' }] })).toThrow(/reserved for the local hub/);
  });

  it('reads version 2 (before connected JupyterHubs): its hubs are Hubdeck hubs', () => {
    const v2 = { version: 2, hubs: [{ id: 'team', url: 'https://10.0.0.5:8585', fingerprint: null, user: 'bob', hubId: 'hub-team', addedAt: '2026-03-01T00:00:00Z' }] };
    const m = migrateSettings(v2);
    expect(m.migratedFrom).toBe(2);
    expect(m.settings.version).toBe(SETTINGS_VERSION);
    expect(m.settings.hubs).toEqual([{ ...v2.hubs[0], kind: 'hubdeck' }]);
  });

  it('keeps a connected JupyterHub with its options, and refuses a half-described one', () => {
    const jh = { id: 'lab', url: 'https://jh.example.org', fingerprint: null, user: 'ann', hubId: 'lab', addedAt: '', kind: 'jupyterhub', jupyterhub: { version: '3.0.0', optionsForm: 'mlhub', defaultOptions: { team: 'ml' } } };
    expect(parseSettings({ ...DEFAULT_SETTINGS, hubs: [jh] }).hubs[0]).toEqual(jh);
    expect(() => parseSettings({ ...DEFAULT_SETTINGS, hubs: [{ ...jh, jupyterhub: undefined }] })).toThrow(/^settings: hubs\.0\.jupyterhub: a JupyterHub needs its jupyterhub settings/);
    expect(() => parseSettings({ ...DEFAULT_SETTINGS, hubs: [{ ...jh, kind: 'hubdeck' }] })).toThrow(/hubs\.0\.jupyterhub/);
    expect(() => parseSettings({ ...DEFAULT_SETTINGS, hubs: [{ ...jh, jupyterhub: { ...jh.jupyterhub, optionsForm: 'yaml' } }] })).toThrow(/hubs\.0\.jupyterhub\.optionsForm/);
  });

  it('finds token-shaped strings anywhere', () => {
    expect(secretsIn({ a: [{ b: `x ${TOKEN}` }], c: 'hdi_0123456789_zz' })).toEqual(['a.0.b', 'c']);
    expect(secretsIn(DEFAULT_SETTINGS)).toEqual([]);
  });
});

describe('SettingsStore', () => {
  it('migrates an old file on open: the keychain gets the token first, the file loses it', async () => {
    const file = memoryFile(V1);
    const secrets = new MemorySecrets();
    const logs: string[] = [];
    const s = await SettingsStore.open(file, secrets, (m) => logs.push(m));
    expect(secrets.map.get('https://10.0.0.5:8585#bob')).toBe(TOKEN);
    expect(JSON.stringify(file.value)).not.toContain(TOKEN);
    expect((file.value as DesktopSettings).version).toBe(SETTINGS_VERSION);
    expect(await s.tokenOf(s.get().hubs[0]!)).toBe(TOKEN);
    expect(logs).toEqual(['settings migrated from version 1; 1 token(s) moved to the keychain']);
  });

  it('keeps the old file as it was when the keychain fails', async () => {
    const file = memoryFile(V1);
    const secrets = new MemorySecrets();
    secrets.failing = true;
    await expect(SettingsStore.open(file, secrets)).rejects.toThrow('no keychain');
    expect(file.value).toEqual(V1);
  });

  it('sets an unreadable file aside and starts from defaults', async () => {
    const file = memoryFile({ version: 2, hubs: 'nope' });
    const logs: string[] = [];
    const s = await SettingsStore.open(file, new MemorySecrets(), (m) => logs.push(m));
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    expect(file.asides).toHaveLength(1);
    expect(logs[0]).toMatch(/kept as \/tmp\/settings.invalid.json and the app starts with default settings/);
  });

  it('adds and removes hubs with their token in the keychain only; refuses to write a secret or bad data', async () => {
    const file = memoryFile({});
    const secrets = new MemorySecrets();
    const s = await SettingsStore.open(file, secrets);
    const hub = { id: 'team', url: 'https://10.0.0.5:8585', fingerprint: null, user: 'bob', hubId: 'hub-team', addedAt: '2026-03-01T00:00:00Z', kind: 'hubdeck' as const };
    await s.addHub(hub, TOKEN);
    s.update((x) => { x.activeHub = 'team'; x.tunnels.push({ name: 'tb', hub: 'team', workspace: 'w', remotePort: 6006, localPort: 16006, autoStart: false }); });
    expect(JSON.stringify(file.value)).not.toContain(TOKEN);
    expect(secrets.map.get('https://10.0.0.5:8585#bob')).toBe(TOKEN);
    expect(() => s.update((x) => { x.hubs[0]!.hubId = TOKEN; })).toThrow(/hubs\.0\.hubId holds a secret/);
    expect(() => s.update((x) => { x.preferences.shareListen = 'everywhere'; })).toThrow(/^settings: preferences\.shareListen: must be HOST:PORT/);
    expect((file.value as DesktopSettings).hubs[0]!.hubId).toBe('hub-team');
    await s.removeHub('team');
    expect(s.get()).toMatchObject({ hubs: [], tunnels: [], activeHub: 'local' });
    expect(secrets.map.size).toBe(0);
    await expect(s.removeHub('team')).rejects.toMatchObject({ code: 'not_found' });
  });
});

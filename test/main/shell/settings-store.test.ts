// The desktop settings over a raw file and the keychain: an old file migrated on open (the keychain
// first), a damaged one set aside, hubs added and removed with their tokens in the keychain only,
// and writes refused when they hold a secret or bad data.
import { describe, expect, it } from 'vitest';
import type { SecretStore } from '../../../main/core/secret-store';
import { DEFAULT_SETTINGS, SETTINGS_VERSION, type DesktopSettings } from '../../../main/shell/settings-schema';
import { SettingsStore, type RawSettings } from '../../../main/shell/settings-store';
import { OLD_TOKEN, V1_SETTINGS } from '../../support/old-settings';

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

const TOKEN = OLD_TOKEN;
const V1 = V1_SETTINGS;

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
    const hub = { name: 'team', url: 'https://10.0.0.5:8585', fingerprint: null, user: 'bob', hubId: 'hub-team', addedAt: '2026-03-01T00:00:00Z', kind: 'hubdeck' as const };
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

describe('SettingsStore with a version 3 file', () => {
  it('opens it as the app left it: its hubs under their names, their tokens still found in the keychain', async () => {
    const v3 = { version: 3, hubs: [{ id: 'team', url: 'https://10.0.0.5:8585', fingerprint: null, user: 'bob', hubId: 'hub-team', addedAt: '2026-03-01T00:00:00Z', kind: 'hubdeck' }], activeHub: 'team' };
    const file = memoryFile(v3);
    const secrets = new MemorySecrets();
    secrets.map.set('https://10.0.0.5:8585#bob', TOKEN);
    const logs: string[] = [];
    const s = await SettingsStore.open(file, secrets, (m) => logs.push(m));
    expect(logs).toEqual(['settings migrated from version 3; 0 token(s) moved to the keychain']);
    expect((file.value as DesktopSettings).version).toBe(SETTINGS_VERSION);
    expect(s.get()).toMatchObject({ activeHub: 'team', hubs: [{ name: 'team', kind: 'hubdeck', user: 'bob' }] });
    expect(await s.tokenOf(s.get().hubs[0]!)).toBe(TOKEN);
    await s.removeHub('team');
    expect(secrets.map.size).toBe(0);
    expect(s.get().activeHub).toBe('local');
  });
});

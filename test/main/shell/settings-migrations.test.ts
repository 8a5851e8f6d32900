// Desktop settings of every earlier layout brought to version 4, one step at a time: version 1
// (tokens leave the file), version 2 (no hub kinds), version 3 (hubs keyed by id, a JupyterHub's
// optionsForm/defaultOptions) — each hub a saved-hub record after, nothing else changed.
import { describe, expect, it } from 'vitest';
import { migrateSettings } from '../../../main/shell/settings-migrations';
import { SETTINGS_VERSION } from '../../../main/shell/settings-schema';
import { OLD_TOKEN, V1_SETTINGS } from '../../support/old-settings';

const TOKEN = OLD_TOKEN;
const V1 = V1_SETTINGS;

/** A version 3 file as the app wrote it before issue 21. */
const V3 = {
  version: 3,
  hubs: [
    { id: 'team', url: 'https://10.0.0.5:8585', fingerprint: 'AB'.repeat(32), user: 'bob', hubId: 'hub-team', addedAt: '2026-03-01T00:00:00Z', kind: 'hubdeck' },
    { id: 'lab', url: 'https://jh.example.org', fingerprint: null, user: 'ann', hubId: 'lab', addedAt: '2026-03-02T00:00:00Z', kind: 'jupyterhub', jupyterhub: { version: '3.0.0', optionsForm: 'mlhub', defaultOptions: { team: 'ml' } } },
  ],
  activeHub: 'lab',
  preferences: { startAtLogin: true, notifications: false, theme: 'dark', shareListen: ':9000' },
  windows: { main: { x: 1, y: 2, width: 900, height: 600, maximized: true } },
  tunnels: [{ name: 'tb', hub: 'team', workspace: 'w', remotePort: 6006, localPort: 16006, autoStart: true }],
};

describe('settings migration', () => {
  it('migrates version 1: tokens leave the file for the keychain, preferences and bounds are kept', () => {
    const m = migrateSettings(V1, '2026-03-01T00:00:00Z');
    expect(m.migratedFrom).toBe(1);
    expect(m.secrets).toEqual([{ account: 'https://10.0.0.5:8585#bob', secret: TOKEN }]);
    expect(m.settings.version).toBe(SETTINGS_VERSION);
    expect(m.settings.hubs).toEqual([{ name: 'team-gpu', url: 'https://10.0.0.5:8585', fingerprint: 'AB'.repeat(32), user: 'bob', hubId: 'hub-team', addedAt: '2026-03-01T00:00:00Z', kind: 'hubdeck' }]);
    expect(m.settings.preferences).toMatchObject({ startAtLogin: true, theme: 'dark' });
    expect(m.settings.windows.main).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false });
    expect(JSON.stringify(m.settings)).not.toContain(TOKEN);
  });

  it('reads version 2 (before connected JupyterHubs): its hubs are Hubdeck hubs', () => {
    const v2 = { version: 2, hubs: [{ id: 'team', url: 'https://10.0.0.5:8585', fingerprint: null, user: 'bob', hubId: 'hub-team', addedAt: '2026-03-01T00:00:00Z' }] };
    const m = migrateSettings(v2);
    expect(m.migratedFrom).toBe(2);
    expect(m.settings.version).toBe(SETTINGS_VERSION);
    const { id, ...rest } = v2.hubs[0]!;
    expect(m.settings.hubs).toEqual([{ ...rest, name: id, kind: 'hubdeck' }]);
  });

  it('reads version 3: hubs become saved-hub records by their id, everything else is kept as it was', () => {
    const m = migrateSettings(structuredClone(V3));
    expect(m.migratedFrom).toBe(3);
    expect(m.secrets).toEqual([]);
    expect(m.settings).toEqual({
      ...V3, version: SETTINGS_VERSION,
      hubs: [
        { name: 'team', kind: 'hubdeck', url: 'https://10.0.0.5:8585', fingerprint: 'AB'.repeat(32), user: 'bob', hubId: 'hub-team', addedAt: '2026-03-01T00:00:00Z' },
        { name: 'lab', kind: 'jupyterhub', url: 'https://jh.example.org', fingerprint: null, user: 'ann', hubId: 'lab', addedAt: '2026-03-02T00:00:00Z', jupyterhub: { version: '3.0.0', options: { form: 'mlhub', defaults: { team: 'ml' } } } },
      ],
    });
    // Migrated once: the result reads as current.
    expect(migrateSettings(m.settings)).toEqual({ settings: m.settings, secrets: [], migratedFrom: null });
  });

  it('refuses a version 3 file as version 3 did, naming the field', () => {
    const [team, lab] = V3.hubs;
    expect(() => migrateSettings({ ...V3, hubs: [{ ...team, id: 'local' }] })).toThrow(/^settings: hubs\.0\.id: is reserved for the local hub/);
    expect(() => migrateSettings({ ...V3, hubs: [team, team] })).toThrow(/hub team appears twice/);
    expect(() => migrateSettings({ ...V3, hubs: [{ ...lab, jupyterhub: undefined }] })).toThrow(/^settings: hubs\.0\.jupyterhub: a JupyterHub needs its jupyterhub settings/);
    expect(() => migrateSettings({ ...V3, hubs: [{ ...lab, jupyterhub: { ...lab!.jupyterhub, optionsForm: 'yaml' } }] })).toThrow(/hubs\.0\.jupyterhub\.optionsForm/);
    expect(() => migrateSettings({ version: 1, remoteHubs: 'x' })).toThrow(/^settings: a version 1 file with remoteHubs/);
  });
});

// The settings file through the real electron-store (its `electron` import is the stub): written
// and read back, validated by SettingsStore, a damaged file set aside rather than wiped.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronSettings } from '../../../main/shell/electron-settings';
import { SettingsStore } from '../../../main/shell/settings-store';
import { DEFAULT_SETTINGS, SETTINGS_VERSION } from '../../../main/shell/settings-schema';
import type { SecretStore } from '../../../main/core/secret-store';

const noSecrets: SecretStore = { get: async () => null, set: async () => undefined, delete: async () => false };

describe('settings in electron-store', () => {
  it('persists validated settings in settings.json and reads them back in a new store', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'estore-'));
    const s = await SettingsStore.open(await electronSettings(dir), noSecrets);
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    s.update((x) => { x.preferences.theme = 'dark'; x.windows.main = { x: 1, y: 2, width: 900, height: 600, maximized: true }; });
    const again = await SettingsStore.open(await electronSettings(dir), noSecrets);
    expect(again.get().preferences.theme).toBe('dark');
    expect(again.get().windows.main).toEqual({ x: 1, y: 2, width: 900, height: 600, maximized: true });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')).version).toBe(SETTINGS_VERSION);
  });

  it('keeps a file that is not JSON under another name and starts from defaults', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'estore-'));
    fs.writeFileSync(path.join(dir, 'settings.json'), '{"version": 2, "hubs": [');
    const s = await SettingsStore.open(await electronSettings(dir), noSecrets);
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    const aside = fs.readdirSync(dir).filter((f) => f.startsWith('settings.invalid-'));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, aside[0]!), 'utf8')).toBe('{"version": 2, "hubs": [');
  });

  it('keeps a valid JSON file of the wrong shape aside too', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'estore-'));
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ version: 2, hubs: 'all of them' }));
    const logs: string[] = [];
    await SettingsStore.open(await electronSettings(dir), noSecrets, (m) => logs.push(m));
    expect(logs[0]).toMatch(/^settings: hubs: .*kept as .*settings\.invalid-.*\.json/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8'))).toEqual(DEFAULT_SETTINGS);
  });
});

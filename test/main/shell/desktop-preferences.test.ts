/**
 * The preferences put into effect: applied at start from the settings (start at login, theme),
 * changed through the Settings page's calls (only what the patch names is applied), refused when
 * the settings schema refuses them, and the page told.
 */
import { describe, expect, it } from 'vitest';
import { Preferences } from '../../../main/shell/desktop-preferences';
import { memorySettings } from '../../support/memory-settings';

async function setup() {
  const settings = await memorySettings().open();
  const loginItems: unknown[] = [];
  const nativeTheme = { themeSource: 'light' as 'system' | 'light' | 'dark' };
  let changes = 0;
  const prefs = new Preferences({ settings, app: { setLoginItemSettings: (o) => void loginItems.push(o) }, nativeTheme, changed: () => { changes++; } });
  return { settings, prefs, loginItems, nativeTheme, changes: () => changes };
}

describe('desktop preferences', () => {
  it('applies the stored preferences at start', async () => {
    const { prefs, loginItems, nativeTheme } = await setup();
    prefs.applyAtStart();
    expect(loginItems).toEqual([{ openAtLogin: false, args: ['--hidden'] }]);
    expect(nativeTheme.themeSource).toBe('system');
  });

  it('saves and applies only what a patch names, and tells the page', async () => {
    const { prefs, settings, loginItems, nativeTheme, changes } = await setup();
    const h = prefs.handlers();
    expect(await h.setPreferences({ theme: 'dark' })).toMatchObject({ theme: 'dark', startAtLogin: false });
    expect(nativeTheme.themeSource).toBe('dark');
    expect(loginItems).toEqual([]);
    await h.setPreferences({ startAtLogin: true });
    expect(loginItems).toEqual([{ openAtLogin: true, args: ['--hidden'] }]);
    expect(settings.get().preferences).toMatchObject({ theme: 'dark', startAtLogin: true });
    expect(await h.preferences()).toEqual(settings.get().preferences);
    expect(changes()).toBe(2);
  });

  it('refuses what the settings schema refuses, changing nothing', async () => {
    const { prefs, settings, changes } = await setup();
    expect(() => prefs.set({ shareListen: 'no-port' })).toThrow(/shareListen/);
    expect(settings.get().preferences.shareListen).toBeNull();
    expect(changes()).toBe(0);
  });
});

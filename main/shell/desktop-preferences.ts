/**
 * The app's preferences put into effect: start at login (the OS entry) and the theme (every
 * window's prefers-color-scheme) follow the settings file, and the Settings page reads and changes
 * them (handlers()). Electron's app and nativeTheme are passed in.
 */
import type * as Electron from 'electron';
import type { DesktopPreferences } from '../../preload/desktop-contract';
import type { SomeDesktopHandlers } from './desktop-api-ipc';
import type { SettingsStore } from './settings-store';

export interface PreferencesDeps {
  settings: SettingsStore;
  app: Pick<Electron.App, 'setLoginItemSettings'>;
  nativeTheme: Pick<Electron.NativeTheme, 'themeSource'>;
  /** Tells the page the preferences changed. */
  changed: () => void;
}

export class Preferences {
  constructor(private readonly d: PreferencesDeps) {}

  get(): DesktopPreferences {
    return this.d.settings.get().preferences;
  }

  /**
   * Applied at every start, not only when changed: the OS entry follows the settings file even
   * after a reinstall, a moved executable or a settings file edited while the app was not running.
   */
  applyAtStart(): void {
    const p = this.get();
    this.d.app.setLoginItemSettings({ openAtLogin: p.startAtLogin, args: ['--hidden'] });
    this.d.nativeTheme.themeSource = p.theme;
  }

  /** Saves what the patch names (validated by the settings schema) and applies what changed. */
  set(patch: Partial<DesktopPreferences>): DesktopPreferences {
    const next = this.d.settings.update((s) => { s.preferences = { ...s.preferences, ...patch }; }).preferences;
    if (patch.startAtLogin !== undefined) this.d.app.setLoginItemSettings({ openAtLogin: next.startAtLogin, args: ['--hidden'] });
    if (patch.theme !== undefined) this.d.nativeTheme.themeSource = next.theme;
    this.d.changed();
    return next;
  }

  handlers(): SomeDesktopHandlers<'preferences' | 'setPreferences'> {
    return {
      preferences: async () => this.get(),
      setPreferences: async (patch) => this.set(patch),
    };
  }
}

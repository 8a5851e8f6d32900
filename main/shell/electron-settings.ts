/**
 * The settings file itself: electron-store (settings.json in the app's user-data directory,
 * written atomically). Validation is ours (zod, settings-schema.ts), not electron-store's JSON
 * schema, so one schema serves the app and its tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { app } from 'electron';
import type { RawSettings } from './settings-store';
import type { DesktopSettings } from './settings-schema';

export async function electronSettings(cwd?: string): Promise<RawSettings> {
  // electron-store is an ES module; loaded when the app starts, not when this file is imported.
  const { default: Store } = await import('electron-store');
  const open = () => new Store<Record<string, unknown>>({ name: 'settings', cwd, clearInvalidConfig: false, accessPropertiesByDotNotation: false });
  let store: InstanceType<typeof Store<Record<string, unknown>>>;
  try {
    store = open();
  } catch (e) {
    // Not JSON at all (a torn write by another program, a hand edit): kept under another name,
    // never wiped, and the app starts from defaults (SettingsStore says so in the log).
    const file = path.join(cwd ?? app.getPath('userData'), 'settings.json');
    if (!fs.existsSync(file)) throw e;
    fs.renameSync(file, file.replace(/\.json$/, `.invalid-${new Date().toISOString().replace(/[:.]/g, '-')}.json`));
    store = open();
  }
  return {
    read: () => {
      try {
        return store.store;
      } catch {
        return { version: 'unreadable' };
      }
    },
    write: (value: DesktopSettings) => {
      store.store = value as unknown as Record<string, unknown>;
    },
    keepAside: () => {
      const aside = store.path.replace(/\.json$/, `.invalid-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
      if (fs.existsSync(store.path)) fs.copyFileSync(store.path, aside);
      return aside;
    },
  };
}

/**
 * The desktop settings of a shell under test: the settings "file" and the keychain both in memory,
 * so a test can look at what was written (and check no token landed in the file).
 */
import type { SecretStore } from '../../main/core/secret-store';
import { SettingsStore } from '../../main/shell/settings-store';
import type { DesktopSettings } from '../../main/shell/settings-schema';

export interface MemorySettings {
  /** The keychain's entries (account → secret). */
  secrets: Map<string, string>;
  secretStore: SecretStore;
  /** What the settings file holds now (an empty object until the first write). */
  file(): DesktopSettings;
  open(): Promise<SettingsStore>;
}

/** `initial`: what the settings file holds at first (default: nothing, a new install). */
export function memorySettings(initial: unknown = {}): MemorySettings {
  const secrets = new Map<string, string>();
  const secretStore: SecretStore = {
    get: async (a) => secrets.get(a) ?? null,
    set: async (a, s) => { secrets.set(a, s); },
    delete: async (a) => secrets.delete(a),
  };
  let file: unknown = initial;
  return {
    secrets,
    secretStore,
    file: () => file as DesktopSettings,
    open: () => SettingsStore.open({ read: () => file, write: (v: DesktopSettings) => { file = structuredClone(v); }, keepAside: () => '' }, secretStore),
  };
}

/**
 * The desktop settings over a raw key-value file (electron-store in the app, see
 * electron-settings.ts) and the SecretStore: every read migrated and validated, every write
 * validated and checked for secrets first. A file that cannot be read is kept aside under another
 * name and the app starts from defaults — nothing is lost, nothing half-parsed is used.
 */
import type { SecretStore } from '../core/secret-store';
import { hubTokenAccount } from '../core/secret-store';
import { HubdeckError } from '../core/errors';
import { DEFAULT_SETTINGS, parseSettings, secretsIn, type DesktopSettings, type RemoteHubSetting } from './settings-schema';
import { migrateSettings } from './settings-migrations';

/** What electron-store offers that this needs (tests pass an in-memory one). */
export interface RawSettings {
  read(): unknown;
  write(value: DesktopSettings): void;
  /** Copies the current file aside (e.g. settings.invalid-<time>.json); returns its path. */
  keepAside(reason: string): string;
}

export class SettingsStore {
  private constructor(private readonly raw: RawSettings, private readonly secrets: SecretStore, private current: DesktopSettings) {}

  /** Loads (migrating, moving old secrets into the keychain first); `log` hears what happened. */
  static async open(raw: RawSettings, secrets: SecretStore, log: (m: string) => void = () => undefined): Promise<SettingsStore> {
    let m;
    try {
      m = migrateSettings(raw.read());
    } catch (e) {
      const aside = raw.keepAside((e as Error).message);
      log(`${(e as Error).message}; the file was kept as ${aside} and the app starts with default settings`);
      const fresh = new SettingsStore(raw, secrets, structuredClone(DEFAULT_SETTINGS));
      raw.write(fresh.current);
      return fresh;
    }
    // Secrets first: if the keychain fails, the old file (with its tokens) is still there.
    for (const s of m.secrets) await secrets.set(s.account, s.secret);
    const store = new SettingsStore(raw, secrets, m.settings);
    if (m.migratedFrom !== null) {
      raw.write(store.current);
      log(`settings migrated from version ${m.migratedFrom}; ${m.secrets.length} token(s) moved to the keychain`);
    }
    return store;
  }

  get(): DesktopSettings {
    return structuredClone(this.current);
  }

  /** Applies `fn` to a copy; the result must validate and hold no secret before it is written. */
  update(fn: (s: DesktopSettings) => void): DesktopSettings {
    const draft = structuredClone(this.current);
    fn(draft);
    const next = parseSettings(draft);
    const leaks = secretsIn(next);
    if (leaks.length) throw new HubdeckError('invalid', `settings: ${leaks.join(', ')} holds a secret; secrets go to the keychain only`);
    this.raw.write(next);
    this.current = next;
    return this.get();
  }

  /** Adds (or replaces, by name) a remote hub: its token to the keychain, the rest to the file. */
  async addHub(hub: RemoteHubSetting, token: string): Promise<void> {
    await this.secrets.set(hubTokenAccount(hub.url, hub.user), token);
    this.update((s) => {
      s.hubs = [...s.hubs.filter((h) => h.name !== hub.name), hub];
    });
  }

  async removeHub(name: string): Promise<void> {
    const hub = this.current.hubs.find((h) => h.name === name);
    if (!hub) throw new HubdeckError('not_found', `hub ${name} is not in the app's hubs`);
    this.update((s) => {
      s.hubs = s.hubs.filter((h) => h.name !== name);
      s.tunnels = s.tunnels.filter((t) => t.hub !== name);
      if (s.activeHub === name) s.activeHub = 'local';
    });
    await this.secrets.delete(hubTokenAccount(hub.url, hub.user));
  }

  tokenOf(hub: RemoteHubSetting): Promise<string | null> {
    return this.secrets.get(hubTokenAccount(hub.url, hub.user));
  }
}

/**
 * The SecretStore on the system keychain (macOS Keychain, Windows Credential Manager, the Secret
 * Service — GNOME Keyring, KWallet — on Linux) through keytar, under the service "hubdeck". A
 * missing keychain is a clear error, never a silent fallback to a file.
 */
import { HubdeckError, errorMessage } from '../core/errors';
import { SECRET_SERVICE, type SecretStore } from '../core/secret-store';

function unavailable(e: unknown): HubdeckError {
  const why = errorMessage(e);
  return new HubdeckError('unavailable', `the system keychain is not available (${why}); hub tokens are kept only there — on Linux, run a Secret Service such as GNOME Keyring or KWallet`);
}

type Keytar = typeof import('keytar');

/**
 * keytar is a native module: loaded on first use, so an app whose keytar was not built for its
 * Electron still starts (with the local hub) and says what is wrong when a token is needed.
 */
let loaded: Promise<Keytar> | null = null;
const keytar = (): Promise<Keytar> => (loaded ??= import('keytar').then((m) => ((m as { default?: Keytar }).default ?? m) as Keytar));

export class KeytarSecretStore implements SecretStore {
  constructor(private readonly service = SECRET_SERVICE) {}

  private async run<T>(fn: (k: Keytar) => Promise<T>): Promise<T> {
    try {
      return await fn(await keytar());
    } catch (e) {
      throw unavailable(e);
    }
  }

  get(account: string): Promise<string | null> {
    return this.run((k) => k.getPassword(this.service, account));
  }

  set(account: string, secret: string): Promise<void> {
    return this.run((k) => k.setPassword(this.service, account, secret));
  }

  delete(account: string): Promise<boolean> {
    return this.run((k) => k.deletePassword(this.service, account));
  }
}

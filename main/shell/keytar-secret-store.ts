/**
 * The SecretStore on the system keychain (macOS Keychain, Windows Credential Manager, the Secret
 * Service — GNOME Keyring, KWallet — on Linux) through keytar, under the service "hubdeck". A
 * missing keychain is a clear error, never a silent fallback to a file.
 */
import * as keytar from 'keytar';
import { HubdeckError } from '../core/errors';
import { SECRET_SERVICE, type SecretStore } from '../core/secret-store';

function unavailable(e: unknown): HubdeckError {
  const why = e instanceof Error ? e.message : String(e);
  return new HubdeckError('unavailable', `the system keychain is not available (${why}); hub tokens are kept only there — on Linux, run a Secret Service such as GNOME Keyring or KWallet`);
}

export class KeytarSecretStore implements SecretStore {
  constructor(private readonly service = SECRET_SERVICE) {}

  async get(account: string): Promise<string | null> {
    return keytar.getPassword(this.service, account).catch((e: unknown) => { throw unavailable(e); });
  }

  async set(account: string, secret: string): Promise<void> {
    return keytar.setPassword(this.service, account, secret).catch((e: unknown) => { throw unavailable(e); });
  }

  async delete(account: string): Promise<boolean> {
    return keytar.deletePassword(this.service, account).catch((e: unknown) => { throw unavailable(e); });
  }
}

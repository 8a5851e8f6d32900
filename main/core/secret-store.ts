/**
 * Where secrets (hub tokens, key passphrases) live: the system keychain in the desktop app (keytar,
 * service "hubdeck", main/shell/keytar-secret-store.ts), never a settings file. An interface here,
 * so the code that decides what is secret tests without a keychain.
 */
export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when there was one to delete. */
  delete(account: string): Promise<boolean>;
}

export const SECRET_SERVICE = 'hubdeck';

/** The account a hub token is kept under (docs/architecture.md "Desktop": hub URL + user), e.g. `https://lead:8585#bob`. */
export function hubTokenAccount(url: string, user: string): string {
  return `${url.replace(/\/+$/, '')}#${user}`;
}

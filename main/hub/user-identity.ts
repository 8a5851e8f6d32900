/**
 * A user's identity beyond their name. Names are reused (delete frank, create a new frank), so
 * whatever a user's credentials made — browser sessions, login codes, invites — records the identity
 * it was made for and stops working for anyone else who later holds the name.
 */
import { randomBytes } from 'node:crypto';
import type { UserRecord } from './hub-state';

export function newUid(): string {
  return randomBytes(12).toString('base64url');
}

/** The stored uid; for accounts from before uids, name + creation time (a re-created user has another). */
export function identityOf(u: Pick<UserRecord, 'name' | 'createdAt' | 'uid'>): string {
  return u.uid ?? `${u.name}@${u.createdAt}`;
}

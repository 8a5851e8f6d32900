/**
 * API tokens: `hdk_<id>_<secret>`. The id lets the hub find the record without scanning; only the
 * SHA-256 of the whole token is stored (tokens are 256-bit random, so a slow hash adds nothing),
 * and comparison is constant-time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const TOKEN_RE = /^hdk_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$/;

export interface NewToken {
  id: string;
  secret: string;
  hash: string;
}

export function newToken(): NewToken {
  const id = randomBytes(8).toString('hex').slice(0, 10);
  const secret = `hdk_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, secret, hash: hashToken(secret) };
}

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The id of a well-formed token, or null (the caller answers 401 either way). */
export function tokenId(secret: string): string | null {
  return TOKEN_RE.exec(secret)?.[1] ?? null;
}

export function tokenMatches(secret: string, hash: string): boolean {
  const a = Buffer.from(hashToken(secret), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

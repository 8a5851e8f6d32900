/**
 * OpenSSH public keys as users paste them ("ssh-ed25519 AAAA… comment"): checked so that the blob
 * really is a key of the named type, and fingerprinted as `ssh-keygen -l` does (SHA256:…).
 */
import { createHash } from 'node:crypto';

export const KEY_TYPES = [
  'ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com', 'sk-ecdsa-sha2-nistp256@openssh.com',
] as const;

export interface PublicKey {
  type: string;
  /** The base64 blob, as in authorized_keys. */
  key: string;
  comment: string;
  fingerprint: string;
}

/** Parses one key line; returns the key or the broken rule. */
export function parsePublicKey(text: string): PublicKey | string {
  const parts = text.trim().split(/\s+/);
  const [type, b64, ...rest] = parts;
  if (!type || !b64) return 'is not an OpenSSH public key (like "ssh-ed25519 AAAA… you@laptop")';
  if (!(KEY_TYPES as readonly string[]).includes(type)) return `key type "${type.slice(0, 40)}" is not supported (use ${KEY_TYPES.slice(0, 3).join(', ')}, …)`;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return 'the key is not base64';
  const blob = Buffer.from(b64, 'base64');
  // The blob starts with its own type name, length-prefixed: a pasted mismatch is caught here.
  const len = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
  if (len <= 0 || blob.length < 4 + len || blob.subarray(4, 4 + len).toString('latin1') !== type) {
    return `the key data is not a ${type} key`;
  }
  const comment = rest.join(' ');
  if (/[\0\r\n]/.test(comment) || comment.length > 200) return 'the comment is too long or has control characters';
  return { type, key: b64, comment, fingerprint: fingerprintOf(blob) };
}

export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * The hub's SSH host keys: made once per hub (ed25519, RSA 3072 and ECDSA P-256, as sshd's
 * ssh-keygen -A does), kept in its data directory (0600) and the same for every process serving
 * that hub — `hub serve`, the desktop app and `hubdeck ssh-proxy` — so a client's known_hosts
 * entries stay valid whichever of them answers. RSA and ECDSA are for clients without ed25519
 * (FIPS-mode OpenSSH, older libraries); ed25519 stays the key `hub info` names first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { utils } from 'ssh2';
import { HubdeckError } from '../core/errors';
import { parsePublicKey } from '../core/ssh-public-key';
import { createPrivateFile } from '../platform/private-file';

/** The key kinds, their files (sshd's names) and how ssh2 makes them. */
export const HOST_KEY_KINDS = [
  { type: 'ssh-ed25519', file: 'ssh_host_ed25519_key', make: { kind: 'ed25519' } },
  { type: 'ssh-rsa', file: 'ssh_host_rsa_key', make: { kind: 'rsa', bits: 3072 } },
  { type: 'ecdsa-sha2-nistp256', file: 'ssh_host_ecdsa_key', make: { kind: 'ecdsa', bits: 256 } },
] as const;

export const HOST_KEY_FILE = HOST_KEY_KINDS[0].file;

export type HostKeyType = (typeof HOST_KEY_KINDS)[number]['type'];
type KeyMaking = (typeof HOST_KEY_KINDS)[number]['make'];

export interface HostKey {
  type: HostKeyType;
  /** OpenSSH private key text, for ssh2's Server. */
  privateKey: string;
  /** "ssh-ed25519 AAAA…", as in known_hosts. */
  publicKey: string;
  /** As `ssh-keygen -l` prints it: SHA256:… */
  fingerprint: string;
}

/** Every host key of the hub; its own fields are the ed25519 key's (the one named first). */
export interface HostKeys extends HostKey {
  keys: HostKey[];
}

/** Reads the hub's host keys, making each first if missing (two processes racing make one). */
export async function loadHostKey(dataDir: string): Promise<HostKeys> {
  const keys = HOST_KEY_KINDS.map(({ type, file, make }) => {
    const at = path.join(dataDir, file);
    // If another process made the key meanwhile, theirs stands and ours goes.
    if (!fs.existsSync(at)) createPrivateFile(at, `${parseableKeyPair('hubdeck host key', make).private.trim()}\n`);
    return readHostKey(at, type);
  });
  return { ...keys[0]!, keys };
}

/**
 * A key pair (ed25519 unless told) ssh2 can read back: its generator makes, about once in 300
 * keys, a private key its own parser rejects ("Malformed OpenSSH private key"), so each is
 * checked and remade.
 */
export function parseableKeyPair(comment: string, make: KeyMaking = HOST_KEY_KINDS[0].make): { private: string; public: string } {
  for (let i = 0; i < 20; i++) {
    const pair = make.kind === 'ed25519' ? utils.generateKeyPairSync('ed25519', { comment }) : utils.generateKeyPairSync(make.kind, { comment, bits: make.bits });
    if (!(utils.parseKey(pair.private) instanceof Error)) return pair;
  }
  throw new HubdeckError('unavailable', 'could not generate an SSH key that reads back');
}

function readHostKey(file: string, type: HostKeyType): HostKey {
  const stat = fs.statSync(file);
  if (stat.mode & 0o077) throw new HubdeckError('unavailable', `the hub's SSH host key ${file} is readable by others (mode ${(stat.mode & 0o777).toString(8)}); chmod 600 it`);
  const privateKey = fs.readFileSync(file, 'utf8');
  const blob = publicBlobOf(privateKey);
  const pub = blob ? parsePublicKey(`${type} ${blob.toString('base64')}`) : 'not an OpenSSH private key';
  if (typeof pub === 'string') throw new HubdeckError('unavailable', `the hub's SSH host key ${file} is damaged (${pub}); remove it and the hub makes a new one (clients must then accept the new key)`);
  return { type, privateKey, publicKey: `${pub.type} ${pub.key}`, fingerprint: pub.fingerprint };
}

/**
 * The public key an OpenSSH private key file carries in the clear ("openssh-key-v1": cipher, kdf,
 * kdf options, key count, then the first public key), so reading the key needs no parser.
 */
export function publicBlobOf(pem: string): Buffer | null {
  const m = /-----BEGIN OPENSSH PRIVATE KEY-----([^-]+)-----END OPENSSH PRIVATE KEY-----/.exec(pem);
  if (!m) return null;
  const data = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
  const magic = 'openssh-key-v1\0';
  if (data.subarray(0, magic.length).toString('latin1') !== magic) return null;
  let at = magic.length;
  const str = (): Buffer | null => {
    if (at + 4 > data.length) return null;
    const len = data.readUInt32BE(at);
    if (at + 4 + len > data.length) return null;
    const s = data.subarray(at + 4, at + 4 + len);
    at += 4 + len;
    return s;
  };
  for (let i = 0; i < 3; i++) if (!str()) return null;
  if (at + 4 > data.length || data.readUInt32BE(at) < 1) return null;
  at += 4;
  return str();
}

/**
 * The client side of one-click SSH: a key pair Hubdeck makes per hub (ed25519, private key 0600)
 * for the user's ssh to present, and a known_hosts file Hubdeck owns holding the gateway's host
 * key — so host key checking stays on without touching the user's own known_hosts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { utils } from 'ssh2';
import { HubdeckError } from '../core/errors';
import { parsePublicKey, type PublicKey } from '../core/ssh-public-key';
import { parseableKeyPair } from '../hub/host-key';
import { createPrivateFile, writePrivateFile } from '../platform/private-file';

/** The key pair at `file` (private) and `file.pub`, made now if missing. */
export function ensureIdentity(file: string, comment: string): PublicKey {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (!fs.existsSync(file)) {
    const pair = parseableKeyPair(comment);
    // A crash mid-write leaves no key, never half of one (which ssh would refuse for good).
    if (createPrivateFile(file, `${pair.private.trim()}\n`)) fs.writeFileSync(`${file}.pub`, `${pair.public.trim()}\n`, { mode: 0o644 });
  }
  const stat = fs.statSync(file);
  if (stat.mode & 0o077) throw new HubdeckError('invalid', `identity: ${file} is readable by others (mode ${(stat.mode & 0o777).toString(8)}); ssh refuses such keys — chmod 600 it`, 'identity');
  const parsed = utils.parseKey(fs.readFileSync(file));
  if (parsed instanceof Error) throw new HubdeckError('invalid', `identity: ${file} is not a private key ssh can use (${parsed.message}); move it away and run again`, 'identity');
  const pub = parsePublicKey(`${parsed.type} ${parsed.getPublicSSH().toString('base64')} ${comment}`);
  if (typeof pub === 'string') throw new HubdeckError('invalid', `identity: ${file}: ${pub}`, 'identity');
  return pub;
}

/**
 * known_hosts with one line per gateway host key (ed25519, RSA, ECDSA), so whichever the client
 * negotiates is known; rewritten only when it differs.
 */
export function writeKnownHosts(file: string, hostKeyAlias: string, hostKeys: string[]): void {
  const text = hostKeys.map((k) => `${hostKeyAlias} ${k}\n`).join('');
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return;
  writePrivateFile(file, text);
}

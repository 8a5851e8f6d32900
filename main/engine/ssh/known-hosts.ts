/**
 * OpenSSH known_hosts matching, so an ssh:// engine verifies the host key the way `ssh` would
 * (plain and hashed host names, [host]:port, wildcards, negation, @revoked) instead of trusting
 * whatever answers. Pure: the caller passes the files' text.
 */
import { createHmac } from 'node:crypto';

export type HostKeyVerdict = 'match' | 'mismatch' | 'unknown' | 'revoked';

interface Entry {
  marker: string | null;
  patterns: string;
  keyType: string;
  keyBase64: string;
}

function parseLine(line: string): Entry | null {
  const t = line.trim();
  if (!t || t.startsWith('#')) return null;
  const parts = t.split(/\s+/);
  const marker = parts[0]!.startsWith('@') ? parts.shift()! : null;
  if (parts.length < 3) return null;
  return { marker, patterns: parts[0]!, keyType: parts[1]!, keyBase64: parts[2]! };
}

/** The name ssh looks up: "host" on port 22, "[host]:port" otherwise. */
export function hostLookupName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

function hashedMatches(pattern: string, name: string): boolean {
  const [, kind, salt, hash] = pattern.split('|');
  if (kind !== '1' || !salt || !hash) return false;
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
}

function patternsMatch(patterns: string, name: string): boolean {
  if (patterns.startsWith('|')) return hashedMatches(patterns, name);
  let matched = false;
  for (const p of patterns.split(',')) {
    const negated = p.startsWith('!');
    if (globToRegExp(negated ? p.slice(1) : p).test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** Checks a presented host key (raw SSH wire blob) against the known_hosts texts. */
export function verifyHostKey(texts: string[], host: string, port: number, key: Buffer): HostKeyVerdict {
  const name = hostLookupName(host, port);
  const presented = key.toString('base64');
  let known = false;
  for (const text of texts) {
    for (const line of text.split('\n')) {
      const e = parseLine(line);
      if (!e || e.marker === '@cert-authority' || !patternsMatch(e.patterns, name)) continue;
      if (e.marker === '@revoked') {
        if (e.keyBase64 === presented) return 'revoked';
        continue;
      }
      known = true;
      if (e.keyBase64 === presented) return 'match';
    }
  }
  return known ? 'mismatch' : 'unknown';
}

export function verdictMessage(v: HostKeyVerdict, host: string, port: number): string {
  const name = hostLookupName(host, port);
  switch (v) {
    case 'mismatch':
      return `the host key of ${name} does not match known_hosts (possible man-in-the-middle); refusing to connect`;
    case 'revoked':
      return `the host key of ${name} is marked @revoked in known_hosts`;
    case 'unknown':
      return `${name} is not in known_hosts; connect once with \`ssh -p ${port} ${host}\` to verify and record its key`;
    default:
      return 'host key verified';
  }
}

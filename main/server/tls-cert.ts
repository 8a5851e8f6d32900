/**
 * The hub's TLS identity: a given certificate and key, or a self-signed pair generated on first
 * start and kept in the data directory (0600), so its fingerprint — which teammates pin — stays the
 * same across restarts.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HubdeckError } from '../core/errors';

export interface TlsIdentity {
  cert: string;
  key: string;
  /** SHA-256 fingerprint, "AB:CD:…", as teammates pin it. */
  fingerprint: string;
}

export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

/** Whether a certificate is valid for a host name, or for every name under a wildcard (`*.ws.example.org`). */
export function certificateCovers(certPem: string, name: string): boolean {
  const host = name.startsWith('*.') ? `x.${name.slice(2)}` : name;
  try {
    return new X509Certificate(certPem).checkHost(host) !== undefined;
  } catch {
    return false;
  }
}

export function loadTls(certPath: string, keyPath: string): TlsIdentity {
  const read = (p: string, what: string) => {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch (e) {
      throw new HubdeckError('invalid', `${what}: cannot read ${p} (${(e as NodeJS.ErrnoException).code})`, what);
    }
  };
  const cert = read(certPath, 'tls-cert');
  const key = read(keyPath, 'tls-key');
  try {
    return { cert, key, fingerprint: fingerprintOf(cert) };
  } catch (e) {
    throw new HubdeckError('invalid', `tls-cert: ${certPath} is not a PEM certificate (${(e as Error).message})`, 'tls-cert');
  }
}

export async function selfSignedTls(dataDir: string, hosts: string[]): Promise<TlsIdentity> {
  const dir = path.join(dataDir, 'tls');
  const certPath = path.join(dir, 'cert.pem');
  const keyPath = path.join(dir, 'key.pem');
  // A kept certificate stays (teammates pin its fingerprint) even when it lacks a name asked for now: the caller warns.
  if (fs.existsSync(certPath) && fs.existsSync(keyPath)) return loadTls(certPath, keyPath);
  const names = [...new Set(['localhost', os.hostname(), ...hosts])];
  const altNames = names.map((h) => (/^[\d.]+$|:/.test(h) ? { type: 7 as const, ip: h } : { type: 2 as const, value: h }));
  if (!names.includes('127.0.0.1')) altNames.push({ type: 7, ip: '127.0.0.1' });
  const now = new Date();
  // Loaded only when a certificate must be made: it is heavy and most starts do not need it.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: `hubdeck ${os.hostname()}` }], {
    keyType: 'ec', curve: 'P-256', algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000), notAfterDate: new Date(now.getTime() + 5 * 365 * 86_400_000),
    extensions: [{ name: 'basicConstraints', cA: false }, { name: 'subjectAltName', altNames }],
  });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(keyPath, pems.private, { mode: 0o600 });
  fs.writeFileSync(certPath, pems.cert, { mode: 0o644 });
  return { cert: pems.cert, key: pems.private, fingerprint: fingerprintOf(pems.cert) };
}

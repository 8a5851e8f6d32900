/**
 * A real OpenLDAP server for tests: Debian's slapd run as our own process on loopback ports, with a
 * generated slapd.conf (mdb database, the standard schemas), a self-signed certificate for StartTLS
 * and LDAPS, seeded with `ldapadd`. Nothing system-wide is touched.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const SUFFIX = 'dc=example,dc=org';
export const ROOT_DN = `cn=admin,${SUFFIX}`;
export const ROOT_PW = 'root-secret';

export interface Slapd {
  /** ldap://127.0.0.1:<port> (StartTLS offered). */
  url: string;
  ldapsUrl: string;
  /** The self-signed certificate the server presents (PEM), to trust as a CA. */
  caFile: string;
  dir: string;
  add(ldif: string): Promise<void>;
  /** What slapd logged: one line per operation and result (BIND …, RESULT tag=97 err=49 …). */
  log(): string;
  /** Deletes one entry (a person leaving the directory). */
  remove(dn: string): Promise<void>;
  /** Stops the server (the directory-down case); `start` brings it back on the same ports. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its files. */
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

function config(dir: string): string {
  return `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile ${dir}/slapd.pid
TLSCertificateFile ${dir}/cert.pem
TLSCertificateKeyFile ${dir}/key.pem
database mdb
maxsize 10485760
suffix "${SUFFIX}"
rootdn "${ROOT_DN}"
rootpw ${ROOT_PW}
directory ${dir}/db
access to attrs=userPassword by self read by anonymous auth by * none
access to * by * read
`;
}

async function waitForPort(port: number, proc: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`slapd exited ${proc.exitCode}:\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); }).on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`slapd did not listen on ${port} in 15 s:\n${log()}`);
}

/** `certNames`: the certificate's subjectAltName (a test of host name checks narrows it). */
export async function startSlapd(certNames = 'IP:127.0.0.1,DNS:localhost'): Promise<Slapd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-slapd-'));
  fs.mkdirSync(path.join(dir, 'db'));
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=hubdeck test directory',
    '-addext', `subjectAltName=${certNames}`, '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')]);
  fs.writeFileSync(path.join(dir, 'slapd.conf'), config(dir));
  const [port, tlsPort] = [await freePort(), await freePort()];
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = `ldaps://127.0.0.1:${tlsPort}`;
  let proc: ChildProcess | null = null;
  let log = '';
  const start = async () => {
    // -d 256 (stats): stay in the foreground (our child, killed with the test), logging each
    // operation and its result, so tests can count what reached the directory.
    proc = spawn('/usr/sbin/slapd', ['-f', path.join(dir, 'slapd.conf'), '-h', `${url}/ ${ldapsUrl}/`, '-d', '256'], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    await waitForPort(port, proc, () => log);
  };
  const stop = async () => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await exited;
  };
  await start();
  const add = async (ldif: string) => {
    const file = path.join(dir, `add-${Date.now()}-${Math.random().toString(36).slice(2)}.ldif`);
    fs.writeFileSync(file, ldif);
    await run('ldapadd', ['-x', '-H', url, '-D', ROOT_DN, '-w', ROOT_PW, '-f', file]);
  };
  await add(`dn: ${SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n\n` +
    `dn: ou=people,${SUFFIX}\nobjectClass: organizationalUnit\nou: people\n\n` +
    `dn: ou=groups,${SUFFIX}\nobjectClass: organizationalUnit\nou: groups\n`);
  return {
    url, ldapsUrl, caFile: path.join(dir, 'cert.pem'), dir, add, start, stop,
    log: () => log,
    remove: async (dn: string) => void await run('ldapdelete', ['-x', '-H', url, '-D', ROOT_DN, '-w', ROOT_PW, dn]),
    close: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** LDIF for a person (inetOrgPerson, plain-text password: a test directory). */
export function personLdif(uid: string, password: string): string {
  return `dn: uid=${uid},ou=people,${SUFFIX}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: ${uid}\nsn: ${uid}\nuserPassword: ${password}\n`;
}

/** LDIF for a groupOfNames with these people (uids) as members. */
export function groupLdif(cn: string, uids: string[]): string {
  return `dn: cn=${cn},ou=groups,${SUFFIX}\nobjectClass: groupOfNames\ncn: ${cn}\n${uids.map((u) => `member: uid=${u},ou=people,${SUFFIX}\n`).join('')}`;
}

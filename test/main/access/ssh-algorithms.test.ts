/**
 * The gateway's host keys and algorithms against real clients and ssh-audit, over the in-memory
 * engine: ssh-audit finds nothing to fail or warn about; clients that cannot use ed25519 (OpenSSH
 * told RSA only, paramiko, asyncssh) connect with the RSA key; an ECDSA-only client connects once
 * the hub's setting sshEcdsaHostKey allows, and every key is checked against known_hosts strictly.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshGateway } from '../../../main/access/ssh-gateway';
import { api, startApiHub, type ApiHub } from '../../support/api-hub';

interface Run { code: number; stdout: string; stderr: string }

function run(cmd: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 255) : 0, stdout, stderr });
    });
  });
}

const PY_CLIENTS = path.join(__dirname, '../../support/ssh-py-clients.py');
const SSH_AUDIT = path.join(__dirname, '../../support/ssh-audit-current.py');

describe('the SSH gateway\'s host keys and algorithms', () => {
  let h: ApiHub;
  let gw: SshGateway;
  let port: number;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-sshalg-'));
  const key = path.join(dir, 'id');
  const known = path.join(dir, 'known_hosts');
  beforeAll(async () => {
    h = await startApiHub('sshalg');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    await h.hub.keys.add({ user: 'admin', admin: true }, 'admin', { key: fs.readFileSync(`${key}.pub`, 'utf8').trim() });
    expect((await api(h.url, 'POST', '/workspaces?wait=1', h.adminToken, { name: 'w', image: 'img:1' })).status).toBe(201);
    const keys = (await h.hub.hostKey()).keys;
    gw = new SshGateway({ hub: h.hub, hostKeys: keys });
    port = (await gw.listen('127.0.0.1', 0)).port;
    fs.writeFileSync(known, keys.map((k) => `[127.0.0.1]:${port} ${k.publicKey}\n`).join(''));
  }, 60_000);
  afterAll(async () => {
    await gw?.close();
    await h?.stop();
  });

  /**
   * OpenSSH offering only `hostKeyAlgorithms`: the host key it verified (strictly, against every
   * key of the hub in known_hosts) and whether it logged in, or why not. The in-memory engine runs
   * no real shell, so what counts is the login, not the command.
   */
  const openssh = async (hostKeyAlgorithms: string) => {
    const r = await run('ssh', [
      '-v', '-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-i', key, '-p', String(port), '-o', `UserKnownHostsFile=${known}`,
      '-o', 'StrictHostKeyChecking=yes', '-o', `HostKeyAlgorithms=${hostKeyAlgorithms}`, 'admin.w@127.0.0.1', 'true',
    ]);
    const hostKey = /Server host key: (\S+) SHA256:/.exec(r.stderr)?.[1] ?? null;
    return { hostKey, in: /Authenticated to 127\.0\.0\.1 .* using "publickey"/.test(r.stderr), refusal: /Unable to negotiate.*/.exec(r.stderr)?.[0] ?? null };
  };
  /** paramiko or asyncssh offering only `alg`: the host key type it verified, or its error. */
  const python = async (lib: 'paramiko' | 'asyncssh', alg: string) => {
    const r = await run('/usr/bin/python3', [PY_CLIENTS, lib, String(port), 'admin.w', key, known, alg, 'true']);
    return r.code === 0 ? r.stdout.split(' ')[0] : r.stderr;
  };

  it('passes ssh-audit with no failure and no warning', async () => {
    // Debian's ssh-audit, told about OpenSSH's strict-kex marker (Terrapin), which it predates.
    const r = await run('/usr/bin/python3', [SSH_AUDIT, '-n', '-p', String(port), '127.0.0.1']);
    const flagged = r.stdout.split('\n').filter((l) => /\[(fail|warn)\]/.test(l));
    expect(flagged).toEqual([]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/\(key\) rsa-sha2-512 +\(3072-bit\)/);
    expect(r.stdout).toMatch(/\(key\) ssh-ed25519/);
  }, 120_000);

  it('lets clients without ed25519 in with the RSA key (OpenSSH, paramiko, asyncssh)', async () => {
    expect(await openssh('ssh-ed25519')).toEqual({ hostKey: 'ssh-ed25519', in: true, refusal: null });
    for (const alg of ['rsa-sha2-512', 'rsa-sha2-256']) expect(await openssh(alg)).toEqual({ hostKey: 'ssh-rsa', in: true, refusal: null });
    expect(await python('paramiko', 'rsa-sha2-512')).toBe('ssh-rsa');
    expect(await python('asyncssh', 'rsa-sha2-256')).toBe('ssh-rsa');
    expect(await python('paramiko', 'ssh-ed25519')).toBe('ssh-ed25519');
    // SHA-1 RSA signatures stay off, as in OpenSSH's own server since 8.8.
    expect((await openssh('ssh-rsa')).refusal).toMatch(/no matching host key type found/);
  }, 120_000);

  it('offers the ECDSA key only where the hub allows it, and then to ECDSA-only clients', async () => {
    expect((await openssh('ecdsa-sha2-nistp256')).refusal).toMatch(/no matching host key type found/);
    expect((await api(h.url, 'PATCH', '/settings', h.adminToken, { sshEcdsaHostKey: true })).status).toBe(200);
    try {
      expect(await openssh('ecdsa-sha2-nistp256')).toEqual({ hostKey: 'ecdsa-sha2-nistp256', in: true, refusal: null });
      expect(await python('asyncssh', 'ecdsa-sha2-nistp256')).toBe('ecdsa-sha2-nistp256');
      expect(await python('paramiko', 'ecdsa-sha2-nistp256')).toBe('ecdsa-sha2-nistp256');
    } finally {
      await api(h.url, 'PATCH', '/settings', h.adminToken, { sshEcdsaHostKey: false });
    }
  }, 120_000);
});

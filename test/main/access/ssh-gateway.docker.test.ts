/**
 * The SSH gateway end to end with the stock OpenSSH client on the real Docker engine: a team hub
 * (`hub serve --ssh-listen`) reached over TCP with the config `hubdeck ssh-config` writes, and the
 * local hub reached through `hubdeck ssh-proxy` as a ProxyCommand with no hub process running.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type ClientChannel } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../support/api-hub';
import { hubdeck } from '../../support/cli';
import { sweep, testOrigin } from '../../support/docker-fixture';
import { startServe, type ServeProcess } from '../../support/hub-process';
import { TEST_IMAGES } from '../../support/test-images';

interface Run { code: number; stdout: string; stderr: string }

function run(cmd: string, args: string[], o: { env?: Record<string, string>; input?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { env: { ...process.env, ...o.env }, maxBuffer: 64 << 20, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 255) : 0, stdout, stderr });
    });
    if (o.input !== undefined) child.stdin!.end(o.input);
  });
}

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-sshgw-'));
const origin = testOrigin('sshgw');

describe('the SSH gateway of a team hub, with the config ssh-config writes', () => {
  let srv: ServeProcess;
  let alice: string;
  let bob: string;
  let hubId: string;
  let sshPort: number;
  const home = path.join(tmp, 'alice-home');
  const bobHome = path.join(tmp, 'bob-home');
  const config = path.join(home, '.ssh', 'config');
  const ssh = (args: string[], input?: string) => run('ssh', ['-F', config, '-o', 'BatchMode=yes', ...args], { input });
  const alias = () => `nb.${hubId}`;

  beforeAll(async () => {
    fs.mkdirSync(home, { recursive: true });
    fs.mkdirSync(bobHome, { recursive: true });
    srv = await startServe(['--data', path.join(tmp, 'hub'), '--listen', '127.0.0.1:0', '--ssh-listen', '127.0.0.1:0', '--origin', origin]);
    sshPort = Number(/SSH gateway on 127\.0\.0\.1:(\d+), host key SHA256:/.exec(srv.stdout())![1]);
    const admin = srv.adminToken!;
    expect((await api(srv.url, 'POST', '/images', admin, { name: 'testnb', ref: TEST_IMAGES.jupyter })).status).toBe(201);
    for (const u of ['alice', 'bob']) expect((await api(srv.url, 'POST', '/users', admin, { name: u, selfService: true })).status).toBe(201);
    alice = ((await api(srv.url, 'POST', '/users/alice/tokens', admin, { note: 'ssh test' })).body as { token: string }).token;
    bob = ((await api(srv.url, 'POST', '/users/bob/tokens', admin, { note: 'ssh test' })).body as { token: string }).token;
    hubId = ((await api(srv.url, 'GET', '/info', alice)).body as { hubId: string }).hubId;
    const created = await api(srv.url, 'POST', '/workspaces?wait=1&timeout=180', alice, { user: 'alice', name: 'nb', image: 'testnb', memory: '1g' });
    expect(created.status, created.text).toBe(201);
  }, 240_000);
  afterAll(async () => {
    await srv?.stop();
    await sweep(origin);
  });

  it('writes one entry per workspace, registers its identity, and prints the alias', async () => {
    const r = await hubdeck(['--hub', srv.url, '--token', alice, 'ssh-config'], { HOME: home });
    expect(r.stderr).toMatch(/registered .*_ed25519\.pub \(SHA256:.*\) to alice/);
    expect(r.stdout.trim()).toBe(alias());
    const text = fs.readFileSync(config, 'utf8');
    expect(text).toContain(`Host ${alias()}\n  HostName 127.0.0.1\n  Port ${sshPort}\n  User alice.nb\n`);
    expect(fs.statSync(config).mode & 0o777).toBe(0o600);
    const again = await hubdeck(['--hub', srv.url, '--token', alice, 'ssh-config'], { HOME: home });
    expect(again.stderr).toMatch(/already up to date/);
    expect(fs.readFileSync(config, 'utf8')).toBe(text);
    const info = await hubdeck(['--hub', srv.url, '--token', alice, '--json', 'hub', 'info']);
    expect(JSON.parse(info.stdout).ssh).toMatchObject({ listen: `127.0.0.1:${sshPort}`, fingerprint: expect.stringMatching(/^SHA256:/) });
    const show = await hubdeck(['--hub', srv.url, '--token', alice, '--json', 'workspace', 'show', 'nb']);
    expect(JSON.parse(show.stdout)).toMatchObject({ name: 'nb', sshAlias: alias() });
  });

  it('runs commands with their exit status, and a terminal session', async () => {
    const r = await ssh([alias(), 'echo $((6*7))']);
    expect(r).toMatchObject({ code: 0, stdout: '42\n' });
    expect((await ssh([alias(), 'exit 3'])).code).toBe(3);
    const t = await ssh(['-tt', alias(), 'tty; echo "$TERM"']);
    expect(t.stdout).toMatch(/^\/dev\/pts\/\d+\r\n\S+\r\n$/);
    // Input reaches the command and its end is the end of its input.
    expect((await ssh([alias(), 'wc -c'], 'x'.repeat(100_000))).stdout.trim()).toBe('100000');
    // `hubdeck workspace ssh` runs ssh with a config of its own, and ends with ssh's status.
    const viaCli = await hubdeck(['--hub', srv.url, '--token', alice, 'workspace', 'ssh', 'nb', '--', 'echo', '$((6*7))'], { HOME: home });
    expect(viaCli).toMatchObject({ code: 0, stdout: '42\n' });
    expect((await hubdeck(['--hub', srv.url, '--token', alice, 'workspace', 'ssh', 'nb', '--', 'exit', '7'], { HOME: home })).code).toBe(7);
  });

  it('passes allow-listed environment only, and delivers signals to the command', async () => {
    const key = fs.readFileSync(path.join(home, '.ssh', 'hubdeck', `${hubId}_ed25519`));
    const client = new Client();
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve()).once('error', reject);
      client.connect({ host: '127.0.0.1', port: sshPort, username: 'alice.nb', privateKey: key });
    });
    try {
      const run = (cmd: string, opts: { env?: Record<string, string> }, onStream?: (ch: ClientChannel) => void) => new Promise<{ out: string; code: number | null; signal?: string }>((resolve, reject) => {
        client.exec(cmd, opts, (err, ch) => {
          if (err) return reject(err);
          let out = '';
          ch.on('data', (d: Buffer) => (out += d.toString()));
          ch.stderr.resume();
          ch.on('exit', (code: number | null, signal?: string) => ch.once('close', () => resolve({ out, code, signal })));
          onStream?.(ch);
        });
      });
      const env = await run('echo "$LANG|$LC_ALL|$EVIL|$LD_PRELOAD"', { env: { LANG: 'C.UTF-8', LC_ALL: 'C', EVIL: 'x', LD_PRELOAD: '/tmp/x.so' } });
      expect(env.out).toBe('C.UTF-8|C||\n');
      const signalled = await run("trap 'echo got INT; exit 42' INT; echo ready; while :; do sleep 0.1; done", {}, (ch) => {
        ch.on('data', (d: Buffer) => { if (d.toString().includes('ready')) ch.signal('INT'); });
      });
      expect(signalled.out).toContain('got INT');
      expect(signalled.code).toBe(42);
      // Removing the key ends the connection and its sessions at once; registering it again lets it back in.
      const keys = (await api(srv.url, 'GET', '/users/alice/keys', alice)).body as { id: string; key: string; type: string; comment: string }[];
      const gone = new Promise<void>((resolve) => client.once('close', () => resolve()));
      void run('sleep 600', {}).catch(() => undefined);
      expect((await api(srv.url, 'DELETE', `/users/alice/keys/${keys[0]!.id}`, alice)).status).toBe(204);
      await gone;
      expect((await api(srv.url, 'POST', '/users/alice/keys', alice, { key: `${keys[0]!.type} ${keys[0]!.key} ${keys[0]!.comment}` })).status).toBe(201);
    } finally {
      client.end();
    }
  });

  it('forwards a local port to the workspace (ssh -L) and copies files with scp and sftp', async () => {
    const local = 20_000 + Math.floor(Math.random() * 20_000);
    const fwd = spawn('ssh', ['-F', config, '-o', 'BatchMode=yes', '-o', 'ExitOnForwardFailure=yes', '-N', '-L', `${local}:localhost:8888`, alias()]);
    try {
      let res: Response | null = null;
      for (let i = 0; i < 100 && !res; i++) {
        res = await fetch(`http://127.0.0.1:${local}/user/alice/nb/api`).catch(() => null);
        if (!res) await new Promise((r) => setTimeout(r, 100));
      }
      expect(res!.status).toBe(200);
      expect(await res!.json()).toHaveProperty('version');
    } finally {
      fwd.kill();
    }
    const file = path.join(tmp, 'twenty');
    fs.writeFileSync(file, Buffer.alloc(20 << 20, 'hubdeck-'));
    fs.appendFileSync(file, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff)));
    expect((await run('scp', ['-F', config, '-o', 'BatchMode=yes', file, `${alias()}:/tmp/twenty`])).code).toBe(0);
    const back = path.join(tmp, 'twenty.back');
    expect((await run('scp', ['-F', config, '-o', 'BatchMode=yes', `${alias()}:/tmp/twenty`, back])).code).toBe(0);
    expect(sha(back)).toBe(sha(file));
    const got = path.join(tmp, 'sftp.got');
    const batch = `put ${file} /tmp/via-sftp\nls -l /tmp/via-sftp\nget /tmp/via-sftp ${got}\n`;
    const s = await run('sftp', ['-F', config, '-o', 'BatchMode=yes', '-b', '-', alias()], { input: batch });
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/via-sftp/);
    expect(sha(got)).toBe(sha(file));
  }, 120_000);

  it("refuses another user's key for this workspace, unknown keys, and names no workspace", async () => {
    const b = await hubdeck(['--hub', srv.url, '--token', bob, 'ssh-config'], { HOME: bobHome });
    expect(b.code).toBe(0);
    const bobKey = path.join(bobHome, '.ssh', 'hubdeck', `${hubId}_ed25519`);
    const known = path.join(home, '.ssh', 'hubdeck', `${hubId}_known_hosts`);
    const direct = (key: string, login: string) => run('ssh', [
      '-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-i', key, '-p', String(sshPort),
      '-o', `UserKnownHostsFile=${known}`, '-o', `HostKeyAlias=gateway.${hubId}`, '-o', 'StrictHostKeyChecking=yes', `${login}@127.0.0.1`, 'echo in',
    ]);
    const asBob = await direct(bobKey, 'alice.nb');
    expect(asBob).toMatchObject({ code: 1, stdout: '' });
    expect(asBob.stderr).toMatch(/hubdeck: bob may not open the workspaces of alice/);
    const stranger = path.join(tmp, 'stranger');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
    const s = await direct(stranger, 'alice.nb');
    expect(s.code).toBe(255);
    expect(s.stderr).toMatch(/Permission denied \(publickey\)/);
    const aliceKey = path.join(home, '.ssh', 'hubdeck', `${hubId}_ed25519`);
    const missing = await direct(aliceKey, 'alice.nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/workspace "nope" of alice does not exist/);
    const bad = await direct(aliceKey, 'Alice..x');
    expect(bad.stderr).toMatch(/login name .* must be WORKSPACE or USER\.WORKSPACE/);
  });

  it('ends sessions when the workspace stops', async () => {
    const long = spawn('ssh', ['-F', config, '-o', 'BatchMode=yes', alias(), 'echo started; sleep 600']);
    let out = '';
    long.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const ended = new Promise<number | null>((resolve) => long.once('exit', (code) => resolve(code)));
    for (let i = 0; i < 100 && !out.includes('started'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('started');
    expect((await api(srv.url, 'POST', '/workspaces/alice/nb/stop', alice)).status).toBe(200);
    expect(await ended).not.toBe(0);
    const after = await ssh([alias(), 'echo hi']);
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/workspace "nb" of alice is stopped; start it .* and connect again/);
  }, 120_000);
});

describe('the local hub through hubdeck ssh-proxy (no hub process running)', () => {
  const data = path.join(tmp, 'local-data');
  const home = path.join(tmp, 'local-home');
  const config = path.join(home, '.ssh', 'config');
  const env = { HUBDECK_DATA: data, HOME: home, HUBDECK_ORIGIN: `${origin}l` };
  afterAll(() => sweep(`${origin}l`));

  it('reaches a workspace by the ProxyCommand entry, and says clearly that sftp needs sftp-server', async () => {
    fs.mkdirSync(home, { recursive: true });
    const before = '# my settings\nServerAliveInterval 30\n\nHost work\n  HostName example.org\n';
    fs.mkdirSync(path.dirname(config), { recursive: true, mode: 0o700 });
    fs.writeFileSync(config, before);
    const created = await hubdeck(['--user', 'carol', 'workspace', 'create', 'box', '--image', TEST_IMAGES.busybox, '--port', '8080'], env);
    expect(created.code).toBe(0);
    const r = await hubdeck(['--user', 'carol', 'ssh-config'], env);
    expect(r.stdout.trim()).toBe('box.hubdeck');
    const text = fs.readFileSync(config, 'utf8');
    expect(text).toMatch(/^# my settings\nServerAliveInterval 30\n\n# -+ BEGIN HUBDECK[^\n]*\nHost box\.hubdeck\n {2}ProxyCommand '[^']+' '[^']+' 'ssh-proxy' '--data' '[^']+'\n/);
    expect(text.endsWith('Host work\n  HostName example.org\n')).toBe(true);
    const e = await run('ssh', ['-F', config, '-o', 'BatchMode=yes', 'box.hubdeck', 'echo $((6*7))'], { env });
    expect(e).toMatchObject({ code: 0, stdout: '42\n' });
    const s = await run('sftp', ['-F', config, '-o', 'BatchMode=yes', '-b', '-', 'box.hubdeck'], { env, input: 'ls\n' });
    expect(s.code).not.toBe(0);
    expect(s.stderr).toMatch(/this workspace image has no sftp-server, which sftp and scp need/);
    const removed = await hubdeck(['--user', 'carol', 'ssh-config', '--remove'], env);
    expect(removed.code, removed.stderr).toBe(0);
    expect(fs.readFileSync(config, 'utf8')).toBe(before);
  }, 120_000);
});

// The team hub the way ML Hub's quick start runs it: one `docker run` of `npm run image:hub`'s
// image with the host's Docker socket and a data volume. It creates sibling workspaces on the
// host's engine and reaches them (it joins their networks), prints the admin token once, serves the
// proxy and the SSH gateway on its published ports, and loses nothing on `docker restart`.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api-hub';
import { sweep, testOrigin } from '../support/docker-fixture';
import { TEST_IMAGES } from '../support/test-images';
import { wsFetch } from '../support/workspace-fetch';

const ROOT = path.join(__dirname, '../..');
const origin = testOrigin('img');
const name = `hubdeck-${origin}`;
const volume = `${name}-data`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-docker-hub-'));

interface Run { code: number; stdout: string; stderr: string }
function run(cmd: string, args: string[], timeout = 120_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: ROOT, timeout, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 255) : 0, stdout, stderr }));
  });
}
const logs = async () => { const r = await run('docker', ['logs', name]); return r.stdout + r.stderr; };

let base: string;
let sshPort: string;
let token: string;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function published(port: number): Promise<string> {
  const r = await run('docker', ['port', name, `${port}/tcp`]);
  return /:(\d+)\s*$/m.exec(r.stdout)![1]!;
}

async function healthy(ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await fetch(`${base}/api/v1/health`).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`the hub container did not answer /health:\n${await logs()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  if ((await run('docker', ['image', 'inspect', 'hubdeck/hub:latest'])).code !== 0) {
    const built = await run('bash', ['scripts/build-hub-image.sh'], 900_000);
    expect(built.code, built.stderr).toBe(0);
  }
  // The hub must know the address browsers reach it at (sign-in links, workspace origins): a port
  // picked here, published as itself.
  const port = await freePort();
  const started = await run('docker', ['run', '-d', '--name', name, '-v', '/var/run/docker.sock:/var/run/docker.sock',
    '-v', `${volume}:/data`, '-e', `HUBDECK_ORIGIN=${origin}`, '-p', `127.0.0.1:${port}:8585`, '-p', '127.0.0.1::2222', 'hubdeck/hub:latest',
    'hub', 'serve', '--listen=0.0.0.0:8585', '--ssh-listen=0.0.0.0:2222', `--public-url=http://localhost:${port}`, '--workspace-host=*.localhost']);
  expect(started.code, started.stderr).toBe(0);
  base = `http://127.0.0.1:${port}`;
  sshPort = await published(2222);
  await healthy();
  token = /^admin token: (\S+)$/m.exec(await logs())![1]!;
}, 1_200_000);

afterAll(async () => {
  await run('docker', ['rm', '-f', name]);
  await sweep(origin);
  await run('docker', ['volume', 'rm', volume]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the hub image, run with the Docker socket', () => {
  it('runs as an unprivileged user that may use the socket, with its data in /data', async () => {
    const top = await run('docker', ['top', name, '-o', 'pid,uid,args']);
    expect(top.stdout).toMatch(/^\s*\d+\s+10001\s+node \/app\/bin\/hubdeck\.js hub serve/m);
    const info = await api(base, 'GET', '/info', token);
    expect(info.status, info.text).toBe(200);
    expect(info.body).toMatchObject({ engine: { kind: 'docker' } });
  });

  it('creates a sibling workspace on the host engine, opens it through its proxy and reaches it with ssh', async () => {
    expect((await api(base, 'POST', '/images', token, { name: 'web', ref: TEST_IMAGES.busybox })).status).toBe(201);
    const created = await api(base, 'POST', '/workspaces?wait=1&timeout=120', token, { name: 'e1', image: 'web', memory: '256m' });
    expect(created.status, created.text).toBe(201);
    const key = path.join(tmp, 'id');
    expect((await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key])).code).toBe(0);
    expect((await api(base, 'POST', '/users/admin/keys', token, { key: fs.readFileSync(`${key}.pub`, 'utf8') })).status).toBe(201);
    const ssh = await run('ssh', ['-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-i', key, '-p', sshPort,
      '-o', `UserKnownHostsFile=${path.join(tmp, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=accept-new', 'admin.e1@127.0.0.1',
      // busybox httpd serves /www by path: a page where the proxy's path lands.
      'mkdir -p /www/user/admin/e1 && cp /www/index.html /www/user/admin/e1/ && echo $((6*7))']);
    expect(ssh, ssh.stderr).toMatchObject({ code: 0, stdout: '42\n' });
    const s = (await api(base, 'POST', '/workspaces/admin/e1/sign-in', token)).body as { signInUrl: string; url: string };
    const signIn = await wsFetch(s.signInUrl);
    expect(signIn.status, `${s.signInUrl}: ${await signIn.clone().text()}`).toBe(302);
    const page = await wsFetch(s.url, { headers: { cookie: signIn.headers.get('set-cookie')!.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('hubdeck busybox workspace');
  }, 300_000);

  it('keeps users, tokens and workspaces over docker restart, and prints the admin token once', async () => {
    expect((await run('docker', ['restart', name])).code).toBe(0);
    await healthy();
    const list = await api(base, 'GET', '/workspaces', token);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([expect.objectContaining({ name: 'e1', user: 'admin', state: 'running' })]);
    expect((await logs()).match(/admin token:/g)).toHaveLength(1);
  }, 120_000);
});

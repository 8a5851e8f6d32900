/**
 * Tunnels on the real Docker engine: named tunnels run in the background by the CLI against the
 * local hub (traffic flows, stop and remove free the port, a taken port and a missing workspace are
 * refused clearly), `workspace forward` against a team hub over its port stream (another user is
 * refused like the proxy refuses; a stopped or missing workspace is said), and tunnels that
 * outlive a workspace stop/start or restart and a restart of the team hub, retrying with backoff.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { api, until } from '../../support/api-hub';
import { hubdeck } from '../../support/cli';
import { docker, sweep, testOrigin } from '../../support/docker-fixture';
import { LABELS } from '../../../main/core/labels';
import { startServe, type ServeProcess } from '../../support/hub-process';
import { TEST_IMAGES } from '../../support/test-images';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-tunnels-'));
const origin = testOrigin('tun');
const env = { HUBDECK_DATA: path.join(tmp, 'local'), HUBDECK_ORIGIN: origin, HUBDECK_USER: 'dana' };
const BIN = path.join(__dirname, '../../../out/main/cli.js');

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** Starts a command in a workspace's container and leaves it running (test set-up, not the code under test). */
async function execDetached(originLabel: string, user: string, name: string, cmd: string[]): Promise<void> {
  const [c] = await docker.listContainers({ filters: { label: [`${LABELS.origin}=${originLabel}`, `${LABELS.user}=${user}`, `${LABELS.workspace}=${name}`] } });
  if (!c) throw new Error(`no running container for ${user}/${name}`);
  const exec = await docker.getContainer(c.Id).exec({ Cmd: cmd, AttachStdout: false, AttachStderr: false });
  await exec.start({ Detach: true });
}

const page = (port: number) => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text());
const refused = (port: number) => fetch(`http://127.0.0.1:${port}/`).then(() => false, () => true);

afterAll(async () => {
  await hubdeck(['tunnel', 'stop', 'web'], env);
  await sweep(origin);
});

describe('tunnels of the local hub, run by the CLI', () => {
  beforeAll(async () => {
    const r = await hubdeck(['workspace', 'create', 'box', '--image', TEST_IMAGES.busybox], env);
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  it('adds a tunnel, carries traffic while it runs, and frees the port when stopped and removed', async () => {
    const local = await freePort();
    expect((await hubdeck(['tunnel', 'add', 'web', '--workspace', 'box', '--local', String(local), '--remote', '8888'], env)).code).toBe(0);
    const started = await hubdeck(['tunnel', 'start', 'web'], env);
    expect(started.stdout).toMatch(/tunnel web running \(pid \d+\)/);
    expect(await page(local)).toContain('hubdeck busybox workspace');
    const list = JSON.parse((await hubdeck(['--json', 'tunnel', 'list'], env)).stdout) as { name: string; running: boolean; local: number }[];
    expect(list).toEqual([expect.objectContaining({ name: 'web', running: true, local, workspace: 'box', user: 'dana', remote: 8888 })]);
    expect((await hubdeck(['tunnel', 'stop', 'web'], env)).stdout).toMatch(/tunnel web stopped/);
    expect(await refused(local)).toBe(true);
    await hubdeck(['tunnel', 'start', 'web'], env);
    expect(await page(local)).toContain('hubdeck busybox workspace');
    expect((await hubdeck(['tunnel', 'remove', 'web'], env)).code).toBe(0);
    expect(await refused(local)).toBe(true);
    expect(JSON.parse((await hubdeck(['--json', 'tunnel', 'list'], env)).stdout)).toEqual([]);
  }, 60_000);

  it('refuses a taken port, a missing workspace and bad definitions clearly', async () => {
    const holder = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => holder.once('listening', r));
    const taken = (holder.address() as net.AddressInfo).port;
    try {
      await hubdeck(['tunnel', 'add', 'taken', '--workspace', 'box', '--local', String(taken), '--remote', '8888'], env);
      const r = await hubdeck(['tunnel', 'start', 'taken'], env);
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(new RegExp(`tunnel taken did not start: local port ${taken} is taken`));
    } finally {
      holder.close();
    }
    await hubdeck(['tunnel', 'add', 'nowhere', '--workspace', 'nope', '--local', String(await freePort()), '--remote', '8888'], env);
    const missing = await hubdeck(['tunnel', 'start', 'nowhere'], env);
    expect(missing.stderr).toMatch(/tunnel nowhere did not start: workspace "nope" of dana does not exist/);
    const bad = await hubdeck(['tunnel', 'add', 'Bad Name', '--workspace', 'box', '--local', '80', '--remote', '8888'], env);
    expect(bad.code).toBe(2);
    expect((await hubdeck(['tunnel', 'add', 'dup', '--workspace', 'box', '--local', String(taken), '--remote', '1'], env)).stderr).toMatch(/port \d+ is already tunnel "taken"'s/);
    for (const n of ['taken', 'nowhere']) await hubdeck(['tunnel', 'remove', n], env);
  }, 60_000);

  it('refuses to start a tunnel to a stopped workspace, saying what to do', async () => {
    expect((await hubdeck(['workspace', 'stop', 'box'], env)).code).toBe(0);
    try {
      await hubdeck(['tunnel', 'add', 'asleep', '--workspace', 'box', '--local', String(await freePort()), '--remote', '8888'], env);
      const r = await hubdeck(['tunnel', 'start', 'asleep'], env);
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/tunnel asleep did not start: workspace "box" of dana is stopped; start it \(hubdeck workspace start box\)/);
      expect(JSON.parse((await hubdeck(['--json', 'tunnel', 'list'], env)).stdout)).toEqual([expect.objectContaining({ name: 'asleep', running: false })]);
      await hubdeck(['tunnel', 'remove', 'asleep'], env);
    } finally {
      expect((await hubdeck(['workspace', 'start', 'box'], env)).code).toBe(0);
    }
  }, 90_000);

  it('holds a connection made while the workspace is stopped, retrying with backoff, and carries it once it is started', async () => {
    const local = await freePort();
    await hubdeck(['tunnel', 'add', 'web', '--workspace', 'box', '--local', String(local), '--remote', '8888'], env);
    expect((await hubdeck(['tunnel', 'start', 'web'], env)).code).toBe(0);
    const log = path.join(env.HUBDECK_DATA, 'tunnels', 'web.log');
    try {
      expect((await hubdeck(['workspace', 'stop', 'box'], env)).code).toBe(0);
      const pending = page(local);
      await until(() => /is stopped; start it .*retrying in \d+ ms/.test(fs.readFileSync(log, 'utf8')), 10_000, 'the tunnel to say it retries');
      expect((await hubdeck(['workspace', 'start', 'box'], env)).code).toBe(0);
      expect(await pending).toContain('hubdeck busybox workspace');
      expect(fs.readFileSync(log, 'utf8')).toMatch(/tunnel to dana\/box:8888 is back/);
    } finally {
      await hubdeck(['tunnel', 'remove', 'web'], env);
    }
    expect(await refused(local)).toBe(true);
  }, 90_000);

  it('keeps a tunnel across a workspace restart: new connections get through once it is back', async () => {
    const local = await freePort();
    await hubdeck(['tunnel', 'add', 'web', '--workspace', 'box', '--local', String(local), '--remote', '8888'], env);
    await hubdeck(['tunnel', 'start', 'web'], env);
    expect((await hubdeck(['workspace', 'restart', 'box'], env)).code).toBe(0);
    await until(async () => (await page(local).catch(() => '')).includes('hubdeck busybox workspace'), 30_000, 'the tunnel carries traffic again');
    await hubdeck(['tunnel', 'remove', 'web'], env);
  }, 90_000);
});

describe('workspace forward against a team hub (its port stream)', () => {
  let srv: ServeProcess;
  let alice = '';
  let bob = '';
  beforeAll(async () => {
    srv = await startServe(['--data', path.join(tmp, 'hub'), '--listen', '127.0.0.1:0', '--origin', `${origin}h`]);
    const admin = srv.adminToken!;
    expect((await api(srv.url, 'POST', '/images', admin, { name: 'web', ref: TEST_IMAGES.busybox })).status).toBe(201);
    for (const u of ['alice', 'bob']) await api(srv.url, 'POST', '/users', admin, { name: u, selfService: true });
    alice = ((await api(srv.url, 'POST', '/users/alice/tokens', admin, {})).body as { token: string }).token;
    bob = ((await api(srv.url, 'POST', '/users/bob/tokens', admin, {})).body as { token: string }).token;
    expect((await api(srv.url, 'POST', '/workspaces?wait=1', alice, { user: 'alice', name: 'box', image: 'web' })).status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await srv?.stop();
    await sweep(`${origin}h`);
  });

  function forward(token: string, user: string, spec: string, name = 'box'): { child: ChildProcess; out: () => string; err: () => string; exited: Promise<number | null> } {
    const child = spawn(process.execPath, [BIN, '--hub', srv.url, '--token', token, '--user', user, 'workspace', 'forward', name, spec], { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    return { child, out: () => out, err: () => err, exited: new Promise((r) => child.once('exit', (c) => r(c))) };
  }

  it("forwards in the foreground until interrupted, and refuses another user's workspace", async () => {
    const local = await freePort();
    const f = forward(alice, 'alice', `${local}:8888`);
    await until(() => f.out().includes('forwarding'), 20_000, 'forward listening');
    expect(await page(local)).toContain('hubdeck busybox workspace');
    f.child.kill('SIGINT');
    expect(await f.exited).toBe(0);
    expect(await refused(local)).toBe(true);

    const b = forward(bob, 'alice', `${await freePort()}:8888`);
    expect(await b.exited).toBe(7);
    expect(b.err()).toMatch(/hubdeck: bob may not open the workspaces of alice/);
    // Without credentials the stream is refused before any upgrade, with the API's error.
    const anonymous = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${srv.url.replace('http', 'ws')}/api/v1/workspaces/alice/box/ports/8888/stream`);
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => reject(new Error('opened without credentials')));
      ws.once('error', () => undefined);
    });
    expect(anonymous).toBe(401);
  }, 60_000);

  it('carries a byte stream whole both ways, a client that ends its side first still getting all of the answer', async () => {
    // `nc -ll -e cat` in the workspace: it answers with what it read, until the request has ended.
    await execDetached(`${origin}h`, 'alice', 'box', ['nc', '-ll', '-p', '7000', '-e', 'cat']);
    const local = await freePort();
    const f = forward(alice, 'alice', `${local}:7000`);
    try {
      await until(() => f.out().includes('forwarding'), 20_000, 'forward listening');
      const request = crypto.randomBytes(8 * 1024 * 1024);
      const answer = await new Promise<Buffer>((resolve, reject) => {
        const parts: Buffer[] = [];
        const s = net.connect(local, '127.0.0.1', () => s.end(request));
        s.on('data', (d: Buffer) => parts.push(d));
        s.once('end', () => resolve(Buffer.concat(parts)));
        s.once('error', reject);
      });
      expect(answer.length).toBe(request.length);
      expect(sha(answer)).toBe(sha(request));
    } finally {
      f.child.kill('SIGINT');
      await f.exited;
    }
  }, 60_000);

  it('refuses to forward to a stopped or missing workspace of the team hub, saying which', async () => {
    expect((await api(srv.url, 'POST', '/workspaces?wait=1', alice, { user: 'alice', name: 'idle', image: 'web' })).status).toBe(201);
    expect((await api(srv.url, 'POST', '/workspaces/alice/idle/stop', alice)).status).toBe(200);
    const stopped = forward(alice, 'alice', `${await freePort()}:8888`, 'idle');
    expect(await stopped.exited, stopped.err()).toBe(4);
    expect(stopped.err()).toMatch(/workspace "idle" of alice is stopped; start it \(hubdeck workspace start idle\) and connect again/);
    const missing = forward(alice, 'alice', `${await freePort()}:8888`, 'ghost');
    expect(await missing.exited, missing.err()).toBe(3);
    expect(missing.err()).toMatch(/workspace "ghost" of alice does not exist/);
  }, 60_000);
});

describe('a forward outlives a restart of the team hub', () => {
  const data = path.join(tmp, 'restarting');
  let port = 0;
  let srv: ServeProcess | null = null;
  afterAll(async () => {
    await srv?.stop();
    await sweep(`${origin}r`);
  });

  it('retries while the hub is away and carries traffic again once it is back', async () => {
    port = await freePort();
    const serve = () => startServe(['--data', data, '--listen', `127.0.0.1:${port}`, '--origin', `${origin}r`]);
    srv = await serve();
    const admin = srv.adminToken!;
    await api(srv.url, 'POST', '/images', admin, { name: 'web', ref: TEST_IMAGES.busybox });
    await api(srv.url, 'POST', '/users', admin, { name: 'carol', selfService: true });
    const carol = ((await api(srv.url, 'POST', '/users/carol/tokens', admin, {})).body as { token: string }).token;
    expect((await api(srv.url, 'POST', '/workspaces?wait=1', carol, { user: 'carol', name: 'box', image: 'web' })).status).toBe(201);
    const local = await freePort();
    const child = spawn(process.execPath, [BIN, '--hub', srv.url, '--token', carol, '--user', 'carol', 'workspace', 'forward', 'box', `${local}:8888`], { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise((r) => child.once('exit', r));
    try {
      await until(() => out.includes('forwarding'), 20_000, 'forward listening');
      expect(await page(local)).toContain('hubdeck busybox workspace');
      await srv.stop();
      srv = null;
      const pending = page(local);
      await until(() => /cannot reach the hub at .*; retrying in \d+ ms/.test(err), 10_000, 'the forward to say it retries');
      srv = await serve();
      expect(await pending).toContain('hubdeck busybox workspace');
      expect(err).toMatch(/tunnel to carol\/box:8888 is back/);
    } finally {
      child.kill('SIGINT');
      await exited;
    }
  }, 120_000);
});

describe('tunnels to a TLS hub joined by invite', () => {
  const mate = { HUBDECK_DATA: path.join(tmp, 'mate') };
  let srv: ServeProcess;
  let admin: string[] = [];
  beforeAll(async () => {
    srv = await startServe(['--data', path.join(tmp, 'tls'), '--listen', '127.0.0.1:0', '--tls', '--origin', `${origin}t`]);
    admin = ['--hub', srv.url, '--token', srv.adminToken!, '--fingerprint', srv.fingerprint!];
    expect((await hubdeck([...admin, 'user', 'add', 'bob', '--self-service'])).code).toBe(0);
    expect((await hubdeck([...admin, 'image', 'add', 'busybox', TEST_IMAGES.busybox])).code).toBe(0);
    const invite = /^ {2}hubdeck hub join (\S+)$/m.exec((await hubdeck([...admin, 'hub', 'invite', 'bob'])).stdout)![1]!;
    expect((await hubdeck(['hub', 'join', invite, '--name', 'team'], mate)).code).toBe(0);
    const create = await hubdeck(['--hub', 'team', 'workspace', 'create', 'box', '--image', TEST_IMAGES.busybox, '--no-volume'], mate);
    expect(create.code, create.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await hubdeck(['tunnel', 'stop', 'team-web'], mate);
    await srv?.stop();
    await sweep(`${origin}t`);
  });

  it('needs no token or user: the joined hub gives them, and the stream is pinned to its certificate', async () => {
    const local = await freePort();
    const add = await hubdeck(['--hub', 'team', '--json', 'tunnel', 'add', 'team-web', '--workspace', 'box', '--local', String(local), '--remote', '8888'], mate);
    expect(add.code, add.stderr).toBe(0);
    const added = JSON.parse(add.stdout) as { fingerprint: string };
    expect(added).toMatchObject({ name: 'team-web', user: 'bob', hub: srv.url });
    expect(added.fingerprint.replace(/:/g, '').toUpperCase()).toBe(srv.fingerprint!.replace(/:/g, '').toUpperCase());
    // The token stays in hubs.json; the tunnel's definition holds none.
    expect(fs.readFileSync(path.join(mate.HUBDECK_DATA, 'tunnels.json'), 'utf8')).not.toMatch(/hd_|token/);
    const started = await hubdeck(['tunnel', 'start', 'team-web'], mate);
    expect(started.code, started.stderr).toBe(0);
    expect(await page(local)).toContain('hubdeck busybox workspace');
    const list = await hubdeck(['tunnel', 'list'], mate);
    expect(list.stdout).toMatch(new RegExp(`team-web\\s+${local}\\s+bob/box\\s+8888\\s+${srv.url.replace(/[.:/]/g, '\\$&')}\\s+running \\(pid \\d+\\)`));
    expect((await hubdeck(['tunnel', 'remove', 'team-web'], mate)).code).toBe(0);
    expect(await refused(local)).toBe(true);

    // Another certificate than the pinned one is refused before any byte goes out.
    const token = (JSON.parse(fs.readFileSync(path.join(mate.HUBDECK_DATA, 'hubs.json'), 'utf8')) as { hubs: { token: string }[] }).hubs[0]!.token;
    const wrong = srv.fingerprint!.replace(/^(.)/, (c) => (c === 'A' ? 'B' : 'A'));
    // (--user: so that the port stream's own dial meets the certificate first, not a call for the user.)
    const pinned = await hubdeck(['--hub', srv.url, '--token', token, '--fingerprint', wrong, '--user', 'bob', 'workspace', 'forward', 'box', `${await freePort()}:8888`], mate);
    expect(pinned.code).toBe(5);
    expect(pinned.stderr).toMatch(/^hubdeck: cannot reach the hub at https:.*TLS certificate has fingerprint [0-9A-F:]+, expected [0-9A-F:]+; refusing to connect$/m);
  }, 90_000);
});

/**
 * The SSH gateway's denial-of-service limits (issue 17, defects 5 and 6) against a real Docker
 * workspace, with raw sockets, ssh2's client and the stock OpenSSH client: pre-auth deadlines and
 * caps (global MaxStartups-like and per address), channel caps per connection and per user,
 * execs whose channel or client left before they started, and a bounded close().
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type ClientChannel } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshGateway, type SshGatewayOptions } from '../../../main/access/ssh-gateway';
import { api, startApiHub, until, type ApiHub } from '../../support/api-hub';
import { sweep, testOrigin } from '../../support/docker-fixture';
import { startServe } from '../../support/hub-process';
import { TEST_IMAGES } from '../../support/test-images';
import { openPreAuthConnections, timeSshEcho } from '../../bench/abuse/ssh-abuse';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-sshlim-'));
const key = path.join(tmp, 'id');
let h: ApiHub;
let containerId: string;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sh(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 255) : 0, stdout, stderr }));
  });
}

/** Processes in the workspace whose command line starts with `sleep SECONDS` (read from /proc). */
async function sleepers(seconds: number): Promise<number> {
  const script = `n=0; for p in /proc/[0-9]*; do c=$(tr '\\0' ' ' < $p/cmdline 2>/dev/null); case "$c" in "sleep ${seconds} "*) n=$((n+1));; esac; done; echo $n`;
  const r = await sh('docker', ['exec', containerId, 'sh', '-c', script]);
  return Number(r.stdout.trim());
}

type Limits = NonNullable<SshGatewayOptions['limits']>;

async function gateway(limits: Limits): Promise<{ gw: SshGateway; port: number; config: string }> {
  const gw = new SshGateway({ hub: h.hub, hostKeys: (await h.hub.hostKey()).keys, limits });
  const { port } = await gw.listen('127.0.0.1', 0);
  const config = path.join(tmp, `config-${port}`);
  fs.writeFileSync(config, [
    'Host gw', '  HostName 127.0.0.1', `  Port ${port}`, '  User admin.w', `  IdentityFile ${key}`, '  IdentitiesOnly yes',
    '  StrictHostKeyChecking no', '  UserKnownHostsFile /dev/null', '  LogLevel ERROR', '',
  ].join('\n'));
  return { gw, port, config };
}

function connect(port: number): Promise<Client> {
  const c = new Client();
  return new Promise((resolve, reject) => {
    c.once('ready', () => resolve(c)).once('error', reject);
    c.connect({ host: '127.0.0.1', port, username: 'admin.w', privateKey: fs.readFileSync(key) });
  });
}

/** Starts `cmd` on a new session channel; resolves with the channel or the open failure. */
function exec(c: Client, cmd: string): Promise<ClientChannel | Error> {
  return new Promise((resolve) => c.exec(cmd, (err, ch) => {
    if (err) return resolve(err);
    ch.on('data', () => undefined);
    ch.stderr.on('data', () => undefined);
    resolve(ch);
  }));
}

beforeAll(async () => {
  await sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  h = await startApiHub('sshlim', { engine: 'docker' });
  expect((await api(h.url, 'POST', '/images', h.adminToken, { name: 'bb', ref: TEST_IMAGES.busybox })).status).toBe(201);
  const w = await api(h.url, 'POST', '/workspaces?wait=1&timeout=180', h.adminToken, { name: 'w', image: 'bb', volume: false });
  expect(w.status, w.text).toBe(201);
  containerId = (w.body as { id: string }).id;
  await h.hub.keys.add({ user: 'admin', admin: true }, 'admin', { key: fs.readFileSync(`${key}.pub`, 'utf8').trim() });
}, 240_000);
afterAll(async () => {
  await h?.stop();
});

describe('pre-auth connections', () => {
  it('are closed after the handshake and login grace times, banner or not', async () => {
    const { gw, port } = await gateway({ handshakeTimeoutMs: 1000, loginGraceMs: 2000 });
    try {
      const banner = await openPreAuthConnections('127.0.0.1', port, 5);
      const silent = await openPreAuthConnections('127.0.0.1', port, 5, { banner: false });
      expect(banner.open() + silent.open()).toBe(10);
      const t0 = Date.now();
      await until(() => banner.open() + silent.open() === 0, 6000, 'pre-auth connections closed').catch(async (e: Error) => {
        throw new Error(`${e.message}: ${banner.open() + silent.open()} of 10 still open after ${Date.now() - t0} ms`);
      });
      // A real login is still fine afterwards.
      expect(await timeSshEcho({ config: path.join(tmp, `config-${port}`), alias: 'gw' })).toBeGreaterThan(0);
    } finally {
      await gw.close();
    }
  });

  it('are limited per address: a flood from one address leaves other addresses in', async () => {
    const { gw, port, config } = await gateway({ maxStartupsPerAddress: 5 });
    const flood = await openPreAuthConnections('127.0.0.1', port, 40);
    try {
      await until(() => flood.open() <= 5, 5000, 'per-address cap').catch(() => {
        throw new Error(`${flood.open()} pre-auth connections from 127.0.0.1 still open (cap 5)`);
      });
      expect(await timeSshEcho({ config, alias: 'gw', args: ['-b', '127.0.0.2'] })).toBeGreaterThan(0);
      await expect(timeSshEcho({ config, alias: 'gw' })).rejects.toThrow(/exit 255/);
    } finally {
      await flood.close();
      await gw.close();
    }
  });

  it('are capped overall (MaxStartups start:rate:full) while an authenticated user still runs commands', async () => {
    const { gw, port, config } = await gateway({ maxStartups: { start: 3, rate: 50, full: 6 }, maxStartupsPerAddress: 100 });
    const mux = path.join(tmp, `mux-${port}`);
    const master = spawn('ssh', ['-F', config, '-o', 'BatchMode=yes', '-M', '-S', mux, '-N', 'gw'], { stdio: 'ignore' });
    const floods: Awaited<ReturnType<typeof openPreAuthConnections>>[] = [];
    try {
      await until(() => fs.existsSync(mux), 10_000, 'ControlMaster socket');
      for (let i = 3; i < 5; i++) floods.push(await openPreAuthConnections('127.0.0.1', port, 20, { localAddress: `127.0.0.${i}` }));
      const open = () => floods.reduce((n, f) => n + f.open(), 0);
      await until(() => open() <= 6, 5000, 'MaxStartups full').catch(() => {
        throw new Error(`${open()} of 40 pre-auth connections still open (full: 6)`);
      });
      expect(open()).toBeGreaterThanOrEqual(3);
      // The authenticated connection (OpenSSH multiplexing) is not pre-auth: it still works.
      expect(await timeSshEcho({ config, alias: 'gw', args: ['-S', mux] })).toBeGreaterThan(0);
      // A fresh login from an address with nothing waiting gets in, at the flood's expense (the
      // oldest waiting connection of the busiest address makes room), and the door stays at its size.
      expect(await timeSshEcho({ config, alias: 'gw', args: ['-b', '127.0.0.200', '-o', 'ControlPath=none'] })).toBeGreaterThan(0);
      expect(open()).toBeLessThanOrEqual(6);
      // The flood's own addresses get no such room.
      const more = await openPreAuthConnections('127.0.0.1', port, 4, { localAddress: '127.0.0.3' });
      floods.push(more);
      await until(() => open() <= 6, 5000, 'MaxStartups still full');
      for (const f of floods) await f.close();
      expect(await timeSshEcho({ config, alias: 'gw', args: ['-o', 'ControlPath=none'] })).toBeGreaterThan(0);
    } finally {
      for (const f of floods) await f.close();
      master.kill();
      await gw.close();
    }
  });
});

describe('channels', () => {
  it('are capped per connection (sessions and forwards) and per user, with a reason', async () => {
    const { gw, port } = await gateway({ maxSessionsPerConnection: 3, maxForwardsPerConnection: 1, maxChannelsPerUser: 5 });
    const a = await connect(port);
    const b = await connect(port);
    try {
      const sessions = await Promise.all([1, 2, 3].map(() => exec(a, 'sleep 341')));
      for (const s of sessions) expect(s).not.toBeInstanceOf(Error);
      const fourth = await exec(a, 'sleep 341');
      expect(fourth).toBeInstanceOf(Error);
      expect((fourth as Error).message).toMatch(/at most 3 sessions on one connection/);
      // A forward that is refused for the cap says so; one within it is tried. Nothing listens on the
      // workspace's port 9: refused plainly, or (when the loopback relay inside takes it) opened and
      // then closed — either way not for the cap.
      const fwd = (c: Client) => new Promise<Error | ClientChannel>((resolve) => c.forwardOut('127.0.0.1', 0, 'localhost', 9, (err, ch) => resolve(err ?? ch)));
      const within = await fwd(a);
      expect(within instanceof Error ? within.message : 'opened').not.toMatch(/at most/);
      if (!(within instanceof Error)) within.close();
      // The other connection of the same user: two sessions fit (5 of 5), then the user's cap —
      // for commands, sftp and forwards alike.
      for (let i = 0; i < 2; i++) expect(await exec(b, 'sleep 341')).not.toBeInstanceOf(Error);
      const overUser = await exec(b, 'sleep 341');
      expect(overUser).toBeInstanceOf(Error);
      expect((overUser as Error).message).toMatch(/at most 5 channels at once for admin/);
      const sftp = await new Promise<Error | null>((resolve) => b.sftp((err) => resolve(err ?? null)));
      expect(sftp?.message).toMatch(/at most 5 channels at once for admin/);
      expect(((await fwd(b)) as Error).message).toMatch(/at most 5 channels at once for admin/);
      // Closing one frees its place.
      (sessions[0] as ClientChannel).close();
      await until(async () => !((await exec(b, 'true')) instanceof Error), 5000, 'a freed channel');
    } finally {
      a.end();
      b.end();
      await gw.close();
    }
  });

  it('past MaxSessions, stock ssh multiplexing has its third session refused on that connection', async () => {
    const { gw, config, port } = await gateway({ maxSessionsPerConnection: 2 });
    const mux = path.join(tmp, `mux-s-${port}`);
    const master = spawn('ssh', ['-F', config, '-o', 'BatchMode=yes', '-M', '-S', mux, '-N', 'gw'], { stdio: 'ignore' });
    let held: ReturnType<typeof spawn>[] = [];
    try {
      // (Without the master's socket, ssh -S would quietly make a connection of its own.)
      await until(() => fs.existsSync(mux), 10_000, 'ControlMaster socket');
      held = [0, 1].map(() => spawn('ssh', ['-F', config, '-S', mux, 'gw', 'echo up; sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] }));
      await Promise.all(held.map((c) => new Promise((resolve) => c.stdout!.once('data', resolve))));
      const third = await sh('ssh', ['-F', config, '-S', mux, 'gw', 'echo in']);
      // OpenSSH's mux master does not pass the reason on; it reports the refusal and the client
      // then makes a connection of its own (a new connection has its own sessions, as with sshd).
      expect(third.stderr).toMatch(/mux_client_request_session: session request failed: Session open refused by peer/);
      expect(third).toMatchObject({ code: 0, stdout: 'in\n' });
    } finally {
      for (const c of [...held, master]) c.kill();
      await gw.close();
    }
  });

  it('whose client or channel left before the exec started leave no process in the workspace', async () => {
    const { gw, port } = await gateway({ maxSessionsPerConnection: 40, maxChannelsPerUser: 100 });
    try {
      // Client gone: 30 channels asked for `sleep 351`, the connection dropped as soon as the first is accepted.
      const c = await connect(port);
      await new Promise<void>((resolve) => {
        for (let i = 0; i < 30; i++) c.exec('sleep 351', (err, ch) => { if (!err) ch.on('data', () => undefined); resolve(); });
      });
      c.destroy();
      // Channel gone: 10 channels closed by the client right after their exec request was accepted.
      const d = await connect(port);
      await Promise.all(Array.from({ length: 10 }, () => exec(d, 'sleep 352').then((ch) => { if (!(ch instanceof Error)) ch.close(); })));
      // Long enough for every exec the gateway still started to be running (they take well under 1 s each).
      await sleep(6000);
      expect({ clientGone: await sleepers(351), channelGone: await sleepers(352) }).toEqual({ clientGone: 0, channelGone: 0 });
      d.end();
    } finally {
      await gw.close();
    }
  });

  it('are all ended by close(), within a few seconds, even with execs in flight', async () => {
    const { gw, port } = await gateway({ maxSessionsPerConnection: 40, maxChannelsPerUser: 100, closeTimeoutMs: 4000 });
    const clients = await Promise.all([connect(port), connect(port)]);
    for (const c of clients) c.on('error', () => undefined);
    await Promise.all(clients.map((c) => Promise.all(Array.from({ length: 10 }, () => exec(c, 'sleep 361')))));
    await until(async () => (await sleepers(361)) >= 5, 15_000, 'execs running');
    // 20 more asked for, not waited for: in flight when close() starts.
    for (const c of clients) for (let i = 0; i < 10; i++) c.exec('sleep 361', () => undefined);
    await sleep(100);
    const t0 = Date.now();
    await gw.close();
    const took = Date.now() - t0;
    console.log(`close() took ${took} ms`);
    // Bounded: the close timeout (4 s) and a little; what started late is still ended right after.
    expect(took).toBeLessThan(5000);
    await until(async () => (await sleepers(361)) === 0, 5000, 'no process left').catch(async () => {
      throw new Error(`${await sleepers(361)} processes of the closed gateway still running`);
    });
    await sleep(2000);
    expect(await sleepers(361)).toBe(0);
  });
});

describe('hub serve with its SSH gateway', () => {
  const origin = testOrigin('sshlimserve');
  afterAll(() => sweep(origin));

  it('stops promptly on SIGTERM with 100 sessions running, leaving no process and a removable container', async () => {
    const srv = await startServe(['--data', path.join(tmp, 'serve'), '--listen', '127.0.0.1:0', '--ssh-listen', '127.0.0.1:0', '--origin', origin]);
    let stopped = false;
    try {
      const port = Number(/SSH gateway on 127\.0\.0\.1:(\d+)/.exec(srv.stdout())![1]);
      const admin = srv.adminToken!;
      expect((await api(srv.url, 'POST', '/images', admin, { name: 'bb', ref: TEST_IMAGES.busybox })).status).toBe(201);
      expect((await api(srv.url, 'POST', '/users', admin, { name: 'eve', selfService: true })).status).toBe(201);
      const eve = ((await api(srv.url, 'POST', '/users/eve/tokens', admin, { note: 'ssh' })).body as { token: string }).token;
      expect((await api(srv.url, 'POST', '/users/eve/keys', eve, { key: fs.readFileSync(`${key}.pub`, 'utf8').trim() })).status).toBe(201);
      const w = await api(srv.url, 'POST', '/workspaces?wait=1&timeout=180', eve, { user: 'eve', name: 'w', image: 'bb', volume: false });
      expect(w.status, w.text).toBe(201);
      const id = (w.body as { id: string }).id;
      const clients = await Promise.all(Array.from({ length: 10 }, () => new Promise<Client>((resolve, reject) => {
        const c = new Client();
        c.on('error', () => undefined);
        c.once('ready', () => resolve(c)).once('error', reject);
        c.connect({ host: '127.0.0.1', port, username: 'eve.w', privateKey: fs.readFileSync(key) });
      })));
      // The defaults: 10 sessions per connection, so 100 over 10 connections (some still starting).
      for (const c of clients) for (let i = 0; i < 10; i++) c.exec('sleep 371', (err, ch) => { if (!err) ch.on('data', () => undefined); });
      const count = async () => Number((await sh('docker', ['exec', id, 'sh', '-c', `n=0; for p in /proc/[0-9]*; do case "$(tr '\\0' ' ' < $p/cmdline 2>/dev/null)" in "sleep 371 "*) n=$((n+1));; esac; done; echo $n`])).stdout.trim());
      await until(async () => (await count()) >= 20, 20_000, 'sessions running');
      const t0 = Date.now();
      const code = await srv.stop('SIGTERM');
      stopped = true;
      const took = Date.now() - t0;
      console.log(`hub serve stopped in ${took} ms (exit ${code})`);
      expect(took).toBeLessThan(10_000);
      expect(await count()).toBe(0);
      const rm = await sh('docker', ['rm', '-f', id]);
      expect(rm.code, rm.stderr).toBe(0);
    } finally {
      if (!stopped) await srv.stop('SIGKILL');
    }
  });
});

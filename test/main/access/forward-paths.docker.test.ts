/**
 * Every way into a workspace port, on every connect mode (Docker direct, Docker by exec relay as
 * tcp:// engines and Docker Desktop do, Swarm, Kubernetes port-forward), against a real hub and
 * SSH gateway with stock OpenSSH: a service bound to the workspace's 127.0.0.1 only answers
 * `ssh -L`, `ssh -D`, tunnels and port streams; a forward to anything but the workspace itself is
 * refused; and clients that drop requests, upgrades, port streams and forwards at random points
 * never take the hub down — it answers /health and a real request afterwards.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshGateway } from '../../../main/access/ssh-gateway';
import { startForward } from '../../../main/access/port-forward';
import { ownerDialer, remoteDialer } from '../../../main/client/port-dialer';
import { createEngine } from '../../../main/engine/create-engine';
import type { EngineConfig, ExecSession, WorkspaceEngine } from '../../../main/engine/engine';
import { Hub } from '../../../main/hub/hub';
import { createHubServer, type HubServer } from '../../../main/server/hub-server';
import { api } from '../../support/api-hub';
import { sweep, testOrigin } from '../../support/docker-fixture';
import { createTestNamespace, deleteTestNamespace, requireCluster, TEST_KUBECONFIG } from '../../support/kube-fixture';
import { requireSwarm, sweepSwarm } from '../../support/swarm-fixture';
import { TEST_IMAGES } from '../../support/test-images';
import { addressOf, wsFetch } from '../../support/workspace-fetch';

interface ModeCase {
  mode: string;
  make(origin: string): Promise<{ config: EngineConfig; cleanup(): Promise<void> }>;
}

const MODES: ModeCase[] = [
  { mode: 'docker direct', make: async (origin) => ({ config: { kind: 'docker', origin, connectMode: 'direct' }, cleanup: () => sweep(origin) }) },
  { mode: 'docker exec relay', make: async (origin) => ({ config: { kind: 'docker', origin, connectMode: 'exec' }, cleanup: () => sweep(origin) }) },
  {
    mode: 'swarm',
    make: async (origin) => {
      await requireSwarm();
      return { config: { kind: 'swarm', origin }, cleanup: () => sweepSwarm(origin) };
    },
  },
  {
    mode: 'kubernetes port-forward',
    make: async (origin) => {
      const kc = await requireCluster();
      const namespace = await createTestNamespace(kc, 'fwd');
      return {
        config: { kind: 'kubernetes', origin, kubeconfig: TEST_KUBECONFIG, namespace, volumeSize: '64Mi', startTimeoutMs: 120_000, connectMode: 'port-forward' },
        cleanup: () => deleteTestNamespace(kc, namespace),
      };
    },
  },
];

/** The loopback-only service's port and page. */
const LO_PORT = 9123;
const LO_PAGE = 'loopback only';
const ref = { user: 'admin', name: 'w' };

function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 255) : 0, stdout, stderr }));
  });
}

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});

/** A page from a local port, retried while a forward comes up (the test's timeout bounds it). */
async function pageAt(url: string, init: RequestInit = {}): Promise<string> {
  for (;;) {
    try {
      const res = await fetch(url, init);
      if (res.status === 200) return await res.text();
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const randomMs = (max: number) => Math.floor(Math.random() * max);

/** What reaches the process's last-chance handlers while the hub is being abused. */
function watchProcess(): { seen: string[]; stop: () => void } {
  const seen: string[] = [];
  const onError = (e: unknown) => seen.push(`uncaughtException: ${String((e as Error)?.stack ?? e)}`);
  const onRejection = (e: unknown) => seen.push(`unhandledRejection: ${String((e as Error)?.stack ?? e)}`);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onRejection);
  return { seen, stop: () => { process.off('uncaughtException', onError); process.off('unhandledRejection', onRejection); } };
}

describe.each(MODES)('forwards and aborts on $mode', ({ mode, make }) => {
  const origin = testOrigin(`fw${mode.replace(/[^a-z]/g, '').slice(0, 6)}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-fwd-'));
  const key = path.join(dataDir, 'id');
  let engine: WorkspaceEngine;
  let cleanup: () => Promise<void> = async () => undefined;
  let hub: Hub;
  let server: HubServer;
  let gateway: SshGateway;
  let url = '';
  let hubPort = 0;
  let sshPort = 0;
  let token = '';
  let service: ExecSession | null = null;
  const sshArgs = () => ['-F', '/dev/null', '-i', key, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no',
    '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'ExitOnForwardFailure=yes', '-p', String(sshPort)];
  const children: ChildProcess[] = [];
  const ssh = (args: string[]) => {
    const c = spawn('ssh', [...sshArgs(), '-N', ...args, 'admin.w@127.0.0.1'], { stdio: 'ignore' });
    children.push(c);
    return c;
  };
  const sshClient = () => new Promise<Client>((resolve, reject) => {
    const c = new Client();
    c.once('ready', () => resolve(c)).once('error', reject);
    c.connect({ host: '127.0.0.1', port: sshPort, username: 'admin.w', privateKey: fs.readFileSync(key) });
  });

  beforeAll(async () => {
    const made = await make(origin);
    cleanup = made.cleanup;
    engine = await createEngine(made.config);
    const opened = await Hub.open({ engine, dataDir, adminName: 'admin' });
    hub = opened.hub;
    token = opened.adminToken!.token;
    server = createHubServer({ hub });
    hubPort = (await server.listen('127.0.0.1', 0)).port;
    url = `http://127.0.0.1:${hubPort}`;
    gateway = new SshGateway({ hub, hostKeys: (await hub.hostKey()).keys });
    sshPort = (await gateway.listen('127.0.0.1', 0)).port;
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    expect((await api(url, 'POST', '/users/admin/keys', token, { key: fs.readFileSync(`${key}.pub`, 'utf8') })).status).toBe(201);
    expect((await api(url, 'POST', '/images', token, { name: 'web', ref: TEST_IMAGES.busybox })).status).toBe(201);
    const created = await api(url, 'POST', '/workspaces?wait=1&timeout=180', token, { user: 'admin', name: 'w', image: 'web', memory: '128m', volume: false });
    expect(created.status, created.text).toBe(201);
    const admin = { user: 'admin', admin: true };
    // The proxy's page (busybox httpd serves /www by path), and a second server on 127.0.0.1 only.
    const prep = await hub.access.exec(admin, ref, { cmd: ['sh', '-c', `mkdir -p /www/user/admin/w /tmp/lo && cp /www/index.html /www/user/admin/w/ && echo '${LO_PAGE}' > /tmp/lo/index.html`] });
    expect(await prep.exitCode()).toBe(0);
    service = await hub.access.exec(admin, ref, { cmd: ['httpd', '-f', '-p', `127.0.0.1:${LO_PORT}`, '-h', '/tmp/lo'] });
    service.stdout.resume();
    service.stderr.resume();
  }, 300_000);

  afterAll(async () => {
    for (const c of children) c.kill();
    await service?.close().catch(() => undefined);
    await gateway?.close();
    await server?.close();
    await hub?.close();
    await cleanup();
    await engine?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 240_000);

  it('ssh -L to localhost and 127.0.0.1 reaches a service listening on the workspace\'s loopback only', async () => {
    for (const host of ['localhost', '127.0.0.1']) {
      const local = await freePort();
      const fwd = ssh(['-L', `${local}:${host}:${LO_PORT}`]);
      try {
        expect((await pageAt(`http://127.0.0.1:${local}/`)).trim()).toBe(LO_PAGE);
      } finally {
        fwd.kill();
      }
    }
  }, 120_000);

  it('ssh -D reaches it through SOCKS, by name and by address', async () => {
    const socks = await freePort();
    const fwd = ssh(['-D', `127.0.0.1:${socks}`]);
    try {
      for (const target of [`http://localhost:${LO_PORT}/`, `http://127.0.0.1:${LO_PORT}/`]) {
        let r = await run('curl', ['-sS', '-m', '20', '--socks5-hostname', `127.0.0.1:${socks}`, target]);
        for (let i = 0; r.code !== 0 && i < 50; i++) r = await sleep(200).then(() => run('curl', ['-sS', '-m', '20', '--socks5-hostname', `127.0.0.1:${socks}`, target]));
        expect(r.stdout.trim(), r.stderr).toBe(LO_PAGE);
      }
    } finally {
      fwd.kill();
    }
  }, 120_000);

  it('tunnels reach it, in-process (local hub) and over the hub\'s port stream (remote hub)', async () => {
    for (const dialer of [ownerDialer(hub), remoteDialer({ url, token })]) {
      const f = await startForward({ dialer, ref, local: 0, remote: LO_PORT });
      try {
        expect((await pageAt(`http://127.0.0.1:${f.address.port}/`)).trim()).toBe(LO_PAGE);
      } finally {
        await f.close();
        dialer.close();
      }
    }
  }, 120_000);

  it('refuses a forward to anything but the workspace itself, and localhost never means the hub', async () => {
    const c = await sshClient();
    try {
      const open = (host: string, port: number) => new Promise<string>((resolve) => {
        c.forwardOut('127.0.0.1', 0, host, port, (err, ch) => {
          if (err) return resolve(`refused: ${err.message}`);
          let got = '';
          ch.on('data', (d: Buffer) => (got += d.toString()));
          ch.on('close', () => resolve(`open: ${got}`));
          ch.end(`GET /api/v1/health HTTP/1.0\r\nhost: x\r\n\r\n`);
        });
      });
      // Another host on its network, the engine host's bridge, the internet, another workspace's name.
      for (const host of ['172.17.0.1', '10.96.0.1', 'example.com', 'other-workspace', 'w--admin.localhost']) {
        expect(await open(host, 80)).toMatch(/^refused/);
      }
      // The hub listens on this machine's 127.0.0.1:hubPort; the workspace's loopback has nothing there.
      expect(await open('127.0.0.1', hubPort)).not.toMatch(/ok/);
      // Its own name is its own address (where its web app listens).
      expect(await open('w', 8888)).toMatch(/^open: HTTP\/1\.[01] 404/);
    } finally {
      c.end();
    }
  }, 120_000);

  it('stays up while clients drop requests, upgrades, port streams, tunnels and forwards at random points', async () => {
    const watch = watchProcess();
    const own = new URL(addressOf(hub.web, 'admin', 'w'));
    const host = own.host;
    const raw = (text: string, afterMs: number) => new Promise<void>((resolve) => {
      const s = net.connect(hubPort, '127.0.0.1', () => {
        s.write(text);
        setTimeout(() => { s.destroy(); resolve(); }, afterMs);
      });
      s.on('error', () => resolve());
      s.on('data', () => undefined);
    });
    const auth = `authorization: Bearer ${token}\r\n`;
    const get = `GET /user/admin/w/ HTTP/1.1\r\nhost: ${host}\r\n${auth}\r\n`;
    const wsUp = (p: string, h: string) => `GET ${p} HTTP/1.1\r\nhost: ${h}\r\n${auth}connection: Upgrade\r\nupgrade: websocket\r\nsec-websocket-version: 13\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;
    const tunnel = await startForward({ dialer: ownerDialer(hub), ref, local: 0, remote: LO_PORT, backoffMs: [] });
    const c = await sshClient();
    try {
      const rounds = [];
      for (let i = 0; i < 40; i++) {
        rounds.push(
          raw(get, randomMs(60)),
          raw(get.slice(0, randomMs(get.length)), randomMs(20)),
          raw(wsUp('/user/admin/w/', host), randomMs(60)),
          raw(wsUp(`/api/v1/workspaces/admin/w/ports/${LO_PORT}/stream`, `127.0.0.1:${hubPort}`), randomMs(60)),
          raw(`GET / HTTP/1.1\r\nhost: x\r\n\r\n`, randomMs(40)).then(() => undefined),
          new Promise<void>((resolve) => {
            const s = net.connect(tunnel.address.port, '127.0.0.1', () => { s.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n'); setTimeout(() => { s.destroy(); resolve(); }, randomMs(60)); });
            s.on('error', () => resolve());
          }),
          new Promise<void>((resolve) => {
            c.forwardOut('127.0.0.1', 0, 'localhost', LO_PORT, (err, ch) => {
              if (err) return resolve();
              ch.on('error', () => undefined);
              ch.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n');
              setTimeout(() => { ch.destroy(); resolve(); }, randomMs(60));
            });
          }),
        );
        if (i % 8 === 7) await Promise.all(rounds.splice(0));
      }
      await Promise.all(rounds);
      await sleep(1000);
    } finally {
      c.end();
      await tunnel.close();
      watch.stop();
    }
    expect(watch.seen).toEqual([]);
    expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);
    const page = await wsFetch(addressOf(hub.web, 'admin', 'w'), { headers: { authorization: `Bearer ${token}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('hubdeck busybox workspace');
  }, 300_000);
});

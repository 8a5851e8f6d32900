/**
 * Everything above the engine, once per engine: the same hub, REST authorization, proxy, exec,
 * SSH gateway (stock OpenSSH), port forward, quota, expiry and removal scenarios on Docker, a real
 * single-node Swarm and a real Kubernetes 1.20 cluster — one parameterized suite, not three copies.
 * One workspace per engine (the busybox test image) is reused across the scenarios.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshGateway } from '../../../main/access/ssh-gateway';
import { startForward } from '../../../main/access/port-forward';
import { ownerDialer } from '../../../main/client/port-dialer';
import { createEngine } from '../../../main/engine/create-engine';
import type { WorkspaceEngine } from '../../../main/engine/engine';
import { Hub } from '../../../main/hub/hub';
import { createHubServer, type HubServer } from '../../../main/server/hub-server';
import { api } from '../../support/api-hub';
import { addressOf, wsFetch } from '../../support/workspace-fetch';
import { sweep, testOrigin } from '../../support/docker-fixture';
import { createTestNamespace, deleteTestNamespace, requireCluster, TEST_KUBECONFIG } from '../../support/kube-fixture';
import { requireSwarm, sweepSwarm } from '../../support/swarm-fixture';
import { TEST_IMAGES } from '../../support/test-images';

interface EngineCase {
  kind: 'docker' | 'swarm' | 'kubernetes';
  make(origin: string): Promise<{ engine: WorkspaceEngine; cleanup(): Promise<void> }>;
}

const ENGINES: EngineCase[] = [
  { kind: 'docker', make: async (origin) => ({ engine: await createEngine({ kind: 'docker', origin }), cleanup: () => sweep(origin) }) },
  {
    kind: 'swarm',
    make: async (origin) => {
      await requireSwarm();
      return { engine: await createEngine({ kind: 'swarm', origin }), cleanup: () => sweepSwarm(origin) };
    },
  },
  {
    kind: 'kubernetes',
    make: async (origin) => {
      const kc = await requireCluster();
      const namespace = await createTestNamespace(kc, 'matrix');
      const engine = await createEngine({ kind: 'kubernetes', origin, kubeconfig: TEST_KUBECONFIG, namespace, volumeSize: '64Mi', startTimeoutMs: 120_000 });
      return { engine, cleanup: () => deleteTestNamespace(kc, namespace) };
    },
  },
];

function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 120_000 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 255) : 0, stdout, stderr }));
  });
}

describe.each(ENGINES)('the hub on $kind', ({ kind, make }) => {
  const origin = testOrigin(`mx${kind[0]}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `hubdeck-matrix-${kind}-`));
  let hub: Hub;
  let server: HubServer;
  let url = '';
  let cleanup: () => Promise<void> = async () => undefined;
  let engine: WorkspaceEngine;
  const tok: Record<string, string> = {};

  beforeAll(async () => {
    ({ engine, cleanup } = await make(origin));
    const opened = await Hub.open({ engine, dataDir, adminName: 'admin' });
    hub = opened.hub;
    tok.admin = opened.adminToken!.token;
    server = createHubServer({ hub });
    url = `http://127.0.0.1:${(await server.listen('127.0.0.1', 0)).port}`;
    expect((await api(url, 'POST', '/images', tok.admin, { name: 'web', ref: TEST_IMAGES.busybox })).status).toBe(201);
    for (const u of ['alice', 'bob']) {
      expect((await api(url, 'POST', '/users', tok.admin, { name: u, selfService: true, quota: { maxWorkspaces: 1 } })).status).toBe(201);
      tok[u] = ((await api(url, 'POST', `/users/${u}/tokens`, tok.admin, {})).body as { token: string }).token;
    }
    const created = await api(url, 'POST', '/workspaces?wait=1&timeout=180', tok.alice!, { user: 'alice', name: 'w', image: 'web', cpus: '0.5', memory: '128m', days: 3 });
    expect(created.status, created.text).toBe(201);
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    await hub?.close();
    await cleanup();
    await engine?.close();
  }, 240_000);

  it('creates with limits and days to live, and shows them to the owner only', async () => {
    const w = (await api(url, 'GET', '/workspaces/alice/w', tok.alice!)).body as { state: string; spec: { cpus: number; memory: number }; expiresAt: string };
    expect(w.state).toBe('running');
    expect(w.spec).toMatchObject({ cpus: 0.5, memory: 128 * 1024 ** 2 });
    expect(Date.parse(w.expiresAt) - Date.now()).toBeGreaterThan(2.9 * 86_400_000);
    expect((await api(url, 'GET', '/workspaces?user=alice', tok.alice!)).body).toEqual([expect.objectContaining({ name: 'w' })]);
    expect((await api(url, 'GET', '/workspaces/alice/w', tok.bob!)).status).toBe(403);
    expect((await api(url, 'POST', '/workspaces/alice/w/stop', tok.bob!)).status).toBe(403);
    const over = await api(url, 'POST', '/workspaces', tok.alice!, { user: 'alice', name: 'w2', image: 'web' });
    expect(over.status).toBe(403);
    expect(over.text).toMatch(/quota/);
  });

  it('runs commands in it, proxies its web app to its owner and refuses others', async () => {
    const s = await hub.access.exec({ user: 'alice', admin: false }, { user: 'alice', name: 'w' }, { cmd: ['sh', '-c', 'echo $((6*7)); mkdir -p /www/user/alice/w && cp /www/index.html /www/user/alice/w/'] });
    let out = '';
    s.stdout.on('data', (d: Buffer) => (out += d.toString()));
    expect(await s.exitCode()).toBe(0);
    expect(out.trim()).toBe('42');
    const page = await wsFetch(addressOf(hub.web, 'alice', 'w'), { headers: { authorization: `Bearer ${tok.alice!}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('hubdeck busybox workspace');
    expect((await wsFetch(addressOf(hub.web, 'alice', 'w'), { headers: { authorization: `Bearer ${tok.bob!}` } })).status).toBe(403);
    expect((await wsFetch(addressOf(hub.web, 'alice', 'w'), { headers: { authorization: `Bearer ${tok.admin!}` } })).status).toBe(403);
  });

  it('lets stock ssh in through the gateway, and carries a port forward', async () => {
    const key = path.join(dataDir, 'id');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    expect((await api(url, 'POST', '/users/alice/keys', tok.alice!, { key: fs.readFileSync(`${key}.pub`, 'utf8') })).status).toBe(201);
    const gateway = new SshGateway({ hub, hostKeys: (await hub.hostKey()).keys });
    const { port } = await gateway.listen('127.0.0.1', 0);
    try {
      const r = await run('ssh', ['-F', '/dev/null', '-i', key, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-p', String(port), 'alice.w@127.0.0.1', 'echo $((6*7)); exit 3']);
      expect(r).toMatchObject({ code: 3, stdout: '42\n' });
    } finally {
      await gateway.close();
    }
    const f = await startForward({ dialer: ownerDialer(hub), ref: { user: 'alice', name: 'w' }, local: 0, remote: 8888 });
    try {
      expect(await (await fetch(`http://127.0.0.1:${f.address.port}/`)).text()).toContain('hubdeck busybox workspace');
    } finally {
      await f.close();
    }
  }, 120_000);

  it('extends, stops and starts again, and removes with its data; cleanup finds nothing left', async () => {
    const ext = await api(url, 'POST', '/workspaces/alice/w/extend', tok.alice!, { days: 5 });
    expect(ext.status).toBe(200);
    expect(Date.parse((ext.body as { expiresAt: string }).expiresAt) - Date.now()).toBeGreaterThan(4.9 * 86_400_000);
    expect(((await api(url, 'POST', '/workspaces/alice/w/stop', tok.alice!)).body as { state: string }).state).toBe('stopped');
    const blocked = await wsFetch(addressOf(hub.web, 'alice', 'w'), { headers: { authorization: `Bearer ${tok.alice!}`, accept: 'application/json' } });
    expect(blocked.status).toBe(503);
    expect(((await api(url, 'POST', '/workspaces/alice/w/start', tok.alice!)).body as { state: string }).state).toMatch(/running|starting/);
    expect((await api(url, 'DELETE', '/workspaces/alice/w?deleteData=1', tok.alice!)).status).toBe(204);
    expect((await api(url, 'GET', '/workspaces?user=alice', tok.alice!)).body).toEqual([]);
    // What the last workspace leaves (the user's network on engines that make one) is cleanup's.
    const plan = (await api(url, 'POST', '/cleanup', tok.admin!, { dryRun: true })).body as { items: { reason: string; user: string }[] };
    expect(plan.items.every((i) => i.user === 'alice' && i.reason.startsWith('dangling'))).toBe(true);
    expect((await api(url, 'POST', '/cleanup', tok.admin!, {})).status).toBe(200);
    expect((await api(url, 'POST', '/cleanup', tok.admin!, { dryRun: true })).body).toMatchObject({ items: [], errors: [] });
  }, 240_000);
});

/**
 * The Swarm engine across real nodes (scripts/start-swarm-nodes.sh): the manager (this engine)
 * and two workers, each a dockerd in its own network namespace — hd-node1 reached over ssh://
 * (and advertising 2 GPUs as generic resources), hd-node2 over tcp:// with mutual TLS. Placement
 * by node label and by image rule, exec/logs/stats/connect through each node's mode, GPUs placed
 * and counted, a stopped workspace starting again on the node with its volume, and a drained or
 * dead node reported with a state and reason while nothing is lost, then recovered.
 * The workers join drained (single-node tests stay on the manager); this file makes them active.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkspaceRequest, type WorkspaceRequest } from '../../../../main/core/workspace-spec';
import type { Workspace, WorkspaceRef } from '../../../../main/engine/engine';
import { SwarmEngine } from '../../../../main/engine/swarm/swarm-engine';
import { httpProbe } from '../../../../main/engine/wait-ready';
import { Hub } from '../../../../main/hub/hub';
import { createHubServer, type HubServer } from '../../../../main/server/hub-server';
import { api } from '../../../support/api-hub';
import { docker, sweep, testOrigin } from '../../../support/docker-fixture';
import { refusal } from '../../../support/engine-contract';
import { requireSwarm, sweepSwarm } from '../../../support/swarm-fixture';
import { TEST_IMAGES } from '../../../support/test-images';
import { addressOf, wsFetch } from '../../../support/workspace-fetch';

const NODES = '/var/lib/hubdeck-nodes';
const SCRIPT = path.resolve(__dirname, '../../../../scripts/start-swarm-nodes.sh');
const workers = { 'hd-node1': new Docker({ socketPath: '/run/hubdeck-nodes/node1.sock' }), 'hd-node2': new Docker({ socketPath: '/run/hubdeck-nodes/node2.sock' }) };
const origin = testOrigin('swn');
const zone = `hubdeck-test-zone-${randomBytes(3).toString('hex')}`;
const nodeScript = (...args: string[]) => execFileSync('bash', [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });

const engine = new SwarmEngine({
  origin,
  nodeHosts: ['hd-node1=ssh://root@10.214.0.2', 'hd-node2=tcp://10.214.0.3:2376'],
  ssh: { keyPath: `${NODES}/ssh/id_ed25519`, knownHostsFiles: [`${NODES}/ssh/known_hosts`] },
  env: { DOCKER_CERT_PATH: `${NODES}/tls`, DOCKER_TLS_VERIFY: '1' },
  // Every image of this file goes to the ssh node unless its spec asks for a zone label.
  placement: { imageConstraints: [`${TEST_IMAGES.busybox}=node.role==worker`] },
});
const spec = (r: Partial<WorkspaceRequest> & { name: string; user: string }) => parseWorkspaceRequest({ image: TEST_IMAGES.busybox, ...r }, { now: new Date() });

async function setNode(hostname: string, change: { labels?: Record<string, string | null>; availability?: 'active' | 'drain' }): Promise<void> {
  const node = docker.getNode(hostname);
  const n = (await node.inspect()) as { Version: { Index: number }; Spec: { Labels?: Record<string, string>; Availability: string } };
  const labels = { ...n.Spec.Labels };
  for (const [k, v] of Object.entries(change.labels ?? {})) if (v === null) delete labels[k]; else labels[k] = v;
  await node.update({ version: n.Version.Index, ...n.Spec, Labels: labels, Availability: change.availability ?? n.Spec.Availability } as never);
}

async function until<T>(what: string, f: () => Promise<T | null | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs / 1000} s${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The workspace once the engine reports `state` for it. */
function untilState(ref: WorkspaceRef, state: Workspace['state'], what: string, timeoutMs?: number): Promise<Workspace> {
  return until(what, async () => {
    const x = await engine.get(ref);
    return x?.state === state ? x : null;
  }, timeoutMs);
}

async function execOut(ref: WorkspaceRef, cmd: string): Promise<string> {
  const s = await engine.exec(ref, { cmd: ['sh', '-c', cmd] });
  let out = '';
  s.stdout.on('data', (d: Buffer) => (out += d.toString()));
  expect(await s.exitCode()).toBe(0);
  return out.trim();
}

async function logText(ref: WorkspaceRef): Promise<string> {
  let text = '';
  for await (const chunk of engine.logs(ref, { tail: 50 })) text += chunk;
  return text;
}

/** What only the workspace's own node can do, through that node's engine: exec, logs, stats, connect. */
async function provesNodeAccess(w: Workspace): Promise<void> {
  const marker = `log-${randomBytes(3).toString('hex')}`;
  expect(await execOut(w, `echo ${marker} > /proc/1/fd/1; echo ok`)).toBe('ok');
  await until('the line in its logs', async () => (await logText(w)).includes(marker), 20_000);
  expect((await engine.stats(w)).memoryUsed).toBeGreaterThan(0);
  expect(await httpProbe(await engine.connect(w, 8888), '/', 10_000)).toBe(200);
}

beforeAll(async () => {
  await requireSwarm();
  // Starts a worker left stopped by an earlier run; joined ones are only checked.
  nodeScript();
  for (const n of Object.keys(workers)) await setNode(n, { availability: 'active' });
  await setNode('hd-node2', { labels: { [zone]: 'blue' } });
}, 240_000);

afterAll(async () => {
  await sweepSwarm(origin);
  for (const w of Object.values(workers)) await sweep(origin, w).catch(() => undefined);
  for (const n of Object.keys(workers)) await setNode(n, { labels: { [zone]: null }, availability: 'drain' }).catch(() => undefined);
  await engine.close();
}, 120_000);

describe('Swarm across nodes', () => {
  it('reports every ready node with its GPUs', async () => {
    const cap = await engine.capacity();
    const byName = Object.fromEntries(cap.nodes.map((n) => [n.name, n]));
    expect(Object.keys(byName).sort()).toEqual(['hd-node1', 'hd-node2', os.hostname()].sort());
    expect(byName['hd-node1']).toMatchObject({ gpus: 2 });
    expect(byName['hd-node2']).toMatchObject({ gpus: 0 });
    expect(cap.description).toMatch(/3 of 3 nodes ready/);
  });

  it('places by an image rule on the ssh node, and reaches the workspace through that node', async () => {
    const w = await engine.create(spec({ user: 'ann', name: 'on-ssh', volume: false }));
    expect(w.node).toMatch(/^hd-node[12]$/);
    await provesNodeAccess(w);
    await engine.remove(w, { deleteData: true });
  }, 120_000);

  it('places by node label on the TLS node, and reaches the workspace through that node', async () => {
    const w = await engine.create(spec({ user: 'ann', name: 'on-tls', placement: { [zone]: 'blue' }, volume: false }));
    expect(w.node).toBe('hd-node2');
    await provesNodeAccess(w);
    // The container is on that node's engine, not the manager's.
    expect((await workers['hd-node2'].listContainers({ filters: { label: [`hubdeck.io/origin=${origin}`] } })).length).toBe(1);
    expect((await docker.listContainers({ filters: { label: [`hubdeck.io/origin=${origin}`] } })).length).toBe(0);
    await engine.remove(w, { deleteData: true });
  }, 120_000);

  it('places a GPU workspace on the node that advertises GPUs, with the reservation in its service', async () => {
    const w = await engine.create(spec({ user: 'gia', name: 'gpu', gpus: 1, volume: false }));
    expect(w.node).toBe('hd-node1');
    expect(w.limits?.gpus).toEqual({ kind: 'count', count: 1 });
    await provesNodeAccess(w);
    const s = (await docker.getService(w.id).inspect()) as Docker.Service;
    expect((s.Spec!.TaskTemplate as Docker.ContainerTaskSpec).Resources?.Reservations?.GenericResources).toEqual([{ DiscreteResourceSpec: { Kind: 'NVIDIA-GPU', Value: 1 } }]);
    // Two more than the one left: Swarm cannot place it, and says so as a capacity refusal.
    const e = await refusal(engine.create(spec({ user: 'gia', name: 'gpu2', gpus: 2, volume: false })));
    expect(e).toMatchObject({ code: 'quota', message: expect.stringMatching(/insufficient resources/) });
    await engine.remove(w, { deleteData: true });
  }, 120_000);

  it('keeps a workspace with data on its node: pinned once running, there again after a stop', async () => {
    const ref = { user: 'pia', name: 'data' };
    const w = await engine.create(spec({ ...ref, placement: { [zone]: 'blue' } }));
    expect(w.node).toBe('hd-node2');
    const nodeId = ((await docker.getNode('hd-node2').inspect()) as { ID: string }).ID;
    const s = (await docker.getService(w.id).inspect()) as Docker.Service;
    expect((s.Spec!.TaskTemplate as Docker.ContainerTaskSpec).Placement?.Constraints).toContain(`node.id==${nodeId}`);
    await execOut(ref, `echo kept > ${w.spec!.volumePath}/proof`);
    await engine.stop(ref);
    expect((await engine.get(ref))?.state).toBe('stopped');
    const running = await engine.start(ref);
    expect(running.node).toBe('hd-node2');
    expect(await execOut(ref, `cat ${w.spec!.volumePath}/proof`)).toBe('kept');
    await engine.remove(ref, { deleteData: true });
  }, 180_000);

  it('says when a workspace\'s node is drained, and starts it there again once it is active', async () => {
    const ref = { user: 'dan', name: 'drained' };
    const w = await engine.create(spec({ ...ref, placement: { [zone]: 'blue' } }));
    expect(w.node).toBe('hd-node2');
    await setNode('hd-node2', { availability: 'drain' });
    try {
      const seen = await untilState(ref, 'unknown', 'the drained state');
      expect(seen.status).toMatch(/^node hd-node2 is drained .*: it holds this workspace's data, so the workspace waits for it$/);
      expect(seen.node).toBe('hd-node2');
      expect((await engine.capacity()).nodes.map((n) => n.name)).not.toContain('hd-node2');
    } finally {
      await setNode('hd-node2', { availability: 'active' });
    }
    // Swarm does not restart a workspace it stopped (its restart policy is none, as a container's):
    // it says so, and a start brings it back on its node.
    const stopped = await untilState(ref, 'stopped', 'stopped by Swarm');
    expect(stopped.status).toBe('stopped by Swarm: its node was drained or lost; start it again');
    expect((await engine.start(ref)).node).toBe('hd-node2');
    await engine.remove(ref, { deleteData: true });
  }, 180_000);

  it('reports a dead node\'s workspace with a state and reason, refuses to start it elsewhere, and starts it there again, data intact, when the node returns', async () => {
    const ref = { user: 'dee', name: 'dead' };
    const w = await engine.create(spec({ ...ref, placement: { [zone]: 'blue' } }));
    expect(w.node).toBe('hd-node2');
    await execOut(ref, `echo survived > ${w.spec!.volumePath}/proof`);
    nodeScript('stop', '2');
    try {
      const seen = await untilState(ref, 'unknown', 'the down state');
      expect(seen.status).toMatch(/^node hd-node2 is down \(heartbeat failure\)/);
      // Listed still, with its spec: nothing is lost.
      expect((await engine.list({ user: 'dee' })).map((x) => [x.name, x.state, x.spec?.image])).toEqual([['dead', 'unknown', TEST_IMAGES.busybox]]);
      const cap = await engine.capacity();
      expect(cap.nodes.map((n) => n.name)).not.toContain('hd-node2');
      expect(cap.description).toMatch(/2 of 3 nodes ready/);
      const e = await refusal(engine.start(ref));
      expect(e).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/node hd-node2 is down .* and its data is there/) });
    } finally {
      nodeScript();
    }
    const stopped = await untilState(ref, 'stopped', 'its node back', 120_000);
    expect(stopped.status).toBe('stopped by Swarm: its node was drained or lost; start it again');
    expect((await engine.start(ref)).node).toBe('hd-node2');
    expect(await execOut(ref, `cat ${w.spec!.volumePath}/proof`)).toBe('survived');
    await engine.remove(ref, { deleteData: true });
  }, 300_000);
});

describe('a hub on a swarm of several nodes', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-swarm-nodes-'));
  let hub: Hub;
  let server: HubServer;
  let url = '';
  const tok: Record<string, string> = {};

  beforeAll(async () => {
    const opened = await Hub.open({ engine, dataDir, adminName: 'admin' });
    hub = opened.hub;
    tok.admin = opened.adminToken!.token;
    server = createHubServer({ hub });
    url = `http://127.0.0.1:${(await server.listen('127.0.0.1', 0)).port}`;
    expect((await api(url, 'POST', '/images', tok.admin, { name: 'web', ref: TEST_IMAGES.busybox })).status).toBe(201);
    expect((await api(url, 'POST', '/users', tok.admin, { name: 'gus', selfService: true, quota: { gpus: 1 } })).status).toBe(201);
    tok.gus = ((await api(url, 'POST', '/users/gus/tokens', tok.admin, {})).body as { token: string }).token;
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await hub?.close();
  });

  it('shows GPUs per node to people (hub info, capacity) and refuses what no node has with the node-capacity message', async () => {
    const info = (await api(url, 'GET', '/info', tok.gus!)).body as { engine: { nodes: { name: string; gpus: number }[] } };
    expect(info.engine.nodes).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'hd-node1', gpus: 2 }), expect.objectContaining({ name: 'hd-node2', gpus: 0 })]));
    const cap = (await api(url, 'GET', '/capacity', tok.gus!)).body as { nodes: { name: string; gpus: number }[] };
    expect(cap.nodes.find((n) => n.name === 'hd-node1')?.gpus).toBe(2);
    const tooMany = await api(url, 'POST', '/workspaces', tok.admin!, { user: 'admin', name: 'big', image: 'web', gpus: 3 });
    expect(tooMany.status).toBe(403);
    expect(tooMany.text).toContain('gpus: 3 requested but the largest matching node has 2; ask for 2 or fewer');
  });

  it('counts GPUs against a quota, and opens a workspace on a worker through the proxy', async () => {
    const created = await api(url, 'POST', '/workspaces?wait=1&timeout=120', tok.gus!, { user: 'gus', name: 'g1', image: 'web', gpus: 1, volume: false });
    expect(created.status, created.text).toBe(201);
    expect((created.body as { node: string }).node).toBe('hd-node1');
    const over = await api(url, 'POST', '/workspaces', tok.gus!, { user: 'gus', name: 'g2', image: 'web', gpus: 1, volume: false });
    expect(over.status).toBe(403);
    expect(over.text).toMatch(/quota.*gpus/i);
    await hub.access.exec({ user: 'gus', admin: false }, { user: 'gus', name: 'g1' }, { cmd: ['sh', '-c', 'mkdir -p /www/user/gus/g1 && cp /www/index.html /www/user/gus/g1/'] }).then((s) => s.exitCode());
    const page = await wsFetch(addressOf(hub.web, 'gus', 'g1'), { headers: { authorization: `Bearer ${tok.gus!}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('hubdeck busybox workspace');
    expect((await api(url, 'DELETE', '/workspaces/gus/g1?deleteData=1', tok.gus!)).status).toBeLessThan(300);
  }, 180_000);
});

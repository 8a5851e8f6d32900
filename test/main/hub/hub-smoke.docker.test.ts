/**
 * The hub and its REST API on the real Docker engine: a small smoke set over what the fake engine
 * cannot prove — real readiness, real limits, expiry kept on the container across hubs rebuilt
 * from scratch, cleanup of real objects, logs and stats through every layer.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteHubClient } from '../../../main/client/remote-hub-client';
import type { HubClient } from '../../../main/client/hub-client';
import { Hub } from '../../../main/hub/hub';
import { api, startApiHub, type ApiHub } from '../../support/api-hub';
import { countObjects, docker } from '../../support/docker-fixture';
import { TEST_IMAGES } from '../../support/test-images';

let h: ApiHub;
let alice: HubClient;

beforeAll(async () => {
  h = await startApiHub('smoke', { engine: 'docker' });
  await api(h.url, 'POST', '/images', h.adminToken, { name: 'busybox', ref: TEST_IMAGES.busybox });
  await api(h.url, 'POST', '/users', h.adminToken, { name: 'alice', selfService: true, quota: { cpus: 2 } });
  const token = ((await api(h.url, 'POST', '/users/alice/tokens', h.adminToken, {})).body as { token: string }).token;
  alice = remoteHubClient({ url: h.url, token });
});
afterAll(async () => {
  await alice.close();
  await h.stop();
});

describe('hub on Docker', () => {
  it('creates a workspace that really answers, with real limits, progress and logs', async () => {
    const phases = new Set<string>();
    const w = await alice.createWorkspace({ body: { name: 'web', image: TEST_IMAGES.busybox, cpus: 0.5, memory: '64m', days: 3 }, wait: true }, { onProgress: (p) => phases.add(p.phase) });
    expect(w).toMatchObject({ name: 'web', user: 'alice', state: 'running', node: expect.any(String) });
    expect([...phases]).toEqual(expect.arrayContaining(['create', 'start']));
    const c = await docker.getContainer(w.id).inspect();
    expect([c.HostConfig.NanoCpus, c.HostConfig.Memory]).toEqual([500_000_000, 64 * 1024 ** 2]);
    let logs = '';
    for await (const chunk of alice.workspaceLogs({ user: 'alice', name: 'web', tail: 20 })) logs += chunk;
    expect(logs.length).toBeGreaterThan(0);
    const ac = new AbortController();
    for await (const s of alice.watchStats({ user: 'alice', name: 'web', intervalMs: 250 }, { signal: ac.signal })) {
      expect(s.memoryLimit).toBe(64 * 1024 ** 2);
      ac.abort();
    }
  });

  it('keeps an extension on the container: a hub rebuilt from scratch sees it, and the id stays', async () => {
    const before = await alice.getWorkspace({ user: 'alice', name: 'web' });
    const extended = await alice.extendWorkspace({ user: 'alice', name: 'web', body: { days: 2 } });
    expect(Date.parse(extended.expiresAt!) - Date.parse(before.expiresAt!)).toBe(2 * 86_400_000);
    const stopped = await alice.stopWorkspace({ user: 'alice', name: 'web' });
    const started = await alice.startWorkspace({ user: 'alice', name: 'web' });
    expect([stopped.id, started.id]).toEqual([before.id, before.id]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smoke-fresh-'));
    try {
      const { hub } = await Hub.open({ engine: h.engine, dataDir: dir });
      const seen = await hub.workspaces.get({ user: 'admin', admin: true }, { user: 'alice', name: 'web' });
      expect(seen.expiresAt).toBe(extended.expiresAt);
      expect(seen.orphaned).toBe(true); // this hub never knew alice: reported, not adopted
      await hub.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('removes everything of a deleted user on cleanup, leaving nothing of ours behind', async () => {
    expect((await countObjects(h.origin)).containers).toBe(1);
    expect((await api(h.url, 'DELETE', '/users/alice', h.adminToken)).status).toBe(204);
    const r = (await api(h.url, 'POST', '/cleanup', h.adminToken, {})).body as { items: { kind: string }[]; errors: string[] };
    expect(r.errors).toEqual([]);
    expect(r.items.map((i) => i.kind)).toEqual(['workspace', 'volume', 'network']);
    expect(await countObjects(h.origin)).toEqual({ containers: 0, volumes: 0, networks: 0 });
  });
});

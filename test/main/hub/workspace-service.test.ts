import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeEngine } from '../../../main/engine/fake/fake-engine';
import { Hub } from '../../../main/hub/hub';
import type { Actor } from '../../../main/hub/actor';
import { testOrigin } from '../../support/docker-fixture';
import { TEST_IMAGES } from '../../support/test-images';

// WorkspaceService.create parses a request once, then fills in what the request leaves out from the
// image's defaults and the hub's expiry settings: what fills in obeys the same field rules as a
// request, and a field the request names (even as null) is never overridden.
const admin: Actor = { user: 'admin', admin: true };
const now = new Date('2030-06-01T12:00:00Z');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function hubWithImage(defaults: Record<string, unknown>): Promise<Hub> {
  const engine = new FakeEngine({ kind: 'fake', origin: testOrigin('ws'), clock: () => now });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-service-'));
  const { hub } = await Hub.open({ engine, dataDir, now: () => now });
  cleanups.push(async () => { await hub.close(); await engine.close(); fs.rmSync(dataDir, { recursive: true, force: true }); });
  await hub.images.create(admin, { name: 'box', ref: TEST_IMAGES.busybox, displayName: 'Box', defaults });
  await hub.users.create(admin, { name: 'alice', selfService: true });
  return hub;
}

const specOf = async (hub: Hub, body: Record<string, unknown>) =>
  (await hub.workspaces.create(admin, { user: 'alice', image: 'box', ...body }, { wait: false })).spec!;

describe('WorkspaceService.create', () => {
  it('fills what the request leaves out from the image defaults, and keeps what it names', async () => {
    const hub = await hubWithImage({ cpus: 2, memory: '1g', shm: '64m', gpus: '0', days: 3 });
    const filled = await specOf(hub, { name: 'a' });
    expect(filled).toMatchObject({ image: TEST_IMAGES.busybox, cpus: 2, memory: 1024 ** 3, shm: 64 * 1024 ** 2, gpus: null, expiresAt: '2030-06-04T12:00:00.000Z' });
    const own = await specOf(hub, { name: 'b', cpus: '0.5', memory: null, days: 1 });
    expect(own).toMatchObject({ cpus: 0.5, memory: null, shm: 64 * 1024 ** 2, expiresAt: '2030-06-02T12:00:00.000Z' });
  });

  it('refuses a default the request rules refuse, naming the field', async () => {
    const hub = await hubWithImage({ memory: '1m' });
    await expect(specOf(hub, { name: 'a' })).rejects.toMatchObject({ field: 'memory', message: expect.stringMatching(/at least 6m/) });
    // the request's own value wins, so the bad default is not used
    expect((await specOf(hub, { name: 'b', memory: '1g' })).memory).toBe(1024 ** 3);
  });

  it('checks reservations against the limits the defaults set', async () => {
    const hub = await hubWithImage({ cpus: 1 });
    await expect(specOf(hub, { name: 'a', reservations: { cpus: 2 } })).rejects.toMatchObject({ field: 'reservations.cpus' });
  });

  it('gives a request without days the hub maximum, and refuses more', async () => {
    const hub = await hubWithImage({});
    await hub.updateSettings(admin, { maxDays: 10, defaultDays: null });
    expect((await specOf(hub, { name: 'a' })).expiresAt).toBe('2030-06-11T12:00:00.000Z');
    await expect(specOf(hub, { name: 'b', days: 11 })).rejects.toMatchObject({ field: 'days', message: 'days: at most 10 days on this hub (got 11)' });
  });

  it('refuses a bad request before looking anything up', async () => {
    const hub = await hubWithImage({});
    await expect(hub.workspaces.create(admin, { user: 'nobody', name: 'a', cpus: 'lots' }, { wait: false })).rejects.toMatchObject({ field: 'cpus' });
  });
});

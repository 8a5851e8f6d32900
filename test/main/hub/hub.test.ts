import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeEngine } from '../../../main/engine/fake/fake-engine';
import type { WorkspaceEngine } from '../../../main/engine/engine';
import { Hub } from '../../../main/hub/hub';
import type { HubEvent } from '../../../main/hub/hub-events';
import { systemActor, type Actor } from '../../../main/hub/actor';
import type { AppActivity } from '../../../main/hub/app-activity';
import { testOrigin } from '../../support/docker-fixture';
import { TEST_IMAGES } from '../../support/test-images';
import { readStoredState, readStoredStateOrNull, rewriteAsLegacy } from '../../support/stored-state';

// The hub's policies, expiry, culling, cleanup and store, on the in-memory engine; time and app
// activity are injected so expiry and culling are tested without waiting. Every test builds its
// own hub and engine (fixture()), so none depends on what another left behind.
const admin: Actor = { user: 'admin', admin: true };
const alice: Actor = { user: 'alice', admin: false };
const bob: Actor = { user: 'bob', admin: false };
const img = TEST_IMAGES.busybox;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

interface Fixture {
  hub: Hub;
  engine: WorkspaceEngine;
  dataDir: string;
  events: HubEvent[];
  clock: { now: Date };
  activity: { app: AppActivity | null };
  reopen(): Promise<Hub>;
  create(actor: Actor, body: Record<string, unknown>): ReturnType<Hub['workspaces']['create']>;
}

const tempDir = (p: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), p));
  cleanups.push(async () => fs.rmSync(d, { recursive: true, force: true }));
  return d;
};

/** A hub with the busybox image, group "team" (1.5 cpus), alice (self-service, 3 workspaces) and bob. */
async function fixture(): Promise<Fixture> {
  const clock = { now: new Date('2030-06-01T12:00:00Z') };
  // The engine and the hub share one injected clock, as a daemon and a hub share real time.
  const engine = new FakeEngine({ kind: 'fake', origin: testOrigin('hub'), clock: () => clock.now });
  const dataDir = tempDir('hub-data-');
  const activity: { app: AppActivity | null } = { app: null };
  const events: HubEvent[] = [];
  const open = async () => {
    const { hub } = await Hub.open({ engine, dataDir, now: () => clock.now, appActivity: async () => activity.app });
    hub.bus.subscribe((e) => events.push(e));
    return hub;
  };
  const f: Fixture = {
    hub: await open(), engine, dataDir, events, clock, activity,
    reopen: async () => { await f.hub.close(); f.hub = await open(); return f.hub; },
    create: (actor, body) => f.hub.workspaces.create(actor, { image: img, ...body }, { wait: false }),
  };
  cleanups.push(async () => { await f.hub.close(); await engine.close(); });
  await f.hub.images.create(admin, { name: 'busybox', ref: img, displayName: 'Busybox web' });
  await f.hub.users.createGroup(admin, { name: 'team', quota: { cpus: 1.5 } });
  await f.hub.users.create(admin, { name: 'alice', selfService: true, quota: { maxWorkspaces: 3 }, groups: ['team'] });
  await f.hub.users.create(admin, { name: 'bob', selfService: false });
  return f;
}

const refusal = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a refusal'); }, (e: Error & { code?: string; field?: string }) => e);

describe('policies', () => {
  it('enforces group cpu quota on running workspaces, and again on start', async () => {
    const { hub, engine, create } = await fixture();
    await create(alice, { name: 'q1', cpus: 1 });
    const e = await refusal(create(alice, { name: 'q2', cpus: 1 }));
    expect(e.message).toBe('quota: alice may use 1.5 cpus in total, 1 are in use, 1 requested');
    expect(e).toMatchObject({ code: 'quota', field: 'cpus' });
    // stopped workspaces hold no CPUs
    await hub.workspaces.stop(alice, { user: 'alice', name: 'q1' });
    await create(alice, { name: 'q2', cpus: 1 });
    const again = await refusal(hub.workspaces.start(alice, { user: 'alice', name: 'q1' }));
    expect(again.message).toBe('quota: alice may use 1.5 cpus in total, 1 are in use, 1 requested');
    // restart starts a stopped workspace too: same rule
    expect((await refusal(hub.workspaces.restart(alice, { user: 'alice', name: 'q1' }))).message).toBe(again.message);
    expect((await engine.get({ user: 'alice', name: 'q1' }))!.state).toBe('stopped');
    // a quota on cpus needs a cpu limit
    expect((await refusal(create(alice, { name: 'q3' }))).message).toMatch(/needs a cpus limit/);
  });

  it('enforces the workspace count, self-service, image access and node capacity', async () => {
    const { hub, create } = await fixture();
    for (const name of ['q1', 'q2', 'q3']) await create(alice, { name, cpus: 0.25 });
    expect((await refusal(create(alice, { name: 'q4', cpus: 0.1 }))).message).toBe('quota: alice may have 3 workspaces in total, 3 exist, 1 requested');
    expect((await refusal(create(bob, { name: 'b1' }))).message).toBe('self-service: bob may not create workspaces; ask an admin to create one');
    // admins may create for bob; the image default applies
    const b1 = await create(admin, { name: 'b1', user: 'bob' });
    expect(b1.user).toBe('bob');
    await hub.users.update(admin, 'alice', { quota: { maxWorkspaces: 10 } });
    expect((await refusal(create(alice, { name: 'x', image: 'hubdeck-test/jupyter:1', cpus: 0.1 }))).message)
      .toBe('image: "hubdeck-test/jupyter:1" is not an image alice may use on this hub (ask an admin)');
    await hub.images.update(admin, 'busybox', { access: { users: ['carol'] } });
    const restricted = `image: "${img}" is not an image alice may use on this hub (ask an admin)`;
    expect((await refusal(create(alice, { name: 'x', cpus: 0.1 }))).message).toBe(restricted);
    // another spelling of the same image is the same image
    expect((await refusal(create(alice, { name: 'x', cpus: 0.1, image: `docker.io/${img}` }))).message).toBe(restricted.replace(`"${img}"`, `"docker.io/${img}"`));
    expect((await hub.images.list(alice, hub.users.find('alice'))).map((i) => i.name)).not.toContain('busybox');
    await hub.images.update(admin, 'busybox', { access: { users: [], groups: ['team'] } });
    expect((await refusal(create(admin, { name: 'huge', user: 'alice', cpus: 64 }))).message).toMatch(/^quota: alice may use 1.5 cpus/);
    await hub.users.update(admin, 'alice', { groups: [] });
    // the fake engine's one node has 4 cpus and 8 GiB
    expect((await refusal(create(admin, { name: 'huge', user: 'alice', cpus: 64 }))).message).toBe('cpus: 64 requested but the host has 4; ask for 4 or fewer');
    await hub.images.update(admin, 'busybox', { access: { users: [], groups: [] } });
    // "all" GPUs cannot be counted against a GPU quota on an engine that reports none
    await hub.users.update(admin, 'alice', { quota: { gpus: 1 } });
    expect((await refusal(create(alice, { name: 'g', gpus: 'all' }))).message).toMatch(/^quota: alice has a GPU quota and this engine cannot count its GPUs/);
    await hub.users.update(admin, 'alice', { quota: { gpus: null } });
    // users act only on themselves
    expect((await refusal(hub.workspaces.stop(alice, { user: 'bob', name: 'b1' }))).code).toBe('forbidden');
    expect((await refusal(hub.workspaces.list(alice, { all: true }))).code).toBe('forbidden');
    expect((await hub.workspaces.list(alice)).every((w) => w.user === 'alice')).toBe(true);
    // a blocked user can do nothing
    await hub.users.update(admin, 'bob', { blocked: true });
    expect((await refusal(hub.workspaces.start(admin, { user: 'bob', name: 'b1' }))).message).toBe('bob is blocked');
  });

  it('checks a request against the largest node its placement allows, never a sum of nodes', async () => {
    const engine = new FakeEngine({
      kind: 'fake', origin: testOrigin('nodes'),
      nodes: [
        { name: 'cpu-a', cpus: 8, memory: 32 * 1024 ** 3, gpus: 0, labels: { pool: 'cpu' } },
        { name: 'cpu-b', cpus: 8, memory: 32 * 1024 ** 3, gpus: 0, labels: { pool: 'cpu' } },
        { name: 'gpu-a', cpus: 4, memory: 16 * 1024 ** 3, gpus: 2, labels: { pool: 'gpu' } },
      ],
    });
    const { hub } = await Hub.open({ engine, dataDir: tempDir('hub-nodes-') });
    cleanups.push(async () => { await hub.close(); await engine.close(); });
    const make = (body: Record<string, unknown>) => hub.workspaces.create(admin, { image: img, volume: false, ...body }, { wait: false });
    // 12 cpus fit the cluster's sum (20) but no single node
    expect((await refusal(make({ name: 'a', cpus: 12 }))).message).toBe('cpus: 12 requested but the largest matching node has 8; ask for 8 or fewer');
    expect((await refusal(make({ name: 'b', cpus: 6, placement: ['pool=gpu'] }))).message).toBe('cpus: 6 requested but the largest matching node has 4; ask for 4 or fewer');
    expect((await refusal(make({ name: 'c', gpus: 1, placement: { pool: 'cpu' } }))).message).toBe('gpus: 1 requested but the largest matching node has 0; ask for 0 or fewer');
    // memory above the node in sizes people read, with the fix (the tester saw "host has 24683748k")
    expect(await refusal(make({ name: 'm', memory: '64g', placement: ['pool=gpu'] }))).toMatchObject({
      field: 'memory', message: 'memory: 64 GiB requested but the largest matching node has 16 GiB; ask for at most 16g',
    });
    expect((await refusal(make({ name: 'd', placement: ['pool=tpu'] }))).message).toBe('placement: no node of this engine has the labels pool=tpu');
    expect((await make({ name: 'e', cpus: 4, gpus: 2, placement: ['pool=gpu'] })).node).toBe('gpu-a');
    expect(await engine.list()).toHaveLength(1);
  });

  it('refuses what the engine cannot honour, and bind mounts outside the admin allow-list, before creating', async () => {
    const engine = new FakeEngine({
      kind: 'fake', origin: testOrigin('caps'),
      capabilities: { gpuRequests: ['count'], placement: false, reservations: { cpus: false, memory: true }, bindMounts: true },
    });
    const { hub } = await Hub.open({ engine, dataDir: tempDir('hub-caps-') });
    cleanups.push(async () => { await hub.close(); await engine.close(); });
    const make = (body: Record<string, unknown>) => hub.workspaces.create(admin, { image: img, ...body }, { wait: false });
    expect((await refusal(make({ name: 'a', gpus: '0,1' })))).toMatchObject({ code: 'invalid', field: 'gpus', message: 'gpus: this engine cannot honour "0,1" (it takes count)' });
    expect((await refusal(make({ name: 'b', placement: ['zone=x'] })))).toMatchObject({ field: 'placement', message: 'placement: this engine cannot place workspaces on chosen nodes' });
    expect((await refusal(make({ name: 'c', cpus: 2, reservations: { cpus: 1 } })))).toMatchObject({ field: 'reservations.cpus' });
    expect((await refusal(make({ name: 'd', mounts: ['/srv/data:/data:ro'] })))).toMatchObject({ code: 'forbidden', field: 'mounts', message: 'mounts: /srv/data is not a host path workspaces may mount on this hub (ask an admin)' });
    await hub.updateSettings(admin, { bindMountAllowList: ['/srv/'] });
    expect((await refusal(make({ name: 'e', mounts: ['/srvx/data:/data'] })))).toMatchObject({ field: 'mounts' });
    const ok = await make({ name: 'f', memory: '1g', reservations: { memory: '512m' }, mounts: ['/srv/data:/data:ro', 'datasets:/datasets'] });
    expect(ok.spec?.mounts).toEqual([{ type: 'bind', source: '/srv/data', target: '/data', readOnly: true }, { type: 'volume', source: 'datasets', target: '/datasets', readOnly: false }]);
    expect((await engine.resources()).map((r) => r.kind).sort()).toEqual(['network', 'user-volume', 'volume', 'workspace']);
  });

  it('never counts a workspace whose spec it cannot read as zero usage', async () => {
    const f = await fixture();
    const { hub, create } = f;
    await create(alice, { name: 'ok', cpus: 0.5 });
    // The same labels a newer Hubdeck would write: unreadable here, but the engine knows its limits.
    const world = (f.engine as FakeEngine).world;
    world.insertRaw({
      origin: f.engine.origin, user: 'alice', name: 'future', state: 'running',
      labels: { 'hubdeck.io/version': '9', 'hubdeck.io/spec': '{"from":"the future"}' }, limits: { cpus: 1, memory: null, gpus: null },
    });
    const listed = (await hub.workspaces.list(alice)).find((w) => w.name === 'future')!;
    expect(listed.spec).toBeNull();
    expect(listed.specIssue).toMatch(/version 9, which this Hubdeck cannot read/);
    // 0.5 + 1 (read from the engine) = 1.5: the group quota is full
    expect((await refusal(create(alice, { name: 'more', cpus: 0.25 }))).message).toBe('quota: alice may use 1.5 cpus in total, 1.5 are in use, 0.25 requested');
    // without limits from the engine either, the hub refuses rather than guess
    world.insertRaw({ origin: f.engine.origin, user: 'alice', name: 'mystery', state: 'stopped', labels: { 'hubdeck.io/version': '2', 'hubdeck.io/spec': 'not json' }, limits: null });
    const start = await refusal(hub.workspaces.start(alice, { user: 'alice', name: 'mystery' }));
    expect(start.message).toBe('workspace "mystery" of alice cannot be started: its spec label is not valid JSON, and the engine does not report its limits');
  });
});

describe('expiry', () => {
  it('warns before expiry, stops at expiry, and extend moves it (kept on the engine across a hub rebuilt from scratch)', async () => {
    const f = await fixture();
    let { hub } = f;
    await hub.updateSettings(admin, { expiryWarningHours: 24, expiryAction: 'stop' });
    const w = await f.create(alice, { name: 'exp', cpus: 0.1, days: 2 });
    expect(w.expiresAt).toBe('2030-06-03T12:00:00.000Z');
    f.events.length = 0;
    f.clock.now = new Date('2030-06-02T13:00:00Z');
    expect((await hub.maintenance.tick()).warned).toContain('alice/exp');
    expect(f.events).toContainEqual(expect.objectContaining({ type: 'workspace.expiring', user: 'alice', name: 'exp', expiresAt: w.expiresAt }));
    expect((await hub.maintenance.tick()).warned).not.toContain('alice/exp'); // once

    const extended = await hub.workspaces.extend(alice, { user: 'alice', name: 'exp' }, { days: 1 });
    expect(extended.expiresAt).toBe('2030-06-04T12:00:00.000Z');
    expect(extended.id).toBe(w.id);
    expect((await refusal(hub.workspaces.extend(alice, { user: 'alice', name: 'exp' }, { days: 400 }))).message).toMatch(/^days: workspaces may live at most 365 days/);

    // A hub reopened from its data directory keeps the extension; so does one that never saw it.
    hub = await f.reopen();
    expect((await hub.workspaces.get(alice, { user: 'alice', name: 'exp' })).expiresAt).toBe('2030-06-04T12:00:00.000Z');
    const { hub: stranger } = await Hub.open({ engine: f.engine, dataDir: tempDir('hub-stranger-') });
    expect((await stranger.workspaces.get(admin, { user: 'alice', name: 'exp' })).expiresAt).toBe('2030-06-04T12:00:00.000Z');
    await stranger.close();

    f.clock.now = new Date('2030-06-04T12:00:01Z');
    const report = await hub.maintenance.tick();
    expect(report.expired).toContain('alice/exp');
    expect((await f.engine.get({ user: 'alice', name: 'exp' }))!.state).toBe('stopped');
    expect(f.events).toContainEqual(expect.objectContaining({ type: 'workspace.expired', name: 'exp', action: 'stop' }));
    expect((await hub.maintenance.tick()).expired).not.toContain('alice/exp');
  });

  it('removes at expiry when so set, saying whether a data volume was kept (issue 18 item 7)', async () => {
    const f = await fixture();
    await f.hub.updateSettings(admin, { expiryAction: 'remove' });
    await f.create(alice, { name: 'vol', cpus: 0.1, days: 1 });
    await f.create(alice, { name: 'novol', cpus: 0.1, days: 1, volume: false });
    f.clock.now = new Date('2030-06-02T12:00:01Z');
    expect((await f.hub.maintenance.tick()).expired.sort()).toEqual(['alice/novol', 'alice/vol']);
    expect(f.events).toContainEqual(expect.objectContaining({ type: 'workspace.expired', name: 'vol', action: 'remove', volumeKept: true }));
    expect(f.events).toContainEqual(expect.objectContaining({ type: 'workspace.expired', name: 'novol', action: 'remove', volumeKept: false }));
  });

  it('moves extensions that older hubs kept in their store (hub.json) onto the engine', async () => {
    const f = await fixture();
    const w = await f.create(alice, { name: 'old', cpus: 0.1, days: 1 });
    await f.hub.close();
    const file = rewriteAsLegacy(f.dataDir, (s) => { s.expiry = [{ workspaceId: w.id, user: 'alice', name: 'old', expiresAt: '2030-07-01T00:00:00.000Z' }]; });
    const hub = await f.reopen();
    expect((await hub.workspaces.get(admin, { user: 'alice', name: 'old' })).expiresAt).toBe('2030-07-01T00:00:00.000Z');
    expect(readStoredState(f.dataDir).expiry).toEqual([]);
    expect(fs.existsSync(file)).toBe(false); // migrated into hub.db, kept as hub.json.migrated
    expect(fs.existsSync(`${file}.migrated`)).toBe(true);
  });
});

describe('idle culling', () => {
  it('stops a workspace idle past the timeout, unless traffic, a session or a busy kernel says otherwise', async () => {
    const f = await fixture();
    const { hub } = f;
    await hub.updateSettings(admin, { idleCullMinutes: 30 });
    f.clock.now = new Date('2030-06-05T00:00:00Z');
    const ref = { user: 'alice', name: 'idle' };
    await f.create(alice, { name: 'idle', cpus: 0.1 });
    hub.maintenance.recordActivity(ref, f.clock.now);
    f.clock.now = new Date('2030-06-05T00:20:00Z');
    expect((await hub.maintenance.tick()).culled).not.toContain('alice/idle');

    const close = hub.maintenance.sessionOpened(ref);
    f.clock.now = new Date('2030-06-05T01:00:00Z');
    expect((await hub.maintenance.tick()).culled).not.toContain('alice/idle');
    close();
    f.activity.app = { lastActivity: null, busyKernels: 2 };
    f.clock.now = new Date('2030-06-05T02:00:00Z');
    expect((await hub.maintenance.tick()).culled).not.toContain('alice/idle');

    f.activity.app = { lastActivity: '2030-06-05T01:45:00Z', busyKernels: 0 };
    expect((await hub.maintenance.tick()).culled).not.toContain('alice/idle');
    f.activity.app = null;
    expect((await hub.maintenance.tick()).culled).toContain('alice/idle');
    expect((await f.engine.get(ref))!.state).toBe('stopped');
    expect(f.events).toContainEqual(expect.objectContaining({ type: 'workspace.culled', name: 'idle', idleMinutes: 60 }));
  });

  it('does not cull a workspace just started, however old it is (its start time, not its creation, counts)', async () => {
    const f = await fixture();
    const { hub } = f;
    await hub.updateSettings(admin, { idleCullMinutes: 30 });
    const ref = { user: 'admin', name: 'rt' };
    await hub.workspaces.create(admin, { name: 'rt', image: img, volume: false }, { wait: false });
    await hub.workspaces.stop(admin, ref);
    // Created long ago, started now: 20 minutes later it is not idle for 30.
    f.clock.now = new Date('2030-06-09T00:00:00Z');
    await hub.workspaces.start(admin, ref);
    f.clock.now = new Date('2030-06-09T00:20:00Z');
    expect((await hub.maintenance.tick()).culled).toEqual([]);
    f.clock.now = new Date('2030-06-09T00:31:00Z');
    expect((await hub.maintenance.tick()).culled).toEqual(['admin/rt']);
  });
});

describe('cleanup and reconciliation', () => {
  it('lists (dry-run) then removes the workspaces, volumes and networks of a deleted user, in the engine\'s order', async () => {
    const f = await fixture();
    const { hub, engine, create } = f;
    await create(admin, { name: 'b1', user: 'bob' });
    await create(alice, { name: 'a1', cpus: 0.1 });
    await create(alice, { name: 'exp', cpus: 0.1, days: 1 });
    await hub.users.delete(admin, 'bob');
    f.clock.now = new Date('2030-06-03T00:00:00Z');
    const dry = await hub.maintenance.cleanup(admin, { dryRun: true });
    const bobs = dry.items.filter((i) => i.user === 'bob');
    expect(bobs.map((i) => [i.kind, i.reason])).toEqual([['workspace', 'user-deleted'], ['volume', 'user-deleted'], ['network', 'user-deleted']]);
    expect(await engine.list({ user: 'bob' })).toHaveLength(1); // nothing removed yet
    // the expired workspace of alice is listed too
    expect(dry.items).toContainEqual(expect.objectContaining({ user: 'alice', workspace: 'exp', reason: 'expired' }));

    // the name cannot be given to someone new while bob's data is still there
    expect((await refusal(hub.users.create(admin, { name: 'bob' }))).message).toBe('name: bob was deleted and 3 of their resources are still on the engine; run cleanup first');
    const run = await hub.maintenance.cleanup(admin);
    expect(run.errors).toEqual([]);
    expect(await engine.list({ user: 'bob' })).toEqual([]);
    expect((await engine.resources()).filter((r) => r.user === 'bob')).toEqual([]);
    expect(await engine.get({ user: 'alice', name: 'exp' })).toBeNull();
    // alice's live workspace and kept data are untouched
    expect((await engine.list({ user: 'alice' })).map((w) => w.name)).toEqual(['a1']);
    expect((await refusal(hub.maintenance.cleanup(alice))).code).toBe('forbidden');
    await hub.users.create(admin, { name: 'bob' }); // free again
  });

  it('another process sharing the data directory never loses users, and cleanup never purges mere strangers', async () => {
    const f = await fixture();
    const { hub, engine } = f;
    // Two hubs on one data directory, as the desktop app and the CLI are.
    const { hub: other } = await Hub.open({ engine, dataDir: f.dataDir, now: () => f.clock.now });
    await other.users.create(admin, { name: 'dora', selfService: true });
    await hub.updateSettings(admin, { expiryWarningHours: 12 }); // a write by the first hub
    expect(hub.users.find('dora')).toBeDefined();
    expect(readStoredState(f.dataDir).users.map((u) => u.name)).toContain('dora');
    await other.workspaces.create(admin, { name: 'd1', user: 'dora', image: img }, { wait: false });
    expect((await hub.maintenance.cleanup(admin, { dryRun: true })).items.filter((i) => i.user === 'dora')).toEqual([]);
    // A fresh hub on the same engine objects that never knew dora reports her workspace and leaves it alone.
    const { hub: stranger, reconcile } = await Hub.open({ engine, dataDir: tempDir('hub-stranger-') });
    expect(reconcile.orphaned.map((o) => `${o.user}/${o.name}`)).toContain('dora/d1');
    expect((await stranger.maintenance.cleanup(systemActor('cleanup'))).items.filter((i) => i.user === 'dora')).toEqual([]);
    expect(await engine.get({ user: 'dora', name: 'd1' })).not.toBeNull();
    await stranger.close();
    await other.close();
  });

  it('a hub started from scratch reports existing workspaces of unknown users as orphaned, neither adopting nor deleting them', async () => {
    const f = await fixture();
    for (const name of ['a', 'b']) await f.create(alice, { name, cpus: 0.1 });
    const { reconcile, hub: other, adminToken } = await Hub.open({ engine: f.engine, dataDir: tempDir('hub-fresh-') });
    expect(adminToken?.token).toMatch(/^hdk_/);
    expect(reconcile.workspaces).toBe(2);
    expect(reconcile.orphaned.map((o) => `${o.user}/${o.name}`)).toEqual(['alice/a', 'alice/b']);
    expect(await f.engine.list({ user: 'alice' })).toHaveLength(2);
    await other.close();
  });
});

describe('origin', () => {
  it('gives every new hub its own origin, kept in its data dir, so two hubs on one engine never see each other', async () => {
    const dirA = tempDir('hub-oa-');
    const dirB = tempDir('hub-ob-');
    const made: string[] = [];
    const factory = async (origin: string) => { made.push(origin); return new FakeEngine({ kind: 'fake', origin }); };
    const a = (await Hub.open({ engine: factory, dataDir: dirA })).hub;
    const b = (await Hub.open({ engine: factory, dataDir: dirB })).hub;
    expect(a.origin).not.toBe(b.origin);
    expect(a.origin).toMatch(/^hub-[0-9a-f]{8}$/);
    await a.close();
    const again = (await Hub.open({ engine: factory, dataDir: dirA })).hub;
    expect(again.origin).toBe(made[0]);
    await again.close();
    await b.close();
  });

  it('keeps the origin an older hub stamped on its workspaces', async () => {
    const dir = tempDir('hub-legacy-');
    await (await Hub.open({ engine: new FakeEngine({ kind: 'fake', origin: 'x' }), dataDir: dir })).hub.close();
    rewriteAsLegacy(dir, (s) => { delete s.origin; }); // as files from before stored origins
    const hub = (await Hub.open({ engine: async (origin) => new FakeEngine({ kind: 'fake', origin }), legacyOrigin: 'local', dataDir: dir })).hub;
    expect(hub.origin).toBe('local');
    expect(readStoredState(dir).origin).toBe('local');
    await hub.close();
  });
});

describe('store', () => {
  it('refuses a corrupt data file with a clear message and keeps a copy; never resets it', async () => {
    const engine = new FakeEngine({ kind: 'fake', origin: testOrigin('st') });
    const dir = tempDir('hub-corrupt-');
    await (await Hub.open({ engine, dataDir: dir })).hub.close();
    rewriteAsLegacy(dir); // an older hub's hub.json, damaged: the migration must not start
    const file = path.join(dir, 'hub.json');
    fs.writeFileSync(`${file}.bak`, '{}', { mode: 0o600 });
    fs.writeFileSync(file, '{"version": 1, "users": [');
    const err = await Hub.open({ engine, dataDir: dir }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/hub\.json is not valid JSON .* A copy was saved as .*hub\.json\.corrupt-.*the previous version is .*hub\.json\.bak/s);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"version": 1, "users": [');
    expect(fs.readdirSync(dir).some((f) => f.startsWith('hub.json.corrupt-'))).toBe(true);
    fs.writeFileSync(file, JSON.stringify({ version: 99 }));
    expect(((await Hub.open({ engine, dataDir: dir }).catch((e: Error) => e)) as Error).message).toMatch(/schema version 99/);
    expect(readStoredStateOrNull(dir)).toBeNull(); // nothing migrated from a file that did not parse
  });

  it('refuses a hub.db that is not a database, keeps it as it is and saves one copy', async () => {
    const engine = new FakeEngine({ kind: 'fake', origin: testOrigin('st') });
    const dir = tempDir('hub-notadb-');
    await (await Hub.open({ engine, dataDir: dir })).hub.close();
    const file = path.join(dir, 'hub.db');
    const junk = Buffer.alloc(8192, 'not sqlite ');
    fs.writeFileSync(file, junk);
    for (let i = 0; i < 3; i++) {
      const err = await Hub.open({ engine, dataDir: dir }).catch((e: Error) => e);
      expect((err as Error).message).toMatch(/hub\.db is damaged \(.*\)\. A copy was saved as .*hub\.db\.corrupt-[0-9a-f]{12}\. Fix or restore it/);
    }
    expect(fs.readFileSync(file).equals(junk)).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('hub.db.corrupt-'))).toHaveLength(1);
  });

  it('keeps its file 0600 and migrates an older hub.json exactly once', async () => {
    const engine = new FakeEngine({ kind: 'fake', origin: testOrigin('st') });
    const dir = tempDir('hub-migrate-');
    const { hub } = await Hub.open({ engine, dataDir: dir });
    await hub.users.create(admin, { name: 'erin', selfService: true, groups: [] });
    await hub.close();
    rewriteAsLegacy(dir);
    const again = (await Hub.open({ engine, dataDir: dir })).hub;
    expect(again.users.find('erin')).toBeDefined();
    await again.close();
    expect((fs.statSync(path.join(dir, 'hub.db')).mode & 0o777).toString(8)).toBe('600');
    // A later hub.json (say, restored by hand) is not merged over the database.
    fs.renameSync(path.join(dir, 'hub.json.migrated'), path.join(dir, 'hub.json'));
    const third = (await Hub.open({ engine, dataDir: dir })).hub;
    expect(third.users.find('erin')).toBeDefined();
    await third.close();
  });
});

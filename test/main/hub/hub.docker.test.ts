import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerEngine } from '../../../main/engine/docker/docker-engine';
import { Hub } from '../../../main/hub/hub';
import type { HubEvent } from '../../../main/hub/hub-events';
import type { Actor } from '../../../main/hub/actor';
import type { AppActivity } from '../../../main/hub/app-activity';
import { countObjects, sweep, testOrigin } from '../../support/docker-fixture';
import { TEST_IMAGES } from '../../support/test-images';

// The hub over the real Docker engine; time and app activity are injected so expiry and culling
// are tested without waiting.
const origin = testOrigin('hub');
const engine = new DockerEngine({ origin });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-data-'));
let clock = new Date('2030-06-01T12:00:00Z');
let appActivity: AppActivity | null = null;
let hub: Hub;
const events: HubEvent[] = [];
const admin: Actor = { user: 'admin', admin: true };
const alice: Actor = { user: 'alice', admin: false };
const bob: Actor = { user: 'bob', admin: false };
const img = TEST_IMAGES.busybox;

beforeAll(async () => {
  ({ hub } = await Hub.open({ engine, dataDir, now: () => clock, appActivity: async () => appActivity }));
  hub.bus.subscribe((e) => events.push(e));
  await hub.images.create(admin, { name: 'busybox', ref: img, displayName: 'Busybox web' });
  await hub.users.createGroup(admin, { name: 'team', quota: { cpus: 1.5 } });
  await hub.users.create(admin, { name: 'alice', selfService: true, quota: { maxWorkspaces: 3 }, groups: ['team'] });
  await hub.users.create(admin, { name: 'bob', selfService: false });
});
afterAll(async () => {
  await hub.close();
  await sweep(origin);
  await engine.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const create = (actor: Actor, body: Record<string, unknown>) => hub.workspaces.create(actor, { image: img, ...body }, { wait: false });
const refusal = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a refusal'); }, (e: Error & { code?: string; field?: string }) => e);

describe('policies', () => {
  it('enforces group cpu quota on running workspaces, and again on start', async () => {
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

  it('enforces the workspace count, self-service, image access and host capacity', async () => {
    await create(alice, { name: 'q3', cpus: 0.25 });
    expect((await refusal(create(alice, { name: 'q4', cpus: 0.1 }))).message).toBe('quota: alice may have 3 workspaces in total, 3 exist, 1 requested');
    expect((await refusal(create(bob, { name: 'b1' }))).message).toBe('self-service: bob may not create workspaces; ask an admin to create one');
    // admins may create for bob; the image default applies
    const b1 = await create(admin, { name: 'b1', user: 'bob' });
    expect(b1.user).toBe('bob');
    expect((await refusal(create(alice, { name: 'x', image: 'hubdeck-test/jupyter:1', cpus: 0.1 }))).message)
      .toBe('image: "hubdeck-test/jupyter:1" is not an image alice may use on this hub (ask an admin)');
    await hub.images.update(admin, 'busybox', { access: { users: ['carol'] } });
    const restricted = `image: "${img}" is not an image alice may use on this hub (ask an admin)`;
    expect((await refusal(create(alice, { name: 'x', cpus: 0.1 }))).message).toBe(restricted);
    // another spelling of the same image is the same image
    expect((await refusal(create(alice, { name: 'x', cpus: 0.1, image: `docker.io/${img}` }))).message).toBe(restricted.replace(`"${img}"`, `"docker.io/${img}"`));
    expect((await hub.images.list(alice, hub.users.find('alice'))).map((i) => i.name)).not.toContain('busybox');
    await hub.images.update(admin, 'busybox', { access: { users: [], groups: ['team'] } });
    await hub.users.update(admin, 'alice', { quota: { maxWorkspaces: 10 } });
    expect((await refusal(create(admin, { name: 'huge', user: 'alice', cpus: 64 }))).message).toMatch(/^quota: alice may use 1.5 cpus/);
    await hub.users.update(admin, 'alice', { groups: [] });
    expect((await refusal(create(admin, { name: 'huge', user: 'alice', cpus: 64 }))).message).toMatch(/^capacity: 64 cpus requested but the host has \d+$/);
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
    await hub.users.update(admin, 'bob', { blocked: false });
  });
});

describe('expiry', () => {
  it('warns before expiry, stops at expiry, and extend moves it (kept across a restart)', async () => {
    await hub.updateSettings(admin, { expiryWarningHours: 24, expiryAction: 'stop' });
    await hub.users.update(admin, 'alice', { quota: { maxWorkspaces: 10 } });
    const w = await create(alice, { name: 'exp', cpus: 0.1, days: 2 });
    expect(w.expiresAt).toBe('2030-06-03T12:00:00.000Z');
    events.length = 0;
    clock = new Date('2030-06-02T13:00:00Z');
    expect((await hub.maintenance.tick()).warned).toContain('alice/exp');
    expect(events).toContainEqual(expect.objectContaining({ type: 'workspace.expiring', user: 'alice', name: 'exp', expiresAt: w.expiresAt }));
    expect((await hub.maintenance.tick()).warned).not.toContain('alice/exp'); // once

    const extended = await hub.workspaces.extend(alice, { user: 'alice', name: 'exp' }, { days: 1 });
    expect(extended.expiresAt).toBe('2030-06-04T12:00:00.000Z');
    expect((await refusal(hub.workspaces.extend(alice, { user: 'alice', name: 'exp' }, { days: 400 }))).message).toMatch(/^days: workspaces may live at most 365 days/);

    // A hub reopened from its data directory keeps the extension.
    await hub.close();
    ({ hub } = await Hub.open({ engine, dataDir, now: () => clock, appActivity: async () => appActivity }));
    hub.bus.subscribe((e) => events.push(e));
    expect((await hub.workspaces.get(alice, { user: 'alice', name: 'exp' })).expiresAt).toBe('2030-06-04T12:00:00.000Z');

    clock = new Date('2030-06-04T12:00:01Z');
    const report = await hub.maintenance.tick();
    expect(report.expired).toContain('alice/exp');
    expect((await engine.get({ user: 'alice', name: 'exp' }))!.state).toBe('stopped');
    expect(events).toContainEqual(expect.objectContaining({ type: 'workspace.expired', name: 'exp', action: 'stop' }));
    expect((await hub.maintenance.tick()).expired).not.toContain('alice/exp');
  });
});

describe('idle culling', () => {
  it('stops a workspace idle past the timeout, unless traffic, a session or a busy kernel says otherwise', async () => {
    await hub.updateSettings(admin, { idleCullMinutes: 30 });
    clock = new Date('2030-06-05T00:00:00Z');
    const ref = { user: 'alice', name: 'idle' };
    await create(alice, { name: 'idle', cpus: 0.1 });
    hub.maintenance.recordActivity(ref, clock);
    clock = new Date('2030-06-05T00:20:00Z');
    expect((await hub.maintenance.tick()).culled).not.toContain('alice/idle');

    const close = hub.maintenance.sessionOpened(ref);
    clock = new Date('2030-06-05T01:00:00Z');
    expect((await hub.maintenance.tick()).culled).not.toContain('alice/idle');
    close();
    appActivity = { lastActivity: null, busyKernels: 2 };
    clock = new Date('2030-06-05T02:00:00Z');
    expect((await hub.maintenance.tick()).culled).not.toContain('alice/idle');

    appActivity = { lastActivity: '2030-06-05T01:45:00Z', busyKernels: 0 };
    expect((await hub.maintenance.tick()).culled).not.toContain('alice/idle');
    appActivity = null;
    expect((await hub.maintenance.tick()).culled).toContain('alice/idle');
    expect((await engine.get(ref))!.state).toBe('stopped');
    expect(events).toContainEqual(expect.objectContaining({ type: 'workspace.culled', name: 'idle', idleMinutes: 60 }));
    await hub.updateSettings(admin, { idleCullMinutes: null });
  });
});

describe('cleanup and reconciliation', () => {
  it('lists (dry-run) then removes the containers, volumes and networks of a deleted user', async () => {
    await hub.users.update(admin, 'bob', { selfService: true });
    expect((await countObjects(origin)).networks).toBeGreaterThanOrEqual(2);
    await hub.users.delete(admin, 'bob');
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
    // alice's live workspaces and kept data are untouched
    expect((await engine.list({ user: 'alice' })).map((w) => w.name)).toEqual(['idle', 'q1', 'q2', 'q3']);
    expect((await refusal(hub.maintenance.cleanup(alice))).code).toBe('forbidden');
  });

  it('another process sharing the data directory never loses users, and cleanup never purges mere strangers', async () => {
    // Two hubs on one data directory, as the desktop app and the CLI are.
    const { hub: other } = await Hub.open({ engine, dataDir, now: () => clock });
    await other.users.create(admin, { name: 'dora', selfService: true });
    await hub.updateSettings(admin, { expiryWarningHours: 12 }); // a write by the first hub
    expect(hub.users.find('dora')).toBeDefined();
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'hub.json'), 'utf8')).users.map((u: { name: string }) => u.name)).toContain('dora');
    await other.workspaces.create(admin, { name: 'd1', user: 'dora', image: img }, { wait: false });
    expect((await hub.maintenance.cleanup(admin, { dryRun: true })).items.filter((i) => i.user === 'dora')).toEqual([]);
    // A fresh hub that never knew dora reports her workspace; its cleanup leaves it alone.
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-stranger-'));
    const { hub: stranger, reconcile } = await Hub.open({ engine, dataDir: fresh });
    expect(reconcile.orphaned.map((o) => `${o.user}/${o.name}`)).toContain('dora/d1');
    expect((await stranger.maintenance.cleanup(null)).items.filter((i) => i.user === 'dora')).toEqual([]);
    expect(await engine.get({ user: 'dora', name: 'd1' })).not.toBeNull();
    await stranger.close();
    fs.rmSync(fresh, { recursive: true, force: true });
    await other.workspaces.remove(admin, { user: 'dora', name: 'd1' }, { deleteData: true });
    await other.users.delete(admin, 'dora');
    await other.close();
  });

  it('a hub started from scratch reports existing workspaces of unknown users as orphaned', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-fresh-'));
    const { reconcile, hub: other, adminToken } = await Hub.open({ engine, dataDir: fresh });
    expect(adminToken?.token).toMatch(/^hdk_/);
    expect(reconcile.workspaces).toBe(4);
    expect(reconcile.orphaned.map((o) => `${o.user}/${o.name}`)).toEqual(['alice/idle', 'alice/q1', 'alice/q2', 'alice/q3']);
    // reported, neither adopted nor deleted
    expect(await engine.list({ user: 'alice' })).toHaveLength(4);
    await other.close();
    fs.rmSync(fresh, { recursive: true, force: true });
  });
});

describe('idle culling in real time', () => {
  it('does not cull a workspace just started, however old it is', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-rt-'));
    const rt = (await Hub.open({ engine, dataDir: dir, appActivity: async () => null })).hub;
    await rt.updateSettings(admin, { idleCullMinutes: 0.02 }); // 1.2 s
    const ref = { user: 'admin', name: 'rt' };
    await rt.workspaces.create(admin, { name: 'rt', image: img, volume: false }, { wait: false });
    await rt.workspaces.stop(admin, ref);
    await new Promise((r) => setTimeout(r, 1500)); // older than the timeout now
    await rt.workspaces.start(admin, ref);
    expect((await rt.maintenance.tick()).culled).toEqual([]);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await rt.maintenance.tick()).culled).toEqual(['admin/rt']);
    await rt.workspaces.remove(admin, ref);
    await rt.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('store', () => {
  it('refuses a corrupt data file with a clear message and keeps a copy; never resets it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-corrupt-'));
    await (await Hub.open({ engine, dataDir: dir })).hub.close();
    const file = path.join(dir, 'hub.json');
    fs.writeFileSync(file, '{"version": 1, "users": [');
    const err = await Hub.open({ engine, dataDir: dir }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/hub\.json is not valid JSON .* A copy was saved as .*hub\.json\.corrupt-.*the previous version is .*hub\.json\.bak/s);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"version": 1, "users": [');
    expect(fs.readdirSync(dir).some((f) => f.startsWith('hub.json.corrupt-'))).toBe(true);
    fs.writeFileSync(file, JSON.stringify({ version: 99 }));
    expect(((await Hub.open({ engine, dataDir: dir }).catch((e: Error) => e)) as Error).message).toMatch(/schema version 99/);
    expect((fs.statSync(`${file}.bak`).mode & 0o777).toString(8)).toBe('600');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

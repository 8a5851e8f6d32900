/**
 * Defects an attack on `hub serve` found (hardening issue), each as a regression test on the
 * in-memory engine: expiry rules on every create and start, leftovers of deleted users, and
 * requests whose callers went away.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeEngine } from '../../../main/engine/fake/fake-engine';
import { Hub } from '../../../main/hub/hub';
import type { Actor } from '../../../main/hub/actor';
import { parseWorkspaceRequest } from '../../../main/core/workspace-spec';
import { testOrigin } from '../../support/docker-fixture';

const admin: Actor = { user: 'admin', admin: true };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function open(settings: Record<string, unknown> = {}) {
  const clock = { now: new Date('2031-01-01T00:00:00Z') };
  const engine = new FakeEngine({ kind: 'fake', origin: testOrigin('hard'), clock: () => clock.now, images: ['img:1'] });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hard-'));
  const { hub } = await Hub.open({ engine, dataDir: dir, now: () => clock.now, initialSettings: settings });
  cleanups.push(async () => { await hub.close(); await engine.close(); fs.rmSync(dir, { recursive: true, force: true }); });
  return { hub, engine, clock };
}

const refusal = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a refusal'); }, (e: Error & { code?: string; field?: string }) => e);

describe('expiry on every create and start', () => {
  it('applies the hub maximum when days are omitted or null', async () => {
    const { hub } = await open({ maxDays: 30 });
    const omitted = await hub.workspaces.create(admin, { name: 'a', image: 'img:1' }, { wait: false });
    const nulled = await hub.workspaces.create(admin, { name: 'b', image: 'img:1', days: null }, { wait: false });
    expect([omitted.expiresAt, nulled.expiresAt]).toEqual(['2031-01-31T00:00:00.000Z', '2031-01-31T00:00:00.000Z']);
  });

  it('refuses to start an expired workspace, saying how to extend it', async () => {
    const { hub, clock } = await open();
    await hub.workspaces.create(admin, { name: 'old', image: 'img:1', days: 1 }, { wait: false });
    await hub.workspaces.stop(admin, { user: 'admin', name: 'old' });
    clock.now = new Date('2031-01-03T00:00:00Z');
    const e = await refusal(hub.workspaces.start(admin, { user: 'admin', name: 'old' }));
    expect(e).toMatchObject({ code: 'conflict', field: 'days', message: 'workspace "old" of admin expired at 2031-01-02T00:00:00.000Z; extend it first (hubdeck workspace extend old --days N)' });
    await hub.workspaces.extend(admin, { user: 'admin', name: 'old' }, { days: 1 });
    expect((await hub.workspaces.start(admin, { user: 'admin', name: 'old' })).state).toBe('running');
  });

  it('normalises volume paths ("/./x" is "/x")', () => {
    const s = parseWorkspaceRequest({ name: 'a', user: 'b', volumePath: '/home//jovyan/./work/', mounts: ['d:/./data//'] }, { now: new Date() });
    expect([s.volumePath, s.mounts[0]!.target]).toEqual(['/home/jovyan/work', '/data']);
  });
});

describe("a deleted user's leftovers", () => {
  it('are never inherited by a user auto-created on first use, and stay marked for cleanup', async () => {
    const { hub, engine } = await open({ autoCreateUsers: true });
    await hub.workspaces.create(admin, { name: 'w', user: 'zoe', image: 'img:1' }, { wait: false });
    await hub.users.delete(admin, 'zoe');
    const e = await refusal(hub.workspaces.create(admin, { name: 'x', user: 'zoe', image: 'img:1' }, { wait: false }));
    expect(e.message).toMatch(/^name: zoe was deleted and \d+ of their resources are still on the engine; run cleanup first$/);
    expect(hub.users.find('zoe')).toBeUndefined();
    const run = await hub.maintenance.cleanup(admin);
    expect(run.items.filter((i) => i.user === 'zoe').map((i) => i.reason)).toEqual(['user-deleted', 'user-deleted', 'user-deleted']);
    expect((await engine.resources()).filter((r) => r.user === 'zoe')).toEqual([]);
    await hub.workspaces.create(admin, { name: 'x', user: 'zoe', image: 'img:1' }, { wait: false });
  });
});

describe('requests whose callers went away', () => {
  it('do not hold the user\'s lock while waiting for readiness, and stop waiting when aborted', async () => {
    const { hub } = await open();
    const ac = new AbortController();
    // HANG: the workspace never answers, so a create waiting for readiness would wait its full timeout.
    const hung = hub.workspaces.create(admin, { name: 'hung', image: 'img:1', env: ['HANG=1'] }, { wait: true, timeoutMs: 600_000, signal: ac.signal });
    const hungResult = refusal(hung);
    // The same user's next request is not queued behind the wait.
    const t0 = Date.now();
    await hub.workspaces.create(admin, { name: 'next', image: 'img:1' }, { wait: false });
    expect(Date.now() - t0).toBeLessThan(2000);
    ac.abort(new Error('the client went away'));
    expect((await hungResult).message).toBe('the client went away');
  });

  it('never run once their caller gave up while they waited in line', async () => {
    const { hub, engine } = await open();
    engine.faults.delays.create = 300;
    const first = hub.workspaces.create(admin, { name: 'first', image: 'img:1' }, { wait: false });
    const ac = new AbortController();
    const queued = refusal(hub.workspaces.create(admin, { name: 'queued', image: 'img:1' }, { wait: false, signal: ac.signal }));
    ac.abort(new Error('gone'));
    await first;
    expect((await queued).message).toBe('gone');
    expect(await engine.get({ user: 'admin', name: 'queued' })).toBeNull();
  });

  it('cap the readiness timeout', async () => {
    const { hub } = await open();
    const e = await refusal(hub.workspaces.create(admin, { name: 'a', image: 'img:1' }, { timeoutMs: 3 * 3600_000 }));
    expect(e).toMatchObject({ code: 'invalid', field: 'timeout', message: 'timeout: at most 1800 seconds' });
  });
});

describe('image access by any name', () => {
  it('refuses a restricted image by id, short id or digest, and an id the engine cannot resolve', async () => {
    const { hub, engine } = await open({ allowCustomImages: true });
    engine.world.images.add('private/secret:1');
    await hub.images.create(admin, { name: 'secret', ref: 'private/secret:1', access: { users: ['bob'] } });
    await hub.users.create(admin, { name: 'alice', selfService: true });
    await hub.users.create(admin, { name: 'bob', selfService: true });
    const info = (await engine.imageInfo('private/secret:1'))!;
    const alice = { user: 'alice', admin: false };
    const names = [info.id, info.id.slice('sha256:'.length, 'sha256:'.length + 12), info.digests[0]!, 'docker.io/private/secret:1', `sha256:${'0'.repeat(64)}`];
    for (const [i, image] of names.entries()) {
      const e = await refusal(hub.workspaces.create(alice, { name: `t${i}`, image }, { wait: false }));
      expect(e).toMatchObject({ code: 'forbidden', field: 'image', message: `image: "${image}" is not an image alice may use on this hub (ask an admin)` });
    }
    expect(await engine.list({ user: 'alice' })).toEqual([]);
    // the user it is meant for may use it by id too, and gets the listed reference
    const w = await hub.workspaces.create({ user: 'bob', admin: false }, { name: 'ok', image: info.id }, { wait: false });
    expect(w.image).toBe('private/secret:1');
    // an unlisted image is still a custom image, by name or by id
    engine.world.images.add('public/tool:2');
    const tool = (await engine.imageInfo('public/tool:2'))!;
    expect((await hub.workspaces.create(alice, { name: 'c1', image: tool.id.slice(7, 19) }, { wait: false })).state).toBe('running');
  });
});

describe('growth one user can cause', () => {
  it('caps tokens and SSH keys per user, and purges expired tokens', async () => {
    const { hub, clock } = await open();
    await hub.users.create(admin, { name: 'gus' });
    for (let i = 0; i < 50; i++) await hub.tokens.create(admin, 'gus', { note: `t${i}`, expiresInDays: i < 10 ? 1 : undefined });
    expect(await refusal(hub.tokens.create(admin, 'gus', {}))).toMatchObject({ code: 'conflict', field: 'token', message: 'token: gus has 50 tokens, the most one user may have; revoke some first' });
    clock.now = new Date('2031-01-03T00:00:00Z');
    expect((await hub.maintenance.tick()).tokensPurged).toBe(10);
    expect(hub.tokens.list(admin, 'gus')).toHaveLength(40);
    const { utils } = await import('ssh2');
    for (let i = 0; i < 20; i++) await hub.keys.add(admin, 'gus', { key: utils.generateKeyPairSync('ed25519').public });
    expect(await refusal(hub.keys.add(admin, 'gus', { key: utils.generateKeyPairSync('ed25519').public }))).toMatchObject({ code: 'conflict', field: 'key' });
  });
});

/**
 * The hub's door into workspaces for the access layer: owner only (admins with the setting), and
 * every use is activity the idle culler sees.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeEngine } from '../../../main/engine/fake/fake-engine';
import { httpProbe } from '../../../main/engine/wait-ready';
import { Hub } from '../../../main/hub/hub';
import type { Actor } from '../../../main/hub/actor';
import { testOrigin } from '../../support/docker-fixture';

const admin: Actor = { user: 'admin', admin: true };
const alice: Actor = { user: 'alice', admin: false };
const bob: Actor = { user: 'bob', admin: false };
const ref = { user: 'alice', name: 'nb' };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0)) await c(); });

async function open() {
  const clock = { now: new Date('2031-03-01T00:00:00Z') };
  const engine = new FakeEngine({ kind: 'fake', origin: testOrigin('acc'), clock: () => clock.now, images: ['img:1'] });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acc-'));
  const { hub } = await Hub.open({ engine, dataDir: dir, now: () => clock.now, appActivity: async () => null, initialSettings: { allowCustomImages: true } });
  cleanups.push(async () => { await hub.close(); await engine.close(); fs.rmSync(dir, { recursive: true, force: true }); });
  await hub.users.create(admin, { name: 'alice', selfService: true });
  await hub.users.create(admin, { name: 'bob', selfService: true });
  await hub.workspaces.create(alice, { name: 'nb', image: 'img:1' }, { wait: true });
  await hub.updateSettings(admin, { idleCullMinutes: 30 });
  return { hub, clock };
}

const refusal = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a refusal'); }, (e: Error & { code?: string }) => e);

describe('workspace access', () => {
  it('lets the owner in, not another user, and admins only with adminAccess', async () => {
    const { hub } = await open();
    const s = await hub.access.connect(alice, ref, 8888);
    expect(await httpProbe(s, '/user/alice/nb/', 5000)).toBe(200);
    expect(await refusal(hub.access.connect(bob, ref, 8888))).toMatchObject({ code: 'forbidden', message: 'bob may not open the workspaces of alice' });
    expect((await refusal(hub.access.exec(admin, ref, { cmd: ['true'] }))).message).toMatch(/^admin access to users' workspaces is off on this hub/);
    await hub.updateSettings(admin, { adminAccess: true });
    expect(await (await hub.access.exec(admin, ref, { cmd: ['true'] })).exitCode()).toBe(0);
    await hub.users.update(admin, 'alice', { blocked: true });
    expect((await refusal(hub.access.webToken(alice, ref))).message).toBe('alice is blocked');
  });

  it('counts traffic as activity and holds culling off while a session is open', async () => {
    const { hub, clock } = await open();
    clock.now = new Date('2031-03-01T00:40:00Z');
    await httpProbe(await hub.access.connect(alice, ref, 8888), '/user/alice/nb/', 5000);
    clock.now = new Date('2031-03-01T01:00:00Z'); // 20 minutes after the traffic
    expect((await hub.maintenance.tick()).culled).toEqual([]);
    const session = await hub.access.exec(alice, ref, { cmd: ['sleep', '1000'] });
    clock.now = new Date('2031-03-01T05:00:00Z');
    expect((await hub.maintenance.tick()).culled).toEqual([]); // a session is open
    await session.close();
    clock.now = new Date('2031-03-01T06:00:00Z');
    expect((await hub.maintenance.tick()).culled).toEqual(['alice/nb']);
  });
});

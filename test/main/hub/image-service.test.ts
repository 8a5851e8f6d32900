// main/hub/image-service.ts (with image-availability.ts): every listed image says whether it runs
// here, and the one a form preselects is one that can run — for members too, and for a request
// without an image. On the in-memory engine; the Docker answers are tested in docker-availability.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeEngine } from '../../../main/engine/fake/fake-engine';
import { Hub } from '../../../main/hub/hub';
import type { Actor } from '../../../main/hub/actor';
import { ImageAvailabilityCache, pickDefault } from '../../../main/hub/image-availability';
import { testOrigin } from '../../support/docker-fixture';
import { TEST_IMAGES } from '../../support/test-images';

const admin: Actor = { user: 'admin', admin: true };
const alice: Actor = { user: 'alice', admin: false };
const QUAY = 'quay.io/jupyter/base-notebook:latest';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function openHub(): Promise<Hub> {
  const engine = new FakeEngine({ kind: 'fake', origin: testOrigin('images'), images: [TEST_IMAGES.jupyter], missingImages: [QUAY] });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-images-'));
  const { hub } = await Hub.open({ engine, dataDir });
  cleanups.push(async () => { await hub.close(); await engine.close(); fs.rmSync(dataDir, { recursive: true, force: true }); });
  await hub.users.create(admin, { name: 'alice', selfService: true });
  return hub;
}

describe('image availability and the default image', () => {
  it('preselects a local image over the built-in one that cannot run here, for members too', async () => {
    const hub = await openHub();
    const before = await hub.images.list(admin, undefined);
    expect(before).toMatchObject([{ name: 'jupyter', ref: QUAY, availability: { state: 'missing' }, isDefault: false }]);
    await hub.images.create(admin, { name: 'local-jupyter', ref: TEST_IMAGES.jupyter });
    const forAlice = await hub.images.list(alice, hub.users.find('alice'));
    expect(forAlice.map((i) => [i.name, i.availability?.state, i.isDefault])).toEqual([
      ['jupyter', 'missing', false], ['local-jupyter', 'present', true],
    ]);
    // a request without an image gets the one the form preselects, not the built-in dead end
    const w = await hub.workspaces.create(alice, { name: 'first', volume: false }, { wait: false });
    expect(w.image).toBe(TEST_IMAGES.jupyter);
  });

  it('lets the admin choose the default by name, refuses a name that is not listed, and forgets a removed one', async () => {
    const hub = await openHub();
    await hub.images.create(admin, { name: 'local-jupyter', ref: TEST_IMAGES.jupyter });
    await hub.images.create(admin, { name: 'busy', ref: TEST_IMAGES.busybox });
    expect((await hub.updateSettings(admin, { defaultImage: 'busy' })).defaultImage).toBe('busy');
    expect((await hub.images.list(alice, hub.users.find('alice'))).find((i) => i.isDefault)?.name).toBe('busy');
    await expect(hub.updateSettings(admin, { defaultImage: 'nope' })).rejects.toMatchObject({ field: 'defaultImage', message: expect.stringMatching(/no image is named "nope"/) });
    await expect(hub.updateSettings(alice, { defaultImage: 'busy' })).rejects.toMatchObject({ code: 'forbidden' });
    await hub.images.delete(admin, 'busy');
    expect(hub.settings(admin).defaultImage).toBeNull();
    expect((await hub.images.list(admin, undefined)).find((i) => i.isDefault)?.name).toBe('local-jupyter');
  });
});

describe('pickDefault', () => {
  const img = (name: string, state: 'present' | 'pullable' | 'missing' | 'unreachable' | 'unknown') => ({ name, availability: { state, detail: null } });
  it('never preselects an image that cannot run, unless the admin chose it', () => {
    expect(pickDefault([img('a', 'unreachable'), img('b', 'pullable'), img('c', 'present')], null)?.name).toBe('c');
    expect(pickDefault([img('a', 'unreachable'), img('b', 'pullable')], null)?.name).toBe('b');
    expect(pickDefault([img('a', 'unreachable'), img('b', 'missing')], null)).toBeNull();
    expect(pickDefault([img('a', 'unreachable'), img('b', 'present')], 'a')?.name).toBe('a');
  });
});

describe('ImageAvailabilityCache', () => {
  it('asks the engine once per reference while the answer is fresh', async () => {
    const engine = new FakeEngine({ kind: 'fake', origin: testOrigin('avail'), images: [TEST_IMAGES.busybox] });
    cleanups.push(() => engine.close());
    let asked = 0;
    const counting = Object.assign(Object.create(engine) as FakeEngine, { imageAvailability: (r: string) => { asked++; return engine.imageAvailability(r); } });
    let now = 0;
    const cache = new ImageAvailabilityCache(counting, () => now, 1000);
    expect(await cache.check(TEST_IMAGES.busybox)).toEqual({ state: 'present', detail: null });
    await cache.check(TEST_IMAGES.busybox);
    expect(asked).toBe(1);
    now = 1500;
    await cache.check(TEST_IMAGES.busybox);
    expect(asked).toBe(2);
  });
});

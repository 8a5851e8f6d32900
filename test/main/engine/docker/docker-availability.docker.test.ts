// main/engine/docker/docker-availability.ts on the real engine: present (image inspect), pullable and
// missing (Docker's distribution inspect against a real local registry), unreachable (quay.io: no
// network here) — all without pulling.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerEngine } from '../../../../main/engine/docker/docker-engine';
import { docker, testOrigin } from '../../../support/docker-fixture';
import { startRegistry, type TestRegistry } from '../../../support/registry';
import { TEST_IMAGES } from '../../../support/test-images';

let registry: TestRegistry;
let pushed: string;
const engine = new DockerEngine({ origin: testOrigin('avail') });

beforeAll(async () => {
  registry = await startRegistry();
  pushed = `${registry.address}/hubdeck-test/avail:${randomBytes(3).toString('hex')}`;
  execFileSync('docker', ['tag', TEST_IMAGES.busybox, pushed], { stdio: 'pipe' });
  execFileSync('docker', ['push', pushed], { stdio: 'pipe' });
  execFileSync('docker', ['rmi', pushed], { stdio: 'pipe' }); // only the tag we made: the image stays
}, 120_000);

afterAll(async () => {
  try { execFileSync('docker', ['rmi', pushed], { stdio: 'pipe' }); } catch { /* never pulled */ }
  await engine.close();
  await registry.stop();
});

describe('image availability without pulling', () => {
  it('present: the engine has it', async () => {
    expect(await engine.imageAvailability(TEST_IMAGES.busybox)).toEqual({ state: 'present', detail: null });
    expect(await engine.presentImages()).toEqual(expect.arrayContaining([TEST_IMAGES.busybox, TEST_IMAGES.jupyter]));
  });

  it('pullable: the registry has the manifest, and asking did not pull it', async () => {
    expect(await engine.imageAvailability(pushed)).toEqual({ state: 'pullable', detail: null });
    await expect(docker.getImage(pushed).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('missing: the registry answers, but has no such tag', async () => {
    const r = await engine.imageAvailability(`${registry.address}/hubdeck-test/avail:no-such-tag`);
    expect(r.state).toBe('missing');
    expect(r.detail).not.toBeNull();
  });

  it('unreachable: quay.io cannot be reached from this engine, answered within the timeout', async () => {
    const started = Date.now();
    const r = await engine.imageAvailability('quay.io/jupyter/base-notebook');
    expect(r.state).toBe('unreachable');
    expect(r.detail).toMatch(/quay\.io/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

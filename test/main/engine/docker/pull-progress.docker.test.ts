import { waitReady } from '../../../../main/engine/wait-ready';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerEngine } from '../../../../main/engine/docker/docker-engine';
import type { ProgressEvent } from '../../../../main/engine/engine';
import { parseWorkspaceRequest } from '../../../../main/core/workspace-spec';
import { startRegistry, type TestRegistry } from '../../../support/registry';
import { sweep, testOrigin } from '../../../support/docker-fixture';
import { TEST_IMAGES } from '../../../support/test-images';

// A real pull from a local registry (Debian's docker-registry): an image with a unique 8 MB layer
// is pushed, deleted locally, then pulled by the engine when a workspace needs it.
const origin = testOrigin('pull');
let registry: TestRegistry;
let image: string;

beforeAll(async () => {
  registry = await startRegistry();
  image = `${registry.address}/hubdeck-test/pull-probe:${randomBytes(3).toString('hex')}`;
  const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'pull-ctx-'));
  fs.writeFileSync(path.join(ctx, 'blob'), randomBytes(8 * 1024 * 1024));
  fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${TEST_IMAGES.busybox}\nCOPY blob /blob\n`);
  execFileSync('docker', ['build', '-q', '-t', image, ctx], { stdio: 'pipe' });
  execFileSync('docker', ['push', image], { stdio: 'pipe' });
  execFileSync('docker', ['rmi', image], { stdio: 'pipe' });
  fs.rmSync(ctx, { recursive: true, force: true });
});

afterAll(async () => {
  await sweep(origin);
  try { execFileSync('docker', ['rmi', image], { stdio: 'pipe' }); } catch { /* already gone */ }
  await registry.stop();
});

describe('pulling a missing image', () => {
  it('emits per-layer and overall progress up to 100%, then creates the workspace', async () => {
    const engine = new DockerEngine({ origin });
    const events: ProgressEvent[] = [];
    const w = await engine.create(
      parseWorkspaceRequest({ name: 'pulled', user: 'alice', image }, { now: new Date() }),
      { onProgress: (e) => events.push(e) },
    );
    expect(w.state).toBe('running');
    const pulls = events.filter((e) => e.phase === 'pull');
    const percents = pulls.map((e) => e.percent);
    expect(percents[0]).toBe(0);
    expect(percents.at(-1)).toBe(100);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    // The unique layer really downloaded, with byte counts; the shared base layers already existed.
    const statuses = pulls.flatMap((e) => (e.phase === 'pull' ? e.layers.map((l) => l.status) : []));
    expect(statuses).toContain('Downloading');
    expect(statuses).toContain('Already exists');
    const downloading = pulls.flatMap((e) => (e.phase === 'pull' ? e.layers : [])).find((l) => l.status === 'Downloading');
    expect(downloading!.total).toBeGreaterThan(1024 * 1024);
    expect(pulls.some((e) => e.percent > 0 && e.percent < 100)).toBe(true);
    expect(events.map((e) => e.phase).slice(-2)).toEqual(['create', 'start']);
    await waitReady(engine, w, { timeoutMs: 30_000 });
    await engine.close();
  });
});

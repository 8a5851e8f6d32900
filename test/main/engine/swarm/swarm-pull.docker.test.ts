/**
 * Pull progress on Swarm, from a real local registry: Swarm pulls an image its node lacks without
 * reporting how far it is, so the engine follows the same pull on that node's engine and relays
 * its per-layer progress while the task is being prepared.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkspaceRequest } from '../../../../main/core/workspace-spec';
import type { ProgressEvent } from '../../../../main/engine/engine';
import { SwarmEngine } from '../../../../main/engine/swarm/swarm-engine';
import { testOrigin } from '../../../support/docker-fixture';
import { startRegistry, type TestRegistry } from '../../../support/registry';
import { requireSwarm, sweepSwarm } from '../../../support/swarm-fixture';
import { TEST_IMAGES } from '../../../support/test-images';

const origin = testOrigin('swpull');
let registry: TestRegistry;
let image: string;
const engine = new SwarmEngine({ origin });

beforeAll(async () => {
  await requireSwarm();
  registry = await startRegistry();
  image = `${registry.address}/hubdeck-test/swarm-pull:${randomBytes(3).toString('hex')}`;
  const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'swarm-pull-'));
  fs.writeFileSync(path.join(ctx, 'blob'), randomBytes(16 * 1024 * 1024));
  fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${TEST_IMAGES.busybox}\nCOPY blob /blob\n`);
  execFileSync('docker', ['build', '-q', '-t', image, ctx], { stdio: 'pipe' });
  execFileSync('docker', ['push', image], { stdio: 'pipe' });
  execFileSync('docker', ['rmi', image], { stdio: 'pipe' });
  fs.rmSync(ctx, { recursive: true, force: true });
});

afterAll(async () => {
  await sweepSwarm(origin);
  await engine.close();
  try { execFileSync('docker', ['rmi', image], { stdio: 'pipe' }); } catch { /* already gone */ }
  await registry?.stop();
});

describe('Swarm pull progress', () => {
  it('reports the node pulling the image, layer by layer, then the workspace runs', async () => {
    const events: ProgressEvent[] = [];
    const w = await engine.create(parseWorkspaceRequest({ user: 'puller', name: 'p', image, volume: false }, { now: new Date() }), { onProgress: (e) => events.push(e) });
    expect(w.state).toBe('running');
    const pulls = events.filter((e): e is Extract<ProgressEvent, { phase: 'pull' }> => e.phase === 'pull');
    expect(pulls[0]).toMatchObject({ percent: 0, image });
    expect(pulls.some((e) => e.layers.length > 0 && e.layers.some((l) => l.total > 0))).toBe(true);
    const percents = pulls.map((e) => e.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(events.map((e) => e.phase)).toEqual(expect.arrayContaining(['create', 'pull', 'start']));
    expect(events.at(-1)).toMatchObject({ phase: 'start', message: 'running' });
  });
});

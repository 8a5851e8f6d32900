/**
 * Refusals a user can cause, on the real single-node Swarm: the task's raw error (an unreachable
 * registry, an image with nothing to run) becomes the same sentence as on Docker (engine-errors.ts),
 * with the field and the code the CLI maps to its exit (unavailable: 5). Availability is asked of the
 * manager without pulling, as on Docker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkspaceRequest } from '../../../../main/core/workspace-spec';
import { SwarmEngine } from '../../../../main/engine/swarm/swarm-engine';
import { testOrigin } from '../../../support/docker-fixture';
import { requireSwarm, sweepSwarm } from '../../../support/swarm-fixture';
import { TEST_IMAGES } from '../../../support/test-images';

const origin = testOrigin('swrefuse');
const engine = new SwarmEngine({ origin });
const spec = (name: string, image: string) => parseWorkspaceRequest({ user: 'alice', name, image, volume: false }, { now: new Date() });

beforeAll(() => requireSwarm());
afterAll(async () => {
  await sweepSwarm(origin);
  await engine.close();
});

describe('Swarm refusals as sentences', () => {
  it('an unreachable registry: unavailable, naming the registry', async () => {
    await expect(engine.create(spec('offline', 'quay.io/jupyter/base-notebook'))).rejects.toMatchObject({
      code: 'unavailable', field: 'image', message: expect.stringMatching(/^image: cannot reach quay\.io from this engine \(Swarm\) to pull "quay\.io\/jupyter\/base-notebook(:latest)?"/),
    });
  }, 120_000);

  it('availability is asked of the manager without pulling', async () => {
    expect(await engine.imageAvailability(TEST_IMAGES.busybox)).toEqual({ state: 'present', detail: null });
    expect((await engine.imageAvailability('quay.io/jupyter/base-notebook')).state).toBe('unreachable');
  });
});

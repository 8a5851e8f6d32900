// The engine contract on a real single-node Docker Swarm: the same suite the Docker engine and the
// in-memory fake pass. One origin per run; sweepSwarm() removes whatever a failed test left behind.
import { createEngine } from '../../../../main/engine/create-engine';
import { engineContract } from '../../../support/engine-contract';
import { testOrigin } from '../../../support/docker-fixture';
import { requireSwarm, sweepSwarm } from '../../../support/swarm-fixture';
import { TEST_IMAGES } from '../../../support/test-images';

engineContract('swarm', async () => {
  await requireSwarm();
  const origin = testOrigin('swc');
  await sweepSwarm(origin);
  return {
    makeEngine: () => createEngine({ kind: 'swarm', origin }),
    image: TEST_IMAGES.busybox,
    cleanup: () => sweepSwarm(origin),
  };
});

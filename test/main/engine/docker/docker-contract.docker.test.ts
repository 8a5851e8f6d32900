// The engine contract on the real Docker engine: the same suite the in-memory fake passes, so the
// fake cannot drift from what Docker really does. One origin per run; sweep() removes whatever a
// failed test left behind.
import { createEngine } from '../../../../main/engine/create-engine';
import { engineContract } from '../../../support/engine-contract';
import { sweep, testOrigin } from '../../../support/docker-fixture';
import { TEST_IMAGES } from '../../../support/test-images';

engineContract('docker', async () => {
  const origin = testOrigin('contract');
  await sweep(origin);
  return {
    makeEngine: () => createEngine({ kind: 'docker', origin }),
    image: TEST_IMAGES.busybox,
    cleanup: () => sweep(origin),
  };
});

// The engine contract on Podman's Docker-compatible API (`podman system service`, started by
// scripts/start-podman.sh): the Docker engine, pointed at Podman's socket, passes the same suite as
// on Docker itself. One origin per run; sweep() on Podman's socket removes whatever a failed test left.
import { createEngine } from '../../../../main/engine/create-engine';
import { engineContract } from '../../../support/engine-contract';
import { sweep, testOrigin } from '../../../support/docker-fixture';
import { PODMAN_HOST, podman, requirePodman } from '../../../support/podman-fixture';
import { TEST_IMAGES } from '../../../support/test-images';

engineContract('podman', async () => {
  await requirePodman();
  const origin = testOrigin('pod');
  await sweep(origin, podman);
  return {
    makeEngine: () => createEngine({ kind: 'docker', origin, host: PODMAN_HOST }),
    image: TEST_IMAGES.busybox,
    cleanup: () => sweep(origin, podman),
  };
});

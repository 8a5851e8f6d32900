// The engine contract on a real single-node Kubernetes 1.20 cluster (scripts/start-test-cluster.sh):
// the same suite the Docker, Swarm and fake engines pass. One namespace and origin per run; the
// namespace is deleted afterwards with whatever a failed test left behind.
import { createEngine } from '../../../../main/engine/create-engine';
import { engineContract } from '../../../support/engine-contract';
import { testOrigin } from '../../../support/docker-fixture';
import { createTestNamespace, deleteTestNamespace, requireCluster, TEST_KUBECONFIG } from '../../../support/kube-fixture';
import { TEST_IMAGES } from '../../../support/test-images';

engineContract('kubernetes', async () => {
  const kc = await requireCluster();
  const namespace = await createTestNamespace(kc, 'contract');
  const origin = testOrigin('kc');
  return {
    makeEngine: () => createEngine({ kind: 'kubernetes', origin, kubeconfig: TEST_KUBECONFIG, namespace, volumeSize: '64Mi', startTimeoutMs: 120_000 }),
    image: TEST_IMAGES.busybox,
    cleanup: () => deleteTestNamespace(kc, namespace),
  };
});

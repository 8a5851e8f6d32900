/**
 * The real test cluster (scripts/start-test-cluster.sh, started by .ci/run): its admin kubeconfig,
 * a fresh namespace per test file (deleted afterwards, with everything in it), and a loud failure
 * when the cluster is not there — Kubernetes-backed tests never skip.
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { CoreV1Api, KubeConfig, VersionApi } from '@kubernetes/client-node';

/** KUBECONFIG when set (CI exports it), else where the script writes it. */
export const TEST_KUBECONFIG = process.env.KUBECONFIG && fs.existsSync(process.env.KUBECONFIG) ? process.env.KUBECONFIG : '/var/lib/hubdeck-k8s/admin.kubeconfig';

export async function requireCluster(): Promise<KubeConfig> {
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(TEST_KUBECONFIG);
    await kc.makeApiClient(VersionApi).getCode();
  } catch (e) {
    throw new Error(`the test Kubernetes cluster is not reachable through ${TEST_KUBECONFIG}: run scripts/start-test-cluster.sh start (${String(e)})`);
  }
  return kc;
}

export async function createTestNamespace(kc: KubeConfig, prefix = 't'): Promise<string> {
  const name = `hubdeck-${prefix}-${randomBytes(3).toString('hex')}`;
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name, labels: { 'hubdeck.io/test': 'true' } } } });
  return name;
}

/** Deletes the namespace; its pods, claims and the rest go with it. */
export async function deleteTestNamespace(kc: KubeConfig, name: string): Promise<void> {
  await kc.makeApiClient(CoreV1Api).deleteNamespace({ name, gracePeriodSeconds: 0 }).catch(() => undefined);
}

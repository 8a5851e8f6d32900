/**
 * Waits until a claim can be mounted: Bound, or waiting for its first consumer (a
 * WaitForFirstConsumer class binds once the pod is scheduled). Starting the pod before an
 * Immediate claim is bound costs more than waiting: the scheduler marks the pod unschedulable
 * ("unbound immediate PersistentVolumeClaims") and may retry only much later.
 */
import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { HubdeckError } from '../../core/errors';
import type { PodContext } from './kube-pod';
import { waitFor, watchEvents } from './kube-watch';

export async function waitClaimUsable(c: PodContext, name: string, timeoutMs = 120_000): Promise<void> {
  const { core, namespace, kc } = c.client;
  const claim = await c.calls.call(() => core.readNamespacedPersistentVolumeClaim({ name, namespace }));
  if (claim.status?.phase === 'Bound') return;
  let lastEvent = '';
  let firstConsumer = false;
  let failed: HubdeckError | null = null;
  const settle = new AbortController();
  const stop = watchEvents(kc, namespace, claim.metadata!.uid!, (e) => {
    lastEvent = `${e.reason ?? ''}: ${e.message ?? ''}`;
    if (e.reason === 'WaitForFirstConsumer') firstConsumer = true;
    if (e.reason === 'ProvisioningFailed') failed = new HubdeckError('engine', `the data volume ${name} could not be provisioned: ${e.message ?? ''}`);
    if (firstConsumer || failed) settle.abort();
  });
  try {
    await waitFor<V1PersistentVolumeClaim, true>(kc, {
      path: `/api/v1/namespaces/${namespace}/persistentvolumeclaims`,
      fieldSelector: `metadata.name=${name}`,
      list: () => c.calls.call(() => core.listNamespacedPersistentVolumeClaim({ namespace, fieldSelector: `metadata.name=${name}` })),
      decide: (pvc) => {
        if (!pvc) throw new HubdeckError('conflict', `volume claim ${name} was deleted while the workspace was being created`);
        return pvc.status?.phase === 'Bound' ? true : undefined;
      },
      timeoutMs,
      onTimeout: async () => new HubdeckError('timeout', `volume claim ${name} was not bound in ${Math.round(timeoutMs / 1000)} s${lastEvent ? ` (last event ${lastEvent})` : ''}`),
      signal: settle.signal,
    });
  } catch (e) {
    if (failed) throw failed;
    if (!firstConsumer) throw e;
  } finally {
    stop();
  }
}

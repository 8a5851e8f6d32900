/**
 * Starting and stopping a workspace's pod. Start creates the pod and follows it by Watch until its
 * container runs (or already ended: a crash is the workspace's state, not a failed start); the
 * pod's Events become progress (Scheduled, Pulling, Pulled, Started), and the ones that will not
 * resolve by waiting (an image that cannot be pulled, a pod no node can take) end the start with
 * a clear error and no pod left behind. Stop deletes the pod and waits until it is gone.
 */
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { HubdeckError } from '../../core/errors';
import { explainEngineText } from '../engine-errors';
import type { ProgressEvent } from '../engine';
import type { KubeClient } from './kube-client';
import type { kubeCalls } from './kube-errors';
import { CONTAINER } from './kube-names';
import { podState, TRANSIENT_CONFIG } from './kube-state';
import { waitFor } from './kube-watch';
import { watchEvents } from './kube-watch';

export interface PodContext {
  client: KubeClient;
  calls: ReturnType<typeof kubeCalls>;
  startTimeoutMs: number;
}

/** Scheduling failures no amount of waiting fixes on a fixed cluster; anything else is retried. */
const UNSCHEDULABLE = /Insufficient|didn't match (Pod's )?node (selector|affinity)|node\(s\) had (taint|untolerated)|exceed|too many pods/i;

export function progressOf(e: Pick<CoreV1Event, 'reason' | 'message'>, image: string): ProgressEvent | null {
  const message = e.message ?? e.reason ?? '';
  switch (e.reason) {
    case 'Scheduled': return { phase: 'start', percent: 30, message };
    case 'Pulling': return { phase: 'pull', image, percent: 40, message, layers: [] };
    case 'Pulled': return { phase: 'pull', image, percent: 80, message, layers: [] };
    case 'Created': return { phase: 'start', percent: 90, message };
    case 'Started': return { phase: 'start', percent: 95, message };
    case 'FailedScheduling': return { phase: 'start', percent: 20, message };
    default: return null;
  }
}

/** The event that means the start cannot succeed, as an error; null when it may still. */
export function fatalEvent(e: Pick<CoreV1Event, 'reason' | 'message'>, image: string): HubdeckError | null {
  const msg = e.message ?? '';
  if (e.reason === 'FailedScheduling' && UNSCHEDULABLE.test(msg)) {
    return new HubdeckError('quota', `no node can run this workspace now: ${msg}`);
  }
  // A bare "Error: ErrImagePull" says less than the pod's waiting state (fatalState) does: the reason
  // (an unreachable registry, a missing tag) is there, so the start waits for that.
  if (e.reason === 'Failed' && /^Error: (ErrImagePull|ImagePullBackOff)$/.test(msg)) return null;
  if (e.reason === 'Failed' && /ErrImagePull|ImagePullBackOff|pull|not found|InvalidImageName/i.test(msg)) {
    return explainEngineText(msg, { image, engine: 'Kubernetes' }) ?? new HubdeckError('engine', `image "${image}" could not be pulled: ${msg}`);
  }
  if (e.reason === 'ErrImageNeverPull') return new HubdeckError('engine', `image "${image}" is not on the node: ${msg}`);
  return null;
}

/** A pod's own fatal state (the container's waiting reason) as an error. */
export function fatalState(pod: V1Pod, image: string): HubdeckError | null {
  const waiting = pod.status?.containerStatuses?.find((c) => c.name === CONTAINER)?.state?.waiting;
  if (!waiting?.reason) return null;
  if (/ErrImagePull|ImagePullBackOff|InvalidImageName|ErrImageNeverPull/.test(waiting.reason)) {
    return explainEngineText(waiting.message ?? '', { image, engine: 'Kubernetes' }) ?? new HubdeckError('engine', `image "${image}" could not be pulled (${waiting.reason}): ${waiting.message ?? ''}`.trim());
  }
  if (TRANSIENT_CONFIG.test(waiting.message ?? '')) return null;
  if (/CreateContainerConfigError|CreateContainerError|RunContainerError/.test(waiting.reason)) {
    return explainEngineText(waiting.message ?? '', { image, engine: 'Kubernetes' }) ?? new HubdeckError('engine', `the workspace's container could not be started (${waiting.reason}): ${waiting.message ?? ''}`.trim());
  }
  return null;
}

/** The scheduler's verdict on the pod itself, in case its Event was missed. */
function unschedulable(pod: V1Pod): HubdeckError | null {
  const cond = pod.status?.conditions?.find((x) => x.type === 'PodScheduled' && x.status === 'False' && x.reason === 'Unschedulable');
  return cond?.message && UNSCHEDULABLE.test(cond.message) ? new HubdeckError('quota', `no node can run this workspace now: ${cond.message}`) : null;
}

export async function startPod(c: PodContext, pod: V1Pod, onProgress?: (e: ProgressEvent) => void, signal?: AbortSignal): Promise<V1Pod> {
  const { core, namespace, kc } = c.client;
  const name = pod.metadata!.name!;
  const image = pod.spec!.containers[0]!.image!;
  const created = await c.calls.call(() => core.createNamespacedPod({ namespace, body: pod }));
  onProgress?.({ phase: 'start', percent: 10, message: `pod ${name} created` });
  let fatal: HubdeckError | null = null;
  let lastEvent = '';
  let wake: (() => void) | null = null;
  const stopEvents = watchEvents(kc, namespace, created.metadata!.uid!, (e) => {
    lastEvent = `${e.reason ?? ''}: ${e.message ?? ''}`;
    const p = progressOf(e, image);
    if (p) onProgress?.(p);
    fatal ??= fatalEvent(e, image);
    if (fatal) wake?.();
  });
  const abortOnFatal = new AbortController();
  wake = () => abortOnFatal.abort(fatal);
  signal?.addEventListener('abort', () => abortOnFatal.abort(signal.reason), { once: true });
  try {
    return await waitFor<V1Pod, V1Pod>(kc, {
      path: `/api/v1/namespaces/${namespace}/pods`,
      fieldSelector: `metadata.name=${name}`,
      list: () => c.calls.call(() => core.listNamespacedPod({ namespace, fieldSelector: `metadata.name=${name}` })),
      decide: (p) => {
        if (!p || p.metadata?.uid !== created.metadata?.uid) throw new HubdeckError('conflict', `pod ${name} was deleted while starting`);
        const bad = fatalState(p, image) ?? unschedulable(p);
        if (bad) throw bad;
        const s = podState(p).state;
        return s === 'running' || s === 'failed' || s === 'stopped' ? p : undefined;
      },
      timeoutMs: c.startTimeoutMs,
      onTimeout: async () => new HubdeckError('timeout', `pod ${name} did not start in ${Math.round(c.startTimeoutMs / 1000)} s${lastEvent ? ` (last event ${lastEvent})` : ''}`),
      signal: abortOnFatal.signal,
    });
  } catch (e) {
    // Nothing keeps pulling or waiting for a node after a failed start.
    await deletePod(c, name, 0).catch(() => undefined);
    throw e;
  } finally {
    stopEvents();
  }
}

/** Deletes the pod (SIGTERM, SIGKILL after `graceSeconds`) and waits until the API no longer has it. */
export async function deletePod(c: PodContext, name: string, graceSeconds: number): Promise<void> {
  const { core, namespace, kc } = c.client;
  const deleted = await c.calls.ignoring([404], () => core.deleteNamespacedPod({ namespace, name, gracePeriodSeconds: graceSeconds }));
  if (deleted === null) return;
  const timeoutMs = (graceSeconds + 60) * 1000;
  await waitFor<V1Pod, true>(kc, {
    path: `/api/v1/namespaces/${namespace}/pods`,
    fieldSelector: `metadata.name=${name}`,
    list: () => c.calls.call(() => core.listNamespacedPod({ namespace, fieldSelector: `metadata.name=${name}` })),
    decide: (p) => (p === null ? true : undefined),
    timeoutMs,
    onTimeout: async () => new HubdeckError('timeout', `pod ${name} was still terminating after ${Math.round(timeoutMs / 1000)} s`),
  });
}

/**
 * Root Service + Pod → Workspace. Labels and annotations on the root are the truth (identity,
 * spec, current expiry); the pod adds state, start time, limits and node. No pod: stopped.
 */
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { decodeWorkspaceLabels, labelledFields } from '../../core/labels';
import type { EngineLimits, Workspace, WorkspaceState } from '../engine';
import { decodeLabels } from './kube-labels';
import { CONTAINER, kubeNames } from './kube-names';
import { GPU_RESOURCE } from './kube-plan';
import { cpusFrom, parseQuantity } from './kube-quantity';

/** Waiting reasons that will not resolve by waiting: the workspace has failed to start. */
const FATAL_WAITING = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

/**
 * Waits the kubelet retries by itself although their reason sounds fatal: a secret or config map
 * its cache has not synced yet (a busy node). The workspace is still starting.
 */
export const TRANSIENT_CONFIG = /failed to sync (secret|configmap) cache|timed out waiting for the condition/i;

export function podState(pod: V1Pod | null): { state: WorkspaceState; status: string } {
  if (!pod) return { state: 'stopped', status: 'stopped' };
  if (pod.metadata?.deletionTimestamp) return { state: 'stopping', status: 'stopping' };
  const c = pod.status?.containerStatuses?.find((s) => s.name === CONTAINER);
  const term = c?.state?.terminated;
  if (term) {
    if (term.reason === 'OOMKilled') return { state: 'failed', status: 'killed: out of memory' };
    if (term.exitCode === 0) return { state: 'stopped', status: `exited (0)` };
    return { state: 'failed', status: `exited with code ${term.exitCode}${term.message ? `: ${term.message.trim()}` : ''}` };
  }
  if (c?.state?.running) return { state: 'running', status: 'running' };
  const waiting = c?.state?.waiting;
  if (waiting?.reason && FATAL_WAITING.has(waiting.reason) && !TRANSIENT_CONFIG.test(waiting.message ?? '')) return { state: 'failed', status: `${waiting.reason}: ${waiting.message ?? ''}`.trim() };
  const phase = pod.status?.phase;
  if (phase === 'Failed') return { state: 'failed', status: [pod.status?.reason, pod.status?.message].filter(Boolean).join(': ') || 'failed' };
  if (phase === 'Succeeded') return { state: 'stopped', status: 'exited (0)' };
  if (phase === 'Unknown') return { state: 'unknown', status: pod.status?.message ?? 'the node does not report on this pod' };
  const unschedulable = pod.status?.conditions?.find((x) => x.type === 'PodScheduled' && x.status === 'False');
  if (unschedulable) return { state: 'starting', status: `pending: ${unschedulable.message ?? unschedulable.reason ?? 'not scheduled yet'}` };
  return { state: 'starting', status: waiting?.reason ? `starting: ${waiting.reason}` : 'starting' };
}

export function limitsOf(pod: V1Pod): EngineLimits {
  const c = pod.spec?.containers.find((x) => x.name === CONTAINER);
  const l = c?.resources?.limits ?? {};
  const gpus = parseQuantity(l[GPU_RESOURCE]);
  return { cpus: cpusFrom(l.cpu), memory: parseQuantity(l.memory), gpus: gpus ? { kind: 'count', count: gpus } : null };
}

function startedAt(pod: V1Pod | null): string | null {
  const running = pod?.status?.containerStatuses?.find((s) => s.name === CONTAINER)?.state?.running;
  const at = running?.startedAt;
  return at ? new Date(at).toISOString() : null;
}

/** The labels and annotations of an object, decoded into one map (what the label codec reads). */
export function metaOf(o: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } }): Record<string, string> {
  return { ...decodeLabels(o.metadata?.labels), ...(o.metadata?.annotations ?? {}) };
}

export function toWorkspace(root: V1Service, pod: V1Pod | null, withLimits: boolean): Workspace | null {
  const d = decodeWorkspaceLabels(metaOf(root));
  if (!d) return null;
  const k = { origin: d.origin, user: d.user, name: d.name };
  // A root being deleted (kubectl delete, foreground) is on its way out with everything it owns.
  const { state, status } = root.metadata?.deletionTimestamp ? { state: 'removing' as const, status: 'removing' } : podState(pod);
  const podImage = pod?.spec?.containers.find((x) => x.name === CONTAINER)?.image;
  return {
    ...labelledFields(d),
    id: root.metadata?.uid ?? '',
    state,
    status,
    limits: withLimits && pod ? limitsOf(pod) : null,
    image: d.spec?.image ?? podImage ?? '',
    createdAt: new Date(root.metadata?.creationTimestamp ?? 0).toISOString(),
    startedAt: state === 'running' ? startedAt(pod) : null,
    network: kubeNames.networkPolicy(d.origin, d.user),
    volume: d.spec?.volume === false ? null : kubeNames.claim(k),
    node: pod?.spec?.nodeName ?? null,
  };
}

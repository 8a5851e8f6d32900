/**
 * Everything of this hub in the namespace, for cleanup: workspaces (root Services), data claims,
 * users' named-volume claims and per-user NetworkPolicies. Pods and Secrets are owned by their
 * root and go with it. Objects already being deleted are left out: they are going.
 */
import type { V1NetworkPolicy, V1PersistentVolumeClaim, V1Pod, V1Service } from '@kubernetes/client-node';
import { LABELS } from '../../core/labels';
import type { EngineResource } from '../engine';
import type { KubeClient } from './kube-client';
import { selector } from './kube-labels';
import { VOLUME_SOURCE } from './kube-plan';
import { metaOf } from './kube-state';

type Meta = V1Service | V1PersistentVolumeClaim | V1NetworkPolicy;

export async function listResources(client: KubeClient, origin: string): Promise<EngineResource[]> {
  const ns = client.namespace;
  const labelSelector = selector({ [LABELS.origin]: origin });
  const [roots, claims, policies, pods] = await Promise.all([
    client.core.listNamespacedService({ namespace: ns, labelSelector }),
    client.core.listNamespacedPersistentVolumeClaim({ namespace: ns, labelSelector }),
    client.net.listNamespacedNetworkPolicy({ namespace: ns, labelSelector }),
    client.core.listNamespacedPod({ namespace: ns, labelSelector }),
  ]);
  return resourcesOf(roots.items, claims.items, policies.items, pods.items);
}

/** Pure: the objects → resources, with what is in use and the removal order. */
export function resourcesOf(roots: V1Service[], claims: V1PersistentVolumeClaim[], policies: V1NetworkPolicy[], pods: V1Pod[]): EngineResource[] {
  const live = <T extends Meta>(xs: T[]) => xs.filter((x) => !x.metadata?.deletionTimestamp);
  const workspaces = live(roots).map((r) => ({ r, m: metaOf(r) })).filter(({ m }) => m[LABELS.kind] === 'workspace' && m[LABELS.user] && m[LABELS.workspace]);
  const hasWorkspace = (user: string, name?: string) => workspaces.some(({ m }) => m[LABELS.user] === user && (name === undefined || m[LABELS.workspace] === name));
  const mounted = new Set(pods.flatMap((p) => (p.spec?.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter(Boolean)));
  const out: EngineResource[] = workspaces.map(({ r, m }) => ({
    kind: 'workspace', id: r.metadata!.name!, name: m[LABELS.workspace]!, user: m[LABELS.user]!, workspace: m[LABELS.workspace]!, inUse: true, location: null, order: 0,
  }));
  for (const c of live(claims)) {
    const m = metaOf(c);
    const user = m[LABELS.user];
    if (!user) continue;
    if (m[LABELS.kind] === 'volume' && m[LABELS.workspace]) {
      out.push({ kind: 'volume', id: c.metadata!.name!, name: c.metadata!.name!, user, workspace: m[LABELS.workspace]!, inUse: hasWorkspace(user, m[LABELS.workspace]), location: null, order: 1 });
    } else if (m[LABELS.kind] === 'user-volume') {
      out.push({ kind: 'user-volume', id: c.metadata!.name!, name: m[VOLUME_SOURCE] ?? c.metadata!.name!, user, workspace: null, inUse: mounted.has(c.metadata!.name!), location: null, order: 1 });
    }
  }
  for (const p of live(policies)) {
    const m = metaOf(p);
    const user = m[LABELS.user];
    if (user && m[LABELS.kind] === 'network') {
      out.push({ kind: 'network', id: p.metadata!.name!, name: p.metadata!.name!, user, workspace: null, inUse: hasWorkspace(user), location: null, order: 2 });
    }
  }
  return out;
}

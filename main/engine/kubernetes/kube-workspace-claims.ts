/**
 * A workspace's PersistentVolumeClaims over their life, split from kubernetes-engine.ts so the
 * engine reads as the workspace lifecycle: create makes the data claim (or adopts the kept one of
 * an earlier workspace of that name) and the user's named claims, start waits until they can be
 * mounted, remove releases the data claim from the root (so it is kept) or deletes it.
 */
import { PatchStrategy, setHeaderOptions, type V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { HubdeckError } from '../../core/errors';
import { LABELS } from '../../core/labels';
import type { WorkspaceSpec } from '../../core/workspace-spec';
import type { WorkspaceRef } from '../engine';
import { waitClaimUsable } from './kube-claims';
import { kubeNames } from './kube-names';
import { ownerRef, planClaim, planUserClaims, type RootRef, type StorageSettings } from './kube-plan';
import type { PodContext } from './kube-pod';
import { metaOf } from './kube-state';
import { waitFor } from './kube-watch';

/** What create runs, newest last, to take back what it made when a later step fails. */
export type Undo = (() => Promise<unknown>)[];

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export class WorkspaceClaims {
  constructor(
    private readonly pods: PodContext,
    private readonly origin: string,
    private readonly storage: StorageSettings,
  ) {}

  private get ns(): string {
    return this.pods.client.namespace;
  }

  /** The claims the pod mounts, usable before the pod is made (kube-claims.ts). */
  async waitUsable(spec: WorkspaceSpec): Promise<void> {
    const key = { origin: this.origin, user: spec.user, name: spec.name };
    const names = [...(spec.volume ? [kubeNames.claim(key)] : []), ...planUserClaims(spec, this.origin, this.storage).map((c) => c.metadata!.name!)];
    for (const n of names) await waitClaimUsable(this.pods, n, this.pods.startTimeoutMs);
  }

  /** A new data claim owned by the root, or the kept one of an earlier workspace of that name, adopted. */
  async ensureData(spec: WorkspaceSpec, root: RootRef, undo: Undo): Promise<void> {
    const { client, calls } = this.pods;
    const body = planClaim(spec, this.origin, root, this.storage);
    const name = body.metadata!.name!;
    const made = await calls.ignoring([409], () => client.core.createNamespacedPersistentVolumeClaim({ namespace: this.ns, body }));
    if (made) {
      undo.push(() => this.delete(name));
      return;
    }
    const kept = await calls.call(() => client.core.readNamespacedPersistentVolumeClaim({ name, namespace: this.ns }));
    const d = metaOf(kept);
    if (d[LABELS.origin] !== this.origin || d[LABELS.user] !== spec.user || d[LABELS.workspace] !== spec.name || kept.metadata?.deletionTimestamp) {
      throw new HubdeckError('conflict', `volume claim ${name} exists but is not this workspace's data`, 'volume');
    }
    await calls.call(() => client.core.patchNamespacedPersistentVolumeClaim({ name, namespace: this.ns, body: { metadata: { ownerReferences: [ownerRef(root)] } } }, merge));
    undo.push(() => this.release(name));
  }

  /** A named volume of the user: made, or an existing one of the same user on this hub reused. */
  async ensureUser(body: V1PersistentVolumeClaim, user: string, undo: Undo): Promise<void> {
    const { client, calls } = this.pods;
    const name = body.metadata!.name!;
    const made = await calls.ignoring([409], () => client.core.createNamespacedPersistentVolumeClaim({ namespace: this.ns, body }));
    if (made) {
      undo.push(() => this.delete(name));
      return;
    }
    const found = metaOf(await calls.call(() => client.core.readNamespacedPersistentVolumeClaim({ name, namespace: this.ns })));
    if (found[LABELS.origin] !== this.origin || found[LABELS.user] !== user) {
      throw new HubdeckError('conflict', `volume claim ${name} exists but does not belong to this user on this hub`, 'mounts');
    }
  }

  /** The workspace's data claim if it exists and is ours. */
  async own(ref: WorkspaceRef, name: string): Promise<V1PersistentVolumeClaim | null> {
    const c = await this.pods.calls.ignoring([404], () => this.pods.client.core.readNamespacedPersistentVolumeClaim({ name, namespace: this.ns }));
    const d = c && metaOf(c);
    return d && d[LABELS.origin] === this.origin && d[LABELS.user] === ref.user && d[LABELS.workspace] === ref.name ? c : null;
  }

  /** Drops the claim's owner reference, so deleting the root keeps the data. */
  async release(name: string): Promise<void> {
    await this.pods.calls.ignoring([404], () => this.pods.client.core.patchNamespacedPersistentVolumeClaim({ name, namespace: this.ns, body: { metadata: { ownerReferences: null } } }, merge));
  }

  /** Deletes a claim and waits until it is gone, so a new workspace of the same name starts empty. */
  async delete(name: string): Promise<void> {
    const { client, calls } = this.pods;
    const gone = await calls.ignoring([404], () => client.core.deleteNamespacedPersistentVolumeClaim({ name, namespace: this.ns }));
    if (gone === null) return;
    await waitFor<V1PersistentVolumeClaim, true>(client.kc, {
      path: `/api/v1/namespaces/${this.ns}/persistentvolumeclaims`,
      fieldSelector: `metadata.name=${name}`,
      list: () => calls.call(() => client.core.listNamespacedPersistentVolumeClaim({ namespace: this.ns, fieldSelector: `metadata.name=${name}` })),
      decide: (c) => (c === null ? true : undefined),
      timeoutMs: 60_000,
      onTimeout: async () => new HubdeckError('timeout', `volume claim ${name} was still being deleted after 60 s (is a pod still using it?)`),
    });
  }
}

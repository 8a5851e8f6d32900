/**
 * What Kubernetes objects a workspace spec becomes (docs/architecture.md "Workspaces and labels"; KubeSpawner's layout): a ClusterIP
 * Service as the workspace's root object (it carries the spec and the current expiry, and lives
 * exactly as long as the workspace), a Secret with the web token, a PVC for the data, claims for
 * the user's named volumes, a NetworkPolicy per user, and — while running — a Pod. The Pod, the
 * Secret and the data PVC have owner references to the root, so deleting the root removes them.
 * Pure, so the mapping is tested without a cluster.
 */
import type { V1NetworkPolicy, V1OwnerReference, V1PersistentVolumeClaim, V1Pod, V1Secret, V1Service, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { HubdeckError } from '../../core/errors';
import { LABELS, userLabels, workspaceLabels } from '../../core/labels';
import type { WorkspaceSpec } from '../../core/workspace-spec';
import { workspaceEnv } from '../workspace-env';
import { encodeLabels } from './kube-labels';
import { CONTAINER, kubeNames } from './kube-names';
import { bytesQuantity, cpuQuantity } from './kube-quantity';

/** Labels and annotations of the hub's own pods (deploy/kubernetes): the per-user policy admits them. */
export const HUB_COMPONENT_LABEL = 'hubdeck.io/component';
export const GPU_RESOURCE = 'nvidia.com/gpu';
const TOKEN_KEY = 'token';

export interface StorageSettings {
  /** StorageClass of data claims; undefined: the cluster's default class. */
  storageClass?: string;
  /** Requested size of a workspace's data claim and of a user's named volumes. */
  volumeSize: string;
}

export interface RootRef {
  name: string;
  uid: string;
}

/** The identity labels pods are selected by (the Service's selector). */
export function identity(origin: string, user: string, name: string): Record<string, string> {
  return { [LABELS.origin]: origin, [LABELS.user]: user, [LABELS.workspace]: name };
}

export function ownerRef(root: RootRef): V1OwnerReference {
  return { apiVersion: 'v1', kind: 'Service', name: root.name, uid: root.uid, controller: true, blockOwnerDeletion: true };
}

/** Kubernetes can request a number of GPUs; it cannot pick device ids or "all of the node's". */
export function checkGpus(spec: WorkspaceSpec): void {
  if (spec.gpus && spec.gpus.kind !== 'count') {
    throw new HubdeckError('invalid', `gpus: Kubernetes schedules a number of GPUs (${GPU_RESOURCE}); ask for a count instead of "${spec.gpus.kind === 'all' ? 'all' : spec.gpus.ids.join(',')}"`, 'gpus');
  }
  const bind = spec.mounts.find((m) => m.type === 'bind');
  if (bind) throw new HubdeckError('invalid', `mounts: this Kubernetes engine does not mount host paths (${bind.source}); use a named volume`, 'mounts');
}

export function planRoot(spec: WorkspaceSpec, origin: string): V1Service {
  const k = { origin, user: spec.user, name: spec.name };
  const { labels, annotations } = workspaceLabels(spec, origin);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: kubeNames.root(k), labels: encodeLabels(labels), annotations },
    spec: {
      type: 'ClusterIP',
      selector: encodeLabels(identity(origin, spec.user, spec.name)),
      ports: [{ name: 'web', port: spec.webPort, targetPort: spec.webPort as never, protocol: 'TCP' }],
    },
  };
}

export function planSecret(spec: WorkspaceSpec, origin: string, root: RootRef, webToken: string): V1Secret {
  const k = { origin, user: spec.user, name: spec.name };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name: kubeNames.secret(k), labels: encodeLabels(workspaceLabels(spec, origin, 'secret').labels), ownerReferences: [ownerRef(root)] },
    stringData: { [TOKEN_KEY]: webToken },
  };
}

export function tokenFromSecret(s: V1Secret): string | null {
  const b64 = s.data?.[TOKEN_KEY];
  return b64 ? Buffer.from(b64, 'base64').toString('utf8') : null;
}

export function planClaim(spec: WorkspaceSpec, origin: string, root: RootRef, storage: StorageSettings): V1PersistentVolumeClaim {
  const k = { origin, user: spec.user, name: spec.name };
  const { labels, annotations } = workspaceLabels(spec, origin, 'volume');
  return claim(kubeNames.claim(k), encodeLabels(labels), annotations, storage, [ownerRef(root)]);
}

export function planUserClaims(spec: WorkspaceSpec, origin: string, storage: StorageSettings): V1PersistentVolumeClaim[] {
  return spec.mounts.filter((m) => m.type === 'volume').map((m) =>
    claim(kubeNames.userClaim(origin, spec.user, m.source), encodeLabels({ ...userLabels(origin, spec.user, 'user-volume') }), { [VOLUME_SOURCE]: m.source }, storage, undefined));
}

/** The user's name for a named volume, kept on its claim. */
export const VOLUME_SOURCE = 'hubdeck.io/volume-source';

function claim(name: string, labels: Record<string, string>, annotations: Record<string, string>, s: StorageSettings, owners: V1OwnerReference[] | undefined): V1PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, labels, annotations, ownerReferences: owners },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: s.storageClass, resources: { requests: { storage: s.volumeSize } } },
  };
}

/**
 * One policy per user: their workspaces accept traffic only from the same user's workspaces and
 * from the hub's own pods (the Kubernetes counterpart of Docker's per-user network). Enforced by
 * the cluster's network plugin where it supports NetworkPolicy.
 */
export function planNetworkPolicy(origin: string, user: string): V1NetworkPolicy {
  const mine = encodeLabels({ [LABELS.origin]: origin, [LABELS.user]: user });
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: kubeNames.networkPolicy(origin, user), labels: encodeLabels(userLabels(origin, user, 'network')) },
    spec: {
      podSelector: { matchLabels: mine },
      policyTypes: ['Ingress'],
      ingress: [{ _from: [{ podSelector: { matchLabels: mine } }, { podSelector: { matchLabels: { [HUB_COMPONENT_LABEL]: 'hub' } }, namespaceSelector: {} }] }],
    },
  };
}

export function planPod(spec: WorkspaceSpec, origin: string, root: RootRef): V1Pod {
  const k = { origin, user: spec.user, name: spec.name };
  const { labels } = workspaceLabels(spec, origin);
  // The token comes from the Secret, not the pod spec: reading pods does not reveal it.
  const { JUPYTER_TOKEN: _token, ...env } = workspaceEnv(spec, '');
  const { volumes, mounts } = planVolumes(spec, origin);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: kubeNames.pod(k), labels: encodeLabels(labels), ownerReferences: [ownerRef(root)] },
    spec: {
      // The hub owns the lifecycle: no silent restarts of a crashing or expired workspace.
      restartPolicy: 'Never',
      hostname: spec.name,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 10,
      nodeSelector: Object.keys(spec.placement).length ? spec.placement : undefined,
      containers: [{
        name: CONTAINER,
        image: spec.image,
        // Local images stay usable (clusters on a workstation, air-gapped nodes); a tag is pulled once.
        imagePullPolicy: 'IfNotPresent',
        env: [
          ...Object.entries(env).map(([name, value]) => ({ name, value })),
          { name: 'JUPYTER_TOKEN', valueFrom: { secretKeyRef: { name: kubeNames.secret(k), key: TOKEN_KEY } } },
        ],
        ports: [{ name: 'web', containerPort: spec.webPort, protocol: 'TCP' }],
        resources: resources(spec),
        volumeMounts: mounts,
      }],
      volumes,
    },
  };
}

function planVolumes(spec: WorkspaceSpec, origin: string): { volumes: V1Volume[]; mounts: V1VolumeMount[] } {
  const k = { origin, user: spec.user, name: spec.name };
  const volumes: V1Volume[] = [];
  const mounts: V1VolumeMount[] = [];
  if (spec.volume) {
    volumes.push({ name: 'data', persistentVolumeClaim: { claimName: kubeNames.claim(k) } });
    mounts.push({ name: 'data', mountPath: spec.volumePath });
  }
  if (spec.shm) {
    // Docker's --shm-size: a memory-backed emptyDir over /dev/shm (PyTorch data loaders need it).
    volumes.push({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: bytesQuantity(spec.shm) } });
    mounts.push({ name: 'dshm', mountPath: '/dev/shm' });
  }
  spec.mounts.forEach((m, i) => {
    if (m.type !== 'volume') return;
    volumes.push({ name: `vol-${i}`, persistentVolumeClaim: { claimName: kubeNames.userClaim(origin, spec.user, m.source) } });
    mounts.push({ name: `vol-${i}`, mountPath: m.target, readOnly: m.readOnly });
  });
  return { volumes, mounts };
}

/** Limits from the spec; requests from its reservations, else Kubernetes' default (= the limits). */
function resources(spec: WorkspaceSpec): { limits?: Record<string, string>; requests?: Record<string, string> } {
  const limits: Record<string, string> = {};
  const requests: Record<string, string> = {};
  if (spec.cpus) limits.cpu = cpuQuantity(spec.cpus);
  if (spec.memory) limits.memory = bytesQuantity(spec.memory);
  if (spec.gpus?.kind === 'count') limits[GPU_RESOURCE] = String(spec.gpus.count);
  if (spec.reservations.cpus) requests.cpu = cpuQuantity(spec.reservations.cpus);
  if (spec.reservations.memory) requests.memory = bytesQuantity(spec.reservations.memory);
  return { limits: Object.keys(limits).length ? limits : undefined, requests: Object.keys(requests).length ? requests : undefined };
}

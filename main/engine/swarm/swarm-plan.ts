/**
 * What Swarm objects a workspace spec becomes: one replicated service (replicas 1 running, 0
 * stopped) on the user's attachable overlay network, with limits and reservations, GPUs as generic
 * resources, placement, the data volume and the user's named volumes (created on the node by Swarm
 * with our labels), /dev/shm sized by a tmpfs mount (services have no ShmSize), and our labels on
 * the service and on its tasks' containers. Pure, so the mapping is tested without an engine.
 */
import type Docker from 'dockerode';
import { envToList } from '../../core/env-vars';
import type { GpuRequest } from '../../core/gpus';
import { flatLabels, userLabels, workspaceLabels } from '../../core/labels';
import type { WorkspaceSpec } from '../../core/workspace-spec';
import { workspaceEnv } from '../workspace-env';
import { formatConstraint, type PlacementRules } from './swarm-placement';
import { swarmNames } from './swarm-names';

/** The generic resource kind nodes advertise GPUs under (dockerd `node-generic-resources`). */
export const DEFAULT_GPU_KIND = 'NVIDIA-GPU';

export interface SwarmPlanOptions {
  origin: string;
  webToken: string;
  rules: PlacementRules;
  gpuKind?: string;
  /** Volume driver for data and named volumes; `local` (default) keeps data on the node. */
  volumeDriver?: string;
  start: boolean;
}

export interface ServicePlan {
  name: string;
  network: { name: string; labels: Record<string, string> };
  volumes: string[];
  spec: Docker.ServiceSpec;
}

/** Generic resources in the API's shape (dockerode's types lack the wrapper objects). */
export type GenericResource = { DiscreteResourceSpec?: { Kind: string; Value: number }; NamedResourceSpec?: { Kind: string; Value: string } };

/**
 * A count or device ids as generic resources. "all" has no Swarm form (a reservation is a number
 * or named units), so the engine's capabilities leave it out and the hub refuses it first.
 */
export function gpuResources(gpus: GpuRequest | null, kind = DEFAULT_GPU_KIND): GenericResource[] | undefined {
  if (!gpus || gpus.kind === 'all') return undefined;
  if (gpus.kind === 'count') return [{ DiscreteResourceSpec: { Kind: kind, Value: gpus.count } }];
  return gpus.ids.map((id) => ({ NamedResourceSpec: { Kind: kind, Value: id } }));
}

const nanos = (cpus: number | null) => (cpus ? Math.round(cpus * 1e9) : undefined);

function mountsOf(spec: WorkspaceSpec, o: SwarmPlanOptions): { mounts: Docker.MountSettings[]; volumes: string[] } {
  const key = { origin: o.origin, user: spec.user, name: spec.name };
  const driver = o.volumeDriver && o.volumeDriver !== 'local' ? { DriverConfig: { Name: o.volumeDriver } } : {};
  const mounts: Docker.MountSettings[] = [];
  const volumes: string[] = [];
  if (spec.volume) {
    const name = swarmNames.volume(key);
    volumes.push(name);
    mounts.push({ Type: 'volume', Source: name, Target: spec.volumePath, VolumeOptions: { Labels: flatLabels(workspaceLabels(spec, o.origin, 'volume')), ...driver } } as Docker.MountSettings);
  }
  for (const m of spec.mounts) {
    if (m.type === 'bind') {
      mounts.push({ Type: 'bind', Source: m.source, Target: m.target, ReadOnly: m.readOnly });
      continue;
    }
    const name = swarmNames.userVolume(o.origin, spec.user, m.source);
    volumes.push(name);
    mounts.push({ Type: 'volume', Source: name, Target: m.target, ReadOnly: m.readOnly, VolumeOptions: { Labels: userLabels(o.origin, spec.user, 'user-volume'), ...driver } } as Docker.MountSettings);
  }
  // Services have no ShmSize: a tmpfs of that size over /dev/shm is what `docker run --shm-size` makes.
  if (spec.shm) mounts.push({ Type: 'tmpfs', Target: '/dev/shm', TmpfsOptions: { SizeBytes: spec.shm } } as Docker.MountSettings);
  return { mounts, volumes };
}

export function planService(spec: WorkspaceSpec, o: SwarmPlanOptions): ServicePlan {
  const labels = flatLabels(workspaceLabels(spec, o.origin));
  const network = { name: swarmNames.network(o.origin, spec.user), labels: userLabels(o.origin, spec.user, 'network') };
  const { mounts, volumes } = mountsOf(spec, o);
  const name = swarmNames.service({ origin: o.origin, user: spec.user, name: spec.name });
  const template = {
    ContainerSpec: {
      Image: spec.image,
      Hostname: spec.name,
      Env: envToList(workspaceEnv(spec, o.webToken)),
      // On the task (and so on its container): `docker ps` on any node shows whose it is.
      Labels: labels,
      Mounts: mounts,
      StopGracePeriod: 10e9,
    },
    Resources: {
      Limits: { NanoCPUs: nanos(spec.cpus), MemoryBytes: spec.memory ?? undefined },
      Reservations: { NanoCPUs: nanos(spec.reservations.cpus), MemoryBytes: spec.reservations.memory ?? undefined, GenericResources: gpuResources(spec.gpus, o.gpuKind) },
    },
    // The hub owns the lifecycle: a crash stays visible as failed, never silently restarted.
    RestartPolicy: { Condition: 'none' },
    Placement: {
      Constraints: o.rules.constraints.map(formatConstraint),
      Preferences: o.rules.preferences.map((d) => ({ Spread: { SpreadDescriptor: d } })),
    },
    Networks: [{ Target: network.name, Aliases: [spec.name] }],
  };
  return {
    name,
    network,
    volumes,
    spec: {
      Name: name,
      Labels: labels,
      TaskTemplate: template as Docker.ContainerTaskSpec,
      Mode: { Replicated: { Replicas: o.start ? 1 : 0 } },
      // DNS round robin: no virtual IP, so long-lived WebSockets are not cut by IPVS idle timeouts.
      EndpointSpec: { Mode: 'dnsrr' },
    },
  };
}

/**
 * What Docker objects a workspace spec becomes: the container create body, the per-user network and
 * the data volume, all labelled (docs/architecture.md "Workspaces and labels"). Pure, so the mapping is tested without an engine.
 */
import type Docker from 'dockerode';
import type { WorkspaceSpec } from '../../core/workspace-spec';
import type { GpuRequest } from '../../core/gpus';
import { envToList } from '../../core/env-vars';
import { flatLabels, userLabels, workspaceLabels } from '../../core/labels';
import { resourceNames } from '../../core/names';
import { workspaceEnv } from '../workspace-env';

export interface NamedVolume {
  name: string;
  labels: Record<string, string>;
}

export interface ContainerPlan {
  containerName: string;
  network: NamedVolume;
  volume: NamedVolume | null;
  /** The user's named volumes the spec mounts, created if missing. */
  userVolumes: NamedVolume[];
  create: Docker.ContainerCreateOptions;
}

export function deviceRequests(gpus: GpuRequest | null): Docker.DeviceRequest[] | undefined {
  if (!gpus) return undefined;
  const base = { Driver: '', Capabilities: [['gpu']], Options: {} };
  if (gpus.kind === 'all') return [{ ...base, Count: -1 }];
  if (gpus.kind === 'count') return [{ ...base, Count: gpus.count }];
  return [{ ...base, DeviceIDs: gpus.ids }];
}

export function planContainer(spec: WorkspaceSpec, origin: string, webToken: string): ContainerPlan {
  const key = { origin, user: spec.user, name: spec.name };
  const labels = workspaceLabels(spec, origin);
  const network = { name: resourceNames.network(origin, spec.user), labels: userLabels(origin, spec.user, 'network') };
  const volume = spec.volume
    ? { name: resourceNames.volume(key), labels: flatLabels(workspaceLabels(spec, origin, 'volume')) }
    : null;
  const userVolumes = spec.mounts.filter((m) => m.type === 'volume')
    .map((m) => ({ name: resourceNames.userVolume(origin, spec.user, m.source), labels: userLabels(origin, spec.user, 'user-volume') }));
  const extraMounts: Docker.MountSettings[] = spec.mounts.map((m) => ({
    Type: m.type, Source: m.type === 'volume' ? resourceNames.userVolume(origin, spec.user, m.source) : m.source, Target: m.target, ReadOnly: m.readOnly,
  }));
  const env = workspaceEnv(spec, webToken);
  return {
    containerName: resourceNames.container(key),
    network,
    volume,
    userVolumes,
    create: {
      name: resourceNames.container(key),
      Image: spec.image,
      Hostname: spec.name,
      Env: envToList(env),
      Labels: flatLabels(labels),
      ExposedPorts: { [`${spec.webPort}/tcp`]: {} },
      HostConfig: {
        NanoCpus: spec.cpus ? Math.round(spec.cpus * 1e9) : undefined,
        Memory: spec.memory ?? undefined,
        // A soft floor the kernel protects under memory pressure: Docker's nearest to a reservation.
        MemoryReservation: spec.reservations.memory ?? undefined,
        ShmSize: spec.shm ?? undefined,
        DeviceRequests: deviceRequests(spec.gpus),
        Mounts: [...(volume ? [{ Type: 'volume' as const, Source: volume.name, Target: spec.volumePath }] : []), ...extraMounts],
        NetworkMode: network.name,
        // The hub owns the lifecycle: no silent restarts of a crashing or expired workspace.
        RestartPolicy: { Name: 'no' },
      },
      NetworkingConfig: { EndpointsConfig: { [network.name]: { Aliases: [spec.name] } } },
    },
  };
}

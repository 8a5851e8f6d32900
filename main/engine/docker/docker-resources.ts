/** Everything carrying a hub's origin label on one Docker engine, for cleanup, and its removal. */
import type Docker from 'dockerode';
import { LABELS, labelSelector } from '../../core/labels';
import type { ResourceKind } from '../../core/labels';
import type { EngineResource } from '../engine';

/** Docker lets objects go in this order: containers, then the volumes and networks they used. */
export const REMOVAL_ORDER: Partial<Record<ResourceKind, number>> = { workspace: 0, volume: 1, 'user-volume': 1, network: 2 };

type Listing = { containers: Docker.ContainerInfo[]; volumes: Docker.VolumeInspectInfo[]; networks: Docker.NetworkInspectInfo[] };

export async function listResources(docker: Docker, origin: string, location: string | null = null): Promise<EngineResource[]> {
  const filters = { label: labelSelector(origin) };
  const [containers, volumes, networks] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listVolumes({ filters }).then((r) => r.Volumes ?? []),
    docker.listNetworks({ filters }),
  ]);
  // The list endpoint leaves a network's Containers empty; inspect says who is attached.
  const attached = await Promise.all(networks.map((n) => docker.getNetwork(n.Id).inspect().then((d: { Containers?: object }) => Object.keys(d.Containers ?? {}).length > 0, () => false)));
  return describe({ containers, volumes, networks }, attached, location);
}

function describe(l: Listing, attached: boolean[], location: string | null): EngineResource[] {
  const workspaces = new Set(l.containers.map((c) => `${c.Labels[LABELS.user]}/${c.Labels[LABELS.workspace]}`));
  const mounted = new Set(l.containers.flatMap((c) => (c.Mounts ?? []).map((m) => m.Name).filter(Boolean)));
  const item = (kind: ResourceKind, id: string, name: string, labels: Record<string, string> | undefined, inUse: boolean): EngineResource => ({
    kind, id, name, user: labels?.[LABELS.user] ?? '', workspace: labels?.[LABELS.workspace] ?? null, inUse, location, order: REMOVAL_ORDER[kind] ?? 1,
  });
  const out = l.containers.map((c) => item('workspace', c.Id, c.Names[0]?.replace(/^\//, '') ?? c.Id, c.Labels, true));
  for (const v of l.volumes) {
    const kind = v.Labels?.[LABELS.kind] === 'user-volume' ? 'user-volume' : 'volume';
    const inUse = kind === 'user-volume' ? mounted.has(v.Name) : workspaces.has(`${v.Labels?.[LABELS.user]}/${v.Labels?.[LABELS.workspace]}`);
    out.push(item(kind, v.Name, v.Name, v.Labels ?? undefined, inUse));
  }
  l.networks.forEach((n, i) => out.push({ ...item('network', n.Id, n.Name, n.Labels, attached[i]!), workspace: null }));
  return out;
}

/** Removes one resource; one already gone is fine. */
export async function removeDockerResource(docker: Docker, r: EngineResource, ignoring404: (fn: () => Promise<unknown>) => Promise<void>): Promise<void> {
  if (r.kind === 'workspace') await ignoring404(() => docker.getContainer(r.id).remove({ force: true }));
  else if (r.kind === 'network') await ignoring404(() => docker.getNetwork(r.id).remove());
  else await ignoring404(() => docker.getVolume(r.id).remove());
}

/**
 * Everything carrying a hub's origin label on a swarm, for cleanup: services (workspaces) and
 * overlay networks from the manager, volumes from each node engine the hub can reach (volumes are
 * node-local, so each is reported with its node as `location`). Removal retries briefly where
 * Swarm frees things asynchronously (a removed service's containers, a network's endpoints).
 */
import type Docker from 'dockerode';
import { LABELS, labelSelector, type ResourceKind } from '../../core/labels';
import type { EngineResource } from '../engine';
import { REMOVAL_ORDER } from '../docker/docker-resources';
import { statusOf } from '../docker/docker-errors';
import { containerSpecOf, taskTemplateOf } from './swarm-workspace';

export interface NodeVolumes {
  location: string;
  volumes: Docker.VolumeInspectInfo[];
}

/** Pure: the listing as resources. Networks are in use when a service of ours attaches them. */
export function describeResources(services: Docker.Service[], networks: Docker.NetworkInspectInfo[], perNode: NodeVolumes[]): EngineResource[] {
  const workspaces = new Set(services.map((s) => `${s.Spec?.Labels?.[LABELS.user]}/${s.Spec?.Labels?.[LABELS.workspace]}`));
  const mounted = new Set(services.flatMap((s) => (containerSpecOf(s).Mounts ?? []).map((m) => m.Source)));
  const attached = new Set(services.flatMap((s) => (taskTemplateOf(s).Networks ?? []).map((n) => n.Target)));
  const item = (kind: ResourceKind, id: string, name: string, labels: Record<string, string> | undefined | null, inUse: boolean, location: string | null): EngineResource => ({
    kind, id, name, user: labels?.[LABELS.user] ?? '', workspace: labels?.[LABELS.workspace] ?? null, inUse, location, order: REMOVAL_ORDER[kind] ?? 1,
  });
  const out = services.map((s) => item('workspace', s.ID, s.Spec?.Name ?? s.ID, s.Spec?.Labels, true, null));
  for (const { location, volumes } of perNode) {
    for (const v of volumes) {
      const kind = v.Labels?.[LABELS.kind] === 'user-volume' ? 'user-volume' : 'volume';
      const inUse = kind === 'user-volume' ? mounted.has(v.Name) : workspaces.has(`${v.Labels?.[LABELS.user]}/${v.Labels?.[LABELS.workspace]}`);
      out.push(item(kind, v.Name, v.Name, v.Labels, inUse, location));
    }
  }
  // Swarm keeps a service's network by id once created; either may be what it attaches.
  for (const n of networks) out.push({ ...item('network', n.Id, n.Name, n.Labels, attached.has(n.Id) || attached.has(n.Name), null), workspace: null });
  return out;
}

export async function listSwarmObjects(docker: Docker, origin: string): Promise<{ services: Docker.Service[]; networks: Docker.NetworkInspectInfo[] }> {
  const filters = { label: labelSelector(origin) };
  const [services, networks] = await Promise.all([docker.listServices({ filters }), docker.listNetworks({ filters })]);
  // A plain Docker engine of the same hub id may share this daemon: its bridge networks are not ours.
  return { services, networks: networks.filter((n) => n.Scope === 'swarm') };
}

export async function nodeVolumes(docker: Docker, origin: string): Promise<Docker.VolumeInspectInfo[]> {
  return (await docker.listVolumes({ filters: { label: labelSelector(origin) } })).Volumes ?? [];
}

/** Retries `fn` while it fails with a conflict Swarm resolves on its own (in use, active endpoints). */
export async function whenFreed(fn: () => Promise<unknown>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(500, delay * 1.5)) {
    try {
      await fn();
      return;
    } catch (e) {
      const busy = statusOf(e) === 409 || /in use|active endpoints/i.test(String((e as Error).message));
      if (statusOf(e) === 404) return;
      if (!busy || Date.now() > deadline) throw e;
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** Polls `list` until it is empty (containers of a removed service going away). */
export async function untilEmpty(list: () => Promise<unknown[]>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 25; (await list()).length > 0; delay = Math.min(500, delay * 1.5)) {
    if (Date.now() > deadline) throw new Error(`still there after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

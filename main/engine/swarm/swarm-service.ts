/**
 * Service-level steps of the Swarm engine: the user's attachable overlay network, volume
 * ownership, optimistic-concurrency updates, and pinning a workspace with node-local data to its
 * node.
 */
import type Docker from 'dockerode';
import { HubdeckError } from '../../core/errors';
import { LABELS } from '../../core/labels';
import type { DockerCalls } from '../docker/docker-errors';
import { engineError, statusOf } from '../docker/docker-errors';
import { overlaySubnet } from './swarm-overlay-pool';
import { currentTask, type SwarmTask } from './swarm-task';

/**
 * The user's overlay network: swarm-wide, so a workspace reaches nothing of other users on any
 * node, and attachable, so a hub (or its proxy) running as a container can join it.
 */
export async function ensureOverlay(docker: Docker, calls: DockerCalls, n: { name: string; labels: Record<string, string> }, origin: string): Promise<void> {
  const existing = (await calls.call(() => docker.listNetworks({ filters: { name: [n.name] } }))).find((x) => x.Name === n.name);
  if (existing) {
    if (existing.Labels?.[LABELS.origin] !== origin) throw new HubdeckError('conflict', `network ${n.name} exists but was not created by this hub`);
    if (existing.Driver !== 'overlay') throw new HubdeckError('conflict', `network ${n.name} is a ${existing.Driver} network, not an overlay: remove it, or give this Swarm hub its own id`);
    return;
  }
  // A subnet of the hub's choosing (swarm-overlay-pool.ts); another network may hold it already.
  for (let attempt = 0; ; attempt++) {
    try {
      await docker.createNetwork({
        Name: n.name, Driver: 'overlay', Attachable: true, Labels: n.labels, CheckDuplicate: true,
        IPAM: { Driver: 'default', Config: [overlaySubnet(n.name, attempt)] },
      });
      return;
    } catch (e) {
      // Two creates for one user race here; the loser finds the network made by the winner.
      if (statusOf(e) === 409) return;
      if (attempt < 20 && /overlap/i.test(String((e as Error).message))) continue;
      throw engineError(e, 'swarm manager');
    }
  }
}

/** A volume of that name that is not this user's on this hub is never mounted into a workspace. */
export async function checkVolumesOwned(docker: Docker, calls: DockerCalls, names: string[], origin: string, user: string): Promise<void> {
  for (const name of names) {
    const found = await docker.getVolume(name).inspect().then((i) => i, (e: unknown) => {
      if (statusOf(e) === 404) return null;
      throw e;
    }).catch((e: unknown) => calls.call(() => Promise.reject(e)));
    if (found && (found.Labels?.[LABELS.origin] !== origin || found.Labels?.[LABELS.user] !== user)) {
      throw new HubdeckError('conflict', `volume ${name} exists but does not belong to this user on this hub`, 'mounts');
    }
  }
}

/**
 * Changes a service's spec, read fresh with its version: Swarm refuses an update made against an
 * older version ("update out of sequence"), so a concurrent change is read again and re-applied.
 */
export async function updateService(
  docker: Docker, calls: DockerCalls, id: string, change: (spec: Docker.ServiceSpec, template: Docker.ContainerTaskSpec) => void,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const s = await calls.call(() => docker.getService(id).inspect() as Promise<Docker.Service>);
    const spec = structuredClone(s.Spec ?? {});
    const template = (spec.TaskTemplate ?? {}) as Docker.ContainerTaskSpec;
    change(spec, template);
    spec.TaskTemplate = template;
    try {
      await docker.getService(id).update({ _query: { version: s.Version?.Index }, _body: spec } as never);
      return;
    } catch (e) {
      if (attempt < 4 && /out of sequence/i.test(String((e as Error).message))) continue;
      throw engineError(e, 'swarm manager');
    }
  }
}

/**
 * Local volumes stay on the node that made them: once a workspace with such data has run, it
 * is kept on that node (node.id constraint), or its next start would find an empty volume elsewhere.
 */
export function pinToNode(t: Docker.ContainerTaskSpec, tasks: SwarmTask[], volumeDriver: string | undefined): void {
  if (volumeDriver && volumeDriver !== 'local') return;
  if (!(t.ContainerSpec?.Mounts ?? []).some((m) => m.Type === 'volume')) return;
  const constraints = t.Placement?.Constraints ?? [];
  const node = currentTask(tasks.filter((x) => x.NodeID))?.NodeID;
  if (!node || constraints.some((c) => /^node\.id\s*==/.test(c))) return;
  t.Placement = { ...t.Placement, Constraints: [...constraints, `node.id==${node}`] };
}

/**
 * Cleanup's view of a fake world: every object carrying one hub's origin label, with the same
 * kinds, in-use flags and removal order as the real engines, and removal that refuses what a
 * daemon refuses (a volume or network still in use) so cleanup's ordering is really tested.
 */
import { HubdeckError } from '../../core/errors';
import { LABELS } from '../../core/labels';
import type { EngineResource } from '../engine';
import type { FakeWorld } from './fake-world';

const ORDER = { workspace: 0, volume: 1, 'user-volume': 1, network: 2 } as const;

export function listResources(world: FakeWorld, origin: string): EngineResource[] {
  const mine = (labels: Record<string, string>) => labels[LABELS.origin] === origin;
  const containers = [...world.containers.values()].filter((c) => mine(c.labels));
  const out: EngineResource[] = containers.map((c) => ({
    kind: 'workspace', id: c.id, name: c.name, user: c.labels[LABELS.user] ?? '', workspace: c.labels[LABELS.workspace] ?? null,
    inUse: true, location: null, order: ORDER.workspace,
  }));
  const allContainers = [...world.containers.values()];
  for (const v of world.volumes.values()) {
    if (!mine(v.labels)) continue;
    const user = v.labels[LABELS.user] ?? '';
    const userVolume = v.labels[LABELS.kind] === 'user-volume';
    const workspace = userVolume ? null : v.labels[LABELS.workspace] ?? null;
    // A data volume is in use while its workspace exists; a user's volume while anything mounts it.
    const inUse = userVolume
      ? allContainers.some((c) => c.mounts.some((m) => m.volume === v.name))
      : containers.some((c) => c.labels[LABELS.user] === user && c.labels[LABELS.workspace] === workspace);
    const kind = userVolume ? 'user-volume' : 'volume';
    out.push({ kind, id: v.name, name: v.name, user, workspace, inUse, location: null, order: ORDER[kind] });
  }
  for (const n of world.networks.values()) {
    if (!mine(n.labels)) continue;
    out.push({
      kind: 'network', id: n.id, name: n.name, user: n.labels[LABELS.user] ?? '', workspace: null,
      inUse: allContainers.some((c) => c.network === n.name), location: null, order: ORDER.network,
    });
  }
  return out;
}

/** Removes one resource; gone already is fine (cleanup may race), in use is a conflict. */
export function removeResource(world: FakeWorld, r: EngineResource, removeWorkspace: (id: string) => void): void {
  if (r.kind === 'workspace') {
    if (world.containers.has(r.id)) removeWorkspace(r.id);
    return;
  }
  if (r.kind === 'volume' || r.kind === 'user-volume') {
    if (!world.volumes.has(r.id)) return;
    const user = [...world.containers.values()].find((c) => c.mounts.some((m) => m.volume === r.id));
    if (user) throw new HubdeckError('conflict', `volume ${r.id} is in use by ${user.name}`);
    world.volumes.delete(r.id);
    return;
  }
  if (r.kind === 'network') {
    const n = [...world.networks.values()].find((x) => x.id === r.id);
    if (!n) return;
    if ([...world.containers.values()].some((c) => c.network === n.name)) throw new HubdeckError('conflict', `network ${n.name} has active endpoints`);
    world.networks.delete(n.name);
    return;
  }
  throw new HubdeckError('invalid', `the fake engine has no ${r.kind} resources`);
}

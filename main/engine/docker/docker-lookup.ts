/**
 * Finding a hub's objects on one Docker engine by their labels — never by container name, which
 * carries the mutable expiry (docker-expiry.ts), and never by remembered ids, so a fresh engine
 * instance (or a Swarm engine asking each node) sees what another created.
 */
import type Docker from 'dockerode';
import { LABELS, labelSelector } from '../../core/labels';
import type { WorkspaceRef } from '../engine';

/** The containers of a hub's workspaces, of one user when given. */
export function workspaceContainers(docker: Docker, origin: string, user?: string): Promise<Docker.ContainerInfo[]> {
  const extra: Record<string, string> = { [LABELS.kind]: 'workspace' };
  if (user) extra[LABELS.user] = user;
  return docker.listContainers({ all: true, filters: { label: labelSelector(origin, extra) } });
}

/** The container of one workspace, or null. */
export async function workspaceContainer(docker: Docker, origin: string, ref: WorkspaceRef): Promise<Docker.ContainerInfo | null> {
  const filters = { label: labelSelector(origin, { [LABELS.user]: ref.user, [LABELS.workspace]: ref.name, [LABELS.kind]: 'workspace' }) };
  return (await docker.listContainers({ all: true, filters }))[0] ?? null;
}

/** The names of a workspace's data volumes (one, unless someone copied its labels). */
export async function dataVolumeNames(docker: Docker, origin: string, ref: WorkspaceRef): Promise<string[]> {
  const filters = { label: labelSelector(origin, { [LABELS.user]: ref.user, [LABELS.workspace]: ref.name, [LABELS.kind]: 'volume' }) };
  return ((await docker.listVolumes({ filters })).Volumes ?? []).map((v) => v.Name);
}

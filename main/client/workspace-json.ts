/**
 * The JSON shape of a workspace that `--json` prints: a contract other tools script against
 * (`name`, `user`, `state`, `image`, `cpus`, `memory` in bytes, `gpus`, `expiresAt` at least).
 */
import { formatGpus } from '../core/gpus';
import type { Workspace } from '../engine/engine';
import type { WorkspaceDto } from '../../preload/contract';

/** The full JSON: the renderer's WorkspaceDto (the IPC contract) plus the operational detail. */
export interface WorkspaceJson extends WorkspaceDto {
  shm: number | null;
  env: Record<string, string>;
  volume: string | null;
  volumePath: string | null;
  webPort: number | null;
  createdAt: string;
  startedAt: string | null;
  network: string | null;
  id: string;
  /** Found on the engine but its user is unknown to the hub. */
  orphaned: boolean;
}

export function workspaceJson(w: Workspace & { orphaned?: boolean }): WorkspaceJson {
  const s = w.spec;
  return {
    name: w.name,
    user: w.user,
    state: w.state,
    status: w.status,
    image: w.image,
    cpus: s?.cpus ?? null,
    memory: s?.memory ?? null,
    shm: s?.shm ?? null,
    gpus: s?.gpus ? formatGpus(s.gpus) : null,
    env: s?.env ?? {},
    volume: w.volume,
    volumePath: s?.volume ? s.volumePath : null,
    webPort: s?.webPort ?? null,
    baseUrl: w.baseUrl,
    expiresAt: w.expiresAt,
    createdAt: w.createdAt,
    startedAt: w.startedAt,
    network: w.network,
    id: w.id,
    orphaned: w.orphaned ?? false,
  };
}

/** The subset the desktop UI gets over IPC. */
export function workspaceDto(w: Workspace & { orphaned?: boolean }): WorkspaceDto {
  const { name, user, state, status, image, cpus, memory, gpus, expiresAt, baseUrl } = workspaceJson(w);
  return { name, user, state, status, image, cpus, memory, gpus, expiresAt, baseUrl };
}

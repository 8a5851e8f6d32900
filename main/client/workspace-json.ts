/**
 * The JSON shape of a workspace that `--json` prints: a contract other tools script against
 * (`name`, `user`, `state`, `image`, `cpus`, `memory` in bytes, `gpus`, `expiresAt` at least).
 */
import { formatGpus } from '../core/gpus';
import type { Workspace } from '../engine/engine';

export interface WorkspaceJson {
  name: string;
  user: string;
  state: string;
  status: string;
  image: string;
  cpus: number | null;
  memory: number | null;
  shm: number | null;
  gpus: string | null;
  env: Record<string, string>;
  volume: string | null;
  volumePath: string | null;
  webPort: number | null;
  baseUrl: string;
  expiresAt: string | null;
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

/**
 * The JSON shape of a workspace that `--json` prints: a contract other tools script against
 * (`name`, `user`, `state`, `image`, `cpus`, `memory` in bytes, `gpus`, `expiresAt` at least).
 */
import { formatGpus } from '../core/gpus';
import { formatPlacement } from '../core/placement';
import type { Workspace } from '../engine/engine';

export interface WorkspaceJson {
  name: string;
  user: string;
  state: string;
  status: string;
  image: string;
  cpus: number | null;
  memory: number | null;
  gpus: string | null;
  expiresAt: string | null;
  baseUrl: string;
  shm: number | null;
  env: Record<string, string>;
  volume: string | null;
  volumePath: string | null;
  webPort: number | null;
  placement: string | null;
  mounts: string[];
  createdAt: string;
  startedAt: string | null;
  network: string | null;
  node: string | null;
  id: string;
  /** Found on the engine but its user is unknown to the hub. */
  orphaned: boolean;
  /** The workspace's web address on its own origin; null where no process serves the hub's pages. */
  url: string | null;
  /** Why the spec could not be read (limits then come from the engine), else null. */
  specIssue: string | null;
}

export function workspaceJson(w: Workspace & { orphaned?: boolean; url?: string | null }): WorkspaceJson {
  const s = w.spec;
  const limits = s ?? w.limits;
  return {
    name: w.name,
    user: w.user,
    state: w.state,
    status: w.status,
    image: w.image,
    cpus: limits?.cpus ?? null,
    memory: limits?.memory ?? null,
    gpus: limits?.gpus ? formatGpus(limits.gpus) : null,
    expiresAt: w.expiresAt,
    baseUrl: w.baseUrl,
    shm: s?.shm ?? null,
    env: s?.env ?? {},
    volume: w.volume,
    volumePath: s?.volume ? s.volumePath : null,
    webPort: s?.webPort ?? null,
    placement: s && Object.keys(s.placement).length ? formatPlacement(s.placement) : null,
    mounts: (s?.mounts ?? []).map((m) => `${m.source}:${m.target}${m.readOnly ? ':ro' : ''}`),
    createdAt: w.createdAt,
    startedAt: w.startedAt,
    network: w.network,
    node: w.node,
    id: w.id,
    orphaned: w.orphaned ?? false,
    url: w.url ?? null,
    specIssue: w.specIssue,
  };
}

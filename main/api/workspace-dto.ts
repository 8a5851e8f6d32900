/**
 * Workspaces as the API shows them, their live stats, and what a cleanup sweep did. The engine's
 * own view of a workspace (main/engine/engine.ts, types only) is part of the wire form.
 */
import type { EngineResource, Workspace, WorkspaceStats } from '../engine/engine';

/** A workspace as the hub shows it: the engine's view plus what only the hub knows. */
export interface WorkspaceView extends Workspace {
  /** True when the hub has no such user: found on the engine, neither adopted nor deleted. */
  orphaned: boolean;
  /**
   * The workspace's web address, on its own origin (`http://gpu1--alice.localhost:8586/user/alice/gpu1/`);
   * null when no process serves this hub's web pages.
   */
  url: string | null;
}

export interface StatsSample extends WorkspaceStats {
  user: string;
  name: string;
}

/** One round of samples: every running workspace the stream may see. */
export interface StatsBatch {
  at: string;
  samples: StatsSample[];
}

/** Why cleanup removes a resource: its workspace expired, its user was deleted, or nothing uses it. */
export type CleanupReason = 'expired' | 'user-deleted' | 'dangling-network';

export interface CleanupReport {
  dryRun: boolean;
  items: { kind: EngineResource['kind']; name: string; user: string; workspace: string | null; reason: CleanupReason }[];
  errors: string[];
}

/** One minute of a workspace's use (the mean of that minute's samples): CPU in cores. */
export interface UsagePoint {
  at: string;
  cores: number;
  memoryUsed: number;
  memoryLimit: number;
}

/** A workspace's recent use, a point per minute it ran (the hub keeps the last day, in memory). */
export interface UsageSeries {
  user: string;
  name: string;
  points: UsagePoint[];
}

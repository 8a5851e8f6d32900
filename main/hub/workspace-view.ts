/** A workspace as the hub shows it: the engine's view plus what only the hub knows. */
import type { Workspace } from '../engine/engine';

export interface WorkspaceView extends Workspace {
  /** True when the hub has no such user: found on the engine, neither adopted nor deleted. */
  orphaned: boolean;
}

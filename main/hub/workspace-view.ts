/** A workspace as the hub shows it: the engine's view plus what only the hub knows. */
import type { Workspace } from '../engine/engine';

export interface WorkspaceView extends Workspace {
  /** True when the hub has no such user: found on the engine, neither adopted nor deleted. */
  orphaned: boolean;
  /**
   * The workspace's web address, on its own origin (`http://gpu1--alice.localhost:8586/user/alice/gpu1/`);
   * null when no process serves this hub's web pages.
   */
  url: string | null;
}

/**
 * Everything that changes on a hub, as one typed stream, so the tray, the UI and remote clients
 * update without polling. Each event names the user it concerns; a non-admin sees only theirs.
 */
import type { ProgressEvent, WorkspaceState } from '../engine/engine';

export type HubEvent =
  | { type: 'workspace.state'; user: string; name: string; state: WorkspaceState; at: string }
  /** `opId` ties progress to the request that asked for it (clients pass one with the create). */
  | { type: 'workspace.progress'; user: string; name: string; progress: ProgressEvent; opId?: string; at: string }
  | { type: 'workspace.removed'; user: string; name: string; at: string }
  | { type: 'workspace.expiring'; user: string; name: string; expiresAt: string; at: string }
  /** `volumeKept`: after a remove, whether the workspace had a data volume (kept); absent from older hubs. */
  | { type: 'workspace.expired'; user: string; name: string; action: 'stop' | 'remove'; volumeKept?: boolean; at: string }
  | { type: 'workspace.extended'; user: string; name: string; expiresAt: string; at: string }
  | { type: 'workspace.culled'; user: string; name: string; idleMinutes: number; at: string }
  | { type: 'user.changed'; user: string; change: 'created' | 'updated' | 'deleted'; at: string }
  | { type: 'token.changed'; user: string; change: 'created' | 'revoked'; id: string; at: string }
  | { type: 'cleanup.done'; user: null; removed: number; dryRun: boolean; at: string }
  /** A connected JupyterHub (no event stream) was polled: `ok` false when it did not answer (`error` says why). */
  | { type: 'hub.polled'; user: null; ok: boolean; error?: string; nextInSeconds: number; at: string };

/** Whether a subscriber acting as `user` (admin or not) may see the event. */
export function visibleTo(e: HubEvent, user: string, admin: boolean): boolean {
  return admin || e.user === user;
}

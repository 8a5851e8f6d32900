/**
 * One typed stream of everything that changes, so the tray, the UI and remote clients update
 * without polling. Each event names the user it concerns; a non-admin subscriber sees only theirs.
 */
import type { ProgressEvent, WorkspaceState } from '../engine/engine';

export type HubEvent =
  | { type: 'workspace.state'; user: string; name: string; state: WorkspaceState; at: string }
  | { type: 'workspace.progress'; user: string; name: string; progress: ProgressEvent; at: string }
  | { type: 'workspace.removed'; user: string; name: string; at: string }
  | { type: 'workspace.expiring'; user: string; name: string; expiresAt: string; at: string }
  | { type: 'workspace.expired'; user: string; name: string; action: 'stop' | 'remove'; at: string }
  | { type: 'workspace.extended'; user: string; name: string; expiresAt: string; at: string }
  | { type: 'workspace.culled'; user: string; name: string; idleMinutes: number; at: string }
  | { type: 'user.changed'; user: string; change: 'created' | 'updated' | 'deleted'; at: string }
  | { type: 'token.changed'; user: string; change: 'created' | 'revoked'; id: string; at: string }
  | { type: 'cleanup.done'; user: null; removed: number; dryRun: boolean; at: string };

export type HubEventType = HubEvent['type'];
export type Listener = (e: HubEvent) => void;

export class EventBus {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: HubEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // One broken subscriber must not stop the others (or the hub).
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}

/** Whether a subscriber acting as `user` (admin or not) may see the event. */
export function visibleTo(e: HubEvent, user: string, admin: boolean): boolean {
  return admin || e.user === user;
}

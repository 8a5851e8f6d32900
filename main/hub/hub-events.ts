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
/** `id` increases across the hub's lifetime, so a reconnecting client can ask for what it missed. */
export type Listener = (e: HubEvent, id: number) => void;

/** How many recent events are kept for clients that reconnect (SSE Last-Event-ID). */
const REPLAY = 1000;

export class EventBus {
  private readonly listeners = new Set<Listener>();
  private readonly recent: { id: number; event: HubEvent }[] = [];
  /** Starts from the clock, so ids keep increasing across hub restarts and old Last-Event-IDs replay. */
  private seq = Date.now() * 1000;

  /** Subscribes; with `after`, first replays the kept events whose id is greater. */
  subscribe(listener: Listener, after?: number): () => void {
    if (after !== undefined) for (const r of this.recent) if (r.id > after) this.deliver(listener, r.event, r.id);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: HubEvent): void {
    const id = ++this.seq;
    this.recent.push({ id, event: e });
    if (this.recent.length > REPLAY) this.recent.shift();
    for (const l of this.listeners) this.deliver(l, e, id);
  }

  private deliver(l: Listener, e: HubEvent, id: number): void {
    try {
      l(e, id);
    } catch {
      // One broken subscriber must not stop the others (or the hub).
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

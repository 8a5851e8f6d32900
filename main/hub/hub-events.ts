/**
 * The hub's event bus: one typed stream (main/api/events.ts) of everything that changes, with
 * hub-wide ids and a replay buffer for clients that reconnect.
 */
import type { HubEvent } from '../api/events';

export type { HubEvent };
export { visibleTo } from '../api/events';

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
}

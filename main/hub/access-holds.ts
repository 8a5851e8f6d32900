/**
 * Open ways into workspaces (proxied WebSockets, port streams, SSH connections) keep their right
 * only while it lasts, as the API's event streams do: when a token is revoked, a key removed, a
 * user blocked, deleted or demoted, each hold is re-checked at once (and on a timer, for expiring
 * tokens and changed settings) and ended if its credentials no longer stand for someone allowed in.
 */
import type { WorkspaceRef } from '../engine/engine';
import type { Actor } from './actor';
import type { EventBus } from './hub-events';

export interface Hold {
  /** Who the hold's credentials stand for now, or null when they stand for nobody. */
  reauth: () => Actor | null;
  ref: WorkspaceRef;
  /** Ends the connection (called at most once). */
  end: () => void;
}

/** How often holds are re-checked without an event (expiring tokens, admin access turned off). */
export const RECHECK_MS = 15_000;

export class AccessHolds {
  private readonly holds = new Set<Hold>();
  private readonly off: () => void;
  private readonly timer: NodeJS.Timeout;

  constructor(bus: EventBus, private readonly authorize: (actor: Actor, ref: WorkspaceRef) => void, recheckMs = RECHECK_MS) {
    this.off = bus.subscribe((e) => { if (e.type === 'token.changed' || e.type === 'user.changed') this.recheck(); });
    this.timer = setInterval(() => this.recheck(), recheckMs);
    this.timer.unref();
  }

  /** Registers an open connection; the returned function forgets it (call it when it closes). */
  add(h: Hold): () => void {
    this.holds.add(h);
    return () => { this.holds.delete(h); };
  }

  get size(): number {
    return this.holds.size;
  }

  recheck(): void {
    for (const h of this.holds) {
      if (this.stands(h)) continue;
      this.holds.delete(h);
      h.end();
    }
  }

  private stands(h: Hold): boolean {
    const actor = h.reauth();
    if (!actor) return false;
    try {
      this.authorize(actor, h.ref);
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    this.off();
    clearInterval(this.timer);
  }
}

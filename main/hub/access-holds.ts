/**
 * The hub's one revocation re-checker. Whatever stays open on a credential — a proxied WebSocket,
 * a port stream, an SSH connection, an API event stream or followed log — keeps its right only
 * while it lasts: when a token is revoked, a key removed, a user blocked, deleted or demoted, each
 * hold is re-checked at once (and on a timer, for expiring tokens and changed settings) and ended
 * if its credentials no longer stand for someone allowed to keep it.
 */
import { HubdeckError } from '../core/errors';
import type { Actor } from './actor';
import type { EventBus } from './hub-events';

export interface Hold {
  /** Who the hold's credentials stand for now, or null when they stand for nobody. */
  reauth: () => Actor | null;
  /** Whether `actor` may keep what is held; a refusal thrown counts as no. */
  allows: (actor: Actor) => boolean;
  /** Ends the connection (called at most once). */
  end: () => void;
  /** Told who the credentials stand for after each re-check the hold survives (a demoted admin sees less at once). */
  renewed?: (actor: Actor) => void;
}

/** How often holds are re-checked without an event (expiring tokens, admin access turned off). */
export const RECHECK_MS = 15_000;
/**
 * Open connections one user may hold at once through `reserve` (workspace WebSockets, terminals):
 * a notebook page opens a few, so this is far above use, and far below what would exhaust the
 * hub's descriptors for everyone else.
 */
export const MAX_HOLDS_PER_USER = 64;

export class AccessHolds {
  private readonly holds = new Set<Hold>();
  /** Places taken per user (reserved before the connection is made, so a burst cannot slip past). */
  private readonly reserved = new Map<string, number>();
  private readonly off: () => void;
  private readonly timer: NodeJS.Timeout;

  constructor(bus: EventBus, recheckMs = RECHECK_MS, private readonly perUser = MAX_HOLDS_PER_USER) {
    this.off = bus.subscribe((e) => { if (e.type === 'token.changed' || e.type === 'user.changed') this.recheck(); });
    this.timer = setInterval(() => this.recheck(), recheckMs);
    this.timer.unref();
  }

  /** Registers an open connection; the returned function forgets it (call it when it closes). */
  add(h: Hold): () => void {
    this.holds.add(h);
    return () => { this.holds.delete(h); };
  }

  /**
   * Takes one of `user`'s places (refused as over quota past the limit) before a connection is made; the returned
   * function gives it back, once — call it when the connection closes or was never made.
   */
  reserve(user: string): () => void {
    const n = this.reserved.get(user) ?? 0;
    if (n >= this.perUser) throw new HubdeckError('quota', `${user} has ${this.perUser} workspace connections open, the limit per user; close some first`);
    this.reserved.set(user, n + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const left = (this.reserved.get(user) ?? 1) - 1;
      if (left > 0) this.reserved.set(user, left);
      else this.reserved.delete(user);
    };
  }

  get size(): number {
    return this.holds.size;
  }

  /** Ends every hold whose credentials no longer allow it (done on each token or user change). */
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
      if (!h.allows(actor)) return false;
    } catch {
      return false;
    }
    h.renewed?.(actor);
    return true;
  }

  close(): void {
    this.off();
    clearInterval(this.timer);
  }
}

/**
 * Long-lived answers (event streams, followed logs) keep the right to them only as long as their
 * token does: when a token is revoked, a user blocked, deleted or demoted, or a token expires, the
 * streams it opened are re-checked at once (and every heartbeat, for expiry) and ended if the
 * right is gone. Event streams read the current actor for every event, so a demoted admin stops
 * seeing other users' events immediately.
 */
import type { ServerResponse } from 'node:http';
import type { Actor } from '../hub/actor';
import type { Hub } from '../hub/hub';
import { HttpError } from './http-errors';

export interface StreamLimits {
  /** Open streams one user may hold (events, followed logs, watched stats). */
  perUser: number;
  /** Open streams on the whole hub. */
  total: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { perUser: 16, total: 1000 };

export interface Guarded {
  res: ServerResponse;
  /** The current actor behind the stream's token. */
  actor: Actor;
  /** Whose resource the stream shows (a workspace's logs); null for the event stream. */
  subject: string | null;
}

export class StreamGuard {
  private readonly open = new Map<ServerResponse, Guarded & { reauth: () => Actor | null }>();
  private readonly off: () => void;
  private readonly timer: NodeJS.Timeout;

  constructor(hub: Hub, recheckMs: number, private readonly limits: StreamLimits = DEFAULT_STREAM_LIMITS) {
    this.off = hub.bus.subscribe((e) => { if (e.type === 'token.changed' || e.type === 'user.changed') this.recheck(); });
    this.timer = setInterval(() => this.recheck(), recheckMs);
    this.timer.unref();
  }

  /**
   * Refuses a new stream over the limits (429), before anything is opened: one user holding many
   * streams must not exhaust the hub's descriptors for everyone else.
   */
  admit(actor: Actor): void {
    if (this.open.size >= this.limits.total) throw new HttpError('throttled', `the hub has ${this.limits.total} open streams, its limit; try again later`, { 'retry-after': '10' });
    let mine = 0;
    for (const g of this.open.values()) if (g.actor.user === actor.user) mine++;
    if (mine >= this.limits.perUser) throw new HttpError('throttled', `${actor.user} has ${this.limits.perUser} open streams, the limit per user; close some first`, { 'retry-after': '10' });
  }

  /** `reauth` says who the stream's credentials (a token, a session) stand for now, or null. */
  add(res: ServerResponse, reauth: () => Actor | null, actor: Actor, subject: string | null): Guarded {
    const g = { res, reauth, actor, subject };
    this.open.set(res, g);
    res.on('close', () => this.open.delete(res));
    return g;
  }

  /** Whether the stream still stands (a stream ended by the guard gets nothing more). */
  has(g: Guarded): boolean {
    return this.open.get(g.res) === g;
  }

  all(): ServerResponse[] {
    return [...this.open.keys()];
  }

  private recheck(): void {
    for (const g of this.open.values()) {
      const actor = g.reauth();
      if (!actor || (g.subject !== null && !actor.admin && actor.user !== g.subject)) {
        this.open.delete(g.res);
        g.res.destroy();
      } else g.actor = actor;
    }
  }

  close(): void {
    this.off();
    clearInterval(this.timer);
  }
}

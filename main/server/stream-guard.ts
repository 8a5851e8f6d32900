/**
 * Long-lived answers (event streams, followed logs, watched stats): admitted within limits, and
 * kept only as long as their token's right lasts — the hub's one re-checker (hub/access-holds.ts)
 * ends a stream at once when its token is revoked, its user blocked, deleted or demoted, and every
 * heartbeat for expiry. Event streams read the current actor for every event, so a demoted admin
 * stops seeing other users' events immediately.
 */
import type { ServerResponse } from 'node:http';
import { AccessHolds } from '../hub/access-holds';
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
  private readonly open = new Map<ServerResponse, Guarded>();
  private readonly holds: AccessHolds;

  constructor(hub: Hub, recheckMs: number, private readonly limits: StreamLimits = DEFAULT_STREAM_LIMITS) {
    this.holds = new AccessHolds(hub.bus, recheckMs);
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
    const g = { res, actor, subject };
    this.open.set(res, g);
    const forget = this.holds.add({
      reauth,
      // The subject's own streams, or an admin's; '*' (an admin's `all`) names no user, so admins only.
      allows: (a) => subject === null || a.admin || a.user === subject,
      end: () => { this.open.delete(res); res.destroy(); },
      renewed: (a) => { g.actor = a; },
    });
    res.on('close', () => { this.open.delete(res); forget(); });
    return g;
  }

  /** Whether the stream still stands (a stream ended by the guard gets nothing more). */
  has(g: Guarded): boolean {
    return this.open.get(g.res) === g;
  }

  all(): ServerResponse[] {
    return [...this.open.keys()];
  }

  close(): void {
    this.holds.close();
  }
}

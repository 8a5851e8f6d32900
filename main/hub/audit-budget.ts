/**
 * How many refusals the audit log records, so a flood of refused requests cannot grow it without
 * bound: each client (its address and user) gets REFUSALS_PER_CLIENT entries a minute
 * and all clients together REFUSALS_PER_MINUTE; past that, refusals are only counted, and the
 * client's next recorded refusal says how many were left out. The throttle (server/auth-throttle.ts)
 * already slows failed authentications down; requests without any credentials are not throttled
 * (nobody is guessing), so this bound is what keeps them out of the table. Pure: the clock is given.
 */
const WINDOW_MS = 60_000;
export const REFUSALS_PER_CLIENT = 20;
export const REFUSALS_PER_MINUTE = 600;
/** Clients remembered at once; a flood from many addresses is bounded by the hub-wide budget anyway. */
const MAX_CLIENTS = 10_000;

interface Window {
  start: number;
  recorded: number;
  /** Refusals not recorded since this client's last recorded one. */
  skipped: number;
}

export class RefusalBudget {
  private readonly clients = new Map<string, Window>();
  private hub: Window = { start: 0, recorded: 0, skipped: 0 };

  constructor(private readonly now: () => number) {}

  /**
   * Whether to record a refusal from `client`, and how many before it were left out (to say so
   * in the entry). null: leave this one out.
   */
  admit(client: string): { skipped: number } | null {
    const t = this.now();
    if (t - this.hub.start >= WINDOW_MS) this.hub = { start: t, recorded: 0, skipped: 0 };
    const w = this.windowOf(client, t);
    if (w.recorded >= REFUSALS_PER_CLIENT || this.hub.recorded >= REFUSALS_PER_MINUTE) {
      w.skipped++;
      this.hub.skipped++;
      return null;
    }
    w.recorded++;
    this.hub.recorded++;
    const skipped = w.skipped;
    w.skipped = 0;
    return { skipped };
  }

  private windowOf(client: string, t: number): Window {
    let w = this.clients.get(client);
    if (w && t - w.start >= WINDOW_MS) w = { start: t, recorded: 0, skipped: w.skipped };
    if (!w) {
      if (this.clients.size >= MAX_CLIENTS) this.forgetOld(t);
      w = { start: t, recorded: 0, skipped: 0 };
    }
    this.clients.set(client, w);
    return w;
  }

  /** Drops clients whose minute is over (their skipped counts go unsaid: the hub-wide bound still held). */
  private forgetOld(t: number): void {
    for (const [k, w] of this.clients) if (t - w.start >= WINDOW_MS) this.clients.delete(k);
    if (this.clients.size >= MAX_CLIENTS) this.clients.clear();
  }
}

/**
 * Live CPU and memory of many workspaces in one stream (the workspace list's sparklines). A UI
 * with one stream per workspace ran into the browser's six connections per origin and the hub's
 * per-user stream limit; one stream per list has neither problem. Samples are shared: however many
 * lists are open, each running workspace costs one engine stats call per interval, and one
 * engine-wide list serves them all.
 */
import type { Workspace, WorkspaceEngine, WorkspaceStats } from '../engine/engine';
import type { StatsBatch, StatsSample } from '../api/dto';
import { StatsHistory } from './stats-history';

interface Cached<T> {
  takenAt: number;
  value: Promise<T>;
}

export class StatsFeed {
  private running: Cached<Workspace[]> | null = null;
  private readonly samples = new Map<string, Cached<WorkspaceStats | null>>();
  /** Every sample this feed takes also goes into the last day's history (stats-history.ts). */
  readonly history = new StatsHistory();

  constructor(private readonly engine: WorkspaceEngine, private readonly clock: () => number = Date.now) {}

  /**
   * The running workspaces of `user` (or all, for null) with a sample no older than `maxAgeMs`:
   * a stream asking within that time of another gets the same figures, not new engine calls.
   */
  async batch(user: string | null, maxAgeMs: number): Promise<StatsBatch> {
    const now = this.clock();
    const running = (await this.fresh(this.running, maxAgeMs, now, () => {
      this.running = { takenAt: now, value: this.engine.list({}).then((all) => all.filter((w) => w.state === 'running')) };
      return this.running;
    })).filter((w) => user === null || w.user === user);
    const samples = await Promise.all(running.map(async (w) => {
      const key = `${w.user}/${w.name}`;
      const stats = await this.fresh(this.samples.get(key) ?? null, maxAgeMs, now, () => {
        // A workspace that stops between the list and its sample is left out, not an error.
        const entry = {
          takenAt: now,
          value: this.engine.stats({ user: w.user, name: w.name }).then((s) => { this.history.record(w.user, w.name, s, this.clock()); return s; }, () => null),
        };
        this.samples.set(key, entry);
        return entry;
      });
      return stats && { ...stats, user: w.user, name: w.name };
    }));
    this.forgetOlderThan(now - 4 * maxAgeMs);
    return { at: new Date(now).toISOString(), samples: samples.filter((s): s is StatsSample => s !== null) };
  }

  private fresh<T>(cached: Cached<T> | null, maxAgeMs: number, now: number, take: () => Cached<T>): Promise<T> {
    // Younger than nine tenths of the interval: streams ticking at any offset share one round, and
    // a stream's own next tick (a whole interval later) always takes a new one.
    return cached && now - cached.takenAt < maxAgeMs * 0.9 ? cached.value : take().value;
  }

  /** Samples of workspaces nobody has watched for a while (stopped, removed) are dropped. */
  private forgetOlderThan(limit: number): void {
    for (const [key, entry] of this.samples) if (entry.takenAt < limit) this.samples.delete(key);
  }
}

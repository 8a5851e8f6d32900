/**
 * The last day of each running workspace's CPU and memory, for the "last hour / last day" charts
 * and the admin's usage per user: the hub keeps no stats store, so it keeps a bounded ring in
 * memory — one point per minute (the mean of that minute's samples), at most a day per workspace,
 * at most MAX_WORKSPACES workspaces (the longest silent dropped first). It is fed by every sample
 * the stats feed takes (streams watching, and the maintenance tick's round) and starts empty when
 * the hub restarts: a chart of recent use, not an accounting record.
 */
import type { WorkspaceStats } from '../engine/engine';
import type { UsagePoint, UsageSeries } from '../api/dto';

export const MINUTE_MS = 60_000;
/** A day of minutes. */
export const MAX_POINTS = 24 * 60;
export const MAX_WORKSPACES = 5000;

interface Bucket extends UsagePoint {
  samples: number;
}

export class StatsHistory {
  private readonly rings = new Map<string, Bucket[]>();

  /** Folds a sample into its workspace's minute (a new point when the minute is new). */
  record(user: string, name: string, s: WorkspaceStats, now: number): void {
    const key = `${user}/${name}`;
    const ring = this.rings.get(key) ?? [];
    this.rings.delete(key); // re-inserted last: Map order is then "least recently sampled first"
    const minute = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    const last = ring[ring.length - 1];
    const cores = Math.max(0, s.cpuPercent) / 100;
    if (last && Date.parse(last.at) === minute) {
      last.cores = (last.cores * last.samples + cores) / (last.samples + 1);
      last.memoryUsed = Math.round((last.memoryUsed * last.samples + s.memoryUsed) / (last.samples + 1));
      last.memoryLimit = s.memoryLimit;
      last.samples++;
    } else {
      ring.push({ at: new Date(minute).toISOString(), cores, memoryUsed: s.memoryUsed, memoryLimit: s.memoryLimit, samples: 1 });
      if (ring.length > MAX_POINTS) ring.splice(0, ring.length - MAX_POINTS);
    }
    this.rings.set(key, ring);
    if (this.rings.size > MAX_WORKSPACES) this.rings.delete(this.rings.keys().next().value!);
  }

  /** The points of the last `minutes` (at most a day) of `user`'s workspaces, or everyone's for null. */
  series(user: string | null, minutes: number, now: number): UsageSeries[] {
    const since = now - Math.min(MAX_POINTS, Math.max(1, minutes)) * MINUTE_MS;
    const out: UsageSeries[] = [];
    for (const [key, ring] of this.rings) {
      const [u, name] = key.split('/') as [string, string];
      if (user !== null && u !== user) continue;
      const points = ring.filter((p) => Date.parse(p.at) >= since).map(({ samples: _, ...p }) => p);
      if (points.length) out.push({ user: u, name, points });
    }
    return out.sort((a, b) => a.user.localeCompare(b.user) || a.name.localeCompare(b.name));
  }

  /** A removed workspace's history goes with it. */
  forget(user: string, name: string): void {
    this.rings.delete(`${user}/${name}`);
  }
}

/**
 * The team's use per user, for the admin's Usage chart: each user's workspaces' CPU (cores) and
 * memory added up slot by slot (a slot where none of their workspaces ran stays a gap). Pure.
 */
import type { UsageSeries } from '../../../main/api/dto';
import { timeSlots } from './chart-data';

export interface UserUsage {
  user: string;
  workspaces: number;
  /** Per slot, null where nothing of theirs ran. */
  cores: (number | null)[];
  memory: (number | null)[];
  peakCores: number;
  peakMemory: number;
}

const addInto = (into: (number | null)[], add: (number | null)[]) => add.forEach((v, i) => { if (v !== null) into[i] = (into[i] ?? 0) + v; });
const peak = (xs: (number | null)[]) => xs.reduce<number>((m, v) => Math.max(m, v ?? 0), 0);

export function usageByUser(series: UsageSeries[], slots: number, intervalMs: number, now: number): UserUsage[] {
  const by = new Map<string, UserUsage>();
  for (const s of series) {
    const u = by.get(s.user) ?? { user: s.user, workspaces: 0, cores: new Array(slots).fill(null), memory: new Array(slots).fill(null), peakCores: 0, peakMemory: 0 };
    u.workspaces++;
    addInto(u.cores, timeSlots(s.points, slots, intervalMs, now, (p) => p.cores)[1] as (number | null)[]);
    addInto(u.memory, timeSlots(s.points, slots, intervalMs, now, (p) => p.memoryUsed)[1] as (number | null)[]);
    by.set(s.user, u);
  }
  const out = [...by.values()];
  for (const u of out) { u.peakCores = peak(u.cores); u.peakMemory = peak(u.memory); }
  return out.sort((a, b) => b.peakCores - a.peakCores || a.user.localeCompare(b.user));
}

/**
 * What the charts hand to uPlot (pure: tested without a page). A chart has a fixed number of
 * sample slots with the newest sample in the last one, so the line grows in from the right edge as
 * in activity monitors; scales and ticks are uPlot's own.
 */
import type uPlot from 'uplot';

/** x = slot index, right-aligned; one y array per series, each clamped into [0, its max] when given. */
export function slotData(series: readonly (readonly number[])[], slots: number, max: readonly (number | undefined)[] = []): uPlot.AlignedData {
  const n = series[0]?.length ?? 0;
  const offset = Math.max(0, slots - n);
  const xs = Array.from({ length: Math.min(n, slots) }, (_, i) => offset + i);
  const ys = series.map((values, s) => values.slice(-slots).map((v) => clamp(v, max[s])));
  return [xs, ...ys];
}

/** A spike past a hard top (100 % of a memory limit) draws at the edge, not off the canvas. */
function clamp(v: number, top: number | undefined): number {
  const low = Math.max(v, 0);
  return top === undefined || top <= 0 ? low : Math.min(low, top);
}

/** The time axis's label for a slot, with its unit: "90 s ago" at the left edge, "now" at the right. */
export function slotLabel(slot: number, slots: number, intervalMs: number): string {
  return agoLabel((slots - 1 - slot) * intervalMs);
}

/** "now", "45 s ago", "30 min ago", "6 h ago": a time before now in the unit that reads best. */
export function agoLabel(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s <= 0) return 'now';
  if (s < 120) return `${s} s ago`;
  if (s < 120 * 60) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

/** Where the time axis has ticks: both edges and the middle (uPlot's own fall on odd slots; more overlap at 800 px). */
export function slotSplits(slots: number): number[] {
  return [0, Math.round((slots - 1) / 2), slots - 1];
}

/**
 * Timed points into `slots` slots of `intervalMs` ending now (the newest slot is the last): a slot
 * holds the mean of its points, and a slot without any is null, which uPlot draws as a gap (the
 * workspace was stopped), not as zero use.
 */
export function timeSlots<P extends { at: string }>(points: readonly P[], slots: number, intervalMs: number, now: number, value: (p: P) => number): uPlot.AlignedData {
  const sum = new Array<number>(slots).fill(0);
  const count = new Array<number>(slots).fill(0);
  for (const p of points) {
    const slot = slots - 1 - Math.floor((now - Date.parse(p.at)) / intervalMs);
    if (slot < 0 || slot >= slots) continue;
    sum[slot]! += value(p);
    count[slot]!++;
  }
  return [Array.from({ length: slots }, (_, i) => i), sum.map((v, i) => (count[i] ? v / count[i]! : null))];
}

/** The y range: from 0, at least `floor` (100 % CPU, 1 MiB), a round number above higher data. */
export const RISING_RANGE = (floor: number): uPlot.Range.Config => ({
  min: { soft: 0, mode: 1, hard: 0 },
  max: { soft: floor, mode: 1, pad: 0.1 },
});

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

/** The time axis's label for a slot: "−90s" at the left edge, "now" at the right. */
export function slotLabel(slot: number, slots: number, intervalMs: number): string {
  const ago = Math.round(((slots - 1 - slot) * intervalMs) / 1000);
  return ago <= 0 ? 'now' : `−${ago}s`;
}

/** The y range: from 0, at least `floor` (100 % CPU, 1 MiB), a round number above higher data. */
export const RISING_RANGE = (floor: number): uPlot.Range.Config => ({
  min: { soft: 0, mode: 1, hard: 0 },
  max: { soft: floor, mode: 1, pad: 0.1 },
});

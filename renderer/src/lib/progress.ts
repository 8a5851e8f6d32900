/**
 * One bar for a whole create: engines report each phase's own percentage (a pull's layers, then
 * create 100, start 100, maybe ready), so the phases get a slice each and the bar never goes back.
 */
import type { ProgressEvent } from '../../../main/api/dto';

const SLICES: Record<ProgressEvent['phase'], [number, number]> = {
  pull: [0, 60],
  create: [60, 75],
  start: [75, 90],
  ready: [90, 100],
};

/** The overall percentage for `p`, at least `previous`. */
export function overallPercent(p: ProgressEvent, previous = 0): number {
  const [lo, hi] = SLICES[p.phase];
  const within = Math.max(0, Math.min(100, p.percent));
  return Math.max(previous, Math.round(lo + ((hi - lo) * within) / 100));
}

/** What the step means to a user, past the engine's own message. */
export function stepLabel(p: ProgressEvent | null): string {
  if (!p) return 'Sending the request';
  if (p.phase === 'pull') return 'Pulling the image';
  if (p.phase === 'create') return 'Creating';
  if (p.phase === 'start') return p.percent >= 100 ? 'Started; waiting for it to answer' : 'Starting';
  return 'Ready';
}

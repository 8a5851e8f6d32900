// renderer/src/lib/chart-data.ts: what the charts hand to uPlot, and the y range uPlot makes of it.
import uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import { agoLabel, RISING_RANGE, slotData, slotLabel, slotSplits, timeSlots } from '../../../renderer/src/lib/chart-data';

describe('charts', () => {
  it('puts the newest sample at the right edge, clamps into [0, max], keeps the last slots', () => {
    expect(slotData([[0, 50, 200]], 3, [100])).toEqual([[0, 1, 2], [0, 50, 100]]);
    expect(slotData([[50]], 3)).toEqual([[2], [50]]);
    expect(slotData([[]], 40)).toEqual([[], []]);
    expect(slotData([[-5, 1, 2, 3], [10, 20, 30, 40]], 3, [undefined, 25])).toEqual([[0, 1, 2], [1, 2, 3], [20, 25, 25]]);
  });

  it('labels the time axis with its unit, from "89 s ago" at the left edge to "now"', () => {
    expect(slotLabel(0, 90, 1000)).toBe('89 s ago');
    expect(slotLabel(89, 90, 1000)).toBe('now');
    expect(slotLabel(0, 40, 2000)).toBe('78 s ago');
    expect(agoLabel(3600_000)).toBe('60 min ago');
    expect(agoLabel(24 * 3600_000)).toBe('24 h ago');
    expect(slotSplits(90)).toEqual([0, 45, 89]);
  });

  it('puts timed points into slots ending now, a gap where there were none', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0);
    const at = (minAgo: number) => new Date(now - minAgo * 60_000 + 1).toISOString();
    const pts = [{ at: at(3), v: 1 }, { at: at(1), v: 2 }, { at: at(1), v: 4 }, { at: at(90), v: 9 }];
    expect(timeSlots(pts, 4, 60_000, now, (p) => p.v)).toEqual([[0, 1, 2, 3], [null, 1, null, 3]]);
  });

  it('ranges from 0 to at least the floor, and to a round number above higher data (uPlot)', () => {
    expect(uPlot.rangeNum(0, 30, RISING_RANGE(100))).toEqual([0, 100]);
    const [low, high] = uPlot.rangeNum(0, 130, RISING_RANGE(100)) as [number, number];
    expect(low).toBe(0);
    expect(high).toBeGreaterThan(130);
    expect(high % 10).toBe(0);
  });
});

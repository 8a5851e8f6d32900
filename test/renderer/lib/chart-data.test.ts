// renderer/src/lib/chart-data.ts: what the charts hand to uPlot, and the y range uPlot makes of it.
import uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import { RISING_RANGE, slotData, slotLabel } from '../../../renderer/src/lib/chart-data';

describe('charts', () => {
  it('puts the newest sample at the right edge, clamps into [0, max], keeps the last slots', () => {
    expect(slotData([[0, 50, 200]], 3, [100])).toEqual([[0, 1, 2], [0, 50, 100]]);
    expect(slotData([[50]], 3)).toEqual([[2], [50]]);
    expect(slotData([[]], 40)).toEqual([[], []]);
    expect(slotData([[-5, 1, 2, 3], [10, 20, 30, 40]], 3, [undefined, 25])).toEqual([[0, 1, 2], [1, 2, 3], [20, 25, 25]]);
  });

  it('labels the time axis from "−Ns" at the left edge to "now"', () => {
    expect(slotLabel(0, 90, 1000)).toBe('−89s');
    expect(slotLabel(89, 90, 1000)).toBe('now');
    expect(slotLabel(0, 40, 2000)).toBe('−78s');
  });

  it('ranges from 0 to at least the floor, and to a round number above higher data (uPlot)', () => {
    expect(uPlot.rangeNum(0, 30, RISING_RANGE(100))).toEqual([0, 100]);
    const [low, high] = uPlot.rangeNum(0, 130, RISING_RANGE(100)) as [number, number];
    expect(low).toBe(0);
    expect(high).toBeGreaterThan(130);
    expect(high % 10).toBe(0);
  });
});

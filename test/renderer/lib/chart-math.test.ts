// renderer/src/lib/chart-math.ts: chart scaling.
import { describe, expect, it } from 'vitest';
import { niceMax, polylinePoints } from '../../../renderer/src/lib/chart-math';

describe('charts', () => {
  it('scales values into the box, newest at the right edge, clamped', () => {
    expect(polylinePoints([0, 50, 200], 100, 10, 100, 3)).toBe('0,10 50,5 100,0');
    expect(polylinePoints([50], 100, 10, 100, 3)).toBe('100,5');
    expect(polylinePoints([], 100, 10, 100)).toBe('');
    expect(niceMax([30], 100)).toBe(100);
    expect(niceMax([130], 100)).toBe(200);
    expect(niceMax([260], 100)).toBe(500);
  });
});

// main/core/gpus.ts: GPU requests counted and formatted.
import { describe, expect, it } from 'vitest';
import { formatGpus, gpuCount, parseGpus } from '../../../main/core/gpus';

describe('gpus', () => {
  it('counts and formats GPUs', () => {
    expect(gpuCount(parseGpus('all') as never, 4)).toBe(4);
    expect(gpuCount(parseGpus('0,2') as never, 4)).toBe(2);
    expect(gpuCount(null, 4)).toBe(0);
    expect(formatGpus(parseGpus('3') as never)).toBe('3');
  });
});

// renderer/src/lib/cpu-scale.ts: CPU drawn against the workspace's limit in cores (issue 20 item 7).
import { describe, expect, it } from 'vitest';
import { cpuScale, cpuText, formatCores, memoryText } from '../../../renderer/src/lib/cpu-scale';
import { formatBytes } from '../../../renderer/src/lib/format';

describe('CPU against the limit', () => {
  it('shows a 0.5-CPU workspace pegged at its limit as full, in cores, not as 50% of one core', () => {
    const scale = cpuScale(0.5, 8);
    expect(scale).toBe(0.5);
    expect(cpuText(50, scale)).toBe('0.5 of 0.5 cores (100%)');
  });

  it('falls back to the CPUs the engine sees when there is no limit', () => {
    expect(cpuScale(null, 4)).toBe(4);
    expect(cpuScale(null, 0)).toBe(1);
    expect(cpuText(100, cpuScale(null, 4))).toBe('1 of 4 cores (25%)');
  });

  it('writes cores and memory with their limits', () => {
    expect(formatCores(1)).toBe('1 core');
    expect(formatCores(0.0123)).toBe('0.01 cores');
    expect(memoryText(256 * 1024 ** 2, 512 * 1024 ** 2, formatBytes)).toBe('256 MiB of 512 MiB (50%)');
    expect(memoryText(256 * 1024 ** 2, 0, formatBytes)).toBe('256 MiB');
  });
});

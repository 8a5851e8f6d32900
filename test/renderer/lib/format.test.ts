// renderer/src/lib/format.ts: sizes, CPUs, GPUs and time left as people read them.
import { describe, expect, it } from 'vitest';
import { expiresSoon, formatBytes, formatCpus, formatGpus, timeLeft } from '../../../renderer/src/lib/format';

const at = '2026-01-01T00:00:00Z';

describe('format', () => {
  it('writes sizes, CPUs, GPUs and time left as people read them', () => {
    expect(formatBytes(512 * 1024 ** 2)).toBe('512 MiB');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
    expect(formatBytes(null)).toBe('—');
    expect(formatCpus(1)).toBe('1 CPU');
    expect(formatCpus(0.5)).toBe('0.5 CPUs');
    expect(formatCpus(null)).toBe('no limit');
    expect(formatGpus({ kind: 'devices', ids: ['0', '2'] })).toBe('0,2');
    const now = Date.parse(at);
    expect(timeLeft('2026-01-03T00:00:00Z', now - 60_000)).toBe('2d 0h');
    expect(timeLeft('2026-01-01T03:12:00Z', now)).toBe('3h 12m');
    expect(timeLeft('2026-01-01T00:04:10Z', now)).toBe('4m 10s');
    expect(timeLeft('2025-12-31T00:00:00Z', now)).toBe('expired');
    expect(expiresSoon('2026-01-01T23:00:00Z', now)).toBe(true);
    expect(expiresSoon('2026-01-03T00:00:00Z', now)).toBe(false);
  });
});

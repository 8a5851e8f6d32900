// renderer/src/lib/format.ts: sizes, CPUs, GPUs and time left as people read them.
import { describe, expect, it } from 'vitest';
import { expiresSoon, extendedExpiry, formatBytes, formatCpus, formatExpiryPreview, formatGpus, formatSpan, timeLeft } from '../../../renderer/src/lib/format';

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

// Issue 20 item 5: the Extend dialog's "new expiry: Fri 19 Dec, 14:00 (in 12 days)".
describe('the expiry an extension gives', () => {
  const now = new Date(2026, 11, 7, 14, 0).getTime();
  it('counts from the current expiry while it is ahead, else from now, as the hub does', () => {
    const in2 = new Date(2026, 11, 9, 14, 0).toISOString();
    expect(extendedExpiry(in2, 10, now)).toBe(new Date(2026, 11, 19, 14, 0).getTime());
    expect(extendedExpiry(new Date(2026, 11, 1).toISOString(), 1, now)).toBe(now + 86_400_000);
    expect(extendedExpiry(null, 0, now)).toBeNull();
  });
  it('writes it with the weekday and how far off it is', () => {
    expect(formatExpiryPreview(new Date(2026, 11, 19, 14, 0).getTime(), now)).toBe('Sat 19 Dec, 14:00 (in 12 days)');
    expect(formatSpan(3 * 3_600_000)).toBe('3 hours');
    expect(formatSpan(60_000)).toBe('1 minute');
  });
});

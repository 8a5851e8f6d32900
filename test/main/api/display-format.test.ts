// main/api/display-format.ts: sizes, CPUs, GPUs, durations and dates as people read them, in the CLI and the UI alike.
import { describe, expect, it } from 'vitest';
import {
  expiresSoon, expiryPhrase, extendedExpiry, formatBytes, formatCpus, formatDate, formatDuration, formatExpiryPreview, formatGpus, formatRelative, formatUsage, timeLeft,
} from '../../../main/api/display-format';
import * as rendererFormat from '../../../renderer/src/lib/format';

const at = '2026-01-01T00:00:00Z';

describe('display-format', () => {
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

  it('writes usage against a limit the way the stats command prints it (not "67320k / 512m")', () => {
    expect(formatUsage(67320 * 1024, 512 * 1024 ** 2)).toBe('65.7 MiB / 512 MiB');
    expect(formatUsage(1024, null)).toBe('1 KiB / no limit');
  });

  it('writes durations in their two largest units', () => {
    expect(formatDuration(((2 * 24 + 23) * 3600 + 59) * 1000)).toBe('2d 23h');
    expect(formatDuration(9_000)).toBe('9s');
    expect(formatDuration(-5)).toBe('0s');
    expect(expiryPhrase('2026-01-03T23:00:00Z', Date.parse(at))).toBe('expires in 2d 23h');
    expect(expiryPhrase(null, 0)).toBe('never expires');
    expect(expiryPhrase('2025-01-01T00:00:00Z', Date.parse(at))).toBe('expired');
  });

  it('writes dates as "Fri 19 Dec, 14:00", with the year only when it is not this one', () => {
    const now = Date.parse('2025-12-01T00:00:00Z');
    expect(formatDate('2025-12-19T14:00:00Z', { utc: true, now })).toBe('Fri 19 Dec, 14:00');
    expect(formatDate('2026-01-02T09:05:00Z', { utc: true, now })).toBe('Fri 2 Jan 2026, 09:05');
    expect(formatDate(null)).toBe('—');
    expect(formatDate('not a date')).toBe('not a date');
  });

  it('writes relative times in the largest whole unit', () => {
    const now = Date.parse(at);
    expect(formatRelative('2026-01-13T01:00:00Z', now)).toBe('in 12 days');
    expect(formatRelative('2026-01-01T01:00:00Z', now)).toBe('in 1 hour');
    expect(formatRelative('2025-12-31T23:55:00Z', now)).toBe('5 minutes ago');
    expect(formatRelative('2026-01-01T00:00:20Z', now)).toBe('just now');
  });

  it('is the module the UI formats with (renderer/src/lib/format.ts re-exports it)', () => {
    expect(rendererFormat.formatBytes).toBe(formatBytes);
    expect(rendererFormat.timeLeft).toBe(timeLeft);
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
    expect(formatExpiryPreview(now + 3 * 3_600_000, now)).toBe('Mon 7 Dec, 17:00 (in 3 hours)');
    // 2 days left less a few minutes, plus 10: still "in 12 days", as people asked for.
    expect(formatExpiryPreview(new Date(2026, 11, 19, 13, 55).getTime(), now)).toBe('Sat 19 Dec, 13:55 (in 12 days)');
  });
});

// main/core/expiry.ts: expiry times from days to live, and the checks on them.
import { describe, expect, it } from 'vitest';
import { expiresAtFromDays, isExpired, msUntilExpiry } from '../../../main/core/expiry';

describe('expiry', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  it('computes and checks expiry', () => {
    const at = expiresAtFromDays(1.5, now);
    expect(at).toBe('2026-03-03T00:00:00.000Z');
    expect(isExpired(at, now)).toBe(false);
    expect(isExpired(at, new Date('2026-03-03T00:00:00Z'))).toBe(true);
    expect(isExpired(null, now)).toBe(false);
    expect(msUntilExpiry(at, now)).toBe(36 * 3600 * 1000);
    expect(msUntilExpiry(null, now)).toBeNull();
  });
});

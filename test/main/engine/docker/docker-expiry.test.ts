import { describe, expect, it } from 'vitest';
import { expiryFromName, nameWithExpiry } from '../../../../main/engine/docker/docker-expiry';

describe('expiry in the container name', () => {
  const base = 'hubdeck-alice-nb-0abc123';

  it('round-trips an expiry to the millisecond, and "never"', () => {
    const at = '2031-05-06T07:08:09.123Z';
    expect(nameWithExpiry(`/${base}`, at)).toBe(`${base}.exp-${Date.parse(at)}`);
    expect(expiryFromName(`/${nameWithExpiry(base, at)}`)).toBe(at);
    expect(expiryFromName(nameWithExpiry(base, null))).toBeNull();
  });

  it('replaces an earlier suffix instead of stacking them', () => {
    const once = nameWithExpiry(base, '2031-01-01T00:00:00.000Z');
    expect(nameWithExpiry(once, null)).toBe(`${base}.exp-never`);
    expect(nameWithExpiry(nameWithExpiry(once, null), '2032-01-01T00:00:00.000Z')).toBe(`${base}.exp-${Date.parse('2032-01-01T00:00:00.000Z')}`);
  });

  it('says nothing (labels decide) for a name without a suffix or with a look-alike', () => {
    for (const name of [undefined, '', `/${base}`, `${base}.exp-`, `${base}.exp-soon`, `${base}.exp-12x`]) expect(expiryFromName(name)).toBeUndefined();
  });
});

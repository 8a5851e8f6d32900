/** How the hub keys a client address for throttles and connection caps (pure). */
import { describe, expect, it } from 'vitest';
import { addressKey } from '../../../main/server/client-address';

describe('addressKey', () => {
  it('keys addresses: IPv4-mapped to IPv4, ::1 to 127.0.0.1, IPv6 to its /64', () => {
    expect(addressKey('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(addressKey('::FFFF:10.1.2.3')).toBe('10.1.2.3');
    expect(addressKey('::1')).toBe('127.0.0.1');
    expect(addressKey('127.0.0.1')).toBe('127.0.0.1');
    expect(addressKey('2001:db8:0:5:1::7')).toBe('2001:db8:0:5::/64');
    expect(addressKey('2001:DB8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey(addressKey('2001:db8:0:5:1::7'))).toBe('2001:db8:0:5::/64');
    expect(addressKey('unknown')).toBe('unknown');
  });
});

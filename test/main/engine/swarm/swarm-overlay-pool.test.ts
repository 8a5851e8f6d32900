import { describe, expect, it } from 'vitest';
import { hubAddress, overlaySubnet } from '../../../../main/engine/swarm/swarm-overlay-pool';

describe('user overlay addresses', () => {
  it('chooses a /24 in 10.128.0.0/10 per network and attempt, tasks in its lower half', () => {
    const a = overlaySubnet('hubdeck-team-alice', 0);
    expect(a.Subnet).toMatch(/^10\.(1(2[89]|[3-8]\d|9[01]))\.\d{1,3}\.0\/24$/);
    expect(a.IPRange).toBe(a.Subnet.replace('/24', '/25'));
    expect(a.Gateway).toBe(a.Subnet.replace('.0/24', '.1'));
    expect(overlaySubnet('hubdeck-team-alice', 0)).toEqual(a);
    expect(overlaySubnet('hubdeck-team-alice', 1).Subnet).not.toBe(a.Subnet);
    const many = new Set(Array.from({ length: 200 }, (_, i) => overlaySubnet(`hubdeck-team-u${i}`, 0).Subnet));
    expect(many.size).toBeGreaterThan(195);
  });

  it('gives the hub an address of the upper half, and none on a network it did not lay out', () => {
    const c = overlaySubnet('hubdeck-team-bob', 3);
    expect(hubAddress(c)).toBe(c.Subnet.replace('.0/24', '.254'));
    expect(hubAddress({ Subnet: '10.0.40.0/24' })).toBeNull();
    expect(hubAddress({ Subnet: '10.0.40.0/24', IPRange: '10.0.40.0/26' })).toBeNull();
    expect(hubAddress(undefined)).toBeNull();
  });
});

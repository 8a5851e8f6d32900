/** Where a gateway forward may land: the workspace's loopback, its own address, nowhere else. */
import { describe, expect, it } from 'vitest';
import { forwardTarget } from '../../../main/access/forward-target';

describe('forwardTarget', () => {
  it('reads the spellings of localhost as the workspace\'s loopback', () => {
    for (const h of ['localhost', 'LOCALHOST', 'localhost.', '127.0.0.1', '::1', '[::1]', '0.0.0.0', 'ip6-localhost']) expect(forwardTarget(h, 'gpu1')).toBe('loopback');
  });

  it('reads the workspace\'s own name as its address', () => {
    expect(forwardTarget('gpu1', 'gpu1')).toBe('address');
    expect(forwardTarget('GPU1', 'gpu1')).toBe('address');
  });

  it('refuses every other host: its network, other workspaces, the hub\'s side, the internet', () => {
    for (const h of ['172.17.0.1', '10.0.0.5', '127.0.0.2', 'gpu2', 'gpu1--alice.localhost', 'gpu1.hubdeck', 'example.com', '', 'host.docker.internal', '169.254.169.254']) {
      expect(forwardTarget(h, 'gpu1')).toBeNull();
    }
  });
});

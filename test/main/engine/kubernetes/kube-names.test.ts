// main/engine/kubernetes/kube-names.ts: object names: DNS-1035 labels, unique per origin/user/name.
import { describe, expect, it } from 'vitest';
import { kubeNames } from '../../../../main/engine/kubernetes/kube-names';

describe('names', () => {
  it('are DNS-1035 labels of at most 63 characters, unique per origin/user/name', () => {
    const long = { origin: 'o'.repeat(24), user: `u${'a'.repeat(31)}`, name: 'n'.repeat(40) };
    for (const n of [kubeNames.root(long), kubeNames.claim(long), kubeNames.secret(long), kubeNames.userClaim(long.origin, long.user, 'x'.repeat(40)), kubeNames.networkPolicy(long.origin, long.user)]) {
      expect(n.length).toBeLessThanOrEqual(63);
      expect(n).toMatch(/^[a-z]([a-z0-9-]*[a-z0-9])?$/);
    }
    expect(kubeNames.root({ origin: 'a', user: 'u', name: 'x-y' })).not.toBe(kubeNames.root({ origin: 'a', user: 'u-x', name: 'y' }));
    expect(kubeNames.root({ origin: 'a', user: 'u', name: 'w' })).not.toBe(kubeNames.root({ origin: 'b', user: 'u', name: 'w' }));
  });
});

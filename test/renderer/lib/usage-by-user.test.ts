// renderer/src/lib/usage-by-user.ts: the admin's usage per user, added up per time slot.
import { describe, expect, it } from 'vitest';
import { usageByUser } from '../../../renderer/src/lib/usage-by-user';

const now = Date.UTC(2026, 0, 1, 12, 0);
const p = (minAgo: number, cores: number, memoryUsed = 10) => ({ at: new Date(now - minAgo * 60_000 + 1).toISOString(), cores, memoryUsed, memoryLimit: 100 });

describe('usage per user', () => {
  it("adds up a user's workspaces per slot, leaves gaps, and puts the heaviest user first", () => {
    const out = usageByUser([
      { user: 'amy', name: 'a', points: [p(1, 0.5)] },
      { user: 'bob', name: 'x', points: [p(3, 1), p(1, 1)] },
      { user: 'bob', name: 'y', points: [p(1, 0.5, 20)] },
    ], 3, 60_000, now);
    expect(out.map((u) => u.user)).toEqual(['bob', 'amy']);
    expect(out[0]).toMatchObject({ workspaces: 2, cores: [1, null, 1.5], memory: [10, null, 30], peakCores: 1.5, peakMemory: 30 });
    expect(out[1]).toMatchObject({ workspaces: 1, cores: [null, null, 0.5] });
  });
});

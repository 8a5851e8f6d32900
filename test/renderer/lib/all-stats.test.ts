// renderer/src/lib/all-stats.tsx: the list's per-workspace stats series.
import { describe, expect, it } from 'vitest';
import { SeriesStore } from '../../../renderer/src/lib/all-stats';

describe('the list\'s stats series', () => {
  const sample = (user: string, name: string, cpu: number) => ({ user, name, cpuPercent: cpu, onlineCpus: 1, memoryUsed: 1, memoryLimit: 2, at: 'x' });
  it('keeps each workspace\'s last 40 samples, drops a workspace missing from a batch, and tells only on a batch', () => {
    const store = new SeriesStore();
    let told = 0;
    store.subscribe(() => told++);
    for (let i = 0; i < 45; i++) store.add({ at: 'x', samples: [sample('a', 'w1', i), sample('a', 'w2', i)] });
    expect(store.get('a/w1')).toHaveLength(40);
    expect(store.get('a/w1')[39]!.cpuPercent).toBe(44);
    const w2 = store.get('a/w2');
    expect(store.get('a/w2')).toBe(w2); // the same array until it changes: rows do not re-render
    store.add({ at: 'x', samples: [sample('a', 'w1', 99)] });
    expect(store.get('a/w2')).toEqual([]);
    expect(told).toBe(46);
  });
});

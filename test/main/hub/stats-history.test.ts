// main/hub/stats-history.ts: the bounded in-memory last day of use per workspace (issue 20 item 7).
import { describe, expect, it } from 'vitest';
import { MAX_POINTS, MINUTE_MS, StatsHistory } from '../../../main/hub/stats-history';

const sample = (cpuPercent: number, memoryUsed = 100) => ({ cpuPercent, onlineCpus: 4, memoryUsed, memoryLimit: 1000, at: '' });
const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);

describe('the usage history', () => {
  it('keeps one point per minute, the mean of its samples, CPU in cores', () => {
    const h = new StatsHistory();
    h.record('bob', 'nb', sample(50, 100), T0);
    h.record('bob', 'nb', sample(100, 300), T0 + 30_000);
    h.record('bob', 'nb', sample(20, 100), T0 + MINUTE_MS);
    const [s] = h.series('bob', 60, T0 + 2 * MINUTE_MS);
    expect(s).toEqual({ user: 'bob', name: 'nb', points: [
      { at: new Date(T0).toISOString(), cores: 0.75, memoryUsed: 200, memoryLimit: 1000 },
      { at: new Date(T0 + MINUTE_MS).toISOString(), cores: 0.2, memoryUsed: 100, memoryLimit: 1000 },
    ] });
  });

  it('is bounded: a day of points per workspace, and asks for at most a day', () => {
    const h = new StatsHistory();
    for (let i = 0; i < MAX_POINTS + 30; i++) h.record('bob', 'nb', sample(10), T0 + i * MINUTE_MS);
    const now = T0 + (MAX_POINTS + 30) * MINUTE_MS;
    expect(h.series('bob', 10_000, now)[0]!.points).toHaveLength(MAX_POINTS);
    expect(h.series('bob', 60, now)[0]!.points).toHaveLength(60);
  });

  it("answers one user's workspaces or everyone's, and forgets a removed one", () => {
    const h = new StatsHistory();
    h.record('bob', 'nb', sample(10), T0);
    h.record('amy', 'gpu', sample(10), T0);
    expect(h.series('bob', 60, T0).map((s) => s.name)).toEqual(['nb']);
    expect(h.series(null, 60, T0).map((s) => `${s.user}/${s.name}`)).toEqual(['amy/gpu', 'bob/nb']);
    h.forget('bob', 'nb');
    expect(h.series(null, 60, T0).map((s) => s.user)).toEqual(['amy']);
  });
});

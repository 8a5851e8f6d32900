// renderer/src/lib/route.ts: every page round-trips through the hash.
import { describe, expect, it } from 'vitest';
import { hrefOf, parseRoute } from '../../../renderer/src/lib/route';

describe('routes', () => {
  it('round-trips every page through the hash, names with odd characters included', () => {
    for (const r of [{ page: 'workspaces' }, { page: 'new' }, { page: 'detail', user: 'a.b', name: 'x-1' }, { page: 'admin', section: 'cleanup' }] as const) {
      expect(parseRoute(hrefOf(r))).toEqual(r);
    }
    expect(parseRoute('#/admin/nope')).toEqual({ page: 'admin', section: 'users' });
    expect(parseRoute('#/whatever')).toEqual({ page: 'workspaces' });
    expect(parseRoute('#/w/%E0%A4%A/x')).toEqual({ page: 'detail', user: '%E0%A4%A', name: 'x' });
  });
});

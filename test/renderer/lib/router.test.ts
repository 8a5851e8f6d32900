/** The one hash router (renderer/src/lib/router.ts): every route parses to exactly one page and round-trips. */
import { describe, expect, it } from 'vitest';
import { ADMIN_SECTIONS, hrefOf, PAGES, parseRoute, ROUTES, routesFor, titleOf, type Page, type Route } from '../../../renderer/src/lib/router';

/** Routes of every page, with odd characters where a page has parameters. */
const SAMPLES: Route[] = [
  { page: 'workspaces' }, { page: 'new' }, { page: 'tunnels' }, { page: 'hubs' }, { page: 'settings' }, { page: 'share' }, { page: 'welcome' },
  { page: 'detail', user: 'a.b', name: 'x-1' }, { page: 'detail', user: 'ü ser', name: 'a/b#c' },
  ...ADMIN_SECTIONS.map((section) => ({ page: 'admin', section }) as const),
];

describe('the router', () => {
  it('has samples of every page in its table', () => {
    expect(new Set(SAMPLES.map((r) => r.page))).toEqual(new Set<Page>(PAGES));
  });

  it.each(SAMPLES.map((r) => [hrefOf(r), r] as const))('%s parses to exactly one page, the route it came from', (href, r) => {
    expect(routesFor(href)).toEqual([r]);
    expect(parseRoute(href)).toEqual(r);
    expect(hrefOf(parseRoute(href))).toBe(href);
  });

  it('gives each page its own first segment, so no hash can mean two pages', () => {
    const firsts = PAGES.map((p) => ROUTES[p].first);
    expect(new Set(firsts).size).toBe(firsts.length);
    // The case two routers once disagreed on: #/settings is the Settings page, not also the workspace list.
    expect(routesFor('#/settings')).toEqual([{ page: 'settings' }]);
    expect(routesFor('#/admin/settings')).toEqual([{ page: 'admin', section: 'settings' }]);
  });

  it('sends what it does not know to the start page', () => {
    expect(parseRoute('#/admin/nope')).toEqual({ page: 'admin', section: 'users' });
    expect(parseRoute('#/whatever')).toEqual({ page: 'workspaces' });
    expect(routesFor('#/whatever')).toEqual([]);
    expect(parseRoute('#/w/alice')).toEqual({ page: 'workspaces' });
    expect(parseRoute('')).toEqual({ page: 'workspaces' });
    expect(parseRoute('#/w/%E0%A4%A/x')).toEqual({ page: 'detail', user: '%E0%A4%A', name: 'x' });
  });

  it('titles each page', () => {
    expect(SAMPLES.slice(0, 8).map(titleOf)).toEqual(['Workspaces', 'New workspace', 'Tunnels', 'Hubs', 'Settings', 'Share this hub', 'First steps', 'x-1']);
    expect(titleOf({ page: 'admin', section: 'cleanup' })).toBe('Admin: cleanup');
  });
});

/**
 * The app's one hash router (#/new, #/w/alice/demo, #/admin/users, #/settings): one table of
 * routes — each page's first path segment, how the rest parses, its href and its title — and one
 * parse. Hash routes work the same from a hub's `/` and from the desktop's file:// page, so no
 * router library is needed for eight pages. Desktop-only pages (hubs, settings, share) are routes
 * like the others; in a browser they explain they are desktop features.
 */
import { useEffect, useState } from 'react';

export const ADMIN_SECTIONS = ['users', 'groups', 'images', 'settings', 'workspaces', 'usage', 'events', 'cleanup'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

export type Route =
  | { page: 'workspaces' }
  | { page: 'new' }
  | { page: 'tunnels' }
  | { page: 'detail'; user: string; name: string }
  | { page: 'admin'; section: AdminSection }
  | { page: 'hubs' }
  | { page: 'settings' }
  | { page: 'share' }
  | { page: 'welcome' };
export type Page = Route['page'];
type RouteOf<P extends Page> = Extract<Route, { page: P }>;

interface RouteDef<P extends Page> {
  /** The first path segment ('' for the start page). */
  first: string;
  /** The route from the segments after the first, or null when they do not make one. */
  parse(rest: string[]): RouteOf<P> | null;
  href(r: RouteOf<P>): string;
  title(r: RouteOf<P>): string;
}

const enc = encodeURIComponent;
/** A page with no parameters at #/<first>. */
const plain = <P extends Page>(page: P, first: string, title: string): RouteDef<P> => ({
  first, parse: () => ({ page }) as RouteOf<P>, href: () => `#/${first}`, title: () => title,
});
const isSection = (s: string | undefined): s is AdminSection => (ADMIN_SECTIONS as readonly (string | undefined)[]).includes(s);

/** The table: one entry per page. */
export const ROUTES: { [P in Page]: RouteDef<P> } = {
  workspaces: plain('workspaces', '', 'Workspaces'),
  new: plain('new', 'new', 'New workspace'),
  tunnels: plain('tunnels', 'tunnels', 'Tunnels'),
  detail: {
    first: 'w',
    parse: ([user, name]) => (user && name ? { page: 'detail', user, name } : null),
    href: (r) => `#/w/${enc(r.user)}/${enc(r.name)}`,
    title: (r) => r.name,
  },
  admin: {
    first: 'admin',
    parse: ([section]) => ({ page: 'admin', section: isSection(section) ? section : 'users' }),
    href: (r) => `#/admin/${r.section}`,
    title: (r) => `Admin: ${r.section}`,
  },
  hubs: plain('hubs', 'hubs', 'Hubs'),
  settings: plain('settings', 'settings', 'Settings'),
  share: plain('share', 'share', 'Share this hub'),
  welcome: plain('welcome', 'welcome', 'First steps'),
};
export const PAGES = Object.keys(ROUTES) as Page[];
const START: Route = { page: 'workspaces' };

function segments(hash: string): string[] {
  return hash.replace(/^#\/?/, '').split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
}

/** Every route the hash could mean (the table keeps it to one; a test holds it to that). */
export function routesFor(hash: string): Route[] {
  const [first = '', ...rest] = segments(hash);
  return PAGES.flatMap((p) => {
    const def = ROUTES[p] as RouteDef<Page>;
    const r = def.first === first ? def.parse(rest) : null;
    return r ? [r] : [];
  });
}

/** The page a hash names; anything unknown is the start page. */
export function parseRoute(hash: string): Route {
  return routesFor(hash)[0] ?? START;
}

export function hrefOf(r: Route): string {
  return (ROUTES[r.page] as RouteDef<Page>).href(r);
}

export function titleOf(r: Route): string {
  return (ROUTES[r.page] as RouteDef<Page>).title(r);
}

export function navigate(r: Route): void {
  window.location.hash = hrefOf(r);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

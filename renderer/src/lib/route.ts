/**
 * The app's pages as hash routes (#/new, #/w/alice/demo, #/admin/users): no router library, and
 * they work the same from a hub's `/` and from the desktop's file:// page.
 */
import { useEffect, useState } from 'react';

export type Route =
  | { page: 'workspaces' }
  | { page: 'new' }
  | { page: 'tunnels' }
  | { page: 'detail'; user: string; name: string }
  | { page: 'admin'; section: AdminSection };

export const ADMIN_SECTIONS = ['users', 'groups', 'images', 'settings', 'workspaces', 'events', 'cleanup'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  if (parts[0] === 'new') return { page: 'new' };
  if (parts[0] === 'tunnels') return { page: 'tunnels' };
  if (parts[0] === 'w' && parts[1] && parts[2]) return { page: 'detail', user: parts[1], name: parts[2] };
  if (parts[0] === 'admin') {
    const section = (ADMIN_SECTIONS as readonly string[]).includes(parts[1] ?? '') ? (parts[1] as AdminSection) : 'users';
    return { page: 'admin', section };
  }
  return { page: 'workspaces' };
}

export function hrefOf(r: Route): string {
  switch (r.page) {
    case 'workspaces': return '#/';
    case 'new': return '#/new';
    case 'tunnels': return '#/tunnels';
    case 'detail': return `#/w/${encodeURIComponent(r.user)}/${encodeURIComponent(r.name)}`;
    case 'admin': return `#/admin/${r.section}`;
  }
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

/**
 * The desktop-only pages' hash routes (#/hubs, #/settings, #/share), kept apart from route.ts so the
 * shared routes stay those every transport has. In a browser these pages explain they are desktop features.
 */
import { useEffect, useState } from 'react';

export type DesktopPage = 'hubs' | 'settings' | 'share';
export const DESKTOP_PAGES: Record<DesktopPage, string> = { hubs: 'Hubs', settings: 'Settings', share: 'Share this hub' };

export function desktopPageOf(hash: string): DesktopPage | null {
  const first = hash.replace(/^#\/?/, '').split('/')[0] ?? '';
  return first in DESKTOP_PAGES ? (first as DesktopPage) : null;
}

export function useDesktopPage(): DesktopPage | null {
  const [page, setPage] = useState(() => desktopPageOf(window.location.hash));
  useEffect(() => {
    const on = () => setPage(desktopPageOf(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return page;
}

/**
 * The app: who is signed in (browser mode asks for a token; the desktop app is signed in by its
 * main process), the top navigation, and the page the hash route names. One event stream for the
 * whole app feeds every page, so the views update without polling.
 */
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { HubInfo } from '../../main/api/dto';
import { hubClient, inDesktop } from './hub';
import { EventHub, HubProvider, type HubSession } from './lib/hub-context';
import { desktop } from './lib/desktop';
import { DESKTOP_PAGES, useDesktopPage, type DesktopPage } from './lib/desktop-route';
import { hrefOf, navigate, useRoute, type Route } from './lib/route';
import { signOut } from './lib/session';
import { HubsPage } from './pages/hubs';
import { NewWorkspacePage } from './pages/new-workspace';
import { SettingsPage } from './pages/settings';
import { SharePage } from './pages/share';
import { SignInPage } from './pages/sign-in';
import { TunnelsPage } from './pages/tunnels';
import { WorkspaceDetailPage } from './pages/workspace-detail';
import { WorkspacesPage } from './pages/workspaces';

// Admin pages are for few users and weigh more: loaded when first opened, not with the first page.
const AdminPage = lazy(() => import('./pages/admin').then((m) => ({ default: m.AdminPage })));

type Phase = { kind: 'loading' } | { kind: 'signed-out'; reason: string | null } | { kind: 'ready'; session: HubSession } | { kind: 'failed'; message: string };

/** Whether the hub's admin pages are for this user: an admin, on a hub that has them. */
const isAdmin = (info: HubInfo) => info.user.admin && info.capabilities.admin;

function Nav({ route, extra, info, onSignOut }: { route: Route; extra: DesktopPage | null; info: HubInfo; onSignOut: (() => void) | null }) {
  const caps = info.capabilities;
  const link = (r: Route, label: string, current: boolean) => (
    <li><a href={hrefOf(r)} aria-current={current && !extra ? 'page' : undefined}>{label}</a></li>
  );
  // Desktop-only pages are offered only where the desktop API exists (Share: to the local hub's admin).
  const desktopLink = (p: DesktopPage) => (
    <li key={p}><a href={`#/${p}`} aria-current={extra === p ? 'page' : undefined}>{DESKTOP_PAGES[p]}</a></li>
  );
  return (
    <header className="top">
      <a className="skip-link" href="#main">Skip to content</a>
      <p className="brand">Hubdeck</p>
      <nav aria-label="Main">
        <ul>
          {link({ page: 'workspaces' }, 'Workspaces', route.page === 'workspaces' || route.page === 'detail')}
          {caps.create && link({ page: 'new' }, 'New workspace', route.page === 'new')}
          {caps.tunnels && link({ page: 'tunnels' }, 'Tunnels', route.page === 'tunnels')}
          {isAdmin(info) && link({ page: 'admin', section: 'users' }, 'Admin', route.page === 'admin')}
          {desktop && desktopLink('hubs')}
          {desktop && isAdmin(info) && caps.invites && desktopLink('share')}
          {desktop && desktopLink('settings')}
        </ul>
      </nav>
      <div className="who">
        <span>{info.user.name}{info.user.admin ? ' (admin)' : ''} · {info.hubId}</span>
        {onSignOut && <button type="button" onClick={onSignOut}>Sign out</button>}
      </div>
    </header>
  );
}

function Page({ route, extra, admin }: { route: Route; extra: DesktopPage | null; admin: boolean }) {
  if (extra === 'hubs') return <HubsPage />;
  if (extra === 'settings') return <SettingsPage />;
  if (extra === 'share') return <SharePage />;
  switch (route.page) {
    case 'workspaces': return <WorkspacesPage />;
    case 'new': return <NewWorkspacePage />;
    case 'tunnels': return <TunnelsPage />;
    case 'detail': return <WorkspaceDetailPage key={`${route.user}/${route.name}`} user={route.user} name={route.name} />;
    case 'admin':
      if (!admin) return <main id="main"><h1>Admin</h1><p className="alert">Only hub admins can see this page.</p></main>;
      return <Suspense fallback={<main id="main"><p className="muted">Loading…</p></main>}><AdminPage section={route.section} /></Suspense>;
  }
}

/** The page a tray item asks for (desktop), or null where the UI has no such page yet. */
function routeOfShow(page: string): Route | string | null {
  switch (page) {
    case 'settings': return '#/settings';
    case 'share': return '#/share';
    case 'workspaces': return { page: 'workspaces' };
    case 'new-workspace': return { page: 'new' };
    case 'admin': return { page: 'admin', section: 'users' };
    case 'tunnels': return { page: 'tunnels' };
    default: return null;
  }
}

export function App() {
  const route = useRoute();
  const extra = useDesktopPage();
  // The tray's New workspace…, Open Admin, Tunnels, Settings and Share this hub… open the main window on that page.
  useEffect(() => desktop?.onShow((r) => {
    const to = routeOfShow(r.page);
    if (typeof to === 'string') window.location.hash = to;
    else if (to) navigate(to);
  }), []);
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });

  const connect = useCallback(async () => {
    try {
      const info = await hubClient.info();
      const events = new EventHub();
      const off = await hubClient.subscribe((e) => events.emit(e), {
        onClose: (reason) => setPhase({ kind: 'signed-out', reason: reason.message }),
      });
      setPhase({ kind: 'ready', session: { client: hubClient, info, events, desktop: inDesktop } });
      return off;
    } catch (e) {
      const err = e as Error & { code?: string };
      if (err.code === 'unauthorized' && !inDesktop) setPhase({ kind: 'signed-out', reason: null });
      else setPhase({ kind: 'failed', message: err.message });
      return undefined;
    }
  }, []);

  useEffect(() => {
    const off = connect();
    return () => void off.then((f) => f?.());
  }, [connect]);

  useEffect(() => {
    document.title = phase.kind === 'ready' ? `${extra ? DESKTOP_PAGES[extra] : titleOf(route)} — Hubdeck` : 'Sign in — Hubdeck';
  }, [phase.kind, route, extra]);

  if (phase.kind === 'loading') return <main id="main"><p className="muted">Connecting to the hub…</p></main>;
  if (phase.kind === 'failed') return <main id="main"><h1>Hubdeck</h1><p role="alert" className="alert">{phase.message}</p></main>;
  if (phase.kind === 'signed-out') return <SignInPage reason={phase.reason} onSignedIn={() => { setPhase({ kind: 'loading' }); void connect(); }} />;
  const doSignOut = inDesktop ? null : () => {
    void hubClient.close().then(signOut).then(() => setPhase({ kind: 'signed-out', reason: 'You are signed out.' }));
  };
  return (
    <HubProvider value={phase.session}>
      <Nav route={route} extra={extra} info={phase.session.info} onSignOut={doSignOut} />
      <Page route={route} extra={extra} admin={isAdmin(phase.session.info)} />
    </HubProvider>
  );
}

function titleOf(r: Route): string {
  switch (r.page) {
    case 'workspaces': return 'Workspaces';
    case 'new': return 'New workspace';
    case 'tunnels': return 'Tunnels';
    case 'detail': return r.name;
    case 'admin': return `Admin: ${r.section}`;
  }
}

/**
 * The app: who is signed in (browser mode asks for a token; the desktop app is signed in by its
 * main process), the top navigation, and the page the hash route names. One event stream for the
 * whole app feeds every page, so the views update without polling.
 */
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { HubInfo } from '../../main/api/dto';
import { hubClient, signsInItself } from './hub';
import { EventHub, HubProvider, type HubSession } from './lib/hub-context';
import { desktop } from './lib/desktop';
import { hrefOf, navigate, titleOf, useRoute, type Route } from './lib/router';
import { signOut } from './lib/session';
import { FirstRunPage } from './pages/first-run';
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

function Nav({ route, info, onSignOut }: { route: Route; info: HubInfo; onSignOut: (() => void) | null }) {
  const caps = info.capabilities;
  const link = (r: Route, label: string, current: boolean) => (
    <li key={r.page}><a href={hrefOf(r)} aria-current={current ? 'page' : undefined}>{label}</a></li>
  );
  // Desktop-only pages are offered only where the desktop API exists (Share: to the local hub's admin).
  const desktopLink = (page: 'hubs' | 'settings' | 'share') => link({ page }, titleOf({ page }), route.page === page);
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

function Page({ route, admin }: { route: Route; admin: boolean }) {
  switch (route.page) {
    case 'workspaces': return <WorkspacesPage />;
    case 'new': return <NewWorkspacePage />;
    case 'tunnels': return <TunnelsPage />;
    case 'detail': return <WorkspaceDetailPage key={`${route.user}/${route.name}`} user={route.user} name={route.name} />;
    case 'hubs': return <HubsPage />;
    case 'settings': return <SettingsPage />;
    case 'share': return <SharePage />;
    case 'welcome': return <FirstRunPage />;
    case 'admin':
      if (!admin) return <main id="main"><h1>Admin</h1><p className="alert">Only hub admins can see this page.</p></main>;
      return <Suspense fallback={<main id="main"><p className="muted">Loading…</p></main>}><AdminPage section={route.section} /></Suspense>;
  }
}

/** The page a tray item asks for (desktop), or null where the UI has no such page yet. */
function routeOfShow(page: string): Route | null {
  switch (page) {
    case 'settings': return { page: 'settings' };
    case 'share': return { page: 'share' };
    case 'workspaces': return { page: 'workspaces' };
    case 'new-workspace': return { page: 'new' };
    case 'admin': return { page: 'admin', section: 'users' };
    case 'tunnels': return { page: 'tunnels' };
    default: return null;
  }
}

export function App() {
  const route = useRoute();
  // The tray's New workspace…, Open Admin, Tunnels, Settings and Share this hub… open the main window on that page.
  useEffect(() => desktop?.onShow((r) => {
    const to = routeOfShow(r.page);
    if (to) navigate(to);
  }), []);
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });

  const connect = useCallback(async () => {
    try {
      const info = await hubClient.info();
      const events = new EventHub();
      const off = await hubClient.subscribe((e) => events.emit(e), {
        onClose: (reason) => setPhase({ kind: 'signed-out', reason: reason.message }),
      });
      setPhase({ kind: 'ready', session: { client: hubClient, info, events } });
      return off;
    } catch (e) {
      const err = e as Error & { code?: string };
      if (err.code === 'unauthorized' && signsInItself) setPhase({ kind: 'signed-out', reason: null });
      else setPhase({ kind: 'failed', message: err.message });
      return undefined;
    }
  }, []);

  useEffect(() => {
    const off = connect();
    return () => void off.then((f) => f?.());
  }, [connect]);

  useEffect(() => {
    document.title = phase.kind === 'ready' ? `${titleOf(route)} — Hubdeck` : 'Sign in — Hubdeck';
  }, [phase.kind, route]);

  if (phase.kind === 'loading') return <main id="main"><p className="muted">Connecting to the hub…</p></main>;
  if (phase.kind === 'failed') return <main id="main"><h1>Hubdeck</h1><p role="alert" className="alert">{phase.message}</p></main>;
  if (phase.kind === 'signed-out') return <SignInPage reason={phase.reason} onSignedIn={() => { setPhase({ kind: 'loading' }); void connect(); }} />;
  const doSignOut = !signsInItself ? null : () => {
    void hubClient.close().then(signOut).then(() => setPhase({ kind: 'signed-out', reason: 'You are signed out.' }));
  };
  return (
    <HubProvider value={phase.session}>
      <Nav route={route} info={phase.session.info} onSignOut={doSignOut} />
      <Page route={route} admin={isAdmin(phase.session.info)} />
    </HubProvider>
  );
}

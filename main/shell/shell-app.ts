/**
 * The desktop app's wiring: single instance, tray over every connected hub (rebuilt on their
 * events), the main window and the workspace windows, the typed IPC (hub API + desktop API), the
 * hubdeck:// scheme, sharing the local hub, settings and secrets. Electron and the hub are passed
 * in (index.ts gives the real ones; the wiring test an Electron stub and the in-memory engine),
 * and every decision is a pure function from a sibling module.
 */
import path from 'node:path';
import type * as Electron from 'electron';
import { HubdeckError } from '../core/errors';
import { decodeInvite } from '../core/invite-link';
import { sshAliasOf } from '../access/ssh-hub-entries';
import type { HubClient } from '../api/hub-client';
import type { HubEvent } from '../api/events';
import type { LocalHub } from '../client/local-hub';
import type { LocalAccess } from '../server/local-access';
import type { RemoteHubClientOptions } from '../client/remote-hub-client';
import { formatFingerprint } from '../client/pinned-agent';
import { type DesktopPreferences, type HubRequest, type HubSummary, type ShowRequest } from '../../preload/desktop-contract';
import { registerApi, type IpcSender } from './ipc-api';
import { registerDesktopApi } from './desktop-ipc';
import { notificationFor } from './notifications';
import { PROTOCOL, protocolClientArgs, protocolUrlIn } from './protocol';
import { inviteTeammate } from './share-hub';
import { HubSharing } from './hub-sharing';
import { MainWindow } from './main-window';
import type { SettingsStore } from './settings-store';
import { trayIconFile, trayTemplate, type TrayAction, type TrayState } from './tray-menu';
import { guardPermissions } from './window-guard';
import { withCsp } from './window-policy';
import { hubPageOf, WorkspaceWindows } from './workspace-windows';
import { DesktopTunnels } from './desktop-tunnels';
import { TunnelStore } from '../client/tunnel-store';
import { ownerDialer } from '../client/port-dialer';
import { DesktopTerminals } from './desktop-terminals';
import { checkHub, hubIdFor, type NewHub } from './remote-hubs';
import { capabilitiesOf, requireCapability } from '../api/capabilities';
import { ConnectedHubs, type ConnectedHub } from './connected-hubs';

type ElectronApi = Pick<typeof Electron, 'app' | 'BrowserWindow' | 'ipcMain' | 'Menu' | 'Tray' | 'nativeImage' | 'session' | 'shell' | 'clipboard' | 'Notification' | 'screen' | 'nativeTheme'>;

export interface ShellDeps {
  electron: ElectronApi;
  openLocalHub: () => Promise<LocalHub>;
  startLocalAccess: (local: LocalHub) => Promise<LocalAccess>;
  openSettings: () => Promise<SettingsStore>;
  remoteClient: (o: RemoteHubClientOptions) => HubClient;
  /** The desktop's user: the local hub's admin. */
  user: string;
  /** The local hub's data directory (its TLS identity for sharing lives there). */
  dataDir: string;
  platform: NodeJS.Platform;
  argv: string[];
  paths: { preload: string; rendererUrl: string; assets: string };
  log: (m: string) => void;
  /** Coalescing delay of tray rebuilds after bursts of events. */
  refreshMs?: number;
}

export interface Shell {
  tray: Electron.Tray;
  state(): TrayState;
  mainWindow(): Electron.BrowserWindow | null;
  workspaces: WorkspaceWindows;
  refresh(): Promise<void>;
  handleProtocolUrl(url: string): Promise<HubSummary | null>;
  quit(): Promise<void>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Starts the app; null when another instance already runs (it is told about our argv and shows itself). */
export async function startShell(d: ShellDeps): Promise<Shell | null> {
  const { app, BrowserWindow, ipcMain, Menu, Tray, nativeImage, session, shell, clipboard, Notification, screen, nativeTheme } = d.electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  let activeHub = 'local';
  let local: LocalHub | null = null;
  let access: LocalAccess | null = null;
  let settings: SettingsStore | null = null;
  let pendingUrl: string | null = protocolUrlIn(d.argv);
  let refreshTimer: NodeJS.Timeout | null = null;
  const hubs: ConnectedHubs = new ConnectedHubs({ remoteClient: d.remoteClient, onEvent: (h, e) => onEvent(h, e), onLost: () => rebuildTray() });
  const main = new MainWindow({
    BrowserWindow, preload: d.paths.preload, rendererUrl: d.paths.rendererUrl,
    openExternal: (url) => shell.openExternal(url), // eng-disable OPEN_EXTERNAL_JS_CHECK — only http(s) URLs the policy sent out
    displays: () => screen.getAllDisplays().map((x) => x.workArea),
    savedBounds: () => settings?.get().windows.main,
    saveBounds: (b) => void settings?.update((s) => { s.windows.main = b; }),
  });
  const sharing = new HubSharing({
    hub: () => local?.hub ?? null, dataDir: d.dataDir, listen: () => settings!.get().preferences.shareListen, log: d.log,
    onChange: () => { rebuildTray(); changed(); },
  });

  // Reviewed: the scheme carries only invites; handleProtocolUrl decodes them (anything else is refused) and joins nothing without the hub's answer.
  app.setAsDefaultProtocolClient(...(protocolClientArgs(Boolean(process.defaultApp), process.execPath, process.argv[1] && path.resolve(process.argv[1])) as [string])); // eng-disable PROTOCOL_HANDLER_JS_CHECK
  app.on('second-instance', (_e, argv) => {
    const url = protocolUrlIn(argv);
    if (url) void handleProtocolUrl(url);
    showMain();
  });
  app.on('open-url', (e, url) => {
    e.preventDefault();
    if (settings) void handleProtocolUrl(url);
    else pendingUrl = url;
  });
  // A tray app: closing every window leaves it running; Quit in the tray ends it.
  app.on('window-all-closed', () => undefined);
  // Any web contents, including ones nobody meant to create: no <webview>, no pop-ups unless a guard allows.
  app.on('web-contents-created', (_e, wc) => {
    wc.on('will-attach-webview', (ev) => ev.preventDefault());
  });

  await app.whenReady();
  guardPermissions(session.defaultSession);
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => cb({ responseHeaders: withCsp(details.responseHeaders) }));

  const tray = new Tray(nativeImage.createFromPath(path.join(d.paths.assets, trayIconFile(d.platform))));
  tray.setToolTip('Hubdeck');
  settings = await d.openSettings();
  activeHub = settings.get().activeHub;
  // Applied at every start, not only when changed: the OS entry follows the settings file even after
  // a reinstall, a moved executable or a settings file edited while the app was not running.
  app.setLoginItemSettings({ openAtLogin: settings.get().preferences.startAtLogin, args: ['--hidden'] });
  // The theme preference drives prefers-color-scheme in every window (the stylesheet follows it).
  nativeTheme.themeSource = settings.get().preferences.theme;
  const windows = new WorkspaceWindows({
    BrowserWindow,
    sessionFromPartition: (p) => session.fromPartition(p),
    openExternal: (url) => shell.openExternal(url), // eng-disable OPEN_EXTERNAL_JS_CHECK — only http(s) URLs the navigation policy sent out
    displays: () => screen.getAllDisplays().map((x) => x.workArea),
    savedBounds: (k) => settings!.get().windows[k],
    saveBounds: (k, b) => void settings!.update((s) => { s.windows[k] = b; }),
  });

  function state(): TrayState {
    return {
      hubs: hubs.trayHubs(),
      sharing: sharing.url,
      tunnels: tunnels.listOrNone(),
    };
  }

  // Tunnels are the CLI's too (the data directory's tunnels.json); the app runs local-hub ones.
  const terminals = new DesktopTerminals();
  const tunnels = new DesktopTunnels(new TunnelStore(d.dataDir), (t) => (t.hub === null && local ? ownerDialer(local.hub) : null), d.log);

  function rebuildTray(): void {
    tray.setContextMenu(Menu.buildFromTemplate(trayTemplate(state(), onTrayAction)));
  }

  async function refresh(): Promise<void> {
    await hubs.refresh();
    rebuildTray();
  }

  /** Events come in bursts (a create is many progress events): one rebuild per burst. */
  function scheduleRefresh(): void {
    if (refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      void refresh();
    }, d.refreshMs ?? 150);
  }

  function changed(): void { main.changed(); }
  function showMain(): void { main.show(); }
  function showPage(r: ShowRequest): void { main.showPage(r); }

  function onEvent(h: ConnectedHub, e: HubEvent): void {
    if (e.type === 'workspace.progress') return;
    // A polled JupyterHub: its changes come as state events; a poll only says whether it answered.
    if (e.type === 'hub.polled') {
      const error = e.ok ? null : e.error ?? 'did not answer';
      if (error !== h.error) scheduleRefresh();
      h.error = error;
      return;
    }
    const n = settings!.get().preferences.notifications && e.user === h.user ? notificationFor(e) : null;
    if (n && Notification.isSupported()) new Notification({ ...n, title: hubs.size > 1 ? `${n.title} (${h.label})` : n.title }).show();
    scheduleRefresh();
  }

  async function connectRemote(id: string): Promise<ConnectedHub> {
    return hubs.connectSaved(settings!.get().hubs.find((x) => x.id === id)!, (saved) => settings!.tokenOf(saved));
  }

  const clientOf = (key: string) => hubs.clientOf(key);
  const summary = (h: ConnectedHub) => hubs.summary(h, activeHub);

  async function openWorkspace(key: string, user: string, name: string): Promise<void> {
    const { hub, client } = clientOf(key);
    if (!hub.url) throw new HubdeckError('unavailable', `hub ${hub.label} has no address to open workspaces at`);
    const target = { hubKey: key, hubUrl: hub.url, fingerprint: hub.fingerprint, user, name };
    if (capabilitiesOf(hub).open === 'hub-page') await windows.show({ ...target, hubPage: hubPageOf(await client.workspaceSignIn({ user, name })) });
    else await windows.show({ ...target, signIn: () => client.workspaceSignIn({ user, name }) });
  }

  function sshCommand(key: string, name: string): string {
    const hub = hubs.get(key);
    if (!hub) throw new HubdeckError('not_found', `no hub ${key} in this app`);
    requireCapability(capabilitiesOf(hub), 'ssh', 'SSH');
    const cmd = `ssh ${sshAliasOf(name, hub.sshAlias)}`;
    clipboard.writeText(cmd);
    return cmd;
  }

  async function joinHub(text: string): Promise<HubSummary> {
    const inv = decodeInvite(text);
    const fingerprint = inv.fingerprint ? formatFingerprint(inv.fingerprint) : undefined;
    const anonymous = d.remoteClient({ url: inv.url, token: inv.code, fingerprint });
    const redeemed = await anonymous.redeemInvite({ body: { code: inv.code } }).finally(() => anonymous.close());
    const id = hubIdFor(undefined, redeemed.hubId);
    return saveHub({ id, kind: 'hubdeck', url: inv.url, fingerprint: inv.fingerprint, user: redeemed.user, hubId: redeemed.hubId }, redeemed.token.token);
  }

  /** Adds a hub by address and token: the hub must answer with that token (and certificate) first. */
  async function addHub(r: HubRequest): Promise<HubSummary> {
    return saveHub(await checkHub(r, d.remoteClient), r.token);
  }

  /** Saves the hub (token to the keychain) and connects it; connectSaved replaces one under the same id. */
  async function saveHub(h: NewHub, token: string): Promise<HubSummary> {
    await settings!.addHub({ ...h, addedAt: new Date().toISOString() }, token);
    const c = await connectRemote(h.id);
    await refresh();
    changed();
    return summary(c);
  }

  async function handleProtocolUrl(url: string): Promise<HubSummary | null> {
    try {
      const h = await joinHub(url);
      if (Notification.isSupported()) new Notification({ title: `Joined ${h.label}`, body: `You are ${h.user} there; its workspaces are in the tray.` }).show();
      return h;
    } catch (e) {
      if (Notification.isSupported()) new Notification({ title: 'Could not join the hub', body: message(e) }).show();
      d.log(`joining from ${PROTOCOL}:// failed: ${message(e)}`);
      return null;
    }
  }

  function onTrayAction(a: TrayAction): void {
    const fail = (what: string) => (e: unknown) => {
      d.log(`${what}: ${message(e)}`);
      if (Notification.isSupported()) new Notification({ title: `Could not ${what}`, body: message(e) }).show();
    };
    switch (a.kind) {
      case 'quit': return void quit();
      case 'show': return showMain();
      case 'settings': case 'tunnels': return showPage({ page: a.kind, hub: null });
      case 'new-workspace': return showPage({ page: 'new-workspace', hub: a.hub });
      case 'open-admin': return showPage({ page: 'admin', hub: a.hub });
      case 'share': return void sharing.start().then(() => showPage({ page: 'share', hub: 'local' }), fail('share this hub'));
      case 'stop-sharing': return void sharing.stop().catch(fail('stop sharing'));
      case 'open': return void openWorkspace(a.hub, hubs.get(a.hub)?.user ?? d.user, a.name).catch(fail(`open ${a.name}`));
      case 'copy-ssh': return void Promise.resolve().then(() => sshCommand(a.hub, a.name)).catch(fail('copy the SSH command'));
      case 'start': case 'stop': {
        const c = clientOf(a.hub).client;
        const ref = { user: hubs.get(a.hub)!.user, name: a.name };
        return void (a.kind === 'start' ? c.startWorkspace(ref) : c.stopWorkspace(ref)).catch(fail(`${a.kind} ${a.name}`)).finally(scheduleRefresh);
      }
      case 'tunnel': return void tunnels.toggle(a.name, a.run).catch(fail(`${a.run ? 'start' : 'stop'} tunnel ${a.name}`)).finally(rebuildTray);
    }
  }

  /** Only the main window speaks to hubs: workspace windows have no preload, and are refused anyway. */
  const isMain = (sender: IpcSender) => main.isSender(sender.id);
  const hubApi = registerApi(ipcMain, (sender) => {
    if (!isMain(sender)) throw new HubdeckError('forbidden', 'this window may not use the hub');
    return clientOf(activeHub).client;
  });
  registerDesktopApi(ipcMain, isMain, {
    hubs: async () => hubs.list().map(summary),
    selectHub: async (key) => {
      clientOf(key);
      activeHub = key;
      settings!.update((s) => { s.activeHub = key; });
      // The page reloads onto the other hub: its events come from that hub from now on.
      const w = main.current();
      if (w) hubApi.forget(w.webContents.id);
      w?.webContents.reload();
      return null;
    },
    joinHub,
    addHub,
    removeHub: async (key) => {
      if (key === 'local') throw new HubdeckError('invalid', 'the local hub cannot be removed');
      windows.closeAll(key);
      await hubs.disconnect(key);
      await settings!.removeHub(key);
      if (activeHub === key) activeHub = 'local';
      rebuildTray();
      return null;
    },
    openWorkspace: async (hub, user, name) => { await openWorkspace(hub, user, name); return null; },
    copySshCommand: async (hub, name) => sshCommand(hub, name),
    openTerminal: async (key, user, name, cols, rows, sender) => {
      const { hub, client } = clientOf(key);
      requireCapability(capabilitiesOf(hub), 'terminal', 'terminal');
      if (!hub.url) throw new HubdeckError('unavailable', `hub ${hub.label} has no address to open terminals at`);
      const { code } = await client.createLoginCode();
      return terminals.start({ hubUrl: hub.url, fingerprint: hub.fingerprint, code, user, name, cols, rows }, sender);
    },
    terminalInput: async (id, data) => { terminals.input(id, data); return null; },
    terminalResize: async (id, cols, rows) => { terminals.resize(id, cols, rows); return null; },
    closeTerminal: async (id) => { terminals.close(id); return null; },
    shareStatus: async () => sharing.status(),
    startSharing: () => sharing.start(),
    stopSharing: () => sharing.stop(),
    inviteTeammate: async (r) => {
      if (!sharing.url) await sharing.start();
      return inviteTeammate(clientOf('local').client, r);
    },
    preferences: async () => settings!.get().preferences,
    setPreferences: async (patch) => {
      const next = settings!.update((s) => { s.preferences = { ...s.preferences, ...patch }; }).preferences;
      if (patch.startAtLogin !== undefined) app.setLoginItemSettings({ openAtLogin: next.startAtLogin, args: ['--hidden'] });
      if (patch.theme !== undefined) nativeTheme.themeSource = next.theme;
      changed();
      return next as DesktopPreferences;
    },
    // The Tunnels page: the data directory's tunnels (the CLI's too); the app adds local-hub ones.
    tunnels: async () => tunnels.infos(),
    addTunnel: async (r) => {
      tunnels.add(r, d.user);
      rebuildTray();
      return tunnels.infos();
    },
    removeTunnel: async (name) => {
      await tunnels.remove(name);
      rebuildTray();
      return tunnels.infos();
    },
    setTunnelRunning: async (name, run) => {
      await tunnels.toggle(name, run);
      rebuildTray();
      return tunnels.infos();
    },
  });

  // The local hub, then every joined one; the tray shows each as it comes.
  const localHub: ConnectedHub = { key: 'local', kind: 'hubdeck', label: 'This computer', url: null, user: d.user, admin: true, fingerprint: null, sshAlias: 'hubdeck', client: null, error: null, workspaces: [], off: null };
  try {
    local = await d.openLocalHub();
    local.hub.startTimers();
    access = await d.startLocalAccess(local);
    localHub.client = local.client;
    localHub.url = access.url;
  } catch (e) {
    localHub.error = message(e);
  }
  await hubs.connect(localHub);
  for (const h of settings.get().hubs) await connectRemote(h.id);
  if (!hubs.get(activeHub)) activeHub = 'local';
  await refresh();
  if (!d.argv.includes('--hidden')) showMain();
  if (pendingUrl) void handleProtocolUrl(pendingUrl);

  let quitting: Promise<void> | null = null;
  async function quit(): Promise<void> {
    quitting ??= (async () => {
      windows.closeAll();
      terminals.closeAll();
      await tunnels.stopAll().catch(() => undefined);
      await sharing.stop().catch(() => undefined);
      await access?.stop().catch(() => undefined);
      // The local hub's client closes the hub itself (timers, pending writes): last.
      await hubs.closeAll();
      tray.destroy();
      app.quit();
    })();
    return quitting;
  }

  return { tray, state, mainWindow: () => main.current(), workspaces: windows, refresh, handleProtocolUrl, quit };
}

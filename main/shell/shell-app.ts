/**
 * The desktop app's composition root: takes the single-instance lock and the hubdeck:// scheme,
 * then, once Electron is ready and the settings are open, builds each service once — windows,
 * preferences, the local hub, the connected hubs, sharing, tunnels, terminals, the tray — and
 * wires them: the hub API over IPC to the hub the main window talks to, the desktop API's calls
 * to the handlers each service keeps beside itself. Electron and the hub are passed in (index.ts
 * gives the real ones; the wiring test an Electron stub and the in-memory engine).
 */
import path from 'node:path';
import type * as Electron from 'electron';
import { HubdeckError, errorMessage } from '../core/errors';
import type { HubClient } from '../api/hub-client';
import type { LocalHub } from '../server/local-hub';
import type { LocalAccess } from '../server/local-access';
import type { RemoteHubClientOptions } from '../client/remote-hub-client';
import { TunnelStore } from '../client/tunnel-store';
import { ownerDialer } from '../client/port-dialer';
import type { HubSummary } from '../../preload/desktop-contract';
import { registerApi, type IpcSender, type RegisteredApi } from './hub-api-ipc';
import { registerDesktopApi } from './desktop-api-ipc';
import { PROTOCOL, protocolClientArgs, protocolUrlIn } from './protocol';
import { ShareSwitch } from './share-switch';
import { MainWindow } from './main-window';
import type { SettingsStore } from './settings-store';
import { trayIconFile, type TrayState } from './tray-menu';
import { guardPermissions } from './window-guard';
import { withCsp } from './window-policy';
import { WorkspaceWindows } from './workspace-windows';
import { DesktopTunnels } from './desktop-tunnels';
import { DesktopTerminals } from './desktop-terminals';
import { ConnectedHubs } from './connected-hubs';
import { DesktopHubs } from './desktop-hubs';
import { DesktopTray } from './desktop-tray';
import { Preferences } from './desktop-preferences';
import { LocalHubRunner } from './local-hub-runner';
import { trayActions } from './tray-actions';

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


/** Starts the app; null when another instance already runs (it is told about our argv and shows itself). */
export async function startShell(d: ShellDeps): Promise<Shell | null> {
  const { app } = d.electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  // Links and second instances can arrive before the app has started: they wait for it.
  let started: (s: Started) => void = () => undefined;
  const whenStarted = new Promise<Started>((resolve) => { started = resolve; });
  listenEarly(d, whenStarted);
  await app.whenReady();
  const s = await compose(d);
  started(s);
  const pending = protocolUrlIn(d.argv);
  if (pending) void s.handleProtocolUrl(pending);
  return s.shell;
}

interface Started {
  shell: Shell;
  showMain(): void;
  handleProtocolUrl(url: string): Promise<HubSummary | null>;
}

/** What must be registered before the app is ready: the scheme, the single-instance hand-over, window rules. */
function listenEarly(d: ShellDeps, whenStarted: Promise<Started>): void {
  const { app } = d.electron;
  // Reviewed: the scheme carries only invites; handleProtocolUrl decodes them (anything else is refused) and joins nothing without the hub's answer.
  app.setAsDefaultProtocolClient(...(protocolClientArgs(Boolean(process.defaultApp), process.execPath, process.argv[1] && path.resolve(process.argv[1])) as [string])); // eng-disable PROTOCOL_HANDLER_JS_CHECK
  app.on('second-instance', (_e, argv) => void whenStarted.then((s) => {
    const url = protocolUrlIn(argv);
    if (url) void s.handleProtocolUrl(url);
    s.showMain();
  }));
  app.on('open-url', (e, url) => {
    e.preventDefault();
    void whenStarted.then((s) => s.handleProtocolUrl(url));
  });
  // A tray app: closing every window leaves it running; Quit in the tray ends it.
  app.on('window-all-closed', () => undefined);
  // Any web contents, including ones nobody meant to create: no <webview>, no pop-ups unless a guard allows.
  app.on('web-contents-created', (_e, wc) => {
    wc.on('will-attach-webview', (ev) => ev.preventDefault());
  });
}

/** The app's windows: the main one and the workspace ones, their bounds kept in the settings; app pages get the CSP and no permissions. */
function openWindows(d: ShellDeps, settings: SettingsStore): { main: MainWindow; windows: WorkspaceWindows } {
  const { BrowserWindow, session, shell, screen } = d.electron;
  guardPermissions(session.defaultSession);
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => cb({ responseHeaders: withCsp(details.responseHeaders) }));
  const displays = () => screen.getAllDisplays().map((x) => x.workArea);
  const main = new MainWindow({
    BrowserWindow, preload: d.paths.preload, rendererUrl: d.paths.rendererUrl, displays,
    openExternal: (url) => shell.openExternal(url), // eng-disable OPEN_EXTERNAL_JS_CHECK — only http(s) URLs the policy sent out
    savedBounds: () => settings.get().windows.main,
    saveBounds: (b) => void settings.update((s) => { s.windows.main = b; }),
  });
  const windows = new WorkspaceWindows({
    BrowserWindow, displays,
    sessionFromPartition: (p) => session.fromPartition(p),
    openExternal: (url) => shell.openExternal(url), // eng-disable OPEN_EXTERNAL_JS_CHECK — only http(s) URLs the navigation policy sent out
    savedBounds: (k) => settings.get().windows[k],
    saveBounds: (k, b) => void settings.update((s) => { s.windows[k] = b; }),
  });
  return { main, windows };
}

/** The composition root: builds every service once the app is ready and the settings are open, wires them, connects the hubs. */
async function compose(d: ShellDeps): Promise<Started> {
  const { app, ipcMain, Menu, Tray, nativeImage, clipboard, Notification, nativeTheme } = d.electron;
  const tray = new Tray(nativeImage.createFromPath(path.join(d.paths.assets, trayIconFile(d.platform))));
  tray.setToolTip('Hubdeck');
  const settings = await d.openSettings();
  const notify = (n: { title: string; body: string }) => { if (Notification.isSupported()) new Notification(n).show(); };
  const { main, windows } = openWindows(d, settings);
  const changed = () => main.changed();
  const preferences = new Preferences({ settings, app, nativeTheme, changed });
  preferences.applyAtStart();
  const local = new LocalHubRunner(d);
  const connected = new ConnectedHubs({ remoteClient: d.remoteClient, onEvent: (h, e) => desktopTray.onEvent(h, e), onLost: () => desktopTray.rebuild() });
  const sharing = new ShareSwitch({
    hub: () => local.hub, dataDir: d.dataDir, listen: () => preferences.get().shareListen, log: d.log,
    onChange: () => { desktopTray.rebuild(); changed(); },
  });
  // Tunnels are the CLI's too (the data directory's tunnels.json); the app runs local-hub ones.
  const tunnels = new DesktopTunnels(new TunnelStore(d.dataDir), (t) => (t.hub === null && local.hub ? ownerDialer(local.hub) : null), d.log);
  const terminals = new DesktopTerminals();
  let hubApi: RegisteredApi | null = null;
  const hubs = new DesktopHubs({
    hubs: connected, settings, windows, remoteClient: d.remoteClient, changed,
    copy: (text) => clipboard.writeText(text),
    refresh: () => desktopTray.refresh(),
    rebuildTray: () => desktopTray.rebuild(),
    reloadMain: () => {
      const w = main.current();
      if (w) hubApi?.forget(w.webContents.id);
      w?.webContents.reload();
    },
  });
  const desktopTray: DesktopTray = new DesktopTray({
    tray, Menu, hubs: connected, notify, refreshMs: d.refreshMs ?? 150,
    sharing: () => sharing.url, tunnels: () => tunnels.listOrNone(), notifications: () => preferences.get().notifications,
    onAction: (a) => onTrayAction(a),
  });
  const quit = once(async () => {
    windows.closeAll();
    terminals.closeAll();
    await tunnels.stopAll().catch(() => undefined);
    await sharing.stop().catch(() => undefined);
    await local.stopAccess();
    // The local hub's client closes the hub itself (timers, pending writes): last.
    await connected.closeAll();
    desktopTray.destroy();
    app.quit();
  });
  const handleProtocolUrl = joiner(hubs, notify, d.log);
  const onTrayAction = trayActions({
    hubs, connected, sharing, tunnels, user: d.user, tray: desktopTray, log: d.log, notify,
    quit: () => void quit(), showMain: () => main.show(), showPage: (r) => main.showPage(r),
  });

  /** Only the main window speaks to hubs: workspace windows have no preload, and are refused anyway. */
  const isMain = (sender: IpcSender) => main.isSender(sender.id);
  hubApi = registerApi(ipcMain, (sender) => {
    if (!isMain(sender)) throw new HubdeckError('forbidden', 'this window may not use the hub');
    return hubs.activeHub().client;
  });
  registerDesktopApi(ipcMain, isMain, {
    ...hubs.handlers(),
    ...terminals.handlers(() => hubs.activeHub()),
    ...sharing.handlers(() => connected.clientOf('local').client),
    ...preferences.handlers(),
    ...tunnels.handlers(d.user, () => desktopTray.rebuild()),
  });

  // The local hub, then every joined one; the tray shows each as it comes.
  await hubs.connectAll(await local.start());
  await desktopTray.refresh();
  if (!d.argv.includes('--hidden')) main.show();
  return {
    shell: { tray, state: () => desktopTray.state(), mainWindow: () => main.current(), workspaces: windows, refresh: () => desktopTray.refresh(), handleProtocolUrl, quit },
    showMain: () => main.show(),
    handleProtocolUrl,
  };
}

/** Joining from a hubdeck:// link: said in a notification either way (nobody else is there to tell). */
function joiner(hubs: DesktopHubs, notify: (n: { title: string; body: string }) => void, log: (m: string) => void): (url: string) => Promise<HubSummary | null> {
  return async (url) => {
    try {
      const h = await hubs.joinHub(url);
      notify({ title: `Joined ${h.label}`, body: `You are ${h.user} there; its workspaces are in the tray.` });
      return h;
    } catch (e) {
      notify({ title: 'Could not join the hub', body: errorMessage(e) });
      log(`joining from ${PROTOCOL}:// failed: ${errorMessage(e)}`);
      return null;
    }
  };
}

/** `fn` run at most once; later calls get the same promise. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  return () => (running ??= fn());
}

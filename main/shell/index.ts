/**
 * Electron entry: the tray and the main window over the local hub, run in this process on the
 * local Docker engine (the desktop's default). Everything that can be pure lives beside this file
 * and is tested without Electron; this file only wires it to Electron.
 */
import os from 'node:os';
import path from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, Notification, Tray, nativeImage, session, shell } from 'electron';
import { userNameFromOsUser } from '../core/names';
import { HubdeckError } from '../core/errors';
import { openLocalHub, type LocalHub } from '../client/local-hub';
import { startLocalAccess, type LocalAccess } from '../server/local-access';
import { workspaceBaseUrl } from '../core/names';
import { APP_CSP, navigationVerdict } from './navigation-policy';
import { trayTemplate, type TrayAction, type TrayState } from './tray-menu';
import { registerApi } from './ipc-api';
import { notificationFor } from './notifications';

const user = process.env.HUBDECK_USER ?? userNameFromOsUser(os.userInfo().username) ?? 'me';
let local: LocalHub | null = null;
/** The local hub's proxy and SSH gateway on loopback: workspace windows open through it. */
let access: LocalAccess | null = null;
let tray: Tray | null = null;
let win: BrowserWindow | null = null;
let state: TrayState = { engine: 'local Docker', workspaces: [], error: null };

function hub(): LocalHub {
  if (!local) throw new Error('the local hub is not open yet');
  return local;
}

async function refresh(): Promise<void> {
  try {
    state = { ...state, workspaces: await hub().client.listWorkspaces({ user }), error: null };
  } catch (e) {
    state = { ...state, error: e instanceof Error ? e.message : String(e) };
  }
  tray?.setContextMenu(Menu.buildFromTemplate(trayTemplate(state, onTrayAction)));
}

function onTrayAction(a: TrayAction): void {
  if (a.kind === 'quit') app.quit();
  else if (a.kind === 'show') showWindow();
  else if (a.kind === 'open') openWorkspaceWindow(a.name);
  else void (a.kind === 'start' ? hub().client.startWorkspace({ user, name: a.name }) : hub().client.stopWorkspace({ user, name: a.name })).finally(refresh);
}

function rendererUrl(): string {
  return process.env.ELECTRON_RENDERER_URL ?? `file://${path.join(__dirname, '../renderer/index.html')}`;
}

function showWindow(): void {
  if (win) return win.show();
  win = new BrowserWindow({
    width: 900,
    height: 600,
    title: 'Hubdeck',
    webPreferences: { preload: path.join(__dirname, '../preload/index.js'), contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  const allowed = [process.env.ELECTRON_RENDERER_URL ? new URL(process.env.ELECTRON_RENDERER_URL).origin : 'file://'];
  win.webContents.on('will-navigate', (e, url) => {
    const v = navigationVerdict(url, allowed);
    if (v !== 'allow') e.preventDefault();
    if (v === 'external') void shell.openExternal(url);
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (navigationVerdict(url, allowed) === 'external') void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.on('closed', () => (win = null));
  void win.loadURL(rendererUrl());
}

/**
 * A workspace in its own window, through the local hub's proxy: signed in by a one-time code (no
 * token in any URL), sandboxed, no preload, allowed to navigate only within the hub's origin.
 */
function openWorkspaceWindow(name: string): void {
  if (!access) return;
  const w = new BrowserWindow({
    width: 1200, height: 800, title: `${name} — Hubdeck`,
    // Its own session: the app's CSP (set on the default session) is not the workspace app's, and
    // the hub's cookie for these windows stays apart from everything else.
    webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, partition: 'hubdeck-workspaces' },
  });
  const allowed = [new URL(access.url).origin];
  w.webContents.on('will-navigate', (e, url) => {
    const v = navigationVerdict(url, allowed);
    if (v !== 'allow') e.preventDefault();
    if (v === 'external') void shell.openExternal(url);
  });
  w.webContents.setWindowOpenHandler(({ url }) => {
    if (navigationVerdict(url, allowed) === 'external') void shell.openExternal(url);
    return { action: 'deny' };
  });
  void w.loadURL(access.signInUrl({ user, admin: true }, workspaceBaseUrl(user, name)));
}

/** Only our own window speaks to the hub; it acts as the desktop's user (the local admin). */
function registerIpc(): void {
  registerApi(ipcMain, (sender) => {
    if (!win || sender.id !== win.webContents.id) throw new HubdeckError('forbidden', 'this window may not use the hub');
    return hub().client;
  });
}

app.whenReady().then(async () => {
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } });
  });
  registerIpc();
  tray = new Tray(nativeImage.createFromPath(path.join(__dirname, '../../assets/tray-icon.png')));
  tray.setToolTip('Hubdeck');
  try {
    local = await openLocalHub({ admin: user, env: process.env });
    local.hub.startTimers();
    access = await startLocalAccess(local.hub, { log: (m) => console.error(m) });
    // Every hub event (state, expiry, culling) rebuilds the tray: no polling.
    await local.client.subscribe((e) => {
      const n = notificationFor(e);
      if (n && Notification.isSupported()) new Notification(n).show();
      void refresh();
    });
  } catch (e) {
    state = { ...state, error: e instanceof Error ? e.message : String(e) };
  }
  void refresh();
  showWindow();
});

app.on('window-all-closed', () => {
  // A tray app keeps running with no windows open.
});
app.on('before-quit', () => void (access?.stop() ?? Promise.resolve()).then(() => local?.client.close()));

// The shell wired to the Electron stub (aliased as `electron` in the "shell" vitest project) over a
// real local hub on the in-memory engine with its real loopback doors, and a second real hub
// server to join by invite: windows get the secure webPreferences, IPC handlers are registered
// and check their sender and arguments, the tray is rebuilt on hub events, workspace windows are
// signed in by the main process and kept to their workspace.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as electron from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPC } from '../../../main/api/ipc-bridge';
import { openLocalHub, type LocalHub } from '../../../main/server/local-hub';
import { remoteHubClient } from '../../../main/client/remote-hub-client';
import { encodeInvite } from '../../../main/core/invite-link';
import { startLocalAccess } from '../../../main/server/local-access';
import { DESKTOP_CALLS, desktopChannel } from '../../../preload/desktop-contract';
import { startShell, type Shell } from '../../../main/shell/shell-app';
import { APP_CSP } from '../../../main/shell/navigation-policy';
import { api, startApiHub, type ApiHub } from '../../support/api-hub';
import * as stub from '../../support/electron-stub';
import { memorySettings } from '../../support/memory-settings';
import { TEST_IMAGES } from '../../support/test-images';

const ROOT = path.join(__dirname, '../../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shell-wiring-'));
const settings = memorySettings();
const secrets = settings.secrets;
let local: LocalHub;
let shell: Shell;
let team: ApiHub;

type Item = { label?: string; submenu?: Item[]; click?: () => void };
const trayLabels = () => ((stub.Tray.last!.menus.at(-1)!.template as Item[]).map((i) => i.label));
const until = async (ok: () => boolean, what: string) => {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
};
const mainWc = () => (shell.mainWindow() as unknown as stub.BrowserWindow).webContents;

beforeAll(async () => {
  team = await startApiHub('shteam');
  shell = (await startShell({
    electron: electron as unknown as Parameters<typeof startShell>[0]['electron'],
    user: 'me', dataDir, platform: 'darwin', argv: ['electron', '.'], log: () => undefined, refreshMs: 10,
    paths: { preload: '/app/out/preload/index.js', rendererUrl: 'file:///app/out/renderer/index.html', assets: path.join(ROOT, 'assets') },
    openLocalHub: async () => (local = await openLocalHub({ admin: 'me', env: {}, dataDir, engine: 'fake' })),
    startLocalAccess: (l) => startLocalAccess(l.hub, { sshPort: null }),
    openSettings: settings.open,
    remoteClient: remoteHubClient,
  }))!;
});
afterAll(async () => {
  await shell?.quit();
  await team?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the shell, wired', () => {
  it('takes the single-instance lock, registers hubdeck://, and uses the macOS template tray icon', () => {
    expect(stub.app.protocols[0]![0]).toBe('hubdeck');
    expect(stub.Tray.last!.image.path).toBe(path.join(ROOT, 'assets', 'tray-icon-16Template.png'));
    expect(fs.existsSync(stub.Tray.last!.image.path)).toBe(true);
  });

  it('applies the start-at-login preference at start, not only when it changes', () => {
    expect(stub.app.loginItems[0]).toEqual({ openAtLogin: false, args: ['--hidden'] });
    expect(stub.nativeTheme.themeSource).toBe('system');
  });

  it('applies a changed theme and start at login through setPreferences, and refuses an invalid one', async () => {
    expect(await stub.ipcMain.invoke(desktopChannel('setPreferences'), mainWc(), { theme: 'dark', startAtLogin: true })).toMatchObject({ ok: true, value: { theme: 'dark', startAtLogin: true } });
    expect(stub.nativeTheme.themeSource).toBe('dark');
    expect(stub.app.loginItems.at(-1)).toEqual({ openAtLogin: true, args: ['--hidden'] });
    expect(await stub.ipcMain.invoke(desktopChannel('setPreferences'), mainWc(), { theme: 'neon' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    await stub.ipcMain.invoke(desktopChannel('setPreferences'), mainWc(), { theme: 'system', startAtLogin: false });
    expect(stub.nativeTheme.themeSource).toBe('system');
  });

  it('opens the main window with the secure webPreferences and guards its navigation', () => {
    const w = shell.mainWindow() as unknown as stub.BrowserWindow;
    expect(w.options.webPreferences).toMatchObject({
      contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false,
      webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, preload: '/app/out/preload/index.js',
    });
    expect(w.urls).toEqual(['file:///app/out/renderer/index.html']);
    expect(w.webContents.navigate('https://evil.example/')).toBe(true);
    expect(stub.shell.opened).toContain('https://evil.example/');
    expect(w.webContents.navigate('file:///app/out/renderer/index.html#/admin')).toBe(false);
    expect(w.webContents.openHandler!({ url: 'file:///x' })).toEqual({ action: 'deny' });
  });

  it('sets the CSP on app pages and denies every permission request', () => {
    let headers: Record<string, string[]> = {};
    stub.session.defaultSession.headers!({ responseHeaders: { 'content-security-policy': ['default-src *'], 'x-a': ['b'] } }, (r) => { headers = r.responseHeaders; });
    expect(headers).toEqual({ 'x-a': ['b'], 'Content-Security-Policy': [APP_CSP] });
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read']) stub.session.defaultSession.permissionRequest!(null, p, (ok) => answers.push(ok));
    expect(answers).toEqual([false, false, false, false]);
    expect(stub.session.defaultSession.permissionCheck!(null, 'media')).toBe(false);
  });

  it('registers every IPC handler, serves only the main window, and validates arguments', async () => {
    const channels = [...stub.ipcMain.handlers.keys()];
    for (const c of [IPC.call, IPC.streamOpen, IPC.streamClose, IPC.subscribe]) expect(channels).toContain(c);
    for (const k of DESKTOP_CALLS) expect(channels).toContain(desktopChannel(k));
    expect(await stub.ipcMain.invoke(IPC.call, mainWc(), 'listWorkspaces', {}, null)).toEqual({ ok: true, value: [] });
    const stranger = new stub.FakeWebContents();
    expect(await stub.ipcMain.invoke(IPC.call, stranger, 'listWorkspaces', {}, null)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await stub.ipcMain.invoke(desktopChannel('hubs'), stranger)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await stub.ipcMain.invoke(IPC.call, mainWc(), 'dropTables', {}, null)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await stub.ipcMain.invoke(desktopChannel('openWorkspace'), mainWc(), 'me', '../etc')).toMatchObject({
      ok: false, error: { code: 'invalid', message: expect.stringMatching(/^invalid arguments to openWorkspace: 1: must be a workspace or user name/) },
    });
    expect(await stub.ipcMain.invoke(desktopChannel('setPreferences'), mainWc(), { theme: 'neon' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await stub.ipcMain.invoke(desktopChannel('hubs'), mainWc())).toMatchObject({ ok: true, value: [{ key: 'local', user: 'me', admin: true, active: true, error: null }] });
  });

  it('rebuilds the tray on hub events', async () => {
    const before = stub.Tray.last!.menus.length;
    await local.client.createWorkspace({ body: { name: 'w1', image: TEST_IMAGES.busybox } });
    await until(() => trayLabels().some((l) => l?.startsWith('● w1')), 'w1 running in the tray');
    expect(stub.Tray.last!.menus.length).toBeGreaterThan(before);
    await local.client.stopWorkspace({ user: 'me', name: 'w1' });
    await until(() => trayLabels().some((l) => l === '○ w1 — stopped'), 'w1 stopped in the tray');
    await local.client.startWorkspace({ user: 'me', name: 'w1' });
    await until(() => trayLabels().some((l) => l?.startsWith('● w1')), 'w1 running again');
  });

  it('opens one window per workspace on its own partition, signed in by the main process, kept to the workspace', async () => {
    const count = stub.BrowserWindow.all.length;
    expect(await stub.ipcMain.invoke(desktopChannel('openWorkspace'), mainWc(), 'me', 'w1')).toEqual({ ok: true, value: null });
    const w = stub.BrowserWindow.all.at(-1)!;
    expect(stub.BrowserWindow.all.length).toBe(count + 1);
    expect(w.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, partition: 'hubdeck-ws-local-me-w1' });
    expect(w.options.webPreferences).not.toHaveProperty('preload');
    const ses = stub.session.fromPartition('hubdeck-ws-local-me-w1');
    // The cookie came from redeeming a one-time code at the workspace's own origin on the real local
    // hub; it is that origin's own cookie (never the hub's session), and the URL carries neither.
    expect(ses.cookieJar).toHaveLength(1);
    expect(ses.cookieJar[0]).toMatchObject({ name: 'hubdeck-workspace', httpOnly: true, sameSite: 'lax' });
    expect(w.urls).toHaveLength(1);
    expect(w.urls[0]).toMatch(/^http:\/\/w1--me\.localhost:\d+\/user\/me\/w1\/$/);
    expect(ses.cookieJar[0]!.url).toBe(new URL(w.urls[0]!).origin);
    const origin = new URL(w.urls[0]!).origin;
    expect(w.webContents.navigate(`${origin}/user/me/w1/lab`)).toBe(false);
    expect(w.webContents.navigate(`${origin}/user/other/w1/`)).toBe(true);
    expect(w.webContents.navigate('https://pypi.org/project/numpy/')).toBe(true);
    expect(stub.shell.opened).toContain('https://pypi.org/project/numpy/');
    expect(w.webContents.openHandler!({ url: `${origin}/user/me/w1/lab/tree/a.ipynb` })).toMatchObject({ action: 'allow' });
    let asked: unknown = null;
    ses.emit('will-download', {}, { setSaveDialogOptions: (o: unknown) => { asked = o; } });
    expect(asked).toEqual({ title: 'Save a download from w1' });
    const answers: boolean[] = [];
    ses.permissionRequest!(null, 'media', (ok) => answers.push(ok));
    expect(answers).toEqual([false]);
    // Opening it again focuses the same window.
    await stub.ipcMain.invoke(desktopChannel('openWorkspace'), mainWc(), 'me', 'w1');
    expect(stub.BrowserWindow.all.length).toBe(count + 1);
    expect(w.focused).toBe(1);
  });

  it('opens the main window on the page a tray item names', () => {
    const menu = stub.Tray.last!.menus.at(-1)!.template as Item[];
    menu.find((i) => i.label === 'Open Admin')!.click!();
    menu.find((i) => i.label === 'Settings…')!.click!();
    expect(mainWc().sent.filter(([c]) => c === 'desktop:show').map(([, r]) => r)).toEqual([{ page: 'admin', hub: 'local' }, { page: 'settings', hub: null }]);
  });

  it('copies the ssh command for a workspace', async () => {
    expect(await stub.ipcMain.invoke(desktopChannel('copySshCommand'), mainWc(), 'local', 'w1')).toEqual({ ok: true, value: 'ssh w1.hubdeck' });
    expect(stub.clipboard.text).toBe('ssh w1.hubdeck');
  });

  it('joins another hub from a hubdeck:// link: token to the keychain, hub in the settings and the tray', async () => {
    await api(team.url, 'POST', '/users', team.adminToken, { name: 'bob', selfService: true });
    const made = (await api(team.url, 'POST', '/invites', team.adminToken, { user: 'bob' })).body as { code: string; hubId: string; expiresAt: string };
    const invite = encodeInvite({ url: team.url, fingerprint: null, code: made.code, user: 'bob', hubId: made.hubId, expiresAt: made.expiresAt });
    const joined = await shell.handleProtocolUrl(`hubdeck://join?invite=${invite}`);
    expect(joined).toMatchObject({ user: 'bob', admin: false, error: null, url: team.url });
    expect([...secrets.keys()]).toEqual([`${team.url}#bob`]);
    expect(JSON.stringify(settings.file())).not.toContain(secrets.get(`${team.url}#bob`)!);
    expect(settings.file().hubs.map((h) => h.user)).toEqual(['bob']);
    expect(trayLabels()).toContain(joined!.label);
    await api(team.url, 'POST', '/images', team.adminToken, { name: 'busybox', ref: TEST_IMAGES.busybox });
    const created = await api(team.url, 'POST', '/workspaces?wait=1', team.adminToken, { name: 'gpu1', user: 'bob', image: TEST_IMAGES.busybox, volume: false });
    expect(created.status).toBe(201);
    await until(() => trayLabels().some((l) => l?.startsWith('● gpu1')), 'bob\'s gpu1 in the tray');
    // The same link again is refused by the hub, and said so.
    expect(await shell.handleProtocolUrl(`hubdeck://join?invite=${invite}`)).toBeNull();
    expect(stub.Notification.shown.at(-1)).toMatchObject({ title: 'Could not join the hub', body: expect.stringMatching(/already used/) });
  });

  it('switches the main window to another hub: calls and events then come from that hub', async () => {
    const joined = (await stub.ipcMain.invoke(desktopChannel('hubs'), mainWc()) as { value: { key: string; user: string }[] }).value.find((h) => h.user === 'bob')!;
    await stub.ipcMain.invoke(IPC.subscribe, mainWc());
    expect(await stub.ipcMain.invoke(desktopChannel('selectHub'), mainWc(), joined.key)).toEqual({ ok: true, value: null });
    expect(mainWc().reloads).toBe(1);
    await stub.ipcMain.invoke(IPC.subscribe, mainWc());
    const listed = await stub.ipcMain.invoke(IPC.call, mainWc(), 'listWorkspaces', {}, null) as { value: { user: string; name: string }[] };
    expect(listed.value.map((w) => `${w.user}/${w.name}`)).toEqual(['bob/gpu1']);
    const seen = mainWc().sent.length;
    await local.client.stopWorkspace({ user: 'me', name: 'w1' });
    await api(team.url, 'POST', '/workspaces/bob/gpu1/stop', team.adminToken);
    await until(() => mainWc().sent.slice(seen).some(([c, e]) => c === IPC.event && (e as { name: string }).name === 'gpu1'), 'gpu1 events');
    expect(mainWc().sent.slice(seen).filter(([c]) => c === IPC.event).map(([, e]) => (e as { name: string }).name)).not.toContain('w1');
    expect(settings.file().activeHub).toBe(joined.key);
  });

  it('adds a hub by URL and token: a refused token adds nothing; a good one is connected, its token in the keychain only', async () => {
    const add = (token: string) => stub.ipcMain.invoke(desktopChannel('addHub'), mainWc(), { url: team.url, token, fingerprint: null });
    const before = (await stub.ipcMain.invoke(desktopChannel('hubs'), mainWc()) as { value: unknown[] }).value.length;
    expect(await add('hd_not-a-token')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect((await stub.ipcMain.invoke(desktopChannel('hubs'), mainWc()) as { value: unknown[] }).value).toHaveLength(before);
    expect(await add(team.adminToken)).toMatchObject({ ok: true, value: { url: team.url, user: 'admin', admin: true, error: null } });
    expect(secrets.get(`${team.url}#admin`)).toBe(team.adminToken);
    expect(JSON.stringify(settings.file())).not.toContain(team.adminToken);
  });

  it('keeps running when every window is closed, and a second instance only shows the first', async () => {
    expect(stub.app.listenerCount('window-all-closed')).toBe(1);
    stub.app.emit('window-all-closed');
    expect(stub.app.quits).toBe(0);
    stub.app.lock = false;
    expect(await startShell({ electron } as never)).toBeNull();
    expect(stub.app.quits).toBe(1);
    stub.app.lock = true;
  });
});

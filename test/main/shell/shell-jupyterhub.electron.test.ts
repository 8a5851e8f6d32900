// The shell with a connected JupyterHub (the real JupyterHub 3 fixture), wired to the Electron stub:
// added from the Hubs page's call (token checked by the hub, kept in the keychain only), its servers
// in the tray and polled, started from the tray, opened in a window on its own partition with a
// short-lived token URL and kept to the server's path, no SSH or terminal, kept across a restart of
// the settings, and removed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as electron from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPC } from '../../../main/api/ipc-bridge';
import { openLocalHub } from '../../../main/server/local-hub';
import { remoteHubClient } from '../../../main/client/remote-hub-client';
import { JupyterHubClient } from '../../../main/client/jupyterhub/jupyterhub-client';
import { startLocalAccess } from '../../../main/server/local-access';
import { desktopChannel } from '../../../preload/desktop-contract';
import { startShell, type Shell } from '../../../main/shell/shell-app';
import * as stub from '../../support/electron-stub';
import { memorySettings } from '../../support/memory-settings';
import { startJupyterHub, type TestJupyterHub } from '../../support/jupyterhub-fixture';

const ROOT = path.join(__dirname, '../../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shell-jh-'));
const settings = memorySettings();
const secrets = settings.secrets;
let shell: Shell;
let jh: TestJupyterHub;
let token: string;

type Item = { label?: string; enabled?: boolean; submenu?: Item[]; click?: () => void };
const tray = () => stub.Tray.last!.menus.at(-1)!.template as Item[];
const until = async (ok: () => boolean, what: string, ms = 20_000) => {
  const t0 = Date.now();
  while (!ok() && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 100));
  if (!ok()) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(tray().map((i) => i.label))}`);
};
const mainWc = () => (shell.mainWindow() as unknown as stub.BrowserWindow).webContents;
const call = (name: string, ...args: unknown[]) => stub.ipcMain.invoke(desktopChannel(name as never), mainWc(), ...args) as Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;

beforeAll(async () => {
  jh = await startJupyterHub();
  token = await jh.userToken('alice');
  shell = (await startShell({
    electron: electron as unknown as Parameters<typeof startShell>[0]['electron'],
    user: 'me', dataDir, platform: 'linux', argv: ['electron', '.'], log: () => undefined, refreshMs: 10,
    paths: { preload: '/app/out/preload/index.js', rendererUrl: 'file:///app/out/renderer/index.html', assets: path.join(ROOT, 'assets') },
    openLocalHub: () => openLocalHub({ admin: 'me', env: {}, dataDir, engine: 'fake' }),
    startLocalAccess: (l) => startLocalAccess(l.hub, { sshPort: null }),
    openSettings: settings.open,
    remoteClient: remoteHubClient,
  }))!;
}, 90_000);
afterAll(async () => {
  await shell?.quit();
  await jh?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

describe('a connected JupyterHub in the desktop app', () => {
  it('is checked with its token before it is saved, and refused with the hub\'s words', async () => {
    const bad = await call('addHub', { kind: 'jupyterhub', url: jh.url, token: 'wrong' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/refused the token \(403\)/) } });
    const pinned = await call('addHub', { kind: 'jupyterhub', url: jh.url, token, fingerprint: 'AB'.repeat(32) });
    expect(pinned).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^fingerprint: a JupyterHub is reached over ordinary TLS/) } });
    const badOptions = await call('addHub', { kind: 'jupyterhub', url: jh.url, token, defaultOptions: { 'no spaces': 1 } });
    expect(badOptions).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(settings.file().hubs ?? []).toEqual([]);
  });

  it('is added with its options form; the token goes to the keychain only', async () => {
    const added = await call('addHub', { kind: 'jupyterhub', url: `${jh.url}/`, token, name: 'lab', optionsForm: 'mlhub', defaultOptions: { slow_stop: 0 } });
    expect(added).toMatchObject({ ok: true, value: { key: 'lab', kind: 'jupyterhub', url: jh.url, user: 'alice', admin: false, fingerprint: null, error: null } });
    const saved = settings.file().hubs[0]!;
    expect(saved).toMatchObject({ name: 'lab', kind: 'jupyterhub', user: 'alice', jupyterhub: { version: '3.0.0', options: { form: 'mlhub', defaults: { slow_stop: 0 } } } });
    expect(JSON.stringify(settings.file())).not.toContain(token);
    expect([...secrets.values()]).toContain(token);
    expect(tray().map((i) => i.label)).toContain('lab');
  });

  it('runs the hub API on it once selected: info says what it is; create maps the form and reports progress', async () => {
    expect(await call('selectHub', 'lab')).toEqual({ ok: true, value: null });
    const info = await stub.ipcMain.invoke(IPC.call, mainWc(), 'info', {}, null) as { ok: boolean; value: Record<string, unknown> };
    expect(info.value).toMatchObject({ hubId: 'lab', engine: null, ssh: null, user: { name: 'alice', admin: false }, jupyterhub: { optionsForm: 'mlhub', defaultOptions: { slow_stop: 0 }, missingScopes: [] } });
    const made = await stub.ipcMain.invoke(IPC.call, mainWc(), 'createWorkspace', { body: { name: 'exp1', image: 'ml/img:1', memory: '2g', userOptions: { delay: 2 } } }, 'a1b2c3d4') as { ok: boolean; value: Record<string, unknown> };
    expect(made).toMatchObject({ ok: true, value: { name: 'exp1', state: 'running', image: 'ml/img:1' } });
    const progress = mainWc().sent.filter(([c]) => c === IPC.progress).map(([, p]) => (p as { progress: { message: string } }).progress.message);
    expect(progress).toContain('Test spawner: halfway through a 2s delay');
    const raw = new JupyterHubClient(jh.url, jh.adminToken);
    expect((await raw.listServers('alice')).find((s) => s.name === 'exp1')?.user_options).toEqual({ slow_stop: 0, image: 'ml/img:1', mem_limit: '2g', delay: 2 });
    const logs = await stub.ipcMain.invoke(IPC.call, mainWc(), 'capacity', {}, null);
    expect(logs).toMatchObject({ ok: false, error: { message: 'capacity: not available on a JupyterHub' } });
  }, 60_000);

  it('lists its servers in the tray, polled, without SSH, and starts one from there', async () => {
    await until(() => tray().some((i) => i.label === '● exp1 — running'), 'exp1 running in the tray');
    const raw = new JupyterHubClient(jh.url, jh.adminToken);
    await raw.stopServer('alice', 'exp1');
    // Stopped from elsewhere: the app learns it by polling (every 10 s).
    await until(() => tray().some((i) => i.label === '○ exp1 — stopped'), 'exp1 stopped in the tray', 30_000);
    const item = tray().find((i) => i.label === '○ exp1 — stopped')!;
    expect(item.submenu!.map((i) => i.label)).toEqual(['Open', 'Start', 'Stop']);
    item.submenu!.find((i) => i.label === 'Start')!.click!();
    await until(() => tray().some((i) => i.label === '● exp1 — running'), 'exp1 started from the tray', 30_000);
    expect(await call('copySshCommand', 'lab', 'exp1')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^SSH: not available on a JupyterHub/) } });
    expect(await call('openTerminal', 'alice', 'exp1', 80, 24)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^terminal: not available on a JupyterHub/) } });
  }, 60_000);

  it('opens a server in its own partition with a short-lived token URL, kept to the server', async () => {
    const count = stub.BrowserWindow.all.length;
    expect(await call('openWorkspace', 'alice', 'exp1')).toEqual({ ok: true, value: null });
    const w = stub.BrowserWindow.all.at(-1)!;
    expect(stub.BrowserWindow.all.length).toBe(count + 1);
    expect(w.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, partition: 'hubdeck-ws-lab-alice-exp1' });
    expect(w.urls).toHaveLength(1);
    const url = new URL(w.urls[0]!);
    expect(url.origin + url.pathname).toBe(`${jh.url}/user/alice/exp1/`);
    const openToken = url.searchParams.get('token')!;
    expect(openToken).not.toBe(token);
    // The token reaches the server, and no more than this user's servers.
    expect((await fetch(`${jh.url}/user/alice/exp1/api/status`, { headers: { Authorization: `token ${openToken}` } })).status).toBe(200);
    expect((await fetch(`${jh.url}/hub/api/users/alice/tokens`, { headers: { Authorization: `token ${openToken}` } })).status).toBe(403);
    // No cookie was set by the app: JupyterHub sets its own once the page loads.
    expect(stub.session.fromPartition('hubdeck-ws-lab-alice-exp1').cookieJar).toEqual([]);
    expect(w.webContents.navigate(`${jh.url}/user/alice/exp1/tree`)).toBe(false);
    expect(w.webContents.navigate(`${jh.url}/hub/login?next=%2Fuser%2Falice%2Fexp1%2F`)).toBe(false);
    expect(w.webContents.navigate(`${jh.url}/hub/api/oauth2/authorize?client_id=x`)).toBe(false);
    expect(w.webContents.navigate(`${jh.url}/user/bob/`)).toBe(true);
    expect(w.webContents.navigate(`${jh.url}/hub/admin`)).toBe(true);
    // A stopped server is refused before any window opens.
    await call('selectHub', 'lab');
    await stub.ipcMain.invoke(IPC.call, mainWc(), 'stopWorkspace', { user: 'alice', name: 'exp1' }, null);
    const n = stub.BrowserWindow.all.length;
    w.destroy();
    expect(await call('openWorkspace', 'alice', 'exp1')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/is stopped: start it first/) } });
    expect(stub.BrowserWindow.all.length).toBe(n);
  }, 60_000);

  it('is removed with its token', async () => {
    expect(await call('removeHub', 'lab')).toEqual({ ok: true, value: null });
    expect(settings.file().hubs).toEqual([]);
    expect([...secrets.values()]).not.toContain(token);
    expect(tray().map((i) => i.label)).not.toContain('lab');
  });
});

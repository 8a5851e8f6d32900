/**
 * The one Electron stand-in (JupyterLab Desktop habit), aliased as `electron` for the shell wiring
 * tests only (vitest project "shell"). It records what the shell asks of Electron — windows and
 * their webPreferences, IPC handlers, tray menus, session handlers, cookies — and lets a test play
 * Electron's part (emit events, invoke handlers). No behaviour of Electron is imitated beyond that.
 */
import { EventEmitter } from 'node:events';

type Handler = (event: { sender: FakeWebContents }, ...args: unknown[]) => unknown;

let nextId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly sent: [string, unknown][] = [];
  openHandler: ((d: { url: string }) => unknown) | null = null;
  reloads = 0;
  send(channel: string, payload: unknown): void { this.sent.push([channel, payload]); }
  setWindowOpenHandler(fn: (d: { url: string }) => unknown): void { this.openHandler = fn; }
  reload(): void { this.reloads++; }
  loading = false;
  isLoading(): boolean { return this.loading; }
  /** Plays a navigation: true when the window's guard prevented it. */
  navigate(url: string, event = 'will-navigate'): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => { prevented = true; } }, url);
    return prevented;
  }
}

export class FakeSession extends EventEmitter {
  readonly cookies = { set: async (c: Record<string, unknown>) => { this.cookieJar.push(c); } };
  readonly cookieJar: Record<string, unknown>[] = [];
  permissionRequest: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | null = null;
  permissionCheck: ((wc: unknown, permission: string) => boolean) | null = null;
  deviceCheck: (() => boolean) | null = null;
  certificateVerify: ((req: { hostname: string; certificate: { data: string } }, cb: (code: number) => void) => void) | null = null;
  headers: ((d: { responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void) | null = null;
  readonly webRequest = { onHeadersReceived: (fn: FakeSession['headers']) => { this.headers = fn; } };
  constructor(readonly partition: string) { super(); }
  setPermissionRequestHandler(fn: FakeSession['permissionRequest']): void { this.permissionRequest = fn; }
  setPermissionCheckHandler(fn: FakeSession['permissionCheck']): void { this.permissionCheck = fn; }
  setDevicePermissionHandler(fn: FakeSession['deviceCheck']): void { this.deviceCheck = fn; }
  setCertificateVerifyProc(fn: FakeSession['certificateVerify']): void { this.certificateVerify = fn; }
}

const sessions = new Map<string, FakeSession>();
export const session = {
  defaultSession: new FakeSession(''),
  fromPartition(p: string): FakeSession {
    let s = sessions.get(p);
    if (!s) sessions.set(p, (s = new FakeSession(p)));
    return s;
  },
};

export class BrowserWindow extends EventEmitter {
  static readonly all: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly urls: string[] = [];
  destroyed = false;
  shown = 0;
  focused = 0;
  constructor(readonly options: { webPreferences?: Record<string, unknown>; [k: string]: unknown }) {
    super();
    BrowserWindow.all.push(this);
  }
  async loadURL(url: string): Promise<void> { this.urls.push(url); }
  show(): void { this.shown++; }
  focus(): void { this.focused++; }
  isDestroyed(): boolean { return this.destroyed; }
  destroy(): void { this.destroyed = true; this.emit('closed'); }
  getNormalBounds() { return { x: 0, y: 0, width: 1200, height: 800 }; }
  isMaximized(): boolean { return false; }
}

export const ipcMain = {
  handlers: new Map<string, Handler>(),
  /** electron-store listens for its renderer helper here; nothing in these tests sends to it. */
  on(): void {},
  handle(channel: string, fn: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, fn);
  },
  /** Plays the renderer's ipcRenderer.invoke from `sender`. */
  invoke(channel: string, sender: FakeWebContents, ...args: unknown[]): Promise<unknown> {
    const fn = this.handlers.get(channel);
    if (!fn) throw new Error(`No handler registered for '${channel}'`);
    return Promise.resolve(fn({ sender }, ...args));
  },
};

export const Menu = { buildFromTemplate: (template: unknown[]) => ({ template }) };

export class Tray {
  static last: Tray | null = null;
  readonly menus: { template: unknown[] }[] = [];
  tooltip = '';
  destroyed = false;
  constructor(readonly image: { path: string }) { Tray.last = this; }
  setContextMenu(m: { template: unknown[] }): void { this.menus.push(m); }
  setToolTip(t: string): void { this.tooltip = t; }
  destroy(): void { this.destroyed = true; }
}

export const nativeImage = { createFromPath: (p: string) => ({ path: p }) };
export const shell = { opened: [] as string[], openExternal: async (url: string) => { shell.opened.push(url); } };
export const clipboard = { text: '', writeText: (t: string) => { clipboard.text = t; } };
export const nativeTheme = { themeSource: 'unset' as string };
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };

export class Notification {
  static readonly shown: { title: string; body: string }[] = [];
  static isSupported(): boolean { return true; }
  constructor(private readonly o: { title: string; body: string }) {}
  show(): void { Notification.shown.push(this.o); }
}

class FakeApp extends EventEmitter {
  lock = true;
  quits = 0;
  protocols: unknown[][] = [];
  loginItems: unknown[] = [];
  requestSingleInstanceLock(): boolean { return this.lock; }
  quit(): void { this.quits++; }
  exit(): void { this.quits++; }
  whenReady(): Promise<void> { return Promise.resolve(); }
  setAsDefaultProtocolClient(...args: unknown[]): boolean { this.protocols.push(args); return true; }
  setLoginItemSettings(s: unknown): void { this.loginItems.push(s); }
  getPath(): string { return '/tmp'; }
  getVersion(): string { return '0.0.0-test'; }
}
export const app = new FakeApp();

export const contextBridge = { exposed: {} as Record<string, unknown>, exposeInMainWorld: (k: string, v: unknown) => { contextBridge.exposed[k] = v; } };
export const ipcRenderer = {
  invoked: [] as unknown[][],
  invoke: async (...args: unknown[]) => { ipcRenderer.invoked.push(args); return { ok: true, value: null }; },
  on: () => undefined,
  removeListener: () => undefined,
};

/** electron-store imports Electron's default export. */
export default { app, BrowserWindow, ipcMain, Menu, Tray, nativeImage, session, shell, clipboard, screen, Notification, contextBridge, ipcRenderer };

/**
 * The app's one main window: created on demand with the locked-down preferences and a navigation
 * guard kept to the app's own pages, its bounds restored and saved, shown again rather than
 * duplicated, and told which page to show (a request made before its page has loaded waits for it).
 */
import type * as Electron from 'electron';
import { DESKTOP_CHANGED, DESKTOP_SHOW, type ShowRequest } from '../../preload/desktop-contract';
import { navigationVerdict } from './navigation-policy';
import { guardNavigation } from './window-guard';
import { appWebPreferences, restoredBounds, type Bounds } from './window-policy';

export interface MainWindowDeps {
  BrowserWindow: typeof Electron.BrowserWindow;
  openExternal: (url: string) => unknown;
  displays: () => Bounds[];
  savedBounds: () => Bounds | undefined;
  saveBounds: (b: Bounds & { maximized: boolean }) => void;
  preload: string;
  rendererUrl: string;
}

export class MainWindow {
  private win: Electron.BrowserWindow | null = null;
  private pendingShow: ShowRequest | null = null;

  constructor(private readonly d: MainWindowDeps) {}

  /** The window while it exists. */
  current(): Electron.BrowserWindow | null {
    return this.win && !this.win.isDestroyed() ? this.win : null;
  }

  /** Whether IPC from `senderId` comes from this window (only it may use the hubs). */
  isSender(senderId: number): boolean {
    return this.current()?.webContents.id === senderId;
  }

  /** Tells the page that something it shows changed (hubs, sharing, preferences). */
  changed(): void {
    this.current()?.webContents.send(DESKTOP_CHANGED);
  }

  showPage(request: ShowRequest): void {
    const w = this.current();
    const ready = w !== null && !w.webContents.isLoading();
    this.show();
    if (ready) w.webContents.send(DESKTOP_SHOW, request);
    else this.pendingShow = request;
  }

  show(): void {
    const existing = this.current();
    if (existing) {
      existing.show();
      existing.focus();
      return;
    }
    const bounds = restoredBounds(this.d.savedBounds(), this.d.displays());
    // The locked-down preferences (window-policy.ts), the key ones also spelled out here for static checkers.
    const w = new this.d.BrowserWindow({
      ...(bounds ?? { width: 1100, height: 720 }), title: 'Hubdeck', show: false,
      webPreferences: { ...appWebPreferences(this.d.preload), contextIsolation: true, sandbox: true, nodeIntegration: false, disableBlinkFeatures: 'Auxclick' },
    });
    const origin = this.d.rendererUrl.startsWith('file:') ? 'file://' : new URL(this.d.rendererUrl).origin;
    guardNavigation(w.webContents, (url) => navigationVerdict(url, [origin]), { openExternal: this.d.openExternal });
    w.once('ready-to-show', () => w.show());
    w.webContents.on('did-finish-load', () => {
      if (this.pendingShow) w.webContents.send(DESKTOP_SHOW, this.pendingShow);
      this.pendingShow = null;
    });
    w.on('close', () => this.d.saveBounds({ ...w.getNormalBounds(), maximized: w.isMaximized() }));
    w.on('closed', () => { if (this.win === w) this.win = null; });
    this.win = w;
    void w.loadURL(this.d.rendererUrl);
  }
}

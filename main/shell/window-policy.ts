/**
 * What every window is made with, as pure data the wiring test checks: Electron's security
 * checklist (contextIsolation, sandbox, no nodeIntegration, webSecurity, no webview, no insecure
 * content), the CSP header for app pages, the permission answer (no, by default) and window bounds
 * that still fit on a screen.
 */
import type { WebPreferences } from 'electron';
import { APP_CSP } from './navigation-policy';

const LOCKED_DOWN = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  enableBlinkFeatures: '',
  // Middle-click would open links in new windows outside setWindowOpenHandler's sight.
  disableBlinkFeatures: 'Auxclick',
  navigateOnDragDrop: false,
  spellcheck: false,
} as const satisfies WebPreferences;

/** The app's own window: the preload bridge and nothing more. */
export function appWebPreferences(preload: string): WebPreferences {
  return { ...LOCKED_DOWN, preload };
}

/**
 * A workspace window: no preload at all (the workspace's web app is not ours and must not reach
 * the hub's IPC), and its own in-memory session partition, so its cookie, cache and storage stay
 * apart from every other workspace and vanish on quit.
 */
export function workspaceWebPreferences(partition: string): WebPreferences {
  return { ...LOCKED_DOWN, partition };
}

/** One partition per hub and workspace; not `persist:` — a session lasts as long as the app. */
export function workspacePartition(hubKey: string, user: string, name: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');
  return `hubdeck-ws-${safe(hubKey)}-${safe(user)}-${safe(name)}`;
}

/**
 * Permission requests (camera, microphone, geolocation, notifications, MIDI, HID, serial,
 * clipboard read, …) from any page: denied. Neither the app nor a notebook needs them, and a
 * workspace runs code its user may not have read.
 */
export function permissionAllowed(_permission: string): boolean {
  return false;
}

/** Response headers of an app page with the app's CSP set (replacing any the server sent). */
export function withCsp(headers: Record<string, string[] | string> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() !== 'content-security-policy') out[k] = Array.isArray(v) ? v : [v];
  out['Content-Security-Policy'] = [APP_CSP];
  return out;
}

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

const MIN = { width: 480, height: 360 };

/**
 * Saved bounds, if they still fit on one of the displays (a monitor unplugged since would leave
 * the window off-screen); null: let the window open centred at its default size.
 */
export function restoredBounds(saved: Bounds | undefined, displays: Bounds[]): Bounds | null {
  if (!saved || saved.width < MIN.width || saved.height < MIN.height) return null;
  const fits = displays.some((d) => saved.x >= d.x && saved.y >= d.y && saved.x + Math.min(saved.width, 200) <= d.x + d.width && saved.y + 40 <= d.y + d.height);
  if (!fits) return null;
  const d = displays.find((x) => saved.x >= x.x && saved.y >= x.y)!;
  return { ...saved, width: Math.min(saved.width, d.width), height: Math.min(saved.height, d.height) };
}

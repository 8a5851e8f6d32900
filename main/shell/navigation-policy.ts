/**
 * Pure policy for what an app window may load (JupyterLab Desktop style: policy here, the guard in
 * windows.ts). Only the app's own origin (file:// or the dev server) stays in the window; http(s)
 * links go to the system browser; anything else is refused.
 */
export type NavigationVerdict = 'allow' | 'external' | 'deny';

export function navigationVerdict(url: string, allowedOrigins: readonly string[]): NavigationVerdict {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'deny';
  }
  if (u.protocol === 'file:') return allowedOrigins.includes('file://') ? 'allow' : 'deny';
  if (allowedOrigins.includes(u.origin)) return 'allow';
  return u.protocol === 'https:' || u.protocol === 'http:' ? 'external' : 'deny';
}

/**
 * The one Content-Security-Policy of the app's pages. The main process sends it as a header, and
 * renderer/index.html carries the identical string in its <meta> (a test keeps them equal) because
 * file:// pages get no headers and the hub's web UI is the same file. Own module scripts only (vite
 * emits `<script type="module" src>`), no eval, no inline script or style markup: React's `style`
 * props go through CSSOM, which style-src does not govern (checked in Chromium), so styles need no
 * 'unsafe-inline'. The browser UI talks to its hub at the same origin (fetch, EventSource).
 * frame-ancestors only works from the header; browsers ignore it in <meta>.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

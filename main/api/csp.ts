/**
 * The one Content-Security-Policy of the UI: the desktop's main process sends it as a header, the
 * renderer's index.html carries it as a meta tag (a test keeps them identical), and a hub serving
 * the UI to browsers sends it too. Here, in the environment-neutral API module, so all can read it.
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

/**
 * The same policy as a page's meta tag can carry it: browsers ignore (and complain about)
 * frame-ancestors there, which only the header — sent by the desktop's main process and the hub —
 * can enforce.
 */
export const META_CSP = APP_CSP.split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; ');

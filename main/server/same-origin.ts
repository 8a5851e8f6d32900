/**
 * Whether a browser request comes from the hub's own pages. A cookie is sent by the browser whoever
 * asks — another site, a page on another port of the same host, a workspace on a sibling subdomain
 * (SameSite does not separate those: they are "same-site") — so every cookie-authenticated request
 * that changes something, and every WebSocket, must show it came from the hub's origin. Browsers say
 * so in Sec-Fetch-Site and Origin; programs send neither and carry no ambient cookie to abuse.
 */
import type { IncomingMessage } from 'node:http';

/** True for the hub's own pages (and for programs); false for anything a browser says came from elsewhere. */
export function fromOwnOrigin(req: IncomingMessage, hubOrigin: string | null): boolean {
  // The browser's own verdict, which no page can forge; it also holds behind a TLS-terminating
  // proxy, where this server cannot tell the scheme the browser used.
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (hubOrigin !== null && origin === hubOrigin) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  return host !== '' && host === (req.headers.host ?? '').toLowerCase();
}

/** A top-level GET navigation (a link followed, a redirect): what the sign-in hop and path-mode pages accept from anywhere. */
export function isNavigation(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const mode = req.headers['sec-fetch-mode'];
  return mode === undefined || mode === 'navigate';
}

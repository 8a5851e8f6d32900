/**
 * `?token=` in a workspace's URL, the way JupyterHub and Jupyter clients send a token where no
 * header can go (a browser's WebSocket, a link). The hub reads it as a credential and takes it out of
 * every URL it forwards: a hub token must never reach a workspace, whose logs and pages would keep it.
 * Pure.
 */
import type { IncomingMessage } from 'node:http';

const NAME = 'token';

/** The query's one `token` value; null when there is none, or more than one (which would be guessed at). */
export function urlTokenOf(search: URLSearchParams): string | null {
  const values = search.getAll(NAME);
  return values.length === 1 && values[0] ? values[0] : null;
}

/**
 * The request target (`/path?query`) without any `token` parameter, the rest of the query byte for
 * byte (re-encoding it could change what the workspace reads).
 */
export function withoutUrlToken(target: string): string {
  const q = target.indexOf('?');
  if (q < 0) return target;
  const kept = target.slice(q + 1).split('&').filter((part) => part !== '' && paramName(part) !== NAME);
  return kept.length ? `${target.slice(0, q)}?${kept.join('&')}` : target.slice(0, q);
}

/** A parameter's name as URLSearchParams reads it (`%74oken` and `token` are one name). */
function paramName(part: string): string | null {
  const eq = part.indexOf('=');
  try {
    return decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replaceAll('+', ' '));
  } catch {
    return null;
  }
}

/**
 * A browser showing a page (a link followed, an address typed): such a request trades a URL token
 * for the origin's cookie at once. Browsers say so in Sec-Fetch-Mode; older ones ask for HTML.
 * Programs (Jupyter clients, scripts) send neither and keep using the token request by request.
 */
export function isPageView(req: Pick<IncomingMessage, 'method' | 'headers'>): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const mode = req.headers['sec-fetch-mode'];
  if (mode !== undefined) return mode === 'navigate';
  return /text\/html/.test(req.headers.accept ?? '');
}

/**
 * The hub's cookies: only random ids, HttpOnly, SameSite=Lax. Under TLS they are `__Host-` cookies
 * (Secure, Path=/, no Domain), which no other host — a workspace on a sibling subdomain included —
 * can set or shadow (JupyterHub GHSA-7r3h-4ph8-w38g). Over plain HTTP the names carry no prefix, and
 * a request that carries two different values for one of them is treated as carrying none: that is
 * what a tossed cookie looks like, and guessing which one is the visitor's own would let it win.
 */
import type { IncomingMessage } from 'node:http';

export const SESSION_MAX_AGE_S = 12 * 3600;

/** What each cookie is for: the hub's session, a workspace origin's session, a sign-in in progress there. */
export type CookieKind = 'session' | 'workspace' | 'state';
const BASE: Record<CookieKind, string> = { session: 'hubdeck-session', workspace: 'hubdeck-workspace', state: 'hubdeck-signin-state' };

export function cookieName(kind: CookieKind, secure: boolean): string {
  return secure ? `__Host-${BASE[kind]}` : BASE[kind];
}

/** Whether a cookie name is one of the hub's (any kind, either spelling): workspaces never see or set these. */
export function isHubCookieName(name: string): boolean {
  return /^(__Host-|__Secure-)?hubdeck-/i.test(name.trim());
}

/** Every value the request carries for a cookie name, in order. */
export function cookieValues(req: Pick<IncomingMessage, 'headers'>, name: string): string[] {
  const out: string[] = [];
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      const v = decodeURIComponent(part.slice(eq + 1).trim());
      if (v) out.push(v);
    } catch {
      // a malformed value is no credential
    }
  }
  return out;
}

/** The one value of a cookie; null when absent or ambiguous (two different values: a tossed cookie). */
export function singleCookie(req: Pick<IncomingMessage, 'headers'>, name: string): string | null {
  const values = [...new Set(cookieValues(req, name))];
  return values.length === 1 ? values[0]! : null;
}

/** The hub session id of a request, or null. */
export function sessionIdOf(req: Pick<IncomingMessage, 'headers'>, secure: boolean): string | null {
  return singleCookie(req, cookieName('session', secure));
}

export function setCookie(kind: CookieKind, value: string, secure: boolean, maxAgeS = SESSION_MAX_AGE_S): string {
  return `${cookieName(kind, secure)}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`;
}

export function sessionCookie(id: string, secure: boolean): string {
  return setCookie('session', id, secure);
}

export function clearedCookie(secure: boolean, kind: CookieKind = 'session'): string {
  return setCookie(kind, '', secure, 0);
}

/** The request without any of the hub's cookies (what a workspace is sent); undefined when none are left. */
export function withoutHubCookies(header: string | undefined): string | undefined {
  const kept = (header ?? '').split(';').map((c) => c.trim()).filter((c) => c && !isHubCookieName(c.split('=')[0]!));
  return kept.length ? kept.join('; ') : undefined;
}

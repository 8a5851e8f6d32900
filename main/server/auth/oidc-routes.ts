/**
 * The OpenID Connect paths: GET /hub/login/oidc starts a login (a flow cookie, then the provider),
 * GET /hub/login/oidc/callback finishes it and opens a normal Hubdeck session.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Hub } from '../../hub/hub';
import { admitIdentity } from './directory-users';
import type { DirectoryPolicy } from './directory-policy';
import type { OidcAuthenticator } from './oidc-auth';
import { FLOW_COOKIE, OIDC_CALLBACK_PATH, OIDC_START_PATH } from './oidc-paths';

export interface OidcRouteContext {
  hub: Hub;
  oidc: OidcAuthenticator;
  policy: DirectoryPolicy;
  secure: boolean;
  signedIn(sessionId: string, next: string, moreCookies?: string[]): void;
  refused(e: unknown, next: string): void;
}

function flowCookie(value: string, secure: boolean, maxAge: number): string {
  // Lax: the provider's redirect back is a top-level GET from another site, which Lax lets through.
  return `${FLOW_COOKIE}=${value}; Path=${OIDC_START_PATH}; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

function flowIdOf(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === FLOW_COOKIE && v) return v;
  }
  return null;
}

/** `safeNext` lives in login-pages; passed in to keep this file free of a cycle. */
export async function handleOidc(req: IncomingMessage, res: ServerResponse, url: URL, c: OidcRouteContext & { safeNext: (n: string | null) => string }): Promise<boolean> {
  if (req.method !== 'GET') return false;
  if (url.pathname === OIDC_START_PATH) {
    const next = c.safeNext(url.searchParams.get('next'));
    try {
      const { location, flowId } = await c.oidc.begin(next);
      res.writeHead(302, { location, 'set-cookie': flowCookie(flowId, c.secure, 600), 'cache-control': 'no-store' });
      res.end();
    } catch (e) {
      c.refused(e, next);
    }
    return true;
  }
  if (url.pathname === OIDC_CALLBACK_PATH) {
    res.setHeader('set-cookie', flowCookie('', c.secure, 0));
    try {
      const { identity, next } = await c.oidc.finish(flowIdOf(req), url.searchParams);
      const actor = await admitIdentity(c.hub, identity, c.policy);
      res.removeHeader('set-cookie');
      // The used-up flow cookie is cleared in the same answer that sets the session cookie.
      c.signedIn(c.hub.sessions.open(actor), next, [flowCookie('', c.secure, 0)]);
    } catch (e) {
      c.refused(e, '/');
    }
    return true;
  }
  return false;
}

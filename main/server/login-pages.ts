/**
 * Signing in from a browser: `GET /hub/login?code=…` redeems a one-time code the app made;
 * `GET /hub/login` shows a form with a "Token" field whose POST trades a token for a session;
 * `POST /hub/logout` ends it. Only same-site paths are followed after signing in.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HubdeckError } from '../core/errors';
import type { Actor } from '../hub/actor';
import type { Hub } from '../hub/hub';
import { clearedCookie, sessionCookie, sessionIdOf } from './session-cookie';

export const LOGIN_PATH = '/hub/login';
export const LOGOUT_PATH = '/hub/logout';
const FORM_LIMIT = 8 * 1024;

/** A path on this hub to go to after signing in; anything else (other sites, odd forms) is "/". */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !/[\\\0\r\n]/.test(next) ? next : '/';
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, next: string, message: string | null): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  });
  res.end(`<!doctype html><html lang="en"><meta charset="utf-8"><title>Sign in — Hubdeck</title>
<body style="font-family:system-ui,sans-serif;max-width:28em;margin:4em auto">
<h1>Sign in to this hub</h1>${message ? `<p role="alert" style="color:#b00">${escape(message)}</p>` : ''}
<form method="post" action="${LOGIN_PATH}"><input type="hidden" name="next" value="${escape(next)}">
<label for="token">Token</label><br><input id="token" name="token" type="password" autocomplete="off" required style="width:100%">
<p><button type="submit">Sign in</button></p></form></body></html>`);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) {
    text += (chunk as Buffer).toString('utf8');
    if (text.length > FORM_LIMIT) throw new HubdeckError('invalid', 'the form is too large');
  }
  if (/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    const body = JSON.parse(text || '{}') as Record<string, unknown>;
    return new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)]));
  }
  return new URLSearchParams(text);
}

/**
 * Handles the sign-in paths; false for any other. `checkToken` authenticates a token the way the
 * API does (throttled).
 */
export async function handleLogin(req: IncomingMessage, res: ServerResponse, hub: Hub, secure: boolean, checkToken: (token: string) => Promise<Actor | null>): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://hub');
  const signedIn = (id: string, next: string) => {
    res.writeHead(302, { location: next, 'set-cookie': sessionCookie(id, secure), 'cache-control': 'no-store' });
    res.end();
  };
  if (url.pathname === LOGIN_PATH && req.method === 'GET') {
    const next = safeNext(url.searchParams.get('next'));
    const code = url.searchParams.get('code');
    if (!code) return page(res, 200, next, null), true;
    try {
      signedIn(hub.sessions.redeem(code), next);
    } catch (e) {
      page(res, 401, next, (e as Error).message);
    }
    return true;
  }
  if (url.pathname === LOGIN_PATH && req.method === 'POST') {
    const form = await readForm(req);
    const next = safeNext(form.get('next'));
    const actor = await checkToken(form.get('token') ?? '');
    if (!actor) return page(res, 401, next, 'That token is not valid (expired, revoked, or mistyped).'), true;
    signedIn(hub.sessions.open(actor.user, actor.admin), next);
    return true;
  }
  if (url.pathname === LOGOUT_PATH && req.method === 'POST') {
    const id = sessionIdOf(req);
    if (id) hub.sessions.close(id);
    res.writeHead(302, { location: LOGIN_PATH, 'set-cookie': clearedCookie(secure), 'cache-control': 'no-store' });
    res.end();
    return true;
  }
  return false;
}

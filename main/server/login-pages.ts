/**
 * Signing in from a browser: `GET /hub/login?code=…` redeems a one-time code the app made;
 * `GET /hub/login` shows a form with a "Token" field whose POST trades a token for a session;
 * `POST /hub/logout` ends it. Only same-site paths are followed after signing in. With team sign-in
 * on, the form also takes a directory user name and password (LDAP), or offers "Sign in with …"
 * (OpenID Connect; auth/oidc-routes.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Actor } from '../hub/actor';
import type { Hub } from '../hub/hub';
import { clearedCookie, sessionCookie, sessionIdOf } from '../access/hub-cookies';
import { DirectoryUnavailable, SignInRefused, SignInsBusy } from './auth/directory-policy';
import { handleOidc } from './auth/oidc-routes';
import { safeNext } from './auth/safe-next';
import { FORM_LIMIT, readForm } from './request-body';
import { methodsOf, passwordSignIn, type SignInMethods, type TeamSignIn } from './auth/team-sign-in';
import { confirmPage, signInCsp, signInFormAction } from './sign-in-confirm';
import { fromOwnOrigin } from './same-origin';
import type { WebAccess } from '../core/workspace-origin';

export const LOGIN_PATH = '/hub/login';
export const LOGOUT_PATH = '/hub/logout';
export const METHODS_PATH = '/hub/login/methods';

/** A path on this hub to go to after signing in; anything else (other sites, odd forms) is "/". */
export { safeNext };

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The throttle as the sign-in paths use it (hub-server.ts owns it). */
export interface LoginGate {
  /** Authenticates a token the way the API does (throttled). */
  checkToken(token: string): Promise<Actor | null>;
  /** Refuses (429) an address past the throttle's limit before a password is even tried. */
  refuseIfBlocked(): void;
  /** Counts a failed password sign-in from this address, waiting or refusing (429) as the throttle says. */
  countFailure(): Promise<void>;
  /** The client's address as the throttle counts it: password checks from one address go one at a time. */
  address: string;
}

function passwordFields(): string {
  return `<form method="post" action="${LOGIN_PATH}" aria-label="Directory account"><input type="hidden" name="next" value="__NEXT__">
<label for="username">User name</label><br><input id="username" name="username" autocomplete="username" required style="width:100%"><br>
<label for="password">Password</label><br><input id="password" name="password" type="password" autocomplete="current-password" required style="width:100%">
<p><button type="submit">Sign in with password</button></p></form><hr>`;
}

export function page(res: ServerResponse, status: number, next: string, message: string | null, methods: SignInMethods = { password: false, oidc: null }, formAction = "'self'"): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store',
    'content-security-policy': signInCsp(formAction),
  });
  res.end(`<!doctype html><html lang="en"><meta charset="utf-8"><title>Sign in — Hubdeck</title>
<body style="font-family:system-ui,sans-serif;max-width:28em;margin:4em auto">
<h1>Sign in to this hub</h1>${message ? `<p role="alert" style="color:#b00">${escape(message)}</p>` : ''}
${methods.oidc ? `<p><a href="${methods.oidc.url}?next=${encodeURIComponent(next)}">Sign in with ${escape(methods.oidc.name)}</a></p><hr>` : ''}
${methods.password ? passwordFields().replace('__NEXT__', escape(next)) : ''}
<form method="post" action="${LOGIN_PATH}"><input type="hidden" name="next" value="${escape(next)}">
<label for="token">Token</label><br><input id="token" name="token" type="password" autocomplete="off" required style="width:100%">
<p><button type="submit">Sign in</button></p></form></body></html>`);
}

/** Where a sign-in link comes from by default: the desktop app (browser mode and team hubs say their own way). */
export const APP_SIGN_IN_HELP = 'Open the hub again from the Hubdeck app (tray menu: Open Hubdeck); it makes a new link each time.';

/**
 * A used or expired link: a page of its own saying what happened and what to do in this context,
 * styled like the app, with the token form below for those who have one.
 */
function usedLinkPage(res: ServerResponse, next: string, help: string, formAction: string): void {
  res.writeHead(401, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': signInCsp(formAction) });
  res.end(`<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign-in link expired — Hubdeck</title>
<body style="font-family:system-ui,sans-serif;background:#f4f5f7;color:#1d2330;margin:0">
<main style="max-width:32em;margin:4em auto;padding:2em;background:#fff;border:1px solid #d5d9e0;border-radius:8px">
<h1 style="font-size:1.4em;margin-top:0">This sign-in link has expired or was already used</h1>
<p>Each link signs in once, within minutes, so a copied or old link cannot be replayed.</p>
<p role="alert" style="padding:.75em 1em;background:#eef4ff;border-left:4px solid #2f5bd3"><strong>What to do:</strong> ${escape(help)}</p>
<h2 style="font-size:1.1em">Or sign in with a token</h2>
<form method="post" action="${LOGIN_PATH}"><input type="hidden" name="next" value="${escape(next)}">
<label for="token">Token</label><br><input id="token" name="token" type="password" autocomplete="off" required style="width:100%">
<p><button type="submit">Sign in</button></p></form></main></body></html>`);
}

/** A refused or failed sign-in: the page again with why, or JSON for the web UI's fetch. */
function refused(req: IncomingMessage, res: ServerResponse, e: unknown, next: string, methods: SignInMethods, formAction: string): void {
  if (!(e instanceof SignInRefused) && !(e instanceof DirectoryUnavailable) && !(e instanceof SignInsBusy)) throw e;
  const status = e instanceof DirectoryUnavailable ? 503 : e instanceof SignInsBusy ? 429 : 401;
  const message = e instanceof DirectoryUnavailable ? `${e.message.replace(/\.?$/, '.')} Token holders can still sign in with their token.` : e.message;
  if (status === 429) res.setHeader('retry-after', '5');
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return page(res, status, next, message, methods, formAction);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error: { code: { 503: 'unavailable', 429: 'throttled', 401: 'unauthorized' }[status], message } }));
}

/** Handles the sign-in paths; false for any other. */
export async function handleLogin(
  req: IncomingMessage, res: ServerResponse, hub: Hub, secure: boolean, gate: LoginGate, team?: TeamSignIn, web: WebAccess | null = null, signInHelp = APP_SIGN_IN_HELP,
): Promise<boolean> {
  const hubOrigin = web?.hub ?? null;
  const url = new URL(req.url ?? '/', 'http://hub');
  const methods = methodsOf(team);
  // Signing in may end on a workspace's own origin (next=/user/…): the form's redirects must be allowed there.
  const formAction = signInFormAction(web);
  const signedIn = (id: string, next: string, moreCookies: string[] = []) => {
    res.writeHead(302, { location: next, 'set-cookie': [sessionCookie(id, secure), ...moreCookies], 'cache-control': 'no-store' });
    res.end();
  };
  /** The code is used up only once its session exists (a refusal leaves it usable); a wrong one counts as a guess. */
  const redeemCode = async (code: string, next: string) => {
    try {
      signedIn(hub.sessions.redeem(code).session, next);
    } catch (e) {
      await gate.countFailure();
      page(res, 401, next, (e as Error).message, methods, formAction);
    }
  };
  if (url.pathname === LOGIN_PATH && req.method === 'GET') {
    const next = safeNext(url.searchParams.get('next'));
    const code = url.searchParams.get('code');
    if (!code) return page(res, 200, next, null, methods, formAction), true;
    const peek = hub.sessions.peek(code);
    if (!peek || peek.scope) {
      hub.audit.signIn(null, peek?.user ?? '', 'refused', 'a sign-in link that was wrong, used, expired or meant for a workspace', 'unauthorized');
      // A wrong code is a guess like a wrong token: it earns the same throttle.
      await gate.countFailure();
      return usedLinkPage(res, next, signInHelp, formAction), true;
    }
    // A link signs this browser in without asking only when it already is that user.
    const id = sessionIdOf(req, secure);
    const current = id ? hub.sessions.authenticate(id) : null;
    if (current?.user !== peek.user) return confirmPage(res, { action: LOGIN_PATH, code, signInAs: peek.user, current: current?.user ?? null, what: 'this hub', next, formAction }), true;
    await redeemCode(code, next);
    return true;
  }
  if (url.pathname === METHODS_PATH && req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(methods));
    return true;
  }
  const refuse = (e: unknown, next: string, user = '') => {
    refused(req, res, e, next, methods, formAction);
    auditRefusal(hub, e, user);
  };
  if (team?.oidc && await handleOidc(req, res, url, { hub, oidc: team.oidc, policy: team.oidcPolicy, secure, signedIn, safeNext, refused: refuse })) return true;
  if (url.pathname === LOGIN_PATH && req.method === 'POST') {
    // Login CSRF: another site's form — or a workspace's page on a sibling origin — would sign the
    // visitor in as the attacker, and what they then upload lands in the attacker's account.
    if (!fromOwnOrigin(req, hubOrigin)) return page(res, 403, '/', 'Sign-in forms from other sites are refused; use this hub\'s own sign-in page.', methods, formAction), true;
    const form = await readForm(req, FORM_LIMIT);
    const next = safeNext(form.get('next'));
    if (form.has('code')) return await redeemCode(form.get('code') ?? '', next), true;
    if (team?.ldap && form.has('username')) {
      gate.refuseIfBlocked();
      try {
        const actor = await passwordSignIn(hub, team, form.get('username') ?? '', form.get('password') ?? '', gate, abandoned(res));
        signedIn(hub.sessions.open(actor), next);
      } catch (e) {
        refuse(e, next, form.get('username') ?? '');
      }
      return true;
    }
    const actor = await gate.checkToken(form.get('token') ?? '');
    if (!actor) {
      hub.audit.signIn(null, '', 'refused', 'a token that is not valid', 'unauthorized');
      return page(res, 401, next, 'That token is not valid (expired, revoked, or mistyped).', methods, formAction), true;
    }
    signedIn(hub.sessions.open(actor), next);
    return true;
  }
  if (url.pathname === LOGOUT_PATH && req.method === 'POST') {
    // Signing a visitor out from elsewhere is the first step of planting another session.
    if (!fromOwnOrigin(req, hubOrigin)) return page(res, 403, '/', 'Signing out from other sites is refused.', methods, formAction), true;
    const id = sessionIdOf(req, secure);
    if (id) hub.sessions.close(id);
    res.writeHead(302, { location: LOGIN_PATH, 'set-cookie': clearedCookie(secure), 'cache-control': 'no-store' });
    res.end();
    return true;
  }
  return false;
}

/** A refused or failed password or single sign-on in the audit log (a directory that did not answer: failed). */
function auditRefusal(hub: Hub, e: unknown, user: string): void {
  const [outcome, code] = e instanceof DirectoryUnavailable ? ['failed', 'unavailable'] as const : e instanceof SignInsBusy ? ['refused', 'throttled'] as const : ['refused', 'unauthorized'] as const;
  hub.audit.signIn(null, user, outcome, (e as Error).message, code);
}

/** Aborted when the client goes away before its answer is sent (its sign-in then need not run). */
function abandoned(res: ServerResponse): AbortSignal {
  const left = new AbortController();
  res.once('close', () => { if (!res.writableFinished) left.abort(); });
  return left.signal;
}

/**
 * "Sign in as …?" — what a one-time sign-in link shows before it would replace the session this
 * browser already has with somebody else's. A link is easy to send: opened silently, a link made by
 * one user would sign another person's browser in as its maker (login CSRF), and what they then did
 * would land in the maker's account. The form posts back to the same place with the code.
 */
import type { ServerResponse } from 'node:http';
import type { WebAccess } from '../core/workspace-origin';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface Confirm {
  /** Where the form posts (the sign-in path it came to). */
  action: string;
  code: string;
  /** Who the code signs in. */
  signInAs: string;
  /** Who this browser is signed in as now; null: nobody. */
  current: string | null;
  /** What it signs in to ("this hub", "gpu1 of alice"). */
  what: string;
  next?: string;
  formAction?: string;
}

/**
 * Where sign-in forms may post and redirect to: this origin, and the workspaces' origins (signing
 * in to see a workspace ends there; CSP's form-action covers the redirects after a form too).
 */
export function signInFormAction(web: WebAccess | null): string {
  if (web?.mode !== 'host') return "'self'";
  return `'self' ${web.scheme}://*.${web.suffix}${web.port === null ? '' : `:${web.port}`}`;
}

export function signInCsp(formAction: string): string {
  return `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'`;
}

export function confirmPage(res: ServerResponse, c: Confirm): void {
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store',
    'content-security-policy': signInCsp(c.formAction ?? "'self'"),
  });
  const now = c.current ? `<p>This browser is signed in as <strong>${escape(c.current)}</strong>; continuing signs it in as ${escape(c.signInAs)} instead.</p>` : '';
  res.end(`<!doctype html><html lang="en"><meta charset="utf-8"><title>Sign in as ${escape(c.signInAs)}? — Hubdeck</title>
<body style="font-family:system-ui,sans-serif;max-width:32em;margin:4em auto">
<h1>Sign in as ${escape(c.signInAs)}?</h1>
<p>This link signs you in to ${escape(c.what)} as <strong>${escape(c.signInAs)}</strong>. Continue only if you opened it yourself, from your app or your terminal.</p>${now}
<form method="post" action="${escape(c.action)}"><input type="hidden" name="code" value="${escape(c.code)}">${c.next ? `<input type="hidden" name="next" value="${escape(c.next)}">` : ''}
<p><button type="submit">Continue as ${escape(c.signInAs)}</button></p></form></body></html>`);
}

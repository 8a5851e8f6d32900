/**
 * Signs a workspace window in from the main process: the workspace's one-time code is redeemed here,
 * at the workspace's own origin over Node's http(s) (through the pinned certificate for a
 * self-signed hub), and the cookie it answers with — good for that workspace only — is put into the
 * window's own session. Neither the code nor any token is ever in a URL the window loads, its
 * history, or its referrers.
 */
import http from 'node:http';
import https from 'node:https';
import { HubdeckError } from '../core/errors';
import { PinnedAgent } from '../client/pinned-agent';
import { loopbackLookup } from '../client/loopback-lookup';
import { WORKSPACE_SIGN_IN_PATH } from '../core/workspace-origin';

export interface SessionCookie {
  name: string;
  value: string;
}

/** The `name=value` of the hub's Set-Cookie answer, or null. Pure. */
export function sessionCookieOf(setCookie: string[] | undefined): SessionCookie | null {
  for (const line of setCookie ?? []) {
    const m = /^\s*([^=;\s]+)=([^;]*)/.exec(line);
    if (m && m[2]) return { name: m[1]!, value: m[2] };
  }
  return null;
}

/**
 * Redeems a workspace's one-time code at its own origin (`${origin}/.hubdeck/sign-in`, POST: the code
 * is in no URL), through the pinned certificate for a self-signed hub; `*.localhost` is this machine.
 */
export function redeemWorkspaceCode(origin: string, code: string, fingerprint: string | null, timeoutMs = 15_000): Promise<SessionCookie> {
  const url = new URL(`${origin}${WORKSPACE_SIGN_IN_PATH}`);
  const secure = url.protocol === 'https:';
  const agent = secure && fingerprint ? new PinnedAgent(fingerprint) : undefined;
  const body = new URLSearchParams({ code }).toString();
  const send = secure ? https.request : http.request;
  return new Promise<SessionCookie>((resolve, reject) => {
    const req = send(url, {
      method: 'POST', agent, timeout: timeoutMs, lookup: loopbackLookup as never,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      const cookie = sessionCookieOf(res.headers['set-cookie']);
      if (res.statusCode === 302 && cookie) resolve(cookie);
      else reject(new HubdeckError('unauthorized', `${origin} did not sign the window in (HTTP ${res.statusCode})`));
    });
    req.on('timeout', () => req.destroy(new HubdeckError('timeout', `${origin} did not answer the sign-in in ${timeoutMs / 1000} s`)));
    req.on('error', (e) => reject(e instanceof HubdeckError ? e : new HubdeckError('unavailable', `cannot reach ${origin}: ${e.message}`)));
    req.end(body);
  }).finally(() => agent?.destroy());
}

/**
 * Signs a workspace window in from the main process: the hub's one-time login code is redeemed
 * here, over Node's http(s) (through the pinned certificate for a self-signed hub), and the session
 * cookie it answers with is put into the window's own session. Neither the code nor any token is
 * ever in a URL the window loads, its history, or its referrers.
 */
import http from 'node:http';
import https from 'node:https';
import { HubdeckError } from '../core/errors';
import { PinnedAgent } from '../client/pinned-agent';

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

export function redeemLoginCode(hubUrl: string, code: string, fingerprint: string | null, timeoutMs = 15_000): Promise<SessionCookie> {
  const base = hubUrl.replace(/\/+$/, '');
  const url = new URL(`${base}/hub/login?code=${encodeURIComponent(code)}&next=%2F`);
  const secure = url.protocol === 'https:';
  const agent = secure && fingerprint ? new PinnedAgent(fingerprint) : undefined;
  const send = secure ? https.get : http.get;
  return new Promise<SessionCookie>((resolve, reject) => {
    const req = send(url, { agent, timeout: timeoutMs }, (res) => {
      res.resume();
      const cookie = sessionCookieOf(res.headers['set-cookie']);
      if (res.statusCode === 302 && cookie) resolve(cookie);
      else reject(new HubdeckError('unauthorized', `the hub at ${base} did not sign the window in (HTTP ${res.statusCode})`));
    });
    req.on('timeout', () => req.destroy(new HubdeckError('timeout', `the hub at ${base} did not answer the sign-in in ${timeoutMs / 1000} s`)));
    req.on('error', (e) => reject(e instanceof HubdeckError ? e : new HubdeckError('unavailable', `cannot reach the hub at ${base}: ${e.message}`)));
  }).finally(() => agent?.destroy());
}

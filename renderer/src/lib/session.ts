/**
 * Browser sessions: the hub's /hub/login trades a token for an HttpOnly session cookie (the page
 * never keeps the token), /hub/logout ends it. Only used in browser mode; the desktop app is signed
 * in by its main process.
 */
import { errorMessage } from '../../../main/api/error-codes';
const LOGIN = '/hub/login';
const LOGOUT = '/hub/logout';

/** Signs in; resolves with null on success, or the message to show. */
export async function signIn(token: string): Promise<string | null> {
  let res: Response;
  try {
    // The hub answers a good token with a redirect carrying the cookie; following it is not needed.
    res = await fetch(LOGIN, {
      method: 'POST', credentials: 'same-origin', redirect: 'manual',
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, next: '/' }),
    });
  } catch (e) {
    return `Cannot reach the hub: ${errorMessage(e)}`;
  }
  if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) return null;
  if (res.status === 401) return 'That token is not valid (expired, revoked, or mistyped).';
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // an HTML page: fall through to the status
  }
  return `The hub answered ${res.status}.`;
}

export async function signOut(): Promise<void> {
  await fetch(LOGOUT, { method: 'POST', credentials: 'same-origin', redirect: 'manual' }).catch(() => undefined);
}

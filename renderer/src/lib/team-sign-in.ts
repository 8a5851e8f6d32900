/**
 * Team sign-in in browser mode: which ways the hub offers (GET /hub/login/methods: a directory
 * password, "Sign in with …" an OpenID provider), and the password sign-in itself, which the hub
 * answers like a token sign-in (a redirect carrying the session cookie).
 */
import { errorMessage } from '../../../main/api/error-codes';
export interface SignInMethods {
  password: boolean;
  oidc: { name: string; url: string } | null;
}

const NONE: SignInMethods = { password: false, oidc: null };

export async function signInMethods(): Promise<SignInMethods> {
  try {
    const res = await fetch('/hub/login/methods', { credentials: 'same-origin' });
    if (!res.ok) return NONE;
    const body = (await res.json()) as Partial<SignInMethods>;
    const oidc = body.oidc && typeof body.oidc.name === 'string' && typeof body.oidc.url === 'string' && body.oidc.url.startsWith('/') ? body.oidc : null;
    return { password: body.password === true, oidc };
  } catch {
    return NONE;
  }
}

/** Signs in with a directory user name and password; null on success, or the message to show. */
export async function passwordSignIn(username: string, password: string): Promise<string | null> {
  let res: Response;
  try {
    res = await fetch('/hub/login', {
      method: 'POST', credentials: 'same-origin', redirect: 'manual',
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password, next: '/' }),
    });
  } catch (e) {
    return `Cannot reach the hub: ${errorMessage(e)}`;
  }
  if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) return null;
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // not JSON: fall through to the status
  }
  return `The hub answered ${res.status}.`;
}

/** The browser session cookie: only a random id, HttpOnly, SameSite=Lax, Secure under TLS. */
import type { IncomingMessage } from 'node:http';
import { SESSION_COOKIE } from '../access/workspace-proxy';

export const SESSION_MAX_AGE_S = 12 * 3600;

export function sessionIdOf(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === SESSION_COOKIE && v.length) return decoded(v.join('='));
  }
  return null;
}

/** A value we never set (broken percent-encoding) is no session, not a 500. */
function decoded(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

export function sessionCookie(id: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(id)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_MAX_AGE_S}${secure ? '; Secure' : ''}`;
}

export function clearedCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;
}

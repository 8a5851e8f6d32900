/** The browser session cookie: only a random id, HttpOnly, SameSite=Lax, Secure under TLS. */
import type { IncomingMessage } from 'node:http';
import { SESSION_COOKIE } from '../access/workspace-proxy';

export const SESSION_MAX_AGE_S = 12 * 3600;

export function sessionIdOf(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === SESSION_COOKIE && v.length) return decodeURIComponent(v.join('='));
  }
  return null;
}

export function sessionCookie(id: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(id)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_MAX_AGE_S}${secure ? '; Secure' : ''}`;
}

export function clearedCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;
}

/**
 * Where to send a browser after signing in (`next=`): only a path on this hub. Browsers drop tabs
 * and newlines from URLs and read "\" as "/", so "/<tab>/evil.example" or "/\evil.example" would
 * leave the site; the text is therefore parsed the way a browser does and kept only when it stays
 * on this origin and its path cannot be read as another host ("//…").
 */
const BASE = 'http://hub.invalid';

export function safeNext(next: string | null): string {
  // Printable ASCII only: whatever a browser would strip or reinterpret is not a path we made.
  if (!next || !next.startsWith('/') || !/^[\x21-\x7e]+$/.test(next)) return '/';
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return '/';
  }
  if (url.origin !== BASE || url.pathname.startsWith('//')) return '/';
  const out = `${url.pathname}${url.search}${url.hash}`;
  return /^\/[^/\\]/.test(out) || out === '/' ? out : '/';
}

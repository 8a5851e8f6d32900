/**
 * Request paths decoded safely: a broken percent-encoding (`%ZZ`, `%E0`) or an encoded NUL is a
 * client's mistake or probe, never something to hand to the file system or a route (where it
 * became a 500: fs throws on NUL, decodeURIComponent on bad escapes).
 */

/** The decoded path, or null when it is not valid percent-encoding or contains a NUL. */
export function decodedPath(pathname: string): string | null {
  let text: string;
  try {
    text = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  return text.includes('\0') ? null : text;
}

/** Whether a path of the hub's own API is unusable (routes decode every segment). */
export function malformedApiPath(pathname: string, apiPrefix: string): boolean {
  return pathname.startsWith(`${apiPrefix}/`) && decodedPath(pathname) === null;
}

/**
 * Answers 400 on the raw socket of an upgrade whose path cannot be parsed or is a malformed API
 * path (the WebSocket routes decode their segments); true when it did.
 */
export function refusedMalformedUpgrade(url: string | undefined, socket: { end(text: string): void }, apiPrefix: string): boolean {
  let pathname: string | null;
  try {
    pathname = new URL(url ?? '/', 'http://hub').pathname;
  } catch {
    pathname = null;
  }
  if (pathname !== null && !malformedApiPath(pathname, apiPrefix)) return false;
  const body = JSON.stringify({ error: { code: 'invalid', message: 'malformed request path' } });
  socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  return true;
}

/**
 * The web UI for browsers (the same React app the desktop shows), served by the hub from its built
 * files: index.html for the app's own paths, hashed assets cached for good, with the app's CSP.
 * Only files inside the directory are ever served.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { APP_CSP } from '../api/csp';
import { decodedPath } from './request-path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json; charset=utf-8', '.woff2': 'font/woff2',
};

/** Serves GET/HEAD requests from `dir`; false when there is no such file (and the path is not the app's, or is malformed). */
export function serveStatic(dir: string, req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const root = path.resolve(dir);
  const wanted = decodedPath(pathname === '/' ? '/index.html' : pathname);
  // Broken escapes and NUL (which fs refuses with an exception) name no file: a 404.
  if (wanted === null) return false;
  const file = path.resolve(root, `.${wanted}`);
  if (!file.startsWith(`${root}${path.sep}`)) return false;
  const isFile = isPlainFile(file);
  // Paths of the single-page app itself fall back to index.html; missing assets are 404s.
  const target = isFile ? file : path.extname(wanted) ? null : path.join(root, 'index.html');
  if (!target || !fs.existsSync(target)) return false;
  const hashed = /\/assets\//.test(target);
  res.writeHead(200, {
    'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream',
    'content-security-policy': APP_CSP,
    'x-frame-options': 'DENY',
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') return res.end(), true;
  // A file gone or unreadable since the check must not become an unhandled error (a crash).
  fs.createReadStream(target).on('error', () => res.destroy()).pipe(res);
  return true;
}

/** Whether `file` is a regular file; false for names the file system refuses (too long…) too. */
function isPlainFile(file: string): boolean {
  try {
    return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

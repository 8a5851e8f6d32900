/**
 * The web UI for browsers (the same React app the desktop shows), served by the hub from its built
 * files: index.html for the app's own paths, hashed assets cached for good, with the app's CSP.
 * Only files inside the directory are ever served.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { APP_CSP } from '../api/csp';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json; charset=utf-8', '.woff2': 'font/woff2',
};

/** Serves GET/HEAD requests from `dir`; false when there is no such file (and the path is not the app's). */
export function serveStatic(dir: string, req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const root = path.resolve(dir);
  const wanted = pathname === '/' ? '/index.html' : pathname;
  const file = path.resolve(root, `.${decodeURIComponent(wanted)}`);
  if (!file.startsWith(`${root}${path.sep}`)) return false;
  const isFile = fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
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
  fs.createReadStream(target).pipe(res);
  return true;
}

/**
 * What the proxy answers when it cannot forward: a short HTML page for people (saying what to do),
 * JSON for programs that ask for it — never a bare 502.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function wantsJson(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return /application\/json/.test(accept) && !/text\/html/.test(accept);
}

export function sendPage(req: IncomingMessage, res: ServerResponse, status: number, code: string, title: string, detail: string): void {
  if (res.headersSent) return void res.end();
  if (wantsJson(req)) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    return void res.end(JSON.stringify({ error: { code, message: `${title}: ${detail}` } }));
  }
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
  res.end(`<!doctype html><html lang="en"><meta charset="utf-8"><title>${escape(title)}</title>` +
    `<body style="font-family:system-ui,sans-serif;max-width:40em;margin:4em auto"><h1>${escape(title)}</h1><p>${escape(detail)}</p></body></html>`);
}

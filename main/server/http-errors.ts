/** HubdeckError codes → HTTP statuses, and the JSON error body `{ "error": { code, message, field? } }`. */
import type { ServerResponse } from 'node:http';
import { isHubdeckError, type ErrorCode } from '../core/errors';

export const STATUS: Record<ErrorCode | 'method_not_allowed' | 'too_large' | 'unsupported_media' | 'throttled' | 'internal', number> = {
  invalid: 400, unauthorized: 401, forbidden: 403, quota: 403, not_found: 404, conflict: 409,
  method_not_allowed: 405, too_large: 413, unsupported_media: 415, throttled: 429, internal: 500, engine: 502, unavailable: 503, timeout: 504,
};

export class HttpError extends Error {
  constructor(readonly code: keyof typeof STATUS, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, e: unknown, log: (m: string) => void): void {
  if (e instanceof HttpError) return sendJson(res, STATUS[e.code], { error: { code: e.code, message: e.message } }, e.headers);
  if (isHubdeckError(e)) {
    const body: { code: string; message: string; field?: string } = { code: e.code, message: e.message };
    if (e.field) body.field = e.field;
    return sendJson(res, STATUS[e.code], { error: body });
  }
  log(`internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  sendJson(res, 500, { error: { code: 'internal', message: 'internal error (see the hub log)' } });
}

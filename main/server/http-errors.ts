/**
 * Errors as HTTP answers: statuses from the one error table, the JSON body `{ "error": { code,
 * message, field? } }`. A client's malformed input never becomes a 500 (nor a stack trace in the
 * log): a broken percent-encoding anywhere is a 400.
 */
import type { ServerResponse } from 'node:http';
import { isHubdeckError, StorageError } from '../core/errors';
import { ERROR_CODES, type WireCode } from '../api/error-codes';

const status = (code: WireCode) => ERROR_CODES[code].status;

export class HttpError extends Error {
  constructor(readonly code: WireCode, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

/**
 * HSTS for answers over TLS: browsers then refuse plain HTTP to the hub for a year. No
 * includeSubDomains: the hub's name may be shared with sites that are not ours.
 */
export const HSTS = 'max-age=31536000';

export function sendError(res: ServerResponse, e: unknown, log: (m: string) => void): void {
  // decodeURIComponent's error: a path segment or a cookie that is not valid percent-encoding.
  if (e instanceof URIError) return sendJson(res, 400, { error: { code: 'invalid', message: 'malformed percent-encoding in the request' } });
  if (e instanceof HttpError) return sendJson(res, status(e.code), { error: { code: e.code, message: e.message } }, e.headers);
  if (e instanceof StorageError) {
    // The operator's log gets the file and the reason; clients get no paths.
    log(e.message);
    return sendJson(res, status(e.code), { error: { code: e.code, message: e.publicMessage } });
  }
  if (isHubdeckError(e)) {
    const body: { code: string; message: string; field?: string } = { code: e.code, message: e.message };
    if (e.field) body.field = e.field;
    return sendJson(res, status(e.code), { error: body });
  }
  log(`internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  sendJson(res, 500, { error: { code: 'internal', message: 'internal error (see the hub log)' } });
}

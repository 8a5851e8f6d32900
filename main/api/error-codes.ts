/**
 * One table for every error code that crosses the API: the HTTP status the server answers with,
 * the CLI's exit code, and what a client rebuilds a server-only code as. The server, the clients
 * (Node, browser, IPC) and the CLI all read it, so they cannot disagree.
 */
import { HubdeckError, ValidationError, type ErrorCode, errorMessage } from '../core/errors';
/** Re-exported for the renderer, whose way to shared code is main/api. */
export { errorMessage };

/** Codes only the HTTP layer produces (the hub never throws them). */
export type HttpOnlyCode = 'method_not_allowed' | 'request_timeout' | 'too_large' | 'unsupported_media' | 'throttled' | 'internal';
export type WireCode = ErrorCode | HttpOnlyCode;

interface CodeInfo {
  status: number;
  /** CLI exit code: 2 bad input, 3 not found, 4 conflict, 5 unreachable, 6 timeout, 7 refused, 8 quota, 1 else. */
  exit: number;
  /** What a client raises for it: the hub's own code, or the closest one callers handle. */
  as: ErrorCode;
}

export const ERROR_CODES: Record<WireCode, CodeInfo> = {
  invalid: { status: 400, exit: 2, as: 'invalid' },
  unauthorized: { status: 401, exit: 7, as: 'unauthorized' },
  forbidden: { status: 403, exit: 7, as: 'forbidden' },
  quota: { status: 403, exit: 8, as: 'quota' },
  not_found: { status: 404, exit: 3, as: 'not_found' },
  conflict: { status: 409, exit: 4, as: 'conflict' },
  method_not_allowed: { status: 405, exit: 2, as: 'invalid' },
  // A request (its body) that did not arrive in time: the client's side was too slow.
  request_timeout: { status: 408, exit: 6, as: 'timeout' },
  too_large: { status: 413, exit: 2, as: 'invalid' },
  unsupported_media: { status: 415, exit: 2, as: 'invalid' },
  throttled: { status: 429, exit: 5, as: 'unavailable' },
  internal: { status: 500, exit: 1, as: 'engine' },
  engine: { status: 502, exit: 1, as: 'engine' },
  unavailable: { status: 503, exit: 5, as: 'unavailable' },
  timeout: { status: 504, exit: 6, as: 'timeout' },
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** For a code newer than this client: the status still says roughly what went wrong. */
function codeForStatus(status: number): ErrorCode {
  const found = (Object.values(ERROR_CODES) as CodeInfo[]).find((c) => c.status === status);
  return found?.as ?? 'engine';
}

/** The error an `{ error: { code, message, field? } }` body (or any answer) stands for. */
export function errorFromBody(status: number, body: unknown, text: string): HubdeckError {
  const err = isObject(body) ? body.error : undefined;
  if (isObject(err) && typeof err.code === 'string' && typeof err.message === 'string') {
    const info = (ERROR_CODES as Record<string, CodeInfo | undefined>)[err.code];
    return rebuild(info?.as ?? codeForStatus(status), err.message, typeof err.field === 'string' ? err.field : undefined);
  }
  return new HubdeckError('engine', `hub answered ${status}: ${text.slice(0, 200)}`);
}

/** The same from raw response text. */
export function errorFromResponse(status: number, text: string): HubdeckError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return errorFromBody(status, body, text);
}

/** The wire form of an error, as the server sends it and IPC envelopes carry it. */
export interface WireError {
  code: string;
  message: string;
  field?: string;
}

export function toWireError(e: unknown): WireError {
  if (e instanceof HubdeckError) return e.field ? { code: e.code, message: e.message, field: e.field } : { code: e.code, message: e.message };
  return { code: 'internal', message: errorMessage(e) };
}

export function fromWireError(w: WireError): HubdeckError {
  const info = (ERROR_CODES as Record<string, CodeInfo | undefined>)[w.code];
  return rebuild(info?.as ?? 'engine', w.message, w.field);
}

/** The same class on every side: bad input naming a field is a ValidationError wherever it is caught. */
function rebuild(code: ErrorCode, message: string, field: string | undefined): HubdeckError {
  if (code === 'invalid' && field) return new ValidationError(field, '', message);
  return new HubdeckError(code, message, field);
}

/** An error as a caller of any transport sees it: what the wire would have made of it. */
export function asCallerSees(e: unknown): unknown {
  if (e instanceof Error && e.name === 'AbortError') return e;
  return e instanceof HubdeckError ? fromWireError(toWireError(e)) : e;
}

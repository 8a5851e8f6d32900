/**
 * Reads request bodies — JSON for the API, the sign-in form — with a size limit and a deadline:
 * a whole body must arrive within a time and at a minimum rate, or the answer is 408 and the
 * connection is closed. Without the deadline, a client announcing 8000 bytes and sending one every
 * few seconds held a connection for hours, and a few thousand of them held the whole hub.
 */
import type { IncomingMessage } from 'node:http';
import { HubdeckError } from '../core/errors';
import { HttpError } from './http-errors';

export const MAX_BODY_BYTES = 64 * 1024;
/** The sign-in form: a token, or a user name and password, and where to go next. */
export const FORM_LIMIT = 8 * 1024;

/** How fast a body must arrive. */
export interface BodyDeadline {
  /** The whole body within this many milliseconds. */
  ms: number;
  /** At least this average rate (bytes per second) once the grace period is over; 0: no minimum. */
  minBytesPerSecond: number;
}

export const DEFAULT_BODY_DEADLINE: BodyDeadline = { ms: 10_000, minBytesPerSecond: 500 };
/** Before the rate is judged: a body's first packet may wait on a slow start. */
const RATE_GRACE_MS = 2000;

/** Per request, set by the server's connection limits (its configured deadline); else the default. */
const deadlines = new WeakMap<IncomingMessage, BodyDeadline>();

export function setBodyDeadline(req: IncomingMessage, d: BodyDeadline): void {
  deadlines.set(req, d);
}

const tooSlow = (why: string) => new HttpError('request_timeout', why, { connection: 'close' });

/** The raw body; `tooLarge` is what to throw past `limit` bytes. */
function readBody(req: IncomingMessage, limit: number, tooLarge: () => Error): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > limit) {
    // Drained rather than read: the client may finish sending and then see the answer.
    req.resume();
    return Promise.reject(tooLarge());
  }
  const d = deadlines.get(req) ?? DEFAULT_BODY_DEADLINE;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const start = Date.now();
    let size = 0;
    let settled = false;
    const finish = (e: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(whole);
      clearInterval(rate);
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
      if (e) reject(e);
      else resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return finish(tooLarge());
      chunks.push(chunk);
    };
    const onEnd = () => finish(null);
    const onGone = () => finish(new HttpError('invalid', 'the client closed the connection before its body was complete'));
    const whole = setTimeout(() => finish(tooSlow(`the request body did not arrive within ${d.ms / 1000} s`)), d.ms);
    const rate = setInterval(() => {
      const elapsed = Date.now() - start;
      if (d.minBytesPerSecond > 0 && elapsed >= RATE_GRACE_MS && size < (d.minBytesPerSecond * elapsed) / 1000) {
        finish(tooSlow(`the request body arrived slower than ${d.minBytesPerSecond} bytes per second`));
      }
    }, 500);
    whole.unref();
    rate.unref();
    req.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onGone);
  });
}

export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const body = await readBody(req, limit, () => new HttpError('too_large', `request body is larger than ${limit / 1024} KiB`));
  if (body.length === 0) return undefined;
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw new HttpError('unsupported_media', 'request body must be application/json');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new HttpError('invalid', `request body is not valid JSON (${(e as Error).message})`);
  }
}

/** The sign-in form, urlencoded or (from the web UI) a JSON object of strings. */
export async function readForm(req: IncomingMessage, limit = FORM_LIMIT): Promise<URLSearchParams> {
  const text = (await readBody(req, limit, () => new HubdeckError('invalid', 'the form is too large'))).toString('utf8');
  if (/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    let body: unknown;
    try {
      body = JSON.parse(text || '{}');
    } catch {
      // V8 quotes the text in its parse error, password and all: that message must reach no log.
      throw new HubdeckError('invalid', 'the sign-in form is not valid JSON');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HubdeckError('invalid', 'the sign-in form must be a JSON object');
    return new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)]));
  }
  return new URLSearchParams(text);
}

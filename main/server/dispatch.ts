/**
 * Answers one matched API request: calls the hub operation as the authenticated actor and sends
 * its result as JSON, or streams it (text, or JSON lines) for the streaming operations. The
 * server calls the hub directly, through the same operations map as every client.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ENDPOINTS, isStreamOperation, type CallOperation, type Operation, type StreamOperation } from '../api/endpoints';
import type { Actor } from '../hub/actor';
import type { HubOperations } from '../hub/hub-operations';
import { sendJson } from './http-errors';

type AnyCall = (a: Actor, i: unknown, o: object) => Promise<unknown>;
type AnyStream = (a: Actor, i: unknown, s: AbortSignal) => AsyncIterable<unknown>;

export interface Dispatch {
  ops: HubOperations;
  actor: Actor;
  op: Operation;
  input: Record<string, unknown>;
  req: IncomingMessage;
  res: ServerResponse;
  /** Long-lived responses register here so shutdown can end them. */
  track: (res: ServerResponse) => void;
}

export async function dispatch(d: Dispatch): Promise<void> {
  if (isStreamOperation(d.op)) return stream(d, d.op);
  // A client that hangs up before its answer cancels what waits on its behalf (readiness, a queue).
  const ac = new AbortController();
  d.res.on('close', () => { if (!d.res.writableEnded) ac.abort(new Error('the client went away')); });
  const result = await (d.ops[d.op as CallOperation] as AnyCall)(d.actor, d.input, { signal: ac.signal });
  const status = ('status' in ENDPOINTS[d.op] ? (ENDPOINTS[d.op] as { status: number }).status : 200);
  sendJson(d.res, status, status === 204 ? undefined : result);
}

async function stream(d: Dispatch, op: StreamOperation): Promise<void> {
  const ac = new AbortController();
  d.res.on('close', () => ac.abort());
  const iterator = (d.ops[op] as AnyStream)(d.actor, d.input, ac.signal)[Symbol.asyncIterator]();
  // The first chunk (or error) is awaited before answering, so a refusal is a JSON error, not a
  // 200 with an empty stream; a quiet followed log still gets its headers at once below.
  const pending = iterator.next();
  pending.catch(() => undefined); // awaited below; this only keeps an early rejection from counting as unhandled
  const first = await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), 250).unref())]);
  const text = ENDPOINTS[op].stream === 'text';
  d.track(d.res);
  d.res.writeHead(200, {
    'content-type': text ? 'text/plain; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    'cache-control': 'no-store', 'x-content-type-options': 'nosniff',
  });
  d.res.flushHeaders();
  const write = (chunk: unknown) => d.res.write(text ? String(chunk) : `${JSON.stringify(chunk)}\n`);
  try {
    let next = first ?? (await pending);
    while (!next.done) {
      // A client reading slower than the stream is made (an audit export, a long log) is waited
      // for: the stream stays in the source, not in the socket's buffer.
      if (!write(next.value)) await drained(d.res, ac.signal);
      next = await iterator.next();
    }
  } catch {
    // the client left or the engine stream broke: end what we have
  } finally {
    await iterator.return?.().catch(() => undefined);
  }
  d.res.end();
}

/** Resolves when the response's buffer has drained, or the client has gone. */
function drained(res: ServerResponse, gone: AbortSignal): Promise<void> {
  if (gone.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      gone.removeEventListener('abort', done);
      resolve();
    };
    res.on('drain', done);
    gone.addEventListener('abort', done);
  });
}

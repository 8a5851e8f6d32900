/**
 * A HubClient for web pages: the same operations over fetch, the event stream over EventSource.
 * In browser mode the page is served by the hub itself, so the session cookie authenticates both;
 * a token (for scripts and tests) goes in the Authorization header. Environment-neutral: only the
 * web platform's fetch and EventSource, both injectable.
 */
import { HubdeckError, errorMessage } from '../core/errors';
import { buildClient, newOpId } from './client-builder';
import { API_PREFIX, ENDPOINTS, EVENTS_PATH, type CallOperation, type StreamOperation } from './endpoints';
import { errorFromBody } from './error-codes';
import type { HubEvent } from './events';
import type { HubClient } from './hub-client';
import { requestFor } from './http-wire';
import { JsonLines } from './json-lines';
import type { CallOptions, StreamOptions } from './operations';

/** The part of EventSource this client uses. */
export interface EventSourceLike {
  onmessage: ((e: { data: string }) => void) | null;
  onerror: ((e: unknown) => void) | null;
  onopen: ((e: unknown) => void) | null;
  readonly readyState: number;
  close(): void;
}

export interface BrowserHubClientOptions {
  /** The hub's base URL; '' for the page's own origin. */
  baseUrl?: string;
  /** For scripts and tests; pages rely on the session cookie instead. */
  token?: string;
  fetch?: typeof fetch;
  /** Opens an event stream; the default is the browser's EventSource, with credentials. */
  eventSource?: (url: string) => EventSourceLike;
}

const CLOSED = 2;

export function browserHubClient(o: BrowserHubClientOptions = {}): HubClient {
  const base = (o.baseUrl ?? '').replace(/\/+$/, '');
  const doFetch = o.fetch ?? globalThis.fetch.bind(globalThis);
  const openEvents = o.eventSource ?? ((url: string) => new EventSource(url, { withCredentials: true }) as unknown as EventSourceLike);
  const sources = new Set<EventSourceLike>();

  async function send(op: CallOperation | StreamOperation, input: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
    const wire = requestFor(op, input);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (wire.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await doFetch(`${base}${wire.url}`, {
        method: wire.method, headers, body: wire.body === undefined ? undefined : JSON.stringify(wire.body), signal, credentials: 'same-origin',
      });
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new HubdeckError('unavailable', `cannot reach the hub${base ? ` at ${base}` : ''}: ${errorMessage(e)}`);
    }
    if (!res.ok) {
      const text = await res.text();
      let body: unknown;
      try { body = JSON.parse(text); } catch { body = undefined; }
      throw errorFromBody(res.status, body, text);
    }
    return res;
  }

  async function subscribe(listener: (e: HubEvent) => void): Promise<() => void> {
    const es = openEvents(`${base}${API_PREFIX}${EVENTS_PATH}`);
    sources.add(es);
    es.onmessage = (m) => {
      try {
        listener(JSON.parse(m.data) as HubEvent);
      } catch {
        // not one of ours, or a listener that threw: the stream goes on
      }
    };
    // EventSource reconnects by itself (with Last-Event-ID); the first open decides the subscribe.
    await new Promise<void>((resolve, reject) => {
      es.onopen = () => resolve();
      es.onerror = () => {
        if (es.readyState === CLOSED) reject(new HubdeckError('unavailable', 'the hub refused the event stream (signed out?)'));
      };
    });
    return () => { es.close(); sources.delete(es); };
  }

  async function call(op: CallOperation, input: Record<string, unknown>, opts: CallOptions): Promise<unknown> {
    const opId = opts.onProgress ? newOpId() : undefined;
    const stop = opId
      ? await subscribe((e) => { if (e.type === 'workspace.progress' && e.opId === opId) opts.onProgress!(e.progress); }).catch(() => undefined)
      : undefined;
    try {
      const res = await send(op, opId ? { ...input, opId } : input, opts.signal);
      const text = await res.text();
      return res.status === 204 || text === '' ? undefined : JSON.parse(text);
    } finally {
      stop?.();
    }
  }

  async function* stream(op: StreamOperation, input: Record<string, unknown>, opts: StreamOptions): AsyncIterable<unknown> {
    const res = await send(op, input, opts.signal);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const lines = new JsonLines();
    try {
      for (;;) {
        const { done, value } = await reader.read().catch((e: unknown) => {
          if (opts.signal?.aborted) return { done: true as const, value: undefined };
          throw e;
        });
        if (done) return;
        if (ENDPOINTS[op].stream === 'text') yield value;
        else yield* lines.push(value);
      }
    } finally {
      // A consumer that stops early must not leave the hub streaming into the void.
      await reader.cancel().catch(() => undefined);
    }
  }

  return buildClient({
    call, stream, subscribe,
    close: async () => { for (const es of sources) es.close(); sources.clear(); },
  });
}

/**
 * A HubClient over the REST API of a hub elsewhere, in Node: every operation of main/api/endpoints.ts
 * through one generic request path, with the same HubdeckErrors as in-process, so callers cannot
 * tell it apart. Uses node:http(s) rather than fetch because certificate pinning needs a custom
 * agent (see pinned-agent.ts); the browser has its own client (main/api/browser-hub-client.ts).
 */
import http from 'node:http';
import https from 'node:https';
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { HubdeckError } from '../core/errors';
import { buildClient, newOpId } from '../api/client-builder';
import { ENDPOINTS, EVENTS_PATH, API_PREFIX, type CallOperation, type StreamOperation } from '../api/endpoints';
import { errorFromResponse } from '../api/error-codes';
import { requestFor } from '../api/http-wire';
import type { HubEvent } from '../api/events';
import type { CallOptions, StreamOptions } from '../api/operations';
import type { HubClient, SubscribeOptions } from './hub-client';
import { PinnedAgent } from './pinned-agent';
import { EventFeed } from './event-feed';
import { JsonLines } from '../api/json-lines';

export { errorFromResponse };

export interface RemoteHubClientOptions {
  /** Where the hub listens, e.g. `https://host:8585` (a path prefix is kept). */
  url: string;
  /** An API token; sent as `Authorization: Bearer …`. */
  token: string;
  /** SHA-256 fingerprint of the hub's certificate: trust exactly it instead of the CA store. */
  fingerprint?: string;
  /** How long the hub may stay silent before a call fails (default 30 s). */
  timeoutMs?: number;
}

interface RequestSpec {
  method: string;
  /** Path and query under the hub's base URL. */
  url: string;
  body?: unknown;
  headers?: OutgoingHttpHeaders;
  signal?: AbortSignal;
  /** Silence allowed until the answer's headers arrive; null for none. Default: the client's timeout. */
  timeoutMs?: number | null;
  /** Silence allowed while the body streams; null for none. Default: as timeoutMs. */
  idleMs?: number | null;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** The hub sends `:` heartbeats on /events; this much silence means the stream is dead. */
const EVENT_IDLE_MS = 60_000;
/** Node's codes for certificates the CA store does not vouch for. */
const UNTRUSTED_CERT = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED',
]);

function reasonOf(e: unknown): string {
  if (e instanceof AggregateError && !e.message) return e.errors.map(reasonOf).join('; ');
  if (e instanceof Error) return e.message || (e as NodeJS.ErrnoException).code || e.name;
  return String(e);
}

const isAbort = (e: unknown) => e instanceof Error && e.name === 'AbortError';

export function remoteHubClient(opts: RemoteHubClientOptions): HubClient {
  return new RemoteTransport(opts).client();
}

class RemoteTransport {
  /** The hub's address as given, without a trailing slash: what error messages name. */
  private readonly url: string;
  private readonly agent: http.Agent;
  private readonly send: typeof http.request;
  private readonly token: string;
  private readonly timeoutMs: number;
  private readonly feeds = new Set<EventFeed>();
  private closed = false;

  constructor(opts: RemoteHubClientOptions) {
    let url: URL;
    try {
      url = new URL(opts.url);
    } catch {
      throw new HubdeckError('invalid', `url: "${opts.url}" is not a URL`, 'url');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new HubdeckError('invalid', `url: must start with https:// (got "${opts.url}")`, 'url');
    if (opts.fingerprint !== undefined && url.protocol !== 'https:') throw new HubdeckError('invalid', 'fingerprint: only an https:// hub has a certificate to pin', 'fingerprint');
    // Header injection and confusing "invalid character" errors from Node both start here.
    if (!/^[\x21-\x7e]+$/.test(opts.token)) throw new HubdeckError('invalid', 'token: must be a non-empty token without spaces', 'token');
    this.url = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    this.token = opts.token;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (url.protocol === 'http:') {
      this.agent = new http.Agent({ keepAlive: true });
      this.send = http.request;
    } else {
      this.agent = opts.fingerprint !== undefined ? new PinnedAgent(opts.fingerprint, { keepAlive: true }) : new https.Agent({ keepAlive: true });
      this.send = https.request as typeof http.request;
    }
  }

  client(): HubClient {
    return buildClient({
      call: (op, input, opts) => this.call(op, input, opts),
      stream: (op, input, opts) => this.stream(op, input, opts),
      subscribe: (listener, opts) => this.subscribe(listener, opts),
      close: async () => this.close(),
    });
  }

  private async call(op: CallOperation, input: Record<string, unknown>, opts: CallOptions): Promise<unknown> {
    // Progress comes over the event stream, tagged with an id this request carries.
    const opId = opts.onProgress ? newOpId() : undefined;
    const stopProgress = opId ? await this.followProgress(opId, opts.onProgress!) : undefined;
    try {
      const wire = requestFor(op, opId ? { ...input, opId } : input);
      // No client-side limit on slow operations: a pull may run quiet for minutes, and the hub bounds it.
      const slow = 'slow' in ENDPOINTS[op];
      const res = await this.open({ ...wire, headers: { accept: 'application/json' }, signal: opts.signal, timeoutMs: slow ? null : undefined });
      const text = await this.readText(res);
      if (res.statusCode === 204 || text === '') return undefined;
      try {
        return JSON.parse(text);
      } catch {
        throw new HubdeckError('engine', `hub answered ${res.statusCode} with a body that is not JSON: ${text.slice(0, 200)}`);
      }
    } finally {
      stopProgress?.();
    }
  }

  private async *stream(op: StreamOperation, input: Record<string, unknown>, opts: StreamOptions): AsyncIterable<unknown> {
    const { signal } = opts;
    if (signal?.aborted) return;
    const kind = ENDPOINTS[op].stream;
    let res: IncomingMessage;
    try {
      // A followed stream may stay quiet for hours.
      res = await this.open({ ...requestFor(op, input), headers: { accept: kind === 'text' ? 'text/plain' : 'application/x-ndjson' }, signal, idleMs: null });
    } catch (e) {
      if (signal?.aborted) return;
      throw e;
    }
    res.setEncoding('utf8');
    const lines = new JsonLines();
    try {
      for await (const chunk of res) {
        if (kind === 'text') yield chunk as string;
        else yield* lines.push(chunk as string);
      }
    } catch (e) {
      // Aborting is how a follower stops reading; like the engine's stream, that ends quietly.
      if (!signal?.aborted) throw this.lost(e);
    } finally {
      res.destroy();
    }
  }

  private async subscribe(listener: (e: HubEvent) => void, opts: SubscribeOptions = {}): Promise<() => void> {
    const feed = new EventFeed((signal, lastEventId) => this.openEvents(signal, lastEventId), listener, opts.onClose);
    this.feeds.add(feed);
    try {
      await feed.start();
    } catch (e) {
      this.feeds.delete(feed);
      throw e;
    }
    return () => {
      feed.stop();
      this.feeds.delete(feed);
    };
  }

  private close(): void {
    this.closed = true;
    for (const feed of this.feeds) feed.stop();
    this.feeds.clear();
    this.agent.destroy();
  }

  /** Subscribes before the request so no early progress event is missed; returns the unsubscribe. */
  private async followProgress(opId: string, onProgress: NonNullable<CallOptions['onProgress']>): Promise<(() => void) | undefined> {
    try {
      return await this.subscribe((e) => {
        if (e.type === 'workspace.progress' && e.opId === opId) onProgress(e.progress);
      });
    } catch {
      // Progress is a nicety: the operation goes on, and a real problem (auth, network) fails it.
      return undefined;
    }
  }

  private async openEvents(signal: AbortSignal, lastEventId: string): Promise<IncomingMessage> {
    const headers: OutgoingHttpHeaders = { accept: 'text/event-stream', 'cache-control': 'no-cache' };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    const res = await this.open({ method: 'GET', url: `${API_PREFIX}${EVENTS_PATH}`, headers, signal, idleMs: Math.max(EVENT_IDLE_MS, this.timeoutMs) });
    const type = res.headers['content-type'] ?? '';
    if (!/^text\/event-stream\b/i.test(type)) {
      res.destroy();
      throw new HubdeckError('engine', `hub answered /events with "${type}", not an event stream`);
    }
    return res;
  }

  /** Sends one request; resolves with a 2xx response still streaming, or rejects with the hub's error. */
  private open(spec: RequestSpec): Promise<IncomingMessage> {
    if (this.closed) return Promise.reject(new HubdeckError('unavailable', 'this hub client is closed'));
    return new Promise((resolve, reject) => {
      const payload = spec.body === undefined ? undefined : Buffer.from(JSON.stringify(spec.body), 'utf8');
      const headers: OutgoingHttpHeaders = { ...spec.headers, authorization: `Bearer ${this.token}` };
      if (payload) Object.assign(headers, { 'content-type': 'application/json', 'content-length': payload.length });
      let response: IncomingMessage | undefined;
      const req = this.send(new URL(`${this.url}${spec.url}`), { method: spec.method, headers, agent: this.agent, signal: spec.signal }, (res) => {
        response = res;
        if ((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300) {
          if (spec.idleMs !== undefined) req.setTimeout(spec.idleMs ?? 0);
          return resolve(res);
        }
        this.readText(res).then((text) => reject(errorFromResponse(res.statusCode ?? 0, text)), reject);
      });
      req.on('error', (e) => reject(this.lost(e)));
      this.arm(req, spec.timeoutMs === undefined ? this.timeoutMs : spec.timeoutMs, () => response);
      req.end(payload);
    });
  }

  /** Fails the exchange after `ms` of silence, on whichever side is still open. */
  private arm(req: ClientRequest, ms: number | null, response: () => IncomingMessage | undefined): void {
    if (ms === null) return;
    req.on('timeout', () => {
      const err = new HubdeckError('timeout', `the hub at ${this.url} did not answer within ${Math.round(ms / 100) / 10} s`);
      const res = response();
      if (res) res.destroy(err);
      else req.destroy(err);
    });
    req.setTimeout(ms);
  }

  private async readText(res: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of res) chunks.push(chunk as Buffer);
    } catch (e) {
      throw this.lost(e);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Transport failures as HubdeckErrors; ours (pinning, timeouts) and aborts pass through. */
  private lost(e: unknown): unknown {
    if (e instanceof HubdeckError || isAbort(e)) return e;
    const code = (e as NodeJS.ErrnoException | undefined)?.code ?? '';
    const hint = UNTRUSTED_CERT.has(code) ? ' (if this hub has a self-signed certificate you trust, pin its SHA-256 fingerprint)' : '';
    return new HubdeckError('unavailable', `cannot reach the hub at ${this.url}: ${reasonOf(e)}${hint}`);
  }
}

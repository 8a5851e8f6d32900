/**
 * A HubClient over the REST API of a hub elsewhere (main/server/routes.ts): same methods, same
 * HubdeckErrors, so callers cannot tell it from the in-process client. Uses node:http(s) rather
 * than fetch because certificate pinning needs a custom agent (see pinned-agent.ts).
 */
import http from 'node:http';
import https from 'node:https';
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { HubdeckError, type ErrorCode } from '../core/errors';
import type { ProgressEvent } from '../engine/engine';
import type {
  Capacity, CleanupReport, CreateWorkspaceClientOptions, CreatedToken, GroupRecord, HubClient, HubEvent, HubInfo, ImageRecord,
  LogRequest, Settings, SshKeyRecord, TokenView, UserView, WorkspaceRef, WorkspaceStats, WorkspaceView,
} from './hub-client';
import { PinnedAgent } from './pinned-agent';
import { SseParser, type SseEvent } from './sse-parser';

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

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Query = Record<string, string | number | undefined>;

interface RequestSpec {
  method: Method;
  path: string;
  query?: Query;
  body?: unknown;
  headers?: OutgoingHttpHeaders;
  signal?: AbortSignal;
  /** Silence allowed until the answer's headers arrive; null for none. Default: the client's timeout. */
  timeoutMs?: number | null;
  /** Silence allowed while the body streams; null for none. Default: as timeoutMs. */
  idleMs?: number | null;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 5_000;
/** The hub sends `:` heartbeats on /events; this much silence means the stream is dead. */
const EVENT_IDLE_MS = 60_000;

/** Server-only codes (main/server/http-errors.ts) → the closest code callers already handle. */
const SERVER_CODES: Record<string, ErrorCode> = {
  method_not_allowed: 'invalid', too_large: 'invalid', unsupported_media: 'invalid', throttled: 'unavailable', internal: 'engine',
};
const KNOWN_CODES = new Set<string>(['invalid', 'not_found', 'conflict', 'forbidden', 'unauthorized', 'quota', 'timeout', 'engine', 'unavailable']);
/** For codes newer than this client: the status still says roughly what went wrong. */
const STATUS_CODES: Record<number, ErrorCode> = { 400: 'invalid', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'invalid', 409: 'conflict', 413: 'invalid', 415: 'invalid', 429: 'unavailable', 503: 'unavailable', 504: 'timeout' };
/** Node's codes for certificates the CA store does not vouch for. */
const UNTRUSTED_CERT = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED',
]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const segments = (...parts: string[]) => parts.map((p) => `/${encodeURIComponent(p)}`).join('');
const workspacePath = (ref: WorkspaceRef) => `/workspaces${segments(ref.user, ref.name)}`;

/** The HubdeckError for a non-2xx answer: the JSON error body if there is one, else the raw text. */
export function errorFromResponse(status: number, text: string): HubdeckError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const err = isObject(body) ? body.error : undefined;
  if (isObject(err) && typeof err.code === 'string' && typeof err.message === 'string') {
    const code = KNOWN_CODES.has(err.code) ? (err.code as ErrorCode) : SERVER_CODES[err.code] ?? STATUS_CODES[status] ?? 'engine';
    return new HubdeckError(code, err.message, typeof err.field === 'string' ? err.field : undefined);
  }
  return new HubdeckError('engine', `hub answered ${status}: ${text.slice(0, 200)}`);
}

function reasonOf(e: unknown): string {
  if (e instanceof AggregateError && !e.message) return e.errors.map(reasonOf).join('; ');
  if (e instanceof Error) return e.message || (e as NodeJS.ErrnoException).code || e.name;
  return String(e);
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

export class RemoteHubClient implements HubClient {
  /** The hub's address as given, without a trailing slash: what error messages name. */
  private readonly url: string;
  private readonly base: string;
  private readonly agent: http.Agent;
  private readonly send: typeof http.request;
  private readonly token: string;
  private readonly timeoutMs: number;
  private readonly feeds = new Set<EventFeed>();
  private me: Promise<HubInfo> | undefined;
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
    this.base = `${this.url}/api/v1`;
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

  info(): Promise<HubInfo> { return this.call('GET', '/info'); }
  capacity(): Promise<Capacity> { return this.call('GET', '/capacity'); }

  listImages(): Promise<ImageRecord[]> { return this.call('GET', '/images'); }
  createImage(body: unknown): Promise<ImageRecord> { return this.call('POST', '/images', { body }); }
  updateImage(name: string, body: unknown): Promise<ImageRecord> { return this.call('PATCH', `/images${segments(name)}`, { body }); }
  deleteImage(name: string): Promise<void> { return this.call('DELETE', `/images${segments(name)}`); }

  listUsers(): Promise<UserView[]> { return this.call('GET', '/users'); }
  getUser(name: string): Promise<UserView> { return this.call('GET', `/users${segments(name)}`); }
  createUser(body: unknown): Promise<UserView> { return this.call('POST', '/users', { body }); }
  updateUser(name: string, body: unknown): Promise<UserView> { return this.call('PATCH', `/users${segments(name)}`, { body }); }
  deleteUser(name: string): Promise<void> { return this.call('DELETE', `/users${segments(name)}`); }

  listGroups(): Promise<GroupRecord[]> { return this.call('GET', '/groups'); }
  createGroup(body: unknown): Promise<GroupRecord> { return this.call('POST', '/groups', { body }); }
  updateGroup(name: string, body: unknown): Promise<GroupRecord> { return this.call('PATCH', `/groups${segments(name)}`, { body }); }
  deleteGroup(name: string): Promise<void> { return this.call('DELETE', `/groups${segments(name)}`); }

  listTokens(user: string): Promise<TokenView[]> { return this.call('GET', `/users${segments(user)}/tokens`); }
  createToken(user: string, body: unknown): Promise<CreatedToken> { return this.call('POST', `/users${segments(user)}/tokens`, { body }); }
  revokeToken(user: string, id: string): Promise<void> { return this.call('DELETE', `/users${segments(user, 'tokens', id)}`); }

  listKeys(user: string): Promise<SshKeyRecord[]> { return this.call('GET', `/users${segments(user)}/keys`); }
  addKey(user: string, body: unknown): Promise<SshKeyRecord> { return this.call('POST', `/users${segments(user)}/keys`, { body }); }
  removeKey(user: string, id: string): Promise<void> { return this.call('DELETE', `/users${segments(user, 'keys', id)}`); }

  listWorkspaces(filter: { user?: string; all?: boolean } = {}): Promise<WorkspaceView[]> {
    return this.call('GET', '/workspaces', { query: { user: filter.user, all: filter.all ? '1' : undefined } });
  }
  getWorkspace(ref: WorkspaceRef): Promise<WorkspaceView> { return this.call('GET', workspacePath(ref)); }

  async createWorkspace(body: unknown, opts: CreateWorkspaceClientOptions = {}): Promise<WorkspaceView> {
    const timeout = opts.timeoutMs === undefined ? undefined : Math.max(1, Math.ceil(opts.timeoutMs / 1000));
    const stopProgress = opts.onProgress ? await this.followProgress(body, opts.onProgress) : undefined;
    try {
      // No client-side limit: a pull may run quiet for minutes, and the hub bounds the wait itself.
      return await this.call('POST', '/workspaces', { body, query: { wait: opts.wait === false ? '0' : '1', timeout }, timeoutMs: null });
    } finally {
      stopProgress?.();
    }
  }

  startWorkspace(ref: WorkspaceRef): Promise<WorkspaceView> { return this.call('POST', `${workspacePath(ref)}/start`, { timeoutMs: null }); }
  stopWorkspace(ref: WorkspaceRef): Promise<WorkspaceView> { return this.call('POST', `${workspacePath(ref)}/stop`, { timeoutMs: null }); }
  restartWorkspace(ref: WorkspaceRef): Promise<WorkspaceView> { return this.call('POST', `${workspacePath(ref)}/restart`, { timeoutMs: null }); }
  removeWorkspace(ref: WorkspaceRef, opts: { deleteData?: boolean } = {}): Promise<void> {
    return this.call('DELETE', workspacePath(ref), { query: { deleteData: opts.deleteData ? '1' : undefined }, timeoutMs: null });
  }
  extendWorkspace(ref: WorkspaceRef, days: number): Promise<WorkspaceView> { return this.call('POST', `${workspacePath(ref)}/extend`, { body: { days } }); }

  async *workspaceLogs(ref: WorkspaceRef, opts: LogRequest = {}): AsyncIterable<string> {
    const { signal } = opts;
    if (signal?.aborted) return;
    let res: IncomingMessage;
    try {
      res = await this.open({
        method: 'GET',
        path: `${workspacePath(ref)}/logs`,
        query: { tail: opts.tail, follow: opts.follow ? '1' : undefined },
        headers: { accept: 'text/plain' },
        signal,
        // A followed log may stay quiet for hours.
        idleMs: opts.follow ? null : this.timeoutMs,
      });
    } catch (e) {
      if (signal?.aborted) return;
      throw e;
    }
    res.setEncoding('utf8');
    try {
      for await (const chunk of res) yield chunk as string;
    } catch (e) {
      // Aborting is how a follower stops reading; like the engine's stream, that ends quietly.
      if (!signal?.aborted) throw this.lost(e);
    } finally {
      res.destroy();
    }
  }

  workspaceStats(ref: WorkspaceRef): Promise<WorkspaceStats> { return this.call('GET', `${workspacePath(ref)}/stats`); }

  getSettings(): Promise<Settings> { return this.call('GET', '/settings'); }
  updateSettings(body: unknown): Promise<Settings> { return this.call('PATCH', '/settings', { body }); }
  cleanup(opts: { dryRun?: boolean } = {}): Promise<CleanupReport> {
    return this.call('POST', '/cleanup', { body: opts.dryRun === undefined ? {} : { dryRun: opts.dryRun }, timeoutMs: null });
  }

  async subscribe(listener: (e: HubEvent) => void): Promise<() => void> {
    const feed = new EventFeed((signal, lastEventId) => this.openEvents(signal, lastEventId), listener);
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

  async close(): Promise<void> {
    this.closed = true;
    for (const feed of this.feeds) feed.stop();
    this.feeds.clear();
    this.agent.destroy();
  }

  /** Subscribes before the POST so no early progress event is missed; returns the unsubscribe. */
  private async followProgress(body: unknown, onProgress: (e: ProgressEvent) => void): Promise<(() => void) | undefined> {
    const raw = isObject(body) ? body : {};
    // Without a name the hub refuses the body; the POST reports that better than we could.
    if (typeof raw.name !== 'string') return undefined;
    const name = raw.name;
    try {
      const user = typeof raw.user === 'string' ? raw.user : (await this.whoAmI()).user.name;
      return await this.subscribe((e) => {
        if (e.type === 'workspace.progress' && e.user === user && e.name === name) onProgress(e.progress);
      });
    } catch {
      // Progress is a nicety: creating goes on, and a real problem (auth, network) fails the POST.
      return undefined;
    }
  }

  private whoAmI(): Promise<HubInfo> {
    this.me ??= this.info().catch((e: unknown) => {
      this.me = undefined;
      throw e;
    });
    return this.me;
  }

  private async openEvents(signal: AbortSignal, lastEventId: string): Promise<IncomingMessage> {
    const headers: OutgoingHttpHeaders = { accept: 'text/event-stream', 'cache-control': 'no-cache' };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    const res = await this.open({ method: 'GET', path: '/events', headers, signal, idleMs: Math.max(EVENT_IDLE_MS, this.timeoutMs) });
    const type = res.headers['content-type'] ?? '';
    if (!/^text\/event-stream\b/i.test(type)) {
      res.destroy();
      throw new HubdeckError('engine', `hub answered /events with "${type}", not an event stream`);
    }
    return res;
  }

  private async call<T>(method: Method, path: string, spec: Omit<RequestSpec, 'method' | 'path'> = {}): Promise<T> {
    const res = await this.open({ method, path, headers: { accept: 'application/json' }, ...spec });
    const text = await this.readText(res);
    if (res.statusCode === 204 || text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new HubdeckError('engine', `hub answered ${res.statusCode} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
  }

  /** Sends one request; resolves with a 2xx response still streaming, or rejects with the hub's error. */
  private open(spec: RequestSpec): Promise<IncomingMessage> {
    if (this.closed) return Promise.reject(new HubdeckError('unavailable', 'this hub client is closed'));
    return new Promise((resolve, reject) => {
      const payload = spec.body === undefined ? undefined : Buffer.from(JSON.stringify(spec.body), 'utf8');
      const headers: OutgoingHttpHeaders = { ...spec.headers, authorization: `Bearer ${this.token}` };
      if (payload) Object.assign(headers, { 'content-type': 'application/json', 'content-length': payload.length });
      let response: IncomingMessage | undefined;
      const req = this.send(this.target(spec.path, spec.query), { method: spec.method, headers, agent: this.agent, signal: spec.signal }, (res) => {
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

  private target(path: string, query: Query = {}): URL {
    const url = new URL(`${this.base}${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
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

/**
 * One subscription's event stream: reconnects with backoff whenever it drops, resuming from the
 * last event id, until stopped.
 */
class EventFeed {
  private stopped = false;
  private delay = RECONNECT_MIN_MS;
  private lastEventId = '';
  private abort: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connectTo: (signal: AbortSignal, lastEventId: string) => Promise<IncomingMessage>,
    private readonly listener: (e: HubEvent) => void,
  ) {}

  /** The first connection; its failure is the caller's (bad token, no such route). */
  async start(): Promise<void> {
    await this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort?.abort();
  }

  private async connect(): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    const res = await this.connectTo(abort.signal, this.lastEventId);
    if (this.stopped) return void res.destroy();
    this.pump(res);
  }

  private pump(res: IncomingMessage): void {
    const parser = new SseParser();
    parser.lastEventId = this.lastEventId;
    const since = Date.now();
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      for (const e of parser.push(chunk)) this.deliver(e);
      this.lastEventId = parser.lastEventId;
    });
    res.on('error', () => undefined); // 'close' follows and decides what to do
    res.on('close', () => {
      parser.end();
      // A stream that held for a while earns a fast reconnect; one that keeps dropping backs off.
      if (Date.now() - since >= RECONNECT_MAX_MS) this.delay = RECONNECT_MIN_MS;
      this.reconnectLater();
    });
  }

  private reconnectLater(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.connect().catch((e: unknown) => {
        // A revoked or expired token will not heal, and each retry counts against the hub's
        // per-address auth throttle, so stop there; anything else may be a restart or a blip.
        if (e instanceof HubdeckError && e.code === 'unauthorized') return this.stop();
        this.reconnectLater();
      });
    }, this.delay);
    this.delay = Math.min(this.delay * 2, RECONNECT_MAX_MS);
  }

  private deliver(e: SseEvent): void {
    let data: unknown;
    try {
      data = JSON.parse(e.data);
    } catch {
      return; // not one of ours
    }
    if (!isObject(data)) return;
    const type = typeof data.type === 'string' ? data.type : e.event !== 'message' ? e.event : undefined;
    if (!type) return;
    try {
      this.listener({ ...data, type } as HubEvent);
    } catch {
      // As on the hub's EventBus: one broken listener must not end the stream.
    }
  }
}

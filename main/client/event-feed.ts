/**
 * One subscription's event stream over HTTP: reconnects with backoff whenever it drops, resuming
 * from the last event id (and honouring the server's `retry:` advice), until stopped.
 */
import type { IncomingMessage } from 'node:http';
import { HubdeckError } from '../core/errors';
import type { HubEvent } from '../api/events';
import { SseReader, type SseEvent } from './sse-reader';

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 5_000;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class EventFeed {
  private stopped = false;
  private delay = RECONNECT_MIN_MS;
  /** The server's `retry:` advice, when it gave one: the shortest wait before reconnecting. */
  private minDelay = RECONNECT_MIN_MS;
  private lastEventId = '';
  private abort: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connectTo: (signal: AbortSignal, lastEventId: string) => Promise<IncomingMessage>,
    private readonly listener: (e: HubEvent) => void,
    private readonly onClose?: (reason: Error) => void,
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
    const parser = new SseReader();
    parser.lastEventId = this.lastEventId;
    const since = Date.now();
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      for (const e of parser.push(chunk)) this.deliver(e);
      this.lastEventId = parser.lastEventId;
      if (parser.retryMs !== undefined) this.minDelay = Math.min(parser.retryMs, 60_000);
    });
    res.on('error', () => undefined); // 'close' follows and decides what to do
    res.on('close', () => {
      parser.end();
      // A stream that held for a while earns a fast reconnect; one that keeps dropping backs off.
      if (Date.now() - since >= RECONNECT_MAX_MS) this.delay = this.minDelay;
      this.reconnectLater();
    });
  }

  private reconnectLater(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.connect().catch((e: unknown) => {
        // A revoked or expired token will not heal, and each retry counts against the hub's
        // per-address auth throttle, so stop there; anything else may be a restart or a blip.
        if (e instanceof HubdeckError && e.code === 'unauthorized') {
          this.stop();
          return this.onClose?.(e);
        }
        this.reconnectLater();
      });
    }, Math.max(this.delay, this.minDelay));
    this.delay = Math.min(this.delay * 2, Math.max(RECONNECT_MAX_MS, this.minDelay));
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

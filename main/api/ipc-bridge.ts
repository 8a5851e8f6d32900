/**
 * The desktop transport: what the preload exposes as `window.hubdeck` (three functions, generic
 * over the operations of the table, so a new operation needs no preload change), the IPC channels
 * behind it, and the adapter that turns the bridge back into a HubClient for the renderer.
 * Results cross as envelopes because Electron's contextBridge drops an Error's own fields.
 */
import { buildClient } from './client-builder';
import type { CallOperation, StreamOperation } from './endpoints';
import { fromWireError, type WireError } from './error-codes';
import type { HubEvent } from './events';
import type { HubClient } from './hub-client';
import type { ProgressEvent } from './dto';

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: WireError };

export interface HubdeckBridge {
  call(op: CallOperation, input: unknown, onProgress?: (p: ProgressEvent) => void): Promise<Envelope<unknown>>;
  /** Starts a stream; returns the function that stops it. `onEnd` gets null on a clean end. */
  stream(op: StreamOperation, input: unknown, onData: (chunk: unknown) => void, onEnd: (error: WireError | null) => void): () => void;
  /** Hub events the signed-in user may see; returns the unsubscribe. */
  subscribe(listener: (e: HubEvent) => void): () => void;
}

/** Exactly what window.hubdeck has; a test checks the preload against it. */
export const BRIDGE_KEYS = ['call', 'stream', 'subscribe'] as const;

/** IPC channels, renderer → main (invoke) and main → renderer (send). */
export const IPC = {
  call: 'api:call',
  streamOpen: 'api:stream-open',
  streamClose: 'api:stream-close',
  subscribe: 'api:subscribe',
  progress: 'api:progress',
  streamData: 'api:stream',
  event: 'hub:event',
} as const;

export type StreamMessage = { streamId: string; kind: 'data'; data: unknown } | { streamId: string; kind: 'end'; error: WireError | null };

export function unwrap<T>(env: Envelope<T>): T {
  if (env.ok) return env.value;
  throw fromWireError(env.error);
}

/** The renderer's HubClient over the bridge: the same interface as every other transport. */
export function bridgeHubClient(bridge: HubdeckBridge): HubClient {
  return buildClient({
    call: async (op, input, opts) => unwrap(await bridge.call(op, input, opts.onProgress)),
    stream: (op, input, opts) => streamOver(bridge, op, input, opts.signal),
    subscribe: async (listener) => bridge.subscribe(listener),
    close: async () => undefined,
  });
}

/** Callbacks to an async iterable, buffering what arrives before it is read. */
async function* streamOver(bridge: HubdeckBridge, op: StreamOperation, input: unknown, signal?: AbortSignal): AsyncIterable<unknown> {
  const queue: unknown[] = [];
  let ended: { error: WireError | null } | null = null;
  let wake: (() => void) | null = null;
  const poke = () => { wake?.(); wake = null; };
  const stop = bridge.stream(op, input, (chunk) => { queue.push(chunk); poke(); }, (error) => { ended = { error }; poke(); });
  const onAbort = () => { ended ??= { error: null }; poke(); };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      while (queue.length) yield queue.shift();
      if (ended) {
        const { error } = ended as { error: WireError | null };
        if (error && !signal?.aborted) throw fromWireError(error);
        return;
      }
      await new Promise<void>((r) => (wake = r));
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    stop();
  }
}

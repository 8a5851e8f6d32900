/**
 * Builds a HubClient from two functions, one for calls and one for streams: each transport
 * supplies those and gets every operation of the table as a method, so a new operation needs no
 * client code at all.
 */
import { isStreamOperation, OPERATIONS, type CallOperation, type StreamOperation } from './endpoints';
import type { HubClient } from './hub-client';
import type { CallOptions, StreamOptions } from './operations';

export interface Transport {
  call(op: CallOperation, input: Record<string, unknown>, opts: CallOptions): Promise<unknown>;
  stream(op: StreamOperation, input: Record<string, unknown>, opts: StreamOptions): AsyncIterable<unknown>;
  subscribe: HubClient['subscribe'];
  close(): Promise<void>;
}

export function buildClient(t: Transport): HubClient {
  const client: Record<string, unknown> = { subscribe: t.subscribe, close: t.close };
  for (const op of OPERATIONS) {
    client[op] = isStreamOperation(op)
      ? (input: Record<string, unknown> = {}, opts: StreamOptions = {}) => t.stream(op, input, opts)
      : (input: Record<string, unknown> = {}, opts: CallOptions = {}) => t.call(op as CallOperation, input, opts);
  }
  return client as unknown as HubClient;
}

/** A client-side id for one operation, to pick its progress or stream chunks out of shared channels. */
export function newOpId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

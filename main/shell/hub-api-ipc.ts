/**
 * The hub API over IPC (window.hubdeck, main-process side; the desktop-only calls are
 * desktop-api-ipc.ts): serves the bridge's channels (main/api/ipc-bridge)
 * from a HubClient, with every argument validated (zod) before use. No electron import: index.ts
 * passes ipcMain in, and tests pass an in-memory stand-in.
 */
import { z } from 'zod';
import { HubdeckError } from '../core/errors';
import { isStreamOperation, OPERATIONS, type CallOperation, type StreamOperation } from '../api/endpoints';
import { toWireError } from '../api/error-codes';
import { IPC, type Envelope, type StreamMessage } from '../api/ipc-bridge';
import type { HubClient } from '../api/hub-client';

export interface IpcSender {
  readonly id: number;
  send(channel: string, payload: unknown): void;
  once(event: 'destroyed', fn: () => void): void;
}

export interface IpcMainLike {
  handle(channel: string, fn: (event: { sender: IpcSender }, ...args: unknown[]) => unknown): void;
}

const CALLS = OPERATIONS.filter((op) => !isStreamOperation(op)) as CallOperation[];
const STREAMS = OPERATIONS.filter(isStreamOperation);
const id = z.string().regex(/^[0-9a-f]{8,64}$/, 'must be an id made by the preload');
const input = z.record(z.string(), z.unknown()).optional();
const callArgs = z.tuple([z.enum(CALLS as [CallOperation, ...CallOperation[]]), input, id.nullable()]);
const openArgs = z.tuple([z.enum(STREAMS as [StreamOperation, ...StreamOperation[]]), input, id]);

/** `fn`'s answer or error as the envelope both IPC APIs answer with (errors cross as wire errors). */
export function envelope<T>(fn: () => Promise<T>): Promise<Envelope<T>> {
  return fn().then((value) => ({ ok: true as const, value }), (e: unknown) => ({ ok: false as const, error: toWireError(e) }));
}

function parsed<T>(schema: z.ZodType<T>, args: unknown[]): T {
  const r = schema.safeParse(args);
  if (!r.success) throw new HubdeckError('invalid', `invalid IPC arguments: ${r.error.issues[0]?.message ?? 'malformed'}`);
  return r.data;
}

export interface RegisteredApi {
  /** Ends a window's event subscription (it reloads onto another hub and subscribes anew). */
  forget(senderId: number): void;
}

/** `clientFor(sender)` decides who a window acts as (and may refuse a sender it does not know). */
export function registerApi(ipc: IpcMainLike, clientFor: (sender: IpcSender) => HubClient): RegisteredApi {
  const streams = new Map<string, AbortController>();
  const subscribed = new Map<number, () => void>();
  const client = (sender: IpcSender) => clientFor(sender) as unknown as Record<string, (i: unknown, o: object) => unknown>;

  ipc.handle(IPC.call, (e, ...args) => envelope(async () => {
    const [op, inp, opId] = parsed(callArgs, args);
    const onProgress = opId ? (progress: unknown) => e.sender.send(IPC.progress, { opId, progress }) : undefined;
    return client(e.sender)[op]!(inp ?? {}, { onProgress });
  }));

  ipc.handle(IPC.streamOpen, (e, ...args) => envelope(async () => {
    const [op, inp, streamId] = parsed(openArgs, args);
    const ac = new AbortController();
    streams.set(streamId, ac);
    const send = (m: StreamMessage) => e.sender.send(IPC.streamData, m);
    const iterable = client(e.sender)[op]!(inp ?? {}, { signal: ac.signal }) as AsyncIterable<unknown>;
    void (async () => {
      try {
        for await (const data of iterable) send({ streamId, kind: 'data', data });
        send({ streamId, kind: 'end', error: null });
      } catch (err) {
        send({ streamId, kind: 'end', error: ac.signal.aborted ? null : toWireError(err) });
      } finally {
        streams.delete(streamId);
      }
    })();
    return null;
  }));

  ipc.handle(IPC.streamClose, (_e, ...args) => {
    const [streamId] = parsed(z.tuple([id]), args);
    streams.get(streamId)?.abort();
  });

  ipc.handle(IPC.subscribe, async (e) => {
    if (subscribed.has(e.sender.id)) return;
    const off = await clientFor(e.sender).subscribe((event) => e.sender.send(IPC.event, event));
    subscribed.set(e.sender.id, off);
    e.sender.once('destroyed', () => { off(); subscribed.delete(e.sender.id); });
  });

  return {
    forget: (senderId) => {
      subscribed.get(senderId)?.();
      subscribed.delete(senderId);
    },
  };
}

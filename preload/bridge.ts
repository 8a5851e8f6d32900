/**
 * Builds window.hubdeck from an ipcRenderer-like transport. Progress and stream chunks come back on
 * shared channels tagged with an id this side makes (Podman Desktop's `…-onData` pattern). Kept
 * apart from index.ts (which touches electron) so it is tested without Electron.
 */
import { newOpId } from '../main/api/client-builder';
import { IPC, type Envelope, type HubdeckBridge, type StreamMessage } from '../main/api/ipc-bridge';
import type { EventMap } from './contract';

export interface IpcTransport {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): void;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): void;
}

function listen<C extends keyof EventMap>(ipc: IpcTransport, channel: C, fn: (payload: EventMap[C]) => void): () => void {
  const wrapped = (_e: unknown, payload: unknown) => fn(payload as EventMap[C]);
  ipc.on(channel, wrapped);
  return () => ipc.removeListener(channel, wrapped);
}

export function createApi(ipc: IpcTransport): HubdeckBridge {
  return {
    call: async (op, input, onProgress) => {
      const opId = onProgress ? newOpId() : null;
      const off = opId ? listen(ipc, IPC.progress, (m) => { if (m.opId === opId) onProgress!(m.progress); }) : undefined;
      try {
        return (await ipc.invoke(IPC.call, op, input, opId)) as Envelope<unknown>;
      } finally {
        off?.();
      }
    },
    stream: (op, input, onData, onEnd) => {
      const streamId = newOpId();
      let done = false;
      const finish = (error: Parameters<typeof onEnd>[0]) => {
        if (done) return;
        done = true;
        off();
        onEnd(error);
      };
      const off = listen(ipc, IPC.streamData, (m: StreamMessage) => {
        if (m.streamId !== streamId) return;
        if (m.kind === 'data') onData(m.data);
        else finish(m.error);
      });
      void (ipc.invoke(IPC.streamOpen, op, input, streamId) as Promise<Envelope<null>>).then(
        (env) => { if (!env.ok) finish(env.error); },
        (e: unknown) => finish({ code: 'internal', message: e instanceof Error ? e.message : String(e) }),
      );
      return () => {
        if (!done) void ipc.invoke(IPC.streamClose, streamId);
        finish(null);
      };
    },
    subscribe: (listener) => {
      const off = listen(ipc, IPC.event, listener);
      // A refused subscription (a window main does not know) simply delivers nothing.
      ipc.invoke(IPC.subscribe).catch(() => undefined);
      return off;
    },
  };
}

/**
 * The IPC contract between the Electron main process and the renderer (Podman Desktop style): the
 * invoke map (channel → arguments), the event map (main → renderer), the exposed API and its exact
 * keys. The operations themselves come from the one API definition (main/api), so this file does
 * not change when an operation is added.
 */
import type { CallOperation, StreamOperation } from '../main/api/endpoints';
import type { HubEvent } from '../main/api/events';
import type { ProgressEvent } from '../main/api/dto';
import type { Envelope, StreamMessage } from '../main/api/ipc-bridge';

export { BRIDGE_KEYS as API_KEYS, IPC } from '../main/api/ipc-bridge';
export type { Envelope, HubdeckBridge as HubdeckApi, StreamMessage } from '../main/api/ipc-bridge';

export interface InvokeMap {
  'api:call': (op: CallOperation, input: unknown, opId: string | null) => Envelope<unknown>;
  'api:stream-open': (op: StreamOperation, input: unknown, streamId: string) => Envelope<null>;
  'api:stream-close': (streamId: string) => void;
  'api:subscribe': () => void;
}

export interface EventMap {
  'api:progress': { opId: string; progress: ProgressEvent };
  'api:stream': StreamMessage;
  'hub:event': HubEvent;
}

export type InvokeChannel = keyof InvokeMap;
export type EventChannel = keyof EventMap;

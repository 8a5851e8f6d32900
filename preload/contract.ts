/**
 * What main sends window.hubdeck's side of the preload (preload/bridge.ts), by channel: progress of
 * an operation, stream chunks and hub events. The operations and the bridge's own shape come from
 * the one API definition (main/api: endpoints.ts, ipc-bridge.ts), so this file does not change when
 * an operation is added; the desktop-only API is preload/desktop-contract.ts.
 */
import type { HubEvent } from '../main/api/events';
import type { ProgressEvent } from '../main/api/dto';
import type { StreamMessage } from '../main/api/ipc-bridge';

export interface EventMap {
  'api:progress': { opId: string; progress: ProgressEvent };
  'api:stream': StreamMessage;
  'hub:event': HubEvent;
}

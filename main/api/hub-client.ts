/** The client interface every transport implements: the operations, plus the event stream. */
import type { HubEvent } from './events';
import type { HubApi } from './operations';

export interface SubscribeOptions {
  /** Called when the stream is lost for good (e.g. the token was revoked). */
  onClose?: (reason: Error) => void;
}

export interface HubClient extends HubApi {
  /** Calls `listener` for every event the client may see; resolves once subscribed. */
  subscribe(listener: (e: HubEvent) => void, opts?: SubscribeOptions): Promise<() => void>;
  close(): Promise<void>;
}

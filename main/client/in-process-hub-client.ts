/** A HubClient over a Hub in this process, acting as one actor (the desktop's local admin). */
import { buildClient } from '../api/client-builder';
import type { CallOperation, StreamOperation } from '../api/endpoints';
import { visibleTo } from '../api/events';
import type { Actor } from '../hub/actor';
import type { Hub } from '../hub/hub';
import { hubOperations } from '../hub/hub-operations';
import type { HubClient } from './hub-client';

type AnyCall = (a: Actor, i: unknown, o: unknown) => Promise<unknown>;
type AnyStream = (a: Actor, i: unknown, s: AbortSignal | undefined) => AsyncIterable<unknown>;

export function inProcessClient(hub: Hub, actor: Actor, onClose: () => Promise<void> = async () => undefined): HubClient {
  const ops = hubOperations(hub);
  return buildClient({
    call: (op: CallOperation, input, opts) => (ops[op] as AnyCall)(actor, input, opts),
    stream: (op: StreamOperation, input, opts) => (ops[op] as AnyStream)(actor, input, opts.signal),
    subscribe: async (listener) => hub.bus.subscribe((e) => { if (visibleTo(e, actor.user, actor.admin)) listener(e); }),
    close: onClose,
  });
}

/** A HubClient over a Hub in this process, acting as one actor (the desktop's local admin). */
import { buildClient } from '../api/client-builder';
import type { CallOperation, StreamOperation } from '../api/endpoints';
import { visibleTo } from '../api/events';
import type { Actor } from '../hub/actor';
import type { Hub } from '../hub/hub';
import { hubOperations } from '../hub/hub-operations';
import type { HubClient } from './hub-client';
import { asCallerSees } from '../api/error-codes';

type AnyCall = (a: Actor, i: unknown, o: unknown) => Promise<unknown>;
type AnyStream = (a: Actor, i: unknown, s: AbortSignal | undefined) => AsyncIterable<unknown>;

/**
 * Errors are passed through what the wire would make of them, so a caller sees the same error
 * classes, codes and fields in-process as over REST or IPC.
 */
export function inProcessClient(hub: Hub, actor: Actor, onClose: () => Promise<void> = async () => undefined): HubClient {
  const ops = hubOperations(hub);
  return buildClient({
    call: (op: CallOperation, input, opts) => (ops[op] as AnyCall)(actor, input, opts).catch((e: unknown) => { throw asCallerSees(e); }),
    stream: (op: StreamOperation, input, opts) => rethrowing((ops[op] as AnyStream)(actor, input, opts.signal)),
    subscribe: async (listener) => hub.bus.subscribe((e) => { if (visibleTo(e, actor.user, actor.admin)) listener(e); }),
    close: onClose,
  });
}

async function* rethrowing<T>(it: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* it;
  } catch (e) {
    throw asCallerSees(e);
  }
}

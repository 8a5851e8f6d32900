/**
 * The shape of the hub's operations table: every API operation as a function of the actor and its
 * input. Its own file so the table (hub-operations.ts) and its audited wrapper
 * (audit-operations.ts) both name it without importing each other.
 */
import type { CallOperation, StreamOperation } from '../api/endpoints';
import type { CallOptions, InputOf, ResultOf } from '../api/operations';
import type { Actor } from './actor';

export type HubCalls = { [K in CallOperation]: (actor: Actor, input: InputOf<K>, opts: CallOptions) => Promise<ResultOf<K>> };
export type HubStreams = { [K in StreamOperation]: (actor: Actor, input: InputOf<K>, signal: AbortSignal | undefined) => AsyncIterable<ResultOf<K>> };
export type HubOperations = HubCalls & HubStreams;

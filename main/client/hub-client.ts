/**
 * What every UI, the CLI and the tests use to talk to a hub, wherever it runs: in this process, over
 * REST (Node or browser), or over the desktop's IPC. The methods are the operations of
 * main/api/endpoints.ts, typed by main/api/operations.ts; callers cannot tell the transports apart.
 */
export type { HubClient, SubscribeOptions } from '../api/hub-client';
export type * from '../api/dto';
export type { HubEvent } from '../api/events';

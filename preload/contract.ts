/**
 * The IPC contract between the Electron main process and the renderer (Podman Desktop style): one
 * invoke map (channel → signature), one event map (main → renderer), the exposed API, and the error
 * envelope. The renderer imports only this file's types.
 */
export interface WorkspaceDto {
  name: string;
  user: string;
  state: string;
  status: string;
  image: string;
  cpus: number | null;
  memory: number | null;
  gpus: string | null;
  expiresAt: string | null;
  baseUrl: string;
}

export interface InvokeMap {
  'workspace:list': () => WorkspaceDto[];
  'workspace:start': (name: string) => WorkspaceDto;
  'workspace:stop': (name: string) => WorkspaceDto;
  'engine:describe': () => { description: string; user: string };
}

export interface EventMap {
  'workspaces:changed': WorkspaceDto[];
}

export type InvokeChannel = keyof InvokeMap;
export type EventChannel = keyof EventMap;

/** Errors cross IPC as data and are rebuilt as real Errors in the preload. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; field?: string } };

type Promised<F> = F extends (...a: infer A) => infer R ? (...a: A) => Promise<R> : never;

export type HubdeckApi = { [C in InvokeChannel]: Promised<InvokeMap[C]> } & {
  on<C extends EventChannel>(channel: C, listener: (payload: EventMap[C]) => void): () => void;
};

/** The exact keys the preload exposes; a test checks the bridge against this list. */
export const API_KEYS: readonly (InvokeChannel | 'on')[] = ['workspace:list', 'workspace:start', 'workspace:stop', 'engine:describe', 'on'];
export const EVENT_CHANNELS: readonly EventChannel[] = ['workspaces:changed'];

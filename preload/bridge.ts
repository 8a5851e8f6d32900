/**
 * Builds the API object from an ipcRenderer-like transport, unwrapping error envelopes into Errors.
 * Kept apart from index.ts (which touches electron) so it is tested without Electron.
 */
import { API_KEYS, EVENT_CHANNELS, type Envelope, type EventChannel, type HubdeckApi, type InvokeChannel } from './contract';

export interface IpcTransport {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): void;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): void;
}

export class IpcError extends Error {
  constructor(readonly code: string, message: string, readonly field?: string) {
    super(message);
    this.name = 'IpcError';
  }
}

export function createApi(ipc: IpcTransport): HubdeckApi {
  const api: Record<string, unknown> = {};
  for (const key of API_KEYS) {
    if (key === 'on') continue;
    api[key] = async (...args: unknown[]) => {
      const env = (await ipc.invoke(key as InvokeChannel, ...args)) as Envelope<unknown>;
      if (env.ok) return env.value;
      throw new IpcError(env.error.code, env.error.message, env.error.field);
    };
  }
  api.on = (channel: EventChannel, listener: (payload: unknown) => void) => {
    if (!EVENT_CHANNELS.includes(channel)) throw new Error(`unknown event channel ${channel}`);
    const wrapped = (_e: unknown, payload: unknown) => listener(payload);
    ipc.on(channel, wrapped);
    return () => ipc.removeListener(channel, wrapped);
  };
  return api as HubdeckApi;
}

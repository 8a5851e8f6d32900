/**
 * The page side of the test's stand-in for Electron IPC (ipc-bridge-stand-in.ts): the real preload
 * code (preload/bridge.ts createApi) builds `window.hubdeck` over a transport whose invoke goes to a
 * Playwright binding and whose events come back through `window.__ipcEmit`. Built for the page by
 * vite; never part of the app.
 */
import { createApi, type IpcTransport } from '../../../preload/bridge';

type Listener = (event: unknown, payload: unknown) => void;
interface StandInWindow {
  __ipcInvoke(channel: string, args: unknown[]): Promise<unknown>;
  __ipcEmit?: (channel: string, payload: unknown) => void;
  hubdeck?: unknown;
}

const w = window as unknown as StandInWindow;
const listeners = new Map<string, Set<Listener>>();
w.__ipcEmit = (channel, payload) => {
  for (const l of listeners.get(channel) ?? []) l({}, payload);
};
const transport: IpcTransport = {
  invoke: (channel, ...args) => w.__ipcInvoke(channel, args),
  on: (channel, listener) => {
    const set = listeners.get(channel) ?? new Set<Listener>();
    set.add(listener);
    listeners.set(channel, set);
  },
  removeListener: (channel, listener) => void listeners.get(channel)?.delete(listener),
};
w.hubdeck = createApi(transport);

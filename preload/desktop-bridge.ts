/**
 * Builds window.hubdeckDesktop from an ipcRenderer-like transport, entry by entry from the one
 * table (DESKTOP_API): a call invokes its channel, an event subscribes to its channel. Tested
 * without Electron.
 */
import type { IpcTransport } from './bridge';
import { DESKTOP_API, DESKTOP_CALLS, DESKTOP_EVENTS, desktopChannel, type HubdeckDesktop } from './desktop-contract';

export function createDesktopApi(ipc: IpcTransport): HubdeckDesktop {
  const api: Record<string, unknown> = {};
  for (const call of DESKTOP_CALLS) api[call] = (...args: unknown[]) => ipc.invoke(desktopChannel(call), ...args);
  for (const event of DESKTOP_EVENTS) {
    const { channel } = DESKTOP_API[event];
    api[event] = (listener: (payload: unknown) => void) => {
      const wrapped = (_e: unknown, payload: unknown) => listener(payload);
      ipc.on(channel, wrapped);
      return () => ipc.removeListener(channel, wrapped);
    };
  }
  return api as HubdeckDesktop;
}

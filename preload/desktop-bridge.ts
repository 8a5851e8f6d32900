/** Builds window.hubdeckDesktop from an ipcRenderer-like transport (tested without Electron). */
import type { IpcTransport } from './bridge';
import { DESKTOP_CHANGED, DESKTOP_KEYS, DESKTOP_SHOW, DESKTOP_TERMINAL, desktopChannel, type DesktopCall, type HubdeckDesktop, type ShowRequest, type TerminalEvent } from './desktop-contract';

export function createDesktopApi(ipc: IpcTransport): HubdeckDesktop {
  const api: Record<string, unknown> = {};
  for (const key of DESKTOP_KEYS) {
    if (key === 'onChange' || key === 'onShow' || key === 'onTerminal') continue;
    api[key] = (...args: unknown[]) => ipc.invoke(desktopChannel(key as DesktopCall), ...args);
  }
  api.onChange = (listener: () => void) => {
    const wrapped = () => listener();
    ipc.on(DESKTOP_CHANGED, wrapped);
    return () => ipc.removeListener(DESKTOP_CHANGED, wrapped);
  };
  api.onShow = (listener: (r: ShowRequest) => void) => {
    const wrapped = (_e: unknown, r: unknown) => listener(r as ShowRequest);
    ipc.on(DESKTOP_SHOW, wrapped);
    return () => ipc.removeListener(DESKTOP_SHOW, wrapped);
  };
  api.onTerminal = (listener: (e: TerminalEvent) => void) => {
    const wrapped = (_e: unknown, t: unknown) => listener(t as TerminalEvent);
    ipc.on(DESKTOP_TERMINAL, wrapped);
    return () => ipc.removeListener(DESKTOP_TERMINAL, wrapped);
  };
  return api as unknown as HubdeckDesktop;
}

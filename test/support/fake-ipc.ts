/**
 * An in-memory stand-in for Electron's IPC: ipcMain.handle / webContents.send on one side,
 * ipcRenderer.invoke / on on the other, with every value structured-cloned as Electron does. Used
 * to run the desktop transport (preload bridge ↔ main handlers) without Electron.
 */
import type { IpcMainLike, IpcSender } from '../../main/shell/hub-api-ipc';
import type { IpcTransport } from '../../preload/bridge';

type Listener = (event: unknown, payload: unknown) => void;

export class FakeIpc {
  private readonly handlers = new Map<string, (event: { sender: IpcSender }, ...args: unknown[]) => unknown>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly destroyed: (() => void)[] = [];

  readonly sender: IpcSender = {
    id: 1,
    send: (channel, payload) => {
      const copy = structuredClone(payload);
      for (const l of this.listeners.get(channel) ?? []) l({}, copy);
    },
    once: (_event, fn) => void this.destroyed.push(fn),
  };

  readonly main: IpcMainLike = { handle: (channel, fn) => void this.handlers.set(channel, fn) };

  readonly renderer: IpcTransport = {
    invoke: async (channel, ...args) => {
      const h = this.handlers.get(channel);
      if (!h) throw new Error(`No handler registered for '${channel}'`);
      return structuredClone(await h({ sender: this.sender }, ...structuredClone(args)));
    },
    on: (channel, l) => {
      if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
      this.listeners.get(channel)!.add(l);
    },
    removeListener: (channel, l) => void this.listeners.get(channel)?.delete(l),
  };

  /** The window closed: what main subscribed for it ends. */
  destroy(): void {
    for (const fn of this.destroyed.splice(0)) fn();
  }

  listenerCount(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }
}

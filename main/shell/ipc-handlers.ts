/**
 * Registers the contract's invoke handlers through one typed helper; every handler's result or
 * error travels in an envelope so the renderer gets real, typed errors.
 */
import { ipcMain } from 'electron';
import { isHubdeckError } from '../core/errors';
import type { Envelope, InvokeChannel, InvokeMap } from '../../preload/contract';

type Handler<C extends InvokeChannel> = (...args: Parameters<InvokeMap[C]>) => Promise<ReturnType<InvokeMap[C]>>;

export function handle<C extends InvokeChannel>(channel: C, fn: Handler<C>): void {
  ipcMain.handle(channel, async (_event, ...args: unknown[]): Promise<Envelope<ReturnType<InvokeMap[C]>>> => {
    try {
      return { ok: true, value: await fn(...(args as Parameters<InvokeMap[C]>)) };
    } catch (e) {
      const code = isHubdeckError(e) ? e.code : 'internal';
      const field = isHubdeckError(e) ? e.field : undefined;
      return { ok: false, error: { code, message: e instanceof Error ? e.message : String(e), field } };
    }
  });
}

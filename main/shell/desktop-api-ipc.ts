/**
 * The desktop API over IPC (window.hubdeckDesktop, main-process side; the hub API is
 * hub-api-ipc.ts): one handler per call of the table (preload/desktop-contract.ts), its arguments
 * validated with the table's schema before the handler runs, the sender checked, answers and
 * errors as envelopes. The handlers live beside the services they call; the shell puts them
 * together. No electron import (ipcMain is passed in), so tests drive it with an in-memory stand-in.
 */
import { HubdeckError } from '../core/errors';
import type { Envelope } from '../api/ipc-bridge';
import { DESKTOP_API, DESKTOP_CALLS, desktopChannel, type DesktopAnswer, type DesktopCall, type DesktopParsedArgs } from '../../preload/desktop-contract';
import { envelope, type IpcMainLike, type IpcSender } from './hub-api-ipc';

type Def<K extends DesktopCall> = (typeof DESKTOP_API)[K];
/** A handler gets the validated arguments, and the asking window when its entry says so. */
type HandlerArgs<K extends DesktopCall> = Def<K> extends { withSender: true } ? [...DesktopParsedArgs<K>, IpcSender] : DesktopParsedArgs<K>;

export type DesktopHandlers = { [K in DesktopCall]: (...args: HandlerArgs<K>) => Promise<DesktopAnswer<K>> };
/** Some of the calls: what one service answers. */
export type SomeDesktopHandlers<K extends DesktopCall> = Pick<DesktopHandlers, K>;

function parsed(call: DesktopCall, args: unknown[]): unknown[] {
  const r = DESKTOP_API[call].args.safeParse(args);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new HubdeckError('invalid', `invalid arguments to ${call}: ${i.path.join('.') || 'arguments'}: ${i.message}`);
  }
  return r.data;
}

/**
 * Registers every call. `allowed(sender)` refuses frames that are not the app's own window (a
 * workspace window has no preload, but a check costs nothing and survives mistakes).
 */
export function registerDesktopApi(ipc: IpcMainLike, allowed: (sender: IpcSender) => boolean, h: DesktopHandlers): void {
  // The types already demand every handler; this catches a spread that lost one, at start rather than on first use.
  const missing = DESKTOP_CALLS.filter((call) => typeof h[call] !== 'function');
  if (missing.length) throw new Error(`desktop API: no handler for ${missing.join(', ')}`);
  for (const call of DESKTOP_CALLS) {
    ipc.handle(desktopChannel(call), (e, ...args): Promise<Envelope<unknown>> => envelope(async () => {
      if (!allowed(e.sender)) throw new HubdeckError('forbidden', 'this window may not use the desktop API');
      const a = parsed(call, args);
      const fn = h[call] as (...x: unknown[]) => Promise<unknown>;
      return fn(...(DESKTOP_API[call].withSender ? [...a, e.sender] : a));
    }));
  }
}

/** What every hub service shares: the engine, the store, the event bus and the clock (injected). */
import type { WorkspaceEngine } from '../engine/engine';
import type { HubStore } from './hub-store';
import type { EventBus } from './hub-events';
import type { Settings } from './hub-state';

export interface HubContext {
  engine: WorkspaceEngine;
  store: HubStore;
  bus: EventBus;
  now: () => Date;
  log: (message: string) => void;
}

export const settingsOf = (ctx: HubContext): Settings => ctx.store.current.settings;
export const stamp = (ctx: HubContext): string => ctx.now().toISOString();

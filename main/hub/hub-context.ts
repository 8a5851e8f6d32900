/** What every hub service shares: the engine, the store, the event bus, the audit log and the clock (injected). */
import type { WorkspaceEngine } from '../engine/engine';
import type { HubStore } from './hub-store';
import type { EventBus } from './hub-events';
import type { Settings } from './hub-state';
import type { AuditLog } from './audit-log';

export interface HubContext {
  engine: WorkspaceEngine;
  store: HubStore;
  bus: EventBus;
  audit: AuditLog;
  now: () => Date;
  log: (message: string) => void;
}

export const settingsOf = (ctx: HubContext): Settings => ctx.store.current.settings;
export const stamp = (ctx: HubContext): string => ctx.now().toISOString();

/**
 * The hub the pages talk to, who the user is, and the one event stream every page listens to
 * (one connection for the whole app, fanned out here — browsers allow few per origin).
 */
import { createContext, useContext, useEffect, useRef } from 'react';
import type { HubInfo } from '../../../main/api/dto';
import type { HubEvent } from '../../../main/api/events';
import type { HubClient } from '../../../main/api/hub-client';

export type EventListener = (e: HubEvent) => void;

/** Events kept for the admin's event log, from when the app connected. */
const KEEP_EVENTS = 500;

export class EventHub {
  private readonly listeners = new Set<EventListener>();
  private readonly kept: HubEvent[] = [];

  /** The latest events (oldest first), progress ticks left out. */
  recent(): readonly HubEvent[] {
    return this.kept;
  }

  emit(e: HubEvent): void {
    if (e.type !== 'workspace.progress') {
      this.kept.push(e);
      if (this.kept.length > KEEP_EVENTS) this.kept.shift();
    }
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // one broken view must not starve the others
      }
    }
  }

  on(l: EventListener): () => void {
    this.listeners.add(l);
    return () => void this.listeners.delete(l);
  }
}

export interface HubSession {
  client: HubClient;
  info: HubInfo;
  events: EventHub;
}

const Ctx = createContext<HubSession | null>(null);
export const HubProvider = Ctx.Provider;

export function useHub(): HubSession {
  const s = useContext(Ctx);
  if (!s) throw new Error('useHub outside HubProvider');
  return s;
}

/** Calls `listener` (the latest one rendered) for every hub event while the component is mounted. */
export function useHubEvents(listener: EventListener): void {
  const { events } = useHub();
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => events.on((e) => ref.current(e)), [events]);
}

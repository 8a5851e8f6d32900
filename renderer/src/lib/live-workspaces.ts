/**
 * A workspace list kept current by hub events, never by polling: an event changes what it says
 * at once (state, expiry, removal), and one fetch of that workspace (coalesced per workspace)
 * brings the rest. The reducer is pure; the hook wires it to the client and the event stream.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { WorkspaceView } from '../../../main/api/dto';
import type { HubEvent } from '../../../main/api/events';
import { useHub, useHubEvents } from './hub-context';

export const keyOf = (w: { user: string; name: string }) => `${w.user}/${w.name}`;

export type ListAction =
  | { type: 'load'; items: WorkspaceView[] }
  | { type: 'upsert'; item: WorkspaceView }
  | { type: 'drop'; user: string; name: string }
  | { type: 'event'; event: HubEvent };

export type ListState = ReadonlyMap<string, WorkspaceView>;

/** What an action does to the list (pure). */
export function reduceList(state: ListState, a: ListAction): ListState {
  switch (a.type) {
    case 'load':
      return new Map(a.items.map((w) => [keyOf(w), w]));
    case 'upsert':
      return new Map(state).set(keyOf(a.item), a.item);
    case 'drop': {
      const next = new Map(state);
      next.delete(keyOf(a));
      return next;
    }
    case 'event': {
      const e = a.event;
      if (!e.type.startsWith('workspace.') || !('name' in e)) return state;
      const k = keyOf(e as { user: string; name: string });
      const cur = state.get(k);
      if (e.type === 'workspace.removed') return reduceList(state, { type: 'drop', user: e.user, name: e.name });
      if (!cur) return state;
      if (e.type === 'workspace.state') return new Map(state).set(k, { ...cur, state: e.state });
      if (e.type === 'workspace.extended') return new Map(state).set(k, { ...cur, expiresAt: e.expiresAt });
      return state;
    }
  }
}

/** Whether an event means the workspace's full view should be fetched again. */
export function needsRefresh(e: HubEvent): boolean {
  return e.type === 'workspace.state' || e.type === 'workspace.extended' || e.type === 'workspace.expired' || e.type === 'workspace.culled';
}

export function sortedWorkspaces(state: ListState): WorkspaceView[] {
  return [...state.values()].sort((a, b) => a.user.localeCompare(b.user) || a.name.localeCompare(b.name));
}

export interface LiveList {
  items: WorkspaceView[];
  loaded: boolean;
  error: string | null;
  /** Puts a workspace the page already has (an action's answer) into the list. */
  upsert(w: WorkspaceView): void;
}

/** The caller's own workspaces, or every user's (`all`, admins), live. */
export function useLiveWorkspaces(scope: { all: boolean }): LiveList {
  const { client, info } = useHub();
  const [state, dispatch] = useReducer(reduceList, new Map() as ListState);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(new Map<string, boolean>());
  const mine = (u: string) => scope.all || u === info.user.name;

  const refresh = useCallback((user: string, name: string) => {
    const k = `${user}/${name}`;
    // One fetch at a time per workspace; an event during it asks for one more afterwards.
    if (inFlight.current.has(k)) return void inFlight.current.set(k, true);
    inFlight.current.set(k, false);
    client.getWorkspace({ user, name }).then(
      (w) => dispatch({ type: 'upsert', item: w }),
      (e: Error & { code?: string }) => { if (e.code === 'not_found') dispatch({ type: 'drop', user, name }); },
    ).finally(() => {
      const again = inFlight.current.get(k);
      inFlight.current.delete(k);
      if (again) refresh(user, name);
    });
  }, [client]);

  useHubEvents((e) => {
    if (!e.type.startsWith('workspace.') || !('name' in e) || !mine(e.user)) return;
    dispatch({ type: 'event', event: e });
    if (needsRefresh(e)) refresh(e.user, e.name);
  });

  useEffect(() => {
    let live = true;
    client.listWorkspaces(scope.all ? { all: true } : { user: info.user.name }).then(
      (items) => { if (live) { dispatch({ type: 'load', items }); setLoaded(true); } },
      (e: Error) => { if (live) { setError(e.message); setLoaded(true); } },
    );
    return () => { live = false; };
  }, [client, info.user.name, scope.all]);

  return { items: sortedWorkspaces(state), loaded, error, upsert: useCallback((w: WorkspaceView) => dispatch({ type: 'upsert', item: w }), []) };
}

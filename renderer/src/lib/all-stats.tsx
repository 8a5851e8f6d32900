/**
 * Live CPU and memory for a whole workspace list from one hub stream (watchAllStats), whatever the
 * list's length: per-workspace streams ran into the browser's six connections per origin and the
 * hub's per-user stream limit, so only a few rows were live. Rows subscribe to their own series, so
 * a batch re-renders the sparklines, not the table.
 */
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { StatsBatch, WorkspaceStats } from '../../../main/api/dto';
import { useHub } from './hub-context';

const KEEP = 40;
const RETRY_MS = 5000;
const EMPTY: WorkspaceStats[] = [];

/** Each workspace's latest samples; a series is a new array only when it gets a sample. */
export class SeriesStore {
  private readonly series = new Map<string, WorkspaceStats[]>();
  private readonly listeners = new Set<() => void>();

  add(batch: StatsBatch): void {
    const present = new Set<string>();
    for (const { user, name, ...stats } of batch.samples) {
      const key = `${user}/${name}`;
      present.add(key);
      this.series.set(key, [...(this.series.get(key) ?? EMPTY).slice(-(KEEP - 1)), stats]);
    }
    // A workspace missing from a batch has stopped: its line starts afresh when it runs again.
    for (const key of this.series.keys()) if (!present.has(key)) this.series.delete(key);
    for (const l of this.listeners) l();
  }

  get(key: string): WorkspaceStats[] {
    return this.series.get(key) ?? EMPTY;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

interface Feed {
  store: SeriesStore;
  live: boolean;
}

const Ctx = createContext<Feed | null>(null);

/** Keeps one stats stream open while mounted (reconnecting after a failure); `all`: every user's. */
export function AllStatsProvider({ all, children }: { all: boolean; children: ReactNode }) {
  const { client } = useHub();
  const [store] = useState(() => new SeriesStore());
  const [live, setLive] = useState(false);
  useEffect(() => {
    const abort = new AbortController();
    const run = async () => {
      while (!abort.signal.aborted) {
        try {
          for await (const batch of client.watchAllStats({ all: all || undefined, intervalMs: 2000 }, { signal: abort.signal })) {
            setLive(true);
            store.add(batch);
          }
        } catch {
          // the hub went away or refused: say so in the cells, and try again shortly
        }
        setLive(false);
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    };
    void run();
    return () => abort.abort();
  }, [client, all, store]);
  return <Ctx.Provider value={{ store, live }}>{children}</Ctx.Provider>;
}

/** A workspace's samples from the list's stream. */
export function useSeries(user: string, name: string): { samples: WorkspaceStats[]; live: boolean } {
  const feed = useContext(Ctx);
  if (!feed) throw new Error('useSeries outside AllStatsProvider');
  const key = `${user}/${name}`;
  const samples = useSyncExternalStore(feed.store.subscribe, () => feed.store.get(key));
  return { samples, live: feed.live };
}

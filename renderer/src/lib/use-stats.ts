/**
 * Live CPU and memory samples of a running workspace, from the hub's watchStats stream (pushed by
 * the hub, not polled). Open streams are rationed: a browser keeps at most six connections to one
 * HTTP/1.1 origin and the hub caps streams per user, so the list shows live figures for a few
 * workspaces at a time and the rest wait for a free slot.
 */
import { useEffect, useState } from 'react';
import type { WorkspaceStats } from '../../../main/api/dto';
import { useHub } from './hub-context';

/** First come, first served slots; a waiter gets the next one freed. */
export class SlotPool {
  private used = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  /** Calls `granted` once a slot is free; the returned function releases it (or stops waiting). */
  acquire(granted: () => void): () => void {
    let held = false;
    let done = false;
    const grant = () => {
      if (done) return;
      held = true;
      this.used++;
      granted();
    };
    if (this.used < this.size) grant();
    else this.waiting.push(grant);
    return () => {
      if (done) return;
      done = true;
      if (!held) {
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        return;
      }
      this.used--;
      this.waiting.shift()?.();
    };
  }
}

// Browser: events (1) + stats (3) leave two connections for calls. Desktop IPC has no such limit,
// only the hub's per-user one.
const browserPool = new SlotPool(3);
const desktopPool = new SlotPool(10);

export interface StatsSeries {
  samples: WorkspaceStats[];
  /** False while waiting for a free stream slot. */
  live: boolean;
  error: string | null;
}

/** Samples (the latest `keep`) while `enabled`; `dedicated` skips the rationing (the detail page). */
export function useStats(ref: { user: string; name: string }, enabled: boolean, o: { intervalMs?: number; keep?: number; dedicated?: boolean } = {}): StatsSeries {
  const { client, desktop } = useHub();
  const [samples, setSamples] = useState<WorkspaceStats[]>([]);
  const [live, setLive] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const keep = o.keep ?? 40;
  const intervalMs = o.intervalMs ?? 2000;

  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    const run = async () => {
      setLive(true);
      setError(null);
      try {
        for await (const s of client.watchStats({ user: ref.user, name: ref.name, intervalMs }, { signal: abort.signal })) {
          setSamples((prev) => [...prev.slice(-(keep - 1)), s]);
        }
      } catch (e) {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      } finally {
        setLive(false);
      }
    };
    // A stream that ends (the workspace stopped) gives its slot back at once.
    let ended = false;
    let release = () => { ended = true; };
    const start = () => void run().finally(() => release());
    if (o.dedicated) start();
    else {
      const free = (desktop ? desktopPool : browserPool).acquire(start);
      if (ended) free();
      release = free;
    }
    return () => {
      abort.abort();
      release();
    };
  }, [client, desktop, enabled, ref.user, ref.name, intervalMs, keep, o.dedicated]);

  useEffect(() => { if (!enabled) setSamples([]); }, [enabled]);
  return { samples, live, error };
}

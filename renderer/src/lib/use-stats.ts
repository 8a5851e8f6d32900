/**
 * Live CPU and memory samples of one running workspace (its detail page), from the hub's
 * watchStats stream (pushed by the hub, not polled). Lists use one stream for all rows instead
 * (all-stats.tsx).
 */
import { useEffect, useState } from 'react';
import type { WorkspaceStats } from '../../../main/api/dto';
import { useHub } from './hub-context';
import { errorMessage } from '../../../main/api/error-codes';

export interface StatsSeries {
  samples: WorkspaceStats[];
  /** Whether the stream is open. */
  live: boolean;
  error: string | null;
}

/** Samples (the latest `keep`) while `enabled`. */
export function useStats(ref: { user: string; name: string }, enabled: boolean, o: { intervalMs?: number; keep?: number } = {}): StatsSeries {
  const { client } = useHub();
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
        if (!abort.signal.aborted) setError(errorMessage(e));
      } finally {
        setLive(false);
      }
    };
    void run();
    return () => abort.abort();
  }, [client, enabled, ref.user, ref.name, intervalMs, keep]);

  useEffect(() => { if (!enabled) setSamples([]); }, [enabled]);
  return { samples, live, error };
}

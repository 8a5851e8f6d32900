/** Loads something from the hub, with its error, and a reload for after changes and events. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../../main/api/error-codes';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const run = useCallback(load, deps);
  const reload = useCallback(() => {
    const n = ++seq.current;
    run().then((d) => { if (n === seq.current) { setData(d); setError(null); } }, (e: Error) => { if (n === seq.current) setError(e.message); });
  }, [run]);
  useEffect(() => { reload(); }, [reload]);
  return { data, error, reload };
}

/** Runs an admin action, reporting its error (the hub's message) or null. */
export async function attempt(fn: () => Promise<unknown>, setError: (m: string | null) => void): Promise<boolean> {
  setError(null);
  try {
    await fn();
    return true;
  } catch (e) {
    setError(errorMessage(e));
    return false;
  }
}

/**
 * Waiting on the API server by Watch, not by polling: list once (the current state and a
 * resourceVersion), then watch from there, re-listing when the server ends the watch or the
 * version expired. `decide` sees every new state of the one object and settles the wait by
 * returning a value (or throwing); undefined means "keep waiting".
 */
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { HubdeckError } from '../../core/errors';

export interface WatchedList<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

export interface WaitSpec<T, R> {
  /** API path of the collection, e.g. /api/v1/namespaces/ns/pods. */
  path: string;
  /** Narrows list and watch to one object, e.g. metadata.name=x. */
  fieldSelector: string;
  list: () => Promise<WatchedList<T>>;
  decide: (obj: T | null) => R | undefined;
  timeoutMs: number;
  /** The error when the time runs out (it may ask the API why). */
  onTimeout: () => Promise<Error>;
  signal?: AbortSignal;
}

export function waitFor<T, R>(kc: KubeConfig, w: WaitSpec<T, R>): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    let settled = false;
    let current: AbortController | null = null;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      current?.abort();
      w.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const check = (obj: T | null) => {
      try {
        const r = w.decide(obj);
        if (r !== undefined) finish(() => resolve(r));
      } catch (e) {
        finish(() => reject(e));
      }
    };
    const onAbort = () => finish(() => reject(w.signal?.reason ?? new HubdeckError('timeout', 'aborted')));
    const timer = setTimeout(() => {
      void w.onTimeout().then((e) => finish(() => reject(e)), (e: unknown) => finish(() => reject(e)));
    }, w.timeoutMs);
    w.signal?.addEventListener('abort', onAbort, { once: true });

    const round = async (): Promise<void> => {
      const list = await w.list();
      check(list.items[0] ?? null);
      if (settled) return;
      const ended = new Promise<void>((done) => {
        void new Watch(kc).watch(w.path, { fieldSelector: w.fieldSelector, resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
          (type, obj: T) => {
            if (type === 'ADDED' || type === 'MODIFIED') check(obj);
            else if (type === 'DELETED') check(null);
            else if (type === 'ERROR') current?.abort(); // e.g. 410 Gone: list again
          },
          () => done(),
        ).then((ac) => {
          current = ac;
          if (settled) ac.abort();
        }, () => done());
      });
      await ended;
    };
    void (async () => {
      for (let attempt = 0; !settled; attempt++) {
        try {
          await round();
        } catch (e) {
          if (attempt > 2) return finish(() => reject(e));
        }
        if (!settled) await new Promise((r) => setTimeout(r, Math.min(1000, 100 * (attempt + 1))));
      }
    })();
  });
}

/** Streams the events of one object (by uid) to `onEvent` until stop() is called. */
export function watchEvents(kc: KubeConfig, namespace: string, uid: string, onEvent: (e: { reason?: string; message?: string; type?: string }) => void): () => void {
  let ac: AbortController | null = null;
  let stopped = false;
  const seen = new Set<string>();
  const start = () => {
    if (stopped) return;
    void new Watch(kc).watch(`/api/v1/namespaces/${namespace}/events`, { fieldSelector: `involvedObject.uid=${uid}` },
      (type, obj: { metadata?: { uid?: string; resourceVersion?: string }; reason?: string; message?: string; type?: string }) => {
        if (type !== 'ADDED' && type !== 'MODIFIED') return;
        const key = `${obj.metadata?.uid}/${obj.metadata?.resourceVersion}`;
        if (seen.has(key)) return;
        seen.add(key);
        onEvent(obj);
      },
      () => { if (!stopped) setTimeout(start, 200); },
    ).then((c) => { ac = c; if (stopped) c.abort(); }, () => undefined);
  };
  start();
  return () => {
    stopped = true;
    ac?.abort();
  };
}

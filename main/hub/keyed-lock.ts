/** Runs async sections one at a time per key (e.g. per user), in arrival order. */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** With a signal, a section whose caller gave up while it waited in line never runs. */
  run<T>(key: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const go = () => {
      signal?.throwIfAborted();
      return fn();
    };
    const next = prev.then(go, go);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}

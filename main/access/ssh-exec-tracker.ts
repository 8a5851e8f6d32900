/**
 * Every process the gateway's sessions start, from the moment it is asked for until it has ended.
 * Starting one takes a while (the engine creates and starts an exec); a client may leave, or the
 * gateway close, meanwhile — then the process is never asked for, or ended the moment it exists,
 * so nothing runs on with no client (each such process kept idle culling off and shutdown waiting).
 */
import type { ExecSession } from '../engine/engine';

export class ExecTracker {
  /** Aborted when the gateway closes: every start still under way is abandoned. */
  private readonly closing = new AbortController();
  private readonly running = new Set<ExecSession>();
  private readonly starting = new Set<Promise<unknown>>();
  private readonly ending = new Map<ExecSession, Promise<void>>();

  /**
   * Starts a process unless the gateway is closing or `gone` (its channel or client left) says so,
   * and tracks it until it ends. `begin` gets a signal to hand the engine, which then need not
   * start a process nobody waits for. Null when it was not started or already ended again: by
   * then nobody is left to tell.
   */
  async start(begin: (signal: AbortSignal) => Promise<ExecSession>, gone: AbortSignal): Promise<ExecSession | null> {
    const signal = AbortSignal.any([gone, this.closing.signal]);
    if (signal.aborted) return null;
    const pending = begin(signal);
    this.starting.add(pending);
    let exec: ExecSession;
    try {
      exec = await pending;
    } finally {
      this.starting.delete(pending);
    }
    if (signal.aborted) {
      void this.end(exec);
      return null;
    }
    this.running.add(exec);
    void exec.exitCode().catch(() => -1).finally(() => this.running.delete(exec));
    return exec;
  }

  /** Ends one process and all it started (once, however often asked); the gateway waits for these on close. */
  end(exec: ExecSession): Promise<void> {
    this.running.delete(exec);
    const ending = this.ending.get(exec);
    if (ending) return ending;
    const p = exec.close().catch(() => undefined).finally(() => this.ending.delete(exec));
    this.ending.set(exec, p);
    return p;
  }

  /** Processes running, being started, or being ended now. */
  size(): number {
    return this.running.size + this.starting.size + this.ending.size;
  }

  /**
   * Starts nothing more and ends everything, waiting at most `timeoutMs`. Returns how many were
   * still in progress then; those still end (start() ends what resolves after closing).
   */
  async closeAll(timeoutMs: number): Promise<number> {
    this.closing.abort();
    for (const exec of [...this.running]) void this.end(exec);
    const settle = async () => {
      // Starts in flight end themselves as they resolve (see start()), adding to `ending`.
      while (this.starting.size || this.ending.size) {
        await Promise.allSettled([...this.starting, ...this.ending.values()]);
        await new Promise((r) => setImmediate(r));
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); });
    await Promise.race([settle(), timeout]);
    clearTimeout(timer);
    return this.size();
  }
}

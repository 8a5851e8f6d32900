/**
 * Failures and slowness on demand, so tests can reproduce what real engines do to a hub: a create
 * that fails half-way, a slow pull, a daemon that went away. A world holds one plan (every engine
 * on it suffers), each engine another (only that instance suffers, like one hub's broken socket).
 */
import { HubdeckError } from '../../core/errors';

/** Engine methods, plus 'pull' (the image pull inside create). */
export type FakeOp =
  | 'create' | 'pull' | 'start' | 'stop' | 'restart' | 'remove' | 'get' | 'list' | 'setExpiry'
  | 'stats' | 'logs' | 'exec' | 'capacity' | 'resources' | 'removeResource' | 'connect' | 'webToken' | 'imageInfo';

export interface Injection {
  /** The operation that fails; '*' for any. */
  op: FakeOp | '*';
  error: Error;
  /** How many calls fail (default 1; Infinity for "until cleared"). */
  times?: number;
  /**
   * For 'create': leave what was made so far (network, volume, a created-but-not-started
   * workspace) as a crashed process would, instead of rolling back as a failed create does.
   */
  leaveBehind?: boolean;
}

export type Delays = Partial<Record<FakeOp, number>>;

export class FaultPlan {
  private injections: (Injection & { left: number })[] = [];
  delays: Delays;
  /** Set: every operation fails with this error (an unreachable daemon). */
  down: HubdeckError | null = null;

  constructor(delays: Delays = {}) {
    this.delays = { ...delays };
  }

  inject(i: Injection): void {
    this.injections.push({ ...i, left: i.times ?? 1 });
  }

  clear(): void {
    this.injections = [];
    this.down = null;
  }

  /** Consumes and returns the injection that applies to `op`, if any. */
  take(op: FakeOp): Injection | null {
    if (this.down) return { op, error: this.down };
    const i = this.injections.find((x) => x.left > 0 && (x.op === op || x.op === '*'));
    if (!i) return null;
    i.left -= 1;
    this.injections = this.injections.filter((x) => x.left > 0);
    return i;
  }
}

/** Waits `ms` unless the signal aborts first. */
export function pause(ms: number | undefined, signal?: AbortSignal): Promise<void> {
  if (!ms) return signal?.aborted ? Promise.reject(abortError(signal)) : Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => { clearTimeout(t); reject(abortError(signal!)); };
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new HubdeckError('engine', 'the operation was aborted');
}

/**
 * Log reading as `docker logs` does it: the last `tail` lines (all without it), optional RFC 3339
 * timestamps with nanoseconds, and following, which ends when the workspace's processes end
 * (stop, crash, remove), when the caller aborts, or when the engine closes.
 */
import type { LogOptions } from '../engine';
import type { FakeContainer, LogLine } from './fake-objects';
import type { FakeWorld } from './fake-world';

const format = (l: LogLine, timestamps: boolean) => `${timestamps ? `${l.at.replace(/Z$/, '000000Z')} ` : ''}${l.text}\n`;

export async function* readLogs(world: FakeWorld, c: FakeContainer, opts: LogOptions, closed: AbortSignal): AsyncIterable<string> {
  const ts = opts.timestamps ?? false;
  const past = opts.tail === undefined ? c.logs.slice() : opts.tail <= 0 ? [] : c.logs.slice(-opts.tail);
  if (!opts.follow || c.state !== 'running') {
    for (const l of past) yield format(l, ts);
    return;
  }
  // Subscribe before yielding the past, so no line written meanwhile is lost.
  const queue: LogLine[] = [];
  let ended = false;
  let wake: (() => void) | null = null;
  const notify = () => { const w = wake; wake = null; w?.(); };
  const onLog = (l: LogLine) => { queue.push(l); notify(); };
  const onEnd = () => { ended = true; notify(); };
  const signal = opts.signal ? AbortSignal.any([opts.signal, closed]) : closed;
  world.events.on(`log:${c.id}`, onLog);
  world.events.once(`halt:${c.id}`, onEnd);
  signal.addEventListener('abort', onEnd, { once: true });
  try {
    for (const l of past) yield format(l, ts);
    for (;;) {
      while (queue.length) yield format(queue.shift()!, ts);
      if (ended || signal.aborted) return;
      await new Promise<void>((r) => (wake = r));
    }
  } finally {
    world.events.off(`log:${c.id}`, onLog);
    world.events.off(`halt:${c.id}`, onEnd);
    signal.removeEventListener('abort', onEnd);
  }
}

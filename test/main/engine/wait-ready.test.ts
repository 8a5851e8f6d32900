// main/engine/wait-ready.ts's sleep: the abort listener goes when the time is up. Loops sleeping on one
// long-lived signal (readiness probes, the stats feed every second) once left one listener per turn,
// and a normal session printed MaxListenersExceededWarning four times.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep } from '../../../main/engine/wait-ready';

describe('sleep', () => {
  it('leaves no abort listener behind, however many turns a loop sleeps on one signal', async () => {
    const ac = new AbortController();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      for (let i = 0; i < 15; i++) await sleep(1, ac.signal);
      expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
      await new Promise((f) => setImmediate(f));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('ends early on abort: rejecting with the reason, or resolving when asked to', async () => {
    const ac = new AbortController();
    const rejecting = sleep(60_000, ac.signal);
    const resolving = sleep(60_000, ac.signal, 'resolve');
    ac.abort(new Error('gone'));
    await expect(rejecting).rejects.toThrow('gone');
    await expect(resolving).resolves.toBeUndefined();
  });
});

// main/platform/process-alive.ts: a live process, another user's (init), and one that has exited.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../../main/platform/process-alive';

describe('isProcessAlive', () => {
  it('is true for this process and for pid 1, false for a process that has exited', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(1)).toBe(true);
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    expect(isProcessAlive(gone)).toBe(false);
  });
});

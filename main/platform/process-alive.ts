/**
 * Whether a process still runs, for sweeping what dead writers left behind (temp files): signal 0
 * tests without touching it. Another user's process (EPERM) is alive; only "no such process" is not.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

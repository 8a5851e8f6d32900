/**
 * The lock several processes (the desktop app, the CLI, a server) take before writing a shared
 * file (invites.json): a file made with O_EXCL holding the owner's pid and process start time.
 * Waiting never blocks the event loop, and a lock whose owner is dead (kill -9 mid-write) is taken
 * over at once rather than after a timeout; a lock held by a live process is waited for.
 */
import fs from 'node:fs';
import { HubdeckError } from '../core/errors';

const WAIT_MS = 10_000;

/** A process's start time (Linux /proc), so a reused pid is not mistaken for the owner. */
export function processStart(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

export function isAlive(pid: number, start: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const now = processStart(pid);
  return start === null || now === null || now === start;
}

const me = () => `${process.pid} ${processStart(process.pid) ?? '-'}`;

function ownerDead(lock: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(lock, 'utf8');
  } catch {
    return false; // gone meanwhile: the next try takes it
  }
  const [pid, start] = text.trim().split(' ');
  if (!pid || !/^\d+$/.test(pid)) return true; // torn write by a process that died at once
  return !isAlive(Number(pid), start && start !== '-' ? start : null);
}

function tryTake(lock: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lock, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return false;
  }
  try {
    fs.writeSync(fd, me());
  } catch (e) {
    // No room even for the owner's pid: give the lock back rather than leave a nameless one.
    fs.closeSync(fd);
    fs.rmSync(lock, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  return true;
}

/** Runs `fn` holding the lock; waits (asynchronously) for a live owner, takes over from a dead one. */
export async function withFileLock<T>(lock: string, fn: () => T | Promise<T>, waitMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + waitMs;
  let delay = 5;
  while (!tryTake(lock)) {
    if (ownerDead(lock)) {
      fs.rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new HubdeckError('unavailable', `hub data is locked by another running process (${lock})`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(100, delay * 2);
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/** Temp files of writers that died mid-write (`<file>.tmp-<pid>`): removed, never read. */
export function removeStaleTemps(dir: string, base: string): void {
  for (const f of fs.readdirSync(dir)) {
    const m = new RegExp(`^${base.replace('.', '\\.')}\\.tmp-(\\d+)$`).exec(f);
    if (m && (Number(m[1]) === process.pid || !isAlive(Number(m[1]), null))) fs.rmSync(`${dir}/${f}`, { force: true });
  }
}

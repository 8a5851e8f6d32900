/**
 * Waiting for Swarm to act. Swarm's event stream says nothing about tasks (only services, nodes,
 * networks), so the task list is polled, quickly at first and then every half second. A task
 * that never ran becomes an error naming the field at fault; one that ran and crashed is
 * not an error here (the workspace then reads failed, with its exit code as status).
 */
import { explainEngineText } from '../engine-errors';
import { HubdeckError } from '../../core/errors';
import type { ProgressEvent } from '../engine';
import { LIVE_STATES, PENDING_STATES, taskError, taskRan, type SwarmTask } from './swarm-task';

export interface TaskWatch {
  tasks: () => Promise<SwarmTask[]>;
  /** Names the workspace in errors. */
  label: string;
  image: string;
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  /** Called once when a task is being prepared on a node (the engine follows the pull there). */
  onPreparing?: (t: SwarmTask) => void;
  /**
   * Called once when no new task has appeared for NO_TASK_NUDGE_MS. Swarm can miss a scale from 0
   * to 1 made while the old task is still being removed on its node: the service then asks for a
   * replica and gets none until something else changes it (seen with workers in other namespaces).
   */
  onNoTask?: () => Promise<void>;
  /** How long without a new task before onNoTask (default NO_TASK_NUDGE_MS). */
  noTaskMs?: number;
}

export const NO_TASK_NUDGE_MS = 3_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function poll<T>(w: TaskWatch, step: (tasks: SwarmTask[]) => T | null, what: () => string): Promise<T> {
  const deadline = Date.now() + w.timeoutMs;
  for (let delay = 25; ; delay = Math.min(500, delay * 1.5)) {
    w.signal?.throwIfAborted();
    const done = step(await w.tasks());
    if (done !== null) return done;
    if (Date.now() > deadline) throw new HubdeckError('timeout', `${w.label}: ${what()} after ${Math.round(w.timeoutMs / 1000)} s`);
    await sleep(delay);
  }
}

/** Why a task could not run, as an error naming the field a person should change. */
export function rejection(t: SwarmTask, image: string, label: string): HubdeckError {
  const why = taskError(t);
  if (/no suitable node/i.test(why)) {
    return /insufficient resources/i.test(why)
      ? new HubdeckError('quota', `capacity: ${why}`)
      : new HubdeckError('invalid', `placement: ${why}`, 'placement');
  }
  // An image no node can pull, or one with nothing to run: the same sentences as on Docker (engine-errors.ts).
  const explained = explainEngineText(why, { image, engine: 'Swarm' });
  if (explained) return explained;
  if (/bind source path does not exist|invalid mount config/i.test(why)) return new HubdeckError('invalid', `mounts: ${why}`, 'mounts');
  return new HubdeckError('engine', `${label} could not start: ${why}`);
}

const PROGRESS: Record<string, { phase: 'create' | 'start'; message: string }> = {
  pending: { phase: 'create', message: 'waiting for a node' },
  assigned: { phase: 'create', message: 'assigned to a node' },
  accepted: { phase: 'create', message: 'accepted by its node' },
  ready: { phase: 'start', message: 'ready to start' },
  starting: { phase: 'start', message: 'starting' },
};

/**
 * Resolves with the first task not in `before` once it runs (or ran and crashed); rejects when it
 * was refused, cannot be placed, or the time runs out.
 */
export function waitForNewTask(w: TaskWatch, before: Set<string>): Promise<SwarmTask> {
  let last = 'no task yet';
  let prepared = false;
  const seen = new Set<string>();
  const since = Date.now();
  let nudged = !w.onNoTask;
  return poll(w, (tasks) => {
    const t = tasks.filter((x) => !before.has(x.ID)).sort((a, b) => (b.Version?.Index ?? 0) - (a.Version?.Index ?? 0))[0];
    if (!t && !nudged && Date.now() - since > (w.noTaskMs ?? NO_TASK_NUDGE_MS)) {
      nudged = true;
      void w.onNoTask!().catch(() => undefined);
    }
    if (!t) return null;
    const s = t.Status?.State ?? 'new';
    last = `task ${s}${t.Status?.Err ? ` (${t.Status.Err})` : ''}`;
    if (!seen.has(s)) {
      seen.add(s);
      const p = PROGRESS[s];
      if (p) w.onProgress?.({ phase: p.phase, percent: 100, message: p.message });
    }
    if (s === 'preparing' && !prepared) {
      prepared = true;
      w.onProgress?.({ phase: 'pull', image: w.image, percent: 0, message: `preparing ${w.image} on its node`, layers: [] });
      w.onPreparing?.(t);
    }
    if (s === 'running') return t;
    if (s === 'failed' || s === 'complete' || s === 'shutdown') {
      if (taskRan(t) || s === 'shutdown') return t;
      throw rejection(t, w.image, w.label);
    }
    if (s === 'rejected' || (PENDING_STATES.has(s) && /no suitable node/i.test(t.Status?.Err ?? ''))) throw rejection(t, w.image, w.label);
    return null;
  }, () => `not running (${last})`);
}

/** Resolves once no task of the service may still have a live container. */
export function waitAllDown(w: TaskWatch): Promise<void> {
  let live = 0;
  return poll(w, (tasks) => {
    live = tasks.filter((t) => LIVE_STATES.has(t.Status?.State ?? '')).length;
    return live === 0 ? true : null;
  }, () => `${live} task(s) still running`).then(() => undefined);
}

/** Tasks a start may take when a node has not freed an overlay address yet (waitRunning). */
const ADDRESS_RETRIES = 3;

/**
 * The next task running, nudged when Swarm makes none (onNoTask), and tried again when its node
 * refused it an address its overlay had not freed yet: a workspace made just after another of its
 * user's was removed can meet "Address already in use" on a node (seen on workers, with a task per
 * second), which a new task does not.
 */
export async function waitRunning(w: TaskWatch, before: Set<string>, nudge: () => Promise<void>): Promise<SwarmTask> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await waitForNewTask({ ...w, onNoTask: nudge }, before);
    } catch (e) {
      if (attempt >= ADDRESS_RETRIES || !/address already in use/i.test(String((e as Error).message))) throw e;
      before = new Set((await w.tasks()).map((t) => t.ID));
      await nudge();
    }
  }
}

/**
 * Swarm tasks → workspace states. A workspace is one service; its current task (the one Swarm
 * wants running, else the newest) says what it is doing, and the task's error becomes `status`
 * ("no suitable node (…)", "No such image: …", "exited with code 3"). Pure.
 */
import type { WorkspaceState } from '../engine';

/** The parts of a task this engine reads (GET /tasks). */
export interface SwarmTask {
  ID: string;
  ServiceID?: string;
  NodeID?: string;
  CreatedAt?: string;
  Version?: { Index?: number };
  DesiredState?: string;
  /** The task's addresses on its service's networks (CIDR), per network. */
  NetworksAttachments?: { Network?: { Spec?: { Name?: string; Ingress?: boolean } }; Addresses?: string[] }[];
  Status?: {
    Timestamp?: string;
    State?: string;
    Message?: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string; ExitCode?: number };
  };
}

/** States before a task's container runs. */
export const PENDING_STATES = new Set(['new', 'allocated', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting']);
/** States in which a container may still be alive. */
export const LIVE_STATES = new Set([...PENDING_STATES, 'running']);
const CLEAN_EXIT = new Set([0, 137, 143]);

const newer = (a: SwarmTask, b: SwarmTask) =>
  (Date.parse(b.CreatedAt ?? '') || 0) - (Date.parse(a.CreatedAt ?? '') || 0) || (b.Version?.Index ?? 0) - (a.Version?.Index ?? 0);

/** The task that speaks for the workspace: the one meant to run, else the newest. */
export function currentTask(tasks: SwarmTask[]): SwarmTask | null {
  const sorted = [...tasks].sort(newer);
  return sorted.find((t) => t.DesiredState === 'running') ?? sorted[0] ?? null;
}

/** A task's error in words; an exit code reads as the Docker engine says it. */
export function taskError(t: SwarmTask): string {
  const s = t.Status ?? {};
  const code = s.ContainerStatus?.ExitCode;
  if (/non-zero exit/.test(s.Err ?? '') && code !== undefined) return `exited with code ${code}`;
  return s.Err || s.Message || s.State || 'unknown';
}

/** Whether a failed task ran its container (a crash) rather than never starting (a rejection). */
export function taskRan(t: SwarmTask): boolean {
  return /non-zero exit/.test(t.Status?.Err ?? '') || t.Status?.State === 'complete';
}

export function workspaceState(replicas: number, task: SwarmTask | null): { state: WorkspaceState; status: string } {
  if (!task) return replicas > 0 ? { state: 'starting', status: 'waiting for a task' } : { state: 'stopped', status: 'created' };
  const s = task.Status?.State ?? 'unknown';
  const wanted = task.DesiredState === 'running' && replicas > 0;
  if (s === 'running') return wanted ? { state: 'running', status: 'running' } : { state: 'stopping', status: 'stopping' };
  if (PENDING_STATES.has(s)) {
    if (!wanted) return { state: 'stopping', status: 'stopping' };
    // Pending with an error is Swarm saying why it cannot place it (constraints, resources).
    return { state: 'starting', status: task.Status?.Err ? `${s}: ${task.Status.Err}` : s };
  }
  // Shut down while the service still asks for a replica: Swarm's doing (its node was drained or
  // lost and it may run nowhere else), not the owner's stop, and no task replaces it.
  const bySwarm = { state: 'stopped' as const, status: 'stopped by Swarm: its node was drained or lost; start it again' };
  switch (s) {
    case 'complete':
      return { state: 'stopped', status: 'exited (0)' };
    case 'shutdown':
      return replicas > 0 ? bySwarm : { state: 'stopped', status: 'stopped' };
    case 'failed': {
      const code = task.Status?.ContainerStatus?.ExitCode;
      // Killed by the stop we asked for: stopped, not failed.
      if (!wanted && code !== undefined && CLEAN_EXIT.has(code) && !/non-zero exit/.test(task.Status?.Err ?? '')) return replicas > 0 ? bySwarm : { state: 'stopped', status: `exited (${code})` };
      return { state: 'failed', status: taskError(task) };
    }
    case 'rejected':
      return { state: 'failed', status: taskError(task) };
    case 'orphaned':
      return { state: 'unknown', status: `its node is unreachable (${taskError(task)})` };
    case 'remove':
      return { state: 'removing', status: 'removing' };
    default:
      return { state: 'unknown', status: s };
  }
}

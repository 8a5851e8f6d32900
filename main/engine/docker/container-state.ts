/** Docker container states → workspace states, so a crash reads as "failed", not "stopped". */
import type { WorkspaceState } from '../engine';

/** Exit codes of a clean stop: 0, or killed by SIGTERM/SIGKILL (143/137) after `docker stop`. */
const CLEAN_EXIT = new Set([0, 137, 143]);

export interface DockerState {
  Status: string;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  ExitCode: number;
  Error?: string;
}

export function containerState(s: DockerState): { state: WorkspaceState; status: string } {
  if (s.Running && s.Paused) return { state: 'paused', status: 'paused' };
  if (s.Restarting) return { state: 'restarting', status: 'restarting' };
  if (s.Running) return { state: 'running', status: 'running' };
  if (s.OOMKilled) return { state: 'failed', status: 'killed: out of memory' };
  if (s.Dead) return { state: 'failed', status: `dead${s.Error ? `: ${s.Error}` : ''}` };
  if (s.Status === 'removing') return { state: 'removing', status: 'removing' };
  if (s.Status === 'created') return s.Error ? { state: 'failed', status: s.Error } : { state: 'stopped', status: 'created' };
  if (!CLEAN_EXIT.has(s.ExitCode)) return { state: 'failed', status: `exited with code ${s.ExitCode}${s.Error ? `: ${s.Error}` : ''}` };
  return { state: 'stopped', status: `exited (${s.ExitCode})` };
}

/** The same from a `docker ps` summary, which has only the state word and a status sentence. */
export function summaryState(state: string, status: string): { state: WorkspaceState; status: string } {
  const code = /Exited \((\d+)\)/.exec(status)?.[1];
  switch (state) {
    case 'running':
      return { state: /Paused/.test(status) ? 'paused' : 'running', status };
    case 'paused':
      return { state: 'paused', status };
    case 'restarting':
      return { state: 'restarting', status };
    case 'removing':
      return { state: 'removing', status };
    case 'dead':
      return { state: 'failed', status };
    case 'created':
      return { state: 'stopped', status };
    case 'exited':
      return { state: code !== undefined && !CLEAN_EXIT.has(Number(code)) ? 'failed' : 'stopped', status };
    default:
      return { state: 'unknown', status };
  }
}

/** What is left of a user's quota, counted as the hub counts it (lib/quota.ts mirrors main/hub/quota.ts). */
import type { UserView, WorkspaceView } from '../../../main/api/dto';
import { formatBytes } from './format';
import { limitsOf } from './format';

export interface QuotaLine {
  field: 'maxWorkspaces' | 'cpus' | 'memory' | 'gpus';
  text: string;
  left: number;
}

const gpuCount = (w: WorkspaceView): number => {
  const g = limitsOf(w).gpus;
  return !g ? 0 : g.kind === 'count' ? g.count : g.kind === 'devices' ? g.ids.length : 0;
};

/** Running workspaces hold CPUs, memory and GPUs; every workspace counts towards the number. */
export function quotaLines(user: Pick<UserView, 'effectiveQuota'>, workspaces: WorkspaceView[]): QuotaLine[] {
  const q = user.effectiveQuota;
  const running = workspaces.filter((w) => w.state === 'running' || w.state === 'starting' || w.state === 'restarting');
  const used = {
    maxWorkspaces: workspaces.length,
    cpus: running.reduce((s, w) => s + (limitsOf(w).cpus ?? 0), 0),
    memory: running.reduce((s, w) => s + (limitsOf(w).memory ?? 0), 0),
    gpus: running.reduce((s, w) => s + gpuCount(w), 0),
  };
  const out: QuotaLine[] = [];
  const add = (field: QuotaLine['field'], fmt: (n: number) => string, unit: string) => {
    const limit = q[field];
    if (limit === undefined || limit === null) return;
    const left = Math.max(0, limit - used[field]);
    out.push({ field, left, text: `${fmt(left)} of ${fmt(limit)} ${unit} left` });
  };
  add('maxWorkspaces', String, 'workspaces');
  add('cpus', (n) => String(Math.round(n * 100) / 100), 'CPUs');
  add('memory', formatBytes, 'memory');
  add('gpus', String, 'GPUs');
  return out;
}

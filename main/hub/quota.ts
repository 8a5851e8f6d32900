/**
 * Quotas: a user's own value wins per field, then the most generous of their groups', then the hub
 * default; unset everywhere means unlimited. Usage counts running workspaces' limits (stopped ones
 * hold no CPU or memory) and all workspaces for the count.
 */
import { HubdeckError } from '../core/errors';
import { formatSize } from '../core/sizes';
import type { Quota } from './hub-state';

export type QuotaField = keyof Quota;
const FIELDS: QuotaField[] = ['maxWorkspaces', 'cpus', 'memory', 'gpus'];

export function effectiveQuota(own: Quota, groups: Quota[], hubDefault: Quota): Quota {
  const out: Quota = {};
  for (const f of FIELDS) {
    const fromGroups = groups.map((g) => g[f]).filter((v): v is number => v !== undefined && v !== null);
    const v = own[f] ?? (fromGroups.length ? Math.max(...fromGroups) : undefined) ?? hubDefault[f];
    if (v !== undefined && v !== null) out[f] = v;
  }
  return out;
}

export interface Usage {
  workspaces: number;
  cpus: number;
  memory: number;
  gpus: number;
}

export interface Request {
  /** 1 for a new workspace, 0 when starting an existing one. */
  workspaces: number;
  cpus: number | null;
  memory: number | null;
  gpus: number;
}

/** How each quota reads in a message: "8 cpus", "64g of memory", "2 GPUs", "3 workspaces". */
const UNIT: Record<QuotaField, { fmt: (n: number) => string; unit: string }> = {
  maxWorkspaces: { fmt: String, unit: 'workspaces' },
  cpus: { fmt: String, unit: 'cpus' },
  memory: { fmt: formatSize, unit: 'of memory' },
  gpus: { fmt: String, unit: 'GPUs' },
};

/** Throws a quota error naming the rule and the numbers, e.g. "alice may use 8 cpus in total, …". */
export function checkQuota(user: string, quota: Quota, used: Usage, req: Request): void {
  const pairs: [QuotaField, number, number | null][] = [
    ['maxWorkspaces', used.workspaces, req.workspaces],
    ['cpus', used.cpus, req.cpus],
    ['memory', used.memory, req.memory],
    ['gpus', used.gpus, req.gpus],
  ];
  for (const [field, inUse, asked] of pairs) {
    const limit = quota[field];
    if (limit === undefined || limit === null) continue;
    if (asked === null) {
      throw new HubdeckError('quota', `quota: ${user} has a ${field} quota, so the workspace needs a ${field} limit`, field);
    }
    if (asked > 0 && inUse + asked > limit + 1e-9) {
      const { fmt, unit } = UNIT[field];
      const verb = field === 'maxWorkspaces' ? 'may have' : 'may use';
      const used = field === 'maxWorkspaces' ? 'exist' : 'are in use';
      throw new HubdeckError('quota', `quota: ${user} ${verb} ${fmt(limit)} ${unit} in total, ${fmt(inUse)} ${used}, ${fmt(asked)} requested`, field);
    }
  }
}

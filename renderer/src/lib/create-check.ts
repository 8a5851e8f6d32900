/**
 * What is wrong with a New-workspace request before it is sent, field by field: the hub's own
 * request schema (main/api/requests.ts, the rules the hub and the CLI apply), then what this user
 * has left of their quota and the hub's days maximum. Pure: tested without a page.
 */
import { createWorkspaceInput, fieldIssues } from '../../../main/api/requests';
import { formatBytes } from './format';
import type { QuotaLine } from './quota';

export type FieldErrors = Record<string, string>;

/** The form's fields: an error about `env.2` or `reservations.cpus` marks its top field. */
const topField = (path: string) => path.split('.')[0]!;

export function createErrors(body: Record<string, unknown>, user: string, quota: QuotaLine[], maxDays: number | null): FieldErrors {
  const input = { ...body, user };
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(fieldIssues(createWorkspaceInput, input))) out[topField(path)] ??= message;
  const parsed = createWorkspaceInput.safeParse(input);
  if (parsed.success) {
    const r = parsed.data;
    const gpus = !r.gpus ? 0 : r.gpus.kind === 'count' ? r.gpus.count : r.gpus.kind === 'devices' ? r.gpus.ids.length : null;
    overQuota(out, quota, 'cpus', r.cpus ?? null, (n) => `${Math.round(n * 100) / 100} CPUs`);
    overQuota(out, quota, 'memory', r.memory ?? null, formatBytes);
    overQuota(out, quota, 'gpus', gpus, (n) => `${n} GPUs`);
  }
  if (!out.days && typeof body.days === 'number' && maxDays !== null && body.days > maxDays) out.days = `at most ${maxDays} days on this hub`;
  return out;
}

/** A running workspace holds its CPUs, memory and GPUs: more than the quota has left is refused at start. */
function overQuota(out: FieldErrors, quota: QuotaLine[], field: 'cpus' | 'memory' | 'gpus', asked: number | null, fmt: (n: number) => string): void {
  const q = quota.find((l) => l.field === field);
  if (out[field] || !q || asked === null || asked <= q.left) return;
  out[field] = `more than your quota has left: ${fmt(q.left)} (${q.text})`;
}

/** Whether the user may make another workspace at all: the message saying why not, or null. */
export function workspaceCountBlock(quota: QuotaLine[]): string | null {
  const q = quota.find((l) => l.field === 'maxWorkspaces');
  return q && q.left <= 0 ? `You have ${q.text}: remove one of your workspaces before creating another, or ask an admin for a larger quota.` : null;
}

/** The four quota fields (max workspaces, CPUs, memory, GPUs) as text inputs; empty = not set. */
import type { GroupRecord } from '../../../../main/api/dto';
import { Field } from '../../components/field';
import { formatBytes } from '../../lib/format';

export interface QuotaText {
  maxWorkspaces: string;
  cpus: string;
  memory: string;
  gpus: string;
}

type Quota = GroupRecord['quota'];

export const emptyQuota: QuotaText = { maxWorkspaces: '', cpus: '', memory: '', gpus: '' };

export function quotaText(q: Quota): QuotaText {
  const s = (v: number | null | undefined) => (v === undefined || v === null ? '' : String(v));
  return { maxWorkspaces: s(q.maxWorkspaces), cpus: s(q.cpus), memory: q.memory ? sizeText(q.memory) : '', gpus: s(q.gpus) };
}

/** Bytes as the exact short form the hub reads back ("16g", "1.5g", "512m"), else plain bytes. */
export function sizeText(bytes: number): string {
  for (const [unit, f] of [['t', 1024 ** 4], ['g', 1024 ** 3], ['m', 1024 ** 2], ['k', 1024]] as const) {
    if (bytes >= f && Number.isInteger((bytes / f) * 100)) return `${Number((bytes / f).toFixed(2))}${unit}`;
  }
  return String(bytes);
}

/** The quota body: every field sent, empty ones as null (unset), so clearing a field clears the quota. */
export function quotaBody(t: QuotaText): Record<keyof QuotaText, string | null> {
  const v = (s: string) => (s.trim() === '' ? null : s.trim());
  return { maxWorkspaces: v(t.maxWorkspaces), cpus: v(t.cpus), memory: v(t.memory), gpus: v(t.gpus) };
}

/** Only the fields that are set (a new user's or group's quota). */
export const quotaSet = (t: QuotaText) => Object.fromEntries(Object.entries(quotaBody(t)).filter(([, v]) => v !== null));

export function formatQuota(q: Quota): string {
  const parts: string[] = [];
  if (q.maxWorkspaces !== undefined && q.maxWorkspaces !== null) parts.push(`${q.maxWorkspaces} workspaces`);
  if (q.cpus !== undefined && q.cpus !== null) parts.push(`${q.cpus} CPUs`);
  if (q.memory !== undefined && q.memory !== null) parts.push(formatBytes(q.memory));
  if (q.gpus !== undefined && q.gpus !== null) parts.push(`${q.gpus} GPUs`);
  return parts.length ? parts.join(' · ') : 'unlimited';
}

/** `errors`: the hub's rules' refusals by field path ("quota.cpus"), shown under each field. */
export function QuotaFields({ idPrefix, value, onChange, disabled, errors = {} }: {
  idPrefix: string; value: QuotaText; onChange: (q: QuotaText) => void; disabled?: boolean; errors?: Record<string, string>;
}) {
  const field = (k: keyof QuotaText, label: string, hint: string) => (
    <Field id={`${idPrefix}-${k}`} label={label} hint={hint} error={errors[`quota.${k}`]}>
      {(aria) => <input {...aria} value={value[k]} onChange={(e) => onChange({ ...value, [k]: e.target.value })} placeholder="unlimited" disabled={disabled} />}
    </Field>
  );
  return (
    <div className="grid2">
      {field('maxWorkspaces', 'Max workspaces', 'a whole number')}
      {field('cpus', 'CPU quota', 'CPUs in use at once, e.g. 4')}
      {field('memory', 'Memory quota', 'e.g. 16g')}
      {field('gpus', 'GPU quota', 'a whole number')}
    </div>
  );
}

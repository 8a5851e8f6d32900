/**
 * The JupyterHub New-workspace form as a create request: the fields its options form maps (the
 * connector turns them into user_options: main/client/jupyterhub/jupyterhub-options.ts) and the
 * raw Options lines as `userOptions`, applied last. Empty fields are left out (the hub's defaults).
 */
import type { JupyterHubInfo } from '../../../main/api/dto';
import { parseOptionLines, type Parsed } from './option-lines';

export interface JupyterHubForm {
  name: string;
  image: string;
  cpus: string;
  memory: string;
  gpus: string;
  shm: string;
  env: string;
  days: string;
  profile: string;
  options: string;
}

export const EMPTY_JUPYTERHUB_FORM: JupyterHubForm = { name: '', image: '', cpus: '', memory: '', gpus: '', shm: '', env: '', days: '', profile: '', options: '' };

/** The form's fields each options form shows (besides Name and Options). */
export const FIELDS_OF: Record<JupyterHubInfo['optionsForm'], readonly (keyof JupyterHubForm)[]> = {
  json: ['image'],
  mlhub: ['image', 'cpus', 'memory', 'gpus', 'shm', 'env', 'days'],
  profile: ['profile'],
};

export function jupyterHubBody(f: JupyterHubForm, form: JupyterHubInfo['optionsForm']): Parsed<Record<string, unknown>> {
  const shown = new Set(FIELDS_OF[form]);
  const body: Record<string, unknown> = { name: f.name.trim() };
  for (const k of ['image', 'cpus', 'memory', 'gpus', 'shm'] as const) if (shown.has(k) && f[k].trim()) body[k] = f[k].trim();
  if (shown.has('days') && f.days.trim()) {
    const days = Number(f.days);
    if (!Number.isFinite(days) || days <= 0) return { ok: false, error: 'Days to live: a number of days above 0' };
    body.days = days;
  }
  if (shown.has('env')) {
    const env = f.env.split('\n').map((l) => l.trim()).filter(Boolean);
    const bad = env.find((e) => e.indexOf('=') <= 0);
    if (bad !== undefined) return { ok: false, error: `Environment variables: "${bad}" is not KEY=VALUE` };
    if (env.length) body.env = env;
  }
  const lines = parseOptionLines(f.options);
  if (!lines.ok) return lines;
  const userOptions = { ...(shown.has('profile') && f.profile.trim() ? { profile: f.profile.trim() } : {}), ...lines.value };
  if (Object.keys(userOptions).length) body.userOptions = userOptions;
  return { ok: true, value: body };
}

/**
 * The New-workspace flags as a JupyterHub spawner's user_options, per the form chosen when the hub
 * was added (see JupyterHubOptionsConfig). JupyterHub has no standard keys: a flag the form has no
 * key for is refused with what to pass instead, never silently dropped.
 */
import { ValidationError } from '../../core/errors';
import type { JupyterHubOptionsConfig } from '../saved-hub-record';

export interface NewWorkspaceFlags {
  image?: string;
  cpus?: string;
  memory?: string;
  gpus?: string;
  shm?: string;
  env?: string[];
  days?: number | string;
  /** Raw `key=value` entries (`--option`), applied last. */
  option?: string[];
}

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
type Mapped = Partial<Record<keyof Omit<NewWorkspaceFlags, 'option'>, string>>;

/** ML Hub's named-server form keys (its DockerSpawner and KubeSpawner subclasses read these). */
const MLHUB_KEYS: Mapped = { image: 'image', cpus: 'cpu_limit', memory: 'mem_limit', gpus: 'gpus', shm: 'shm_size', env: 'env', days: 'days_to_live' };
const JSON_KEYS: Mapped = { image: 'image' };

export const DEFAULT_JUPYTERHUB_OPTIONS: JupyterHubOptionsConfig = { form: 'json', defaults: {} };

export function userOptionsFor(config: JupyterHubOptionsConfig, flags: NewWorkspaceFlags): Record<string, unknown> {
  const keys = config.form === 'mlhub' ? MLHUB_KEYS : config.form === 'json' ? JSON_KEYS : {};
  const mapped: Record<string, unknown> = {};
  for (const flag of ['image', 'cpus', 'memory', 'gpus', 'shm', 'env', 'days'] as const) {
    const value = flags[flag];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    const key = keys[flag];
    if (!key) throw new ValidationError(flag, refusal(config.form, flag));
    mapped[key] = flag === 'env' ? envObject(value as string[]) : flag === 'days' ? Number(value) : value;
  }
  return { ...config.defaults, ...mapped, ...parseOptionPairs(flags.option ?? []) };
}

function refusal(form: JupyterHubOptionsConfig['form'], flag: string): string {
  if (form === 'profile') return `this JupyterHub picks ${flag} through KubeSpawner profiles: pass --option profile=SLUG (or add the hub with another --options-form)`;
  return `this JupyterHub's options form (${form}) has no key for --${flag}: pass --option KEY=VALUE with the key its spawner reads, or add the hub with --options-form mlhub`;
}

/** `--option key=value` pairs; a value that is valid JSON (3, true, {"a":1}, "x") is taken as JSON. */
export function parseOptionPairs(pairs: string[], field = 'option'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (eq < 0 || !KEY_RE.test(key)) throw new ValidationError(field, `"${pair}" is not KEY=VALUE (a key of letters, digits, _ . -)`);
    out[key] = jsonOrText(pair.slice(eq + 1));
  }
  return out;
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function envObject(list: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of list) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new ValidationError('env', `"${entry}" is not KEY=VALUE`);
    env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

/** Fields of a Hubdeck create request a JupyterHub has no counterpart for: refused, not dropped. */
const NOT_ON_JUPYTERHUB = ['volume', 'volumePath', 'webPort', 'placement', 'reservations', 'mounts'] as const;

/** A create request's body (the app's New-workspace form, or the API) as this hub's user_options. */
export function userOptionsForBody(config: JupyterHubOptionsConfig, body: Record<string, unknown>): Record<string, unknown> {
  const bad = NOT_ON_JUPYTERHUB.find((k) => body[k] !== undefined && body[k] !== null && !(Array.isArray(body[k]) && (body[k] as unknown[]).length === 0));
  if (bad) throw new ValidationError(bad, 'not available on a JupyterHub: its spawner decides; send what it reads as options');
  const text = (k: string) => (body[k] === undefined || body[k] === null || body[k] === '' ? undefined : String(body[k]));
  const env = body.env;
  const flags: NewWorkspaceFlags = {
    image: text('image'), cpus: text('cpus'), memory: text('memory'), gpus: text('gpus'), shm: text('shm'),
    env: Array.isArray(env) ? env.map(String) : env && typeof env === 'object' ? Object.entries(env).map(([k, v]) => `${k}=${String(v)}`) : undefined,
    days: body.days === undefined || body.days === null ? undefined : Number(body.days),
  };
  const raw = body.userOptions;
  if (raw !== undefined && (raw === null || typeof raw !== 'object' || Array.isArray(raw))) throw new ValidationError('userOptions', 'must be an object of user_options');
  for (const key of Object.keys((raw ?? {}) as object)) {
    if (!KEY_RE.test(key)) throw new ValidationError('userOptions', `"${key}" is not an option key (letters, digits, _ . -)`);
  }
  return { ...userOptionsFor(config, flags), ...(raw as Record<string, unknown> | undefined) };
}

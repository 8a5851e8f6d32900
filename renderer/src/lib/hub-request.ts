/**
 * The Hubs page's "Add a hub by address" form as the desktop's addHub request: a Hubdeck hub (URL,
 * token, pinned fingerprint) or a connected JupyterHub (URL, token, options form, default options).
 * Checked here so a bad JSON gets its message in the page before anything is sent.
 */
import type { HubRequest } from '../../../preload/desktop-contract';
import { parseDefaultOptions, type Parsed } from './option-lines';

export type OptionsForm = NonNullable<HubRequest['optionsForm']>;

export interface AddHubForm {
  kind: 'hubdeck' | 'jupyterhub';
  name: string;
  url: string;
  token: string;
  fingerprint: string;
  optionsForm: OptionsForm;
  defaultOptions: string;
}

export const EMPTY_ADD_HUB: AddHubForm = { kind: 'hubdeck', name: '', url: '', token: '', fingerprint: '', optionsForm: 'json', defaultOptions: '' };

export const OPTIONS_FORMS: Record<OptionsForm, string> = {
  json: 'JSON (image, then any options)',
  mlhub: 'ML Hub (image, CPUs, memory, GPUs, shm, env, days)',
  profile: 'KubeSpawner profile',
};

export function hubRequestOf(f: AddHubForm): Parsed<HubRequest> {
  const base: HubRequest = { url: f.url.trim(), token: f.token };
  const name = f.name.trim();
  if (f.kind === 'hubdeck') {
    const fp = f.fingerprint.trim();
    return { ok: true, value: { ...base, fingerprint: fp === '' ? null : fp, ...(name ? { name } : {}) } };
  }
  const defaults = parseDefaultOptions(f.defaultOptions);
  if (!defaults.ok) return defaults;
  return {
    ok: true,
    value: { ...base, kind: 'jupyterhub', ...(name ? { name } : {}), optionsForm: f.optionsForm, ...(defaults.value ? { defaultOptions: defaults.value } : {}) },
  };
}

// The New-workspace flags as JupyterHub user_options per options form, and the saved-hub file's
// `kind` (files from before JupyterHub hubs stay valid, as Hubdeck hubs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOptionPairs, userOptionsFor } from '../../../../main/client/jupyterhub/jupyterhub-options';
import { readSavedHubs, removeSavedHub, saveHub } from '../../../../main/client/saved-hubs';

describe('userOptionsFor', () => {
  it('maps to ML Hub keys, after the defaults and before raw --option pairs', () => {
    const options = userOptionsFor({ form: 'mlhub', defaults: { image: 'base', days_to_live: 7 } }, {
      image: 'ml/torch:2', cpus: '2', memory: '4g', gpus: 'all', shm: '1g', env: ['A=1', 'B=x=y'], days: '3', option: ['cpu_limit="1.5"', 'extra={"a":[1]}'],
    });
    expect(options).toEqual({ image: 'ml/torch:2', cpu_limit: '1.5', mem_limit: '4g', gpus: 'all', shm_size: '1g', env: { A: '1', B: 'x=y' }, days_to_live: 3, extra: { a: [1] } });
  });

  it('refuses a flag the form has no key for, saying what to pass', () => {
    expect(() => userOptionsFor({ form: 'json', defaults: {} }, { cpus: '2' })).toThrow(/options form \(json\) has no key for --cpus: pass --option KEY=VALUE/);
    expect(() => userOptionsFor({ form: 'profile', defaults: {} }, { image: 'x' })).toThrow(/KubeSpawner profiles: pass --option profile=SLUG/);
    expect(userOptionsFor({ form: 'profile', defaults: {} }, { option: ['profile=gpu-large'] })).toEqual({ profile: 'gpu-large' });
    expect(userOptionsFor({ form: 'json', defaults: {} }, { image: 'i', option: ['n=3', 'flag=true', 'text=hello world'] })).toEqual({ image: 'i', n: 3, flag: true, text: 'hello world' });
  });

  it('rejects malformed pairs', () => {
    expect(() => parseOptionPairs(['novalue'])).toThrow('option: "novalue" is not KEY=VALUE');
    expect(() => parseOptionPairs(['bad key=1'])).toThrow(/is not KEY=VALUE/);
    expect(() => userOptionsFor({ form: 'mlhub', defaults: {} }, { env: ['=x'] })).toThrow('env: "=x" is not KEY=VALUE');
  });
});

describe('saved hubs with a kind', () => {
  it('reads a file without kinds as Hubdeck hubs, and saves and removes JupyterHubs', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-saved-kind-'));
    const file = path.join(dir, 'hubs.json');
    const old = { name: 'lead', url: 'https://lead:8585', fingerprint: null, user: 'ann', hubId: 'h1', token: 't', addedAt: '2026-01-01T00:00:00Z' };
    fs.writeFileSync(file, JSON.stringify({ version: 1, hubs: [old] }));
    expect(readSavedHubs(file)).toEqual([{ ...old, kind: 'hubdeck' }]);
    saveHub(file, { ...old, name: 'jh', kind: 'jupyterhub', version: '3.0.0', options: { form: 'mlhub', defaults: { a: 1 } } });
    expect(readSavedHubs(file).map((h) => [h.name, h.kind, h.options?.form ?? null])).toEqual([['lead', 'hubdeck', null], ['jh', 'jupyterhub', 'mlhub']]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(removeSavedHub(file, 'jh')).toBe(true);
    expect(removeSavedHub(file, 'jh')).toBe(false);
    expect(readSavedHubs(file).map((h) => h.name)).toEqual(['lead']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

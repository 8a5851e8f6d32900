// The New-workspace flags as JupyterHub user_options per options form. (A saved hub's kind and a
// JupyterHub's saved options: test/main/client/saved-hubs.test.ts.)
import { describe, expect, it } from 'vitest';
import { parseOptionPairs, userOptionsFor } from '../../../../main/client/jupyterhub/jupyterhub-options';

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

// renderer/src/lib/jupyterhub-body.ts: the create body sent to a connected JupyterHub.
import { describe, expect, it } from 'vitest';
import { EMPTY_JUPYTERHUB_FORM, jupyterHubBody } from '../../../renderer/src/lib/jupyterhub-body';

describe('the JupyterHub create body', () => {
  const form = { ...EMPTY_JUPYTERHUB_FORM, name: ' lab ', image: 'img:1', cpus: '2', memory: '1g', gpus: '1', shm: '512m', env: 'A=1\n\nB=x=y', days: '3', profile: 'gpu', options: 'delay=1' };

  it('sends only what the options form shows, the option lines as userOptions', () => {
    expect(jupyterHubBody(form, 'json')).toEqual({ ok: true, value: { name: 'lab', image: 'img:1', userOptions: { delay: 1 } } });
    expect(jupyterHubBody(form, 'mlhub')).toEqual({
      ok: true, value: { name: 'lab', image: 'img:1', cpus: '2', memory: '1g', gpus: '1', shm: '512m', env: ['A=1', 'B=x=y'], days: 3, userOptions: { delay: 1 } },
    });
    expect(jupyterHubBody(form, 'profile')).toEqual({ ok: true, value: { name: 'lab', userOptions: { profile: 'gpu', delay: 1 } } });
    expect(jupyterHubBody({ ...EMPTY_JUPYTERHUB_FORM, name: 'default' }, 'mlhub')).toEqual({ ok: true, value: { name: 'default' } });
  });

  it('refuses what it cannot send, naming the field', () => {
    expect(jupyterHubBody({ ...form, options: 'nope' }, 'json')).toMatchObject({ ok: false, error: expect.stringContaining('Options, line 1') });
    expect(jupyterHubBody({ ...form, env: 'NOEQUALS' }, 'mlhub')).toEqual({ ok: false, error: 'Environment variables: "NOEQUALS" is not KEY=VALUE' });
    expect(jupyterHubBody({ ...form, days: '-1' }, 'mlhub')).toEqual({ ok: false, error: 'Days to live: a number of days above 0' });
    // A field the form does not show is not checked (nor sent).
    expect(jupyterHubBody({ ...form, days: '-1' }, 'json').ok).toBe(true);
  });
});

/** The UI's pure logic for a connected JupyterHub: option lines, default options, the create body, the Add-hub request, freshness. */
import { describe, expect, it } from 'vitest';
import { freshnessText } from '../../renderer/src/lib/freshness';
import { EMPTY_ADD_HUB, hubRequestOf } from '../../renderer/src/lib/hub-request';
import { EMPTY_JUPYTERHUB_FORM, jupyterHubBody } from '../../renderer/src/lib/jupyterhub-body';
import { parseDefaultOptions, parseOptionLines } from '../../renderer/src/lib/option-lines';

describe('option lines', () => {
  it('reads KEY=VALUE lines, JSON values as JSON and the rest as text', () => {
    const r = parseOptionLines('delay=2\n\n  fail = true \nimage=jupyter/base:latest\nextra={"a":[1,2]}\nquoted="7"\nempty=\nurl=http://x/?a=b');
    expect(r).toEqual({ ok: true, value: { delay: 2, fail: true, image: 'jupyter/base:latest', extra: { a: [1, 2] }, quoted: '7', empty: '', url: 'http://x/?a=b' } });
  });

  it('names the line that is not KEY=VALUE', () => {
    expect(parseOptionLines('a=1\njust text')).toEqual({ ok: false, error: expect.stringMatching(/^Options, line 2: "just text" is not KEY=VALUE/) });
    expect(parseOptionLines('9lives=1')).toMatchObject({ ok: false, error: expect.stringContaining('"9lives=1" is not KEY=VALUE') });
    expect(parseOptionLines('=1')).toMatchObject({ ok: false });
  });

  it('keeps "__proto__" a plain key, never the prototype', () => {
    const r = parseOptionLines('__proto__={"polluted":true}');
    expect(r.ok && Object.getPrototypeOf(r.value)).toBe(Object.prototype);
    expect(r.ok && Object.keys(r.value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('default options', () => {
  it('takes a JSON object; empty text is none', () => {
    expect(parseDefaultOptions('  ')).toEqual({ ok: true, value: undefined });
    expect(parseDefaultOptions('{"image": "jupyter/base", "cpu_limit": 2}')).toEqual({ ok: true, value: { image: 'jupyter/base', cpu_limit: 2 } });
  });

  it('says what is wrong with anything else', () => {
    expect(parseDefaultOptions('{image: 1}')).toMatchObject({ ok: false, error: expect.stringMatching(/^Default options: not valid JSON \(.+\); write an object like/) });
    expect(parseDefaultOptions('[1]')).toMatchObject({ ok: false, error: expect.stringContaining('must be a JSON object') });
    expect(parseDefaultOptions('3')).toMatchObject({ ok: false, error: expect.stringContaining('must be a JSON object') });
    expect(parseDefaultOptions('{"bad key": 1}')).toMatchObject({ ok: false, error: expect.stringContaining('"bad key" is not an option key') });
    expect(parseDefaultOptions(JSON.stringify({ big: 'x'.repeat(17_000) }))).toMatchObject({ ok: false, error: 'Default options: at most 16 KiB of JSON' });
  });
});

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

describe('the Add-hub request', () => {
  it('a Hubdeck hub: URL, token and fingerprint, as before', () => {
    expect(hubRequestOf({ ...EMPTY_ADD_HUB, url: ' https://h:8443 ', token: 't', fingerprint: ' AB:CD ' })).toEqual({ ok: true, value: { url: 'https://h:8443', token: 't', fingerprint: 'AB:CD' } });
    expect(hubRequestOf({ ...EMPTY_ADD_HUB, url: 'https://h', token: 't', name: 'team' })).toEqual({ ok: true, value: { url: 'https://h', token: 't', fingerprint: null, name: 'team' } });
  });

  it('a JupyterHub: kind, name, options form and default options; no fingerprint', () => {
    const f = { ...EMPTY_ADD_HUB, kind: 'jupyterhub' as const, url: 'http://jh:8000', token: 'jt', fingerprint: 'AB', name: 'lab', optionsForm: 'mlhub' as const, defaultOptions: '{"image":"x"}' };
    expect(hubRequestOf(f)).toEqual({ ok: true, value: { url: 'http://jh:8000', token: 'jt', kind: 'jupyterhub', name: 'lab', optionsForm: 'mlhub', defaultOptions: { image: 'x' } } });
    expect(hubRequestOf({ ...f, name: '', defaultOptions: '' })).toEqual({ ok: true, value: { url: 'http://jh:8000', token: 'jt', kind: 'jupyterhub', optionsForm: 'mlhub' } });
    expect(hubRequestOf({ ...f, defaultOptions: '{' })).toMatchObject({ ok: false, error: expect.stringContaining('Default options: not valid JSON') });
  });
});

describe('freshness', () => {
  const at = '2026-01-01T00:00:00.000Z';
  const t = Date.parse(at);
  it('says how often and when it last looked, or why it could not and when it tries again', () => {
    expect(freshnessText(null, 5, t, 'JupyterHub')).toBe('JupyterHub has no event stream: checked every 5 s · waiting for the first check');
    expect(freshnessText({ ok: true, nextInSeconds: 5, at }, 5, t + 3_400, 'JupyterHub')).toBe('JupyterHub has no event stream: checked every 5 s · last checked 3 s ago');
    expect(freshnessText({ ok: true, nextInSeconds: 5, at }, 5, t - 2_000, 'JupyterHub')).toBe('JupyterHub has no event stream: checked every 5 s · last checked 0 s ago');
    expect(freshnessText({ ok: false, error: 'connect ECONNREFUSED', nextInSeconds: 20, at }, 5, t + 6_000, 'JupyterHub'))
      .toBe('JupyterHub has no event stream: checked every 5 s · did not answer: connect ECONNREFUSED; next try in 14 s');
    expect(freshnessText({ ok: false, nextInSeconds: 2, at }, 5, t + 9_000, 'JupyterHub')).toBe('JupyterHub has no event stream: checked every 5 s · did not answer: no reason given; next try in 0 s');
  });
});

// renderer/src/lib/hub-request.ts: the Add-hub form turned into a request.
import { describe, expect, it } from 'vitest';
import { EMPTY_ADD_HUB, hubRequestOf } from '../../../renderer/src/lib/hub-request';

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

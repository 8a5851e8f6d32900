// renderer/src/lib/freshness.ts: how fresh a polled JupyterHub list is, in words.
import { describe, expect, it } from 'vitest';
import { freshnessText } from '../../../renderer/src/lib/freshness';

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

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_CSP, META_CSP, navigationVerdict } from '../../../main/shell/navigation-policy';
import { trayTemplate, type TrayAction, type TrayWorkspace } from '../../../main/shell/tray-menu';

describe('navigation policy', () => {
  it('keeps the app origin, sends web links out, refuses the rest', () => {
    expect(navigationVerdict('file:///app/index.html', ['file://'])).toBe('allow');
    expect(navigationVerdict('http://localhost:5173/x', ['http://localhost:5173'])).toBe('allow');
    expect(navigationVerdict('https://jupyter.org', ['file://'])).toBe('external');
    expect(navigationVerdict('javascript:alert(1)', ['file://'])).toBe('deny');
    expect(navigationVerdict('file:///etc/passwd', ['http://localhost:5173'])).toBe('deny');
    expect(navigationVerdict('not a url', ['file://'])).toBe('deny');
  });
});

describe('content security policy', () => {
  const directives = new Map(APP_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));

  it('is the one policy: index.html carries exactly APP_CSP in its meta (less frame-ancestors, header-only)', () => {
    const html = readFileSync(`${__dirname}/../../../renderer/index.html`, 'utf8');
    const metas = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi)];
    expect(metas).toHaveLength(1);
    expect(metas[0]![1]).toBe(META_CSP);
    expect(APP_CSP).toBe(`${META_CSP}; frame-ancestors 'none'`);
  });

  it('allows what the app needs and nothing else', () => {
    expect(Object.fromEntries(directives)).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data:",
      'connect-src': "'self'",
      'frame-src': "'none'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'self'",
      'frame-ancestors': "'none'",
    });
    expect(APP_CSP).not.toMatch(/unsafe-eval|unsafe-inline|\*/);
  });
});

describe('tray menu', () => {
  const ws = (name: string, state: TrayWorkspace['state']): TrayWorkspace => ({ name, state });
  it('lists workspaces with start/stop enabled by state and routes clicks', () => {
    const acts: TrayAction[] = [];
    const t = trayTemplate({ engine: 'local', workspaces: [ws('one', 'running'), ws('two', 'stopped')], error: null }, (a) => acts.push(a));
    const one = t.find((i) => i.label?.includes('one'))!;
    const sub = one.submenu as { label: string; enabled: boolean; click: () => void }[];
    expect(sub.map((s) => [s.label, s.enabled])).toEqual([['Open', true], ['Start', false], ['Stop', true]]);
    sub[2]!.click();
    sub[0]!.click();
    expect(acts).toEqual([{ kind: 'stop', name: 'one' }, { kind: 'open', name: 'one' }]);
    const two = (t.find((i) => i.label?.includes('two'))!.submenu as { label: string; enabled: boolean }[]);
    expect(two.map((s) => [s.label, s.enabled])).toEqual([['Open', false], ['Start', true], ['Stop', false]]);
    expect(t.map((i) => i.label)).toContain('Quit');
  });
  it('shows an engine error instead of workspaces', () => {
    const t = trayTemplate({ engine: 'local', workspaces: [], error: 'cannot reach the Docker engine' }, () => undefined);
    expect(t[1]!.label).toBe('cannot reach the Docker engine');
  });
});

describe('notifications', () => {
  it('speaks of expiry, culling and failures, and stays quiet otherwise', async () => {
    const { notificationFor } = await import('../../../main/shell/notifications');
    const at = '2026-01-01T00:00:00Z';
    expect(notificationFor({ type: 'workspace.expiring', user: 'a', name: 'gpu1', expiresAt: at, at })?.title).toBe('gpu1 expires soon');
    expect(notificationFor({ type: 'workspace.expired', user: 'a', name: 'gpu1', action: 'stop', at })?.body).toMatch(/stopped/);
    expect(notificationFor({ type: 'workspace.culled', user: 'a', name: 'gpu1', idleMinutes: 90, at })?.body).toBe('It had been idle for 90 minutes.');
    expect(notificationFor({ type: 'workspace.state', user: 'a', name: 'gpu1', state: 'failed', at })?.title).toBe('gpu1 failed');
    expect(notificationFor({ type: 'workspace.state', user: 'a', name: 'gpu1', state: 'running', at })).toBeNull();
  });
});

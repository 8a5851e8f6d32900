import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_CSP, META_CSP, navigationVerdict, workspaceScope, workspaceVerdict } from '../../../main/shell/navigation-policy';
import { trayIconFile, trayTemplate, type TrayAction, type TrayHub, type TrayWorkspace } from '../../../main/shell/tray-menu';

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

describe('workspace window navigation', () => {
  const scope = workspaceScope('https://10.0.0.5:8585', '/user/alice/gpu1/');
  it.each([
    ['https://10.0.0.5:8585/user/alice/gpu1/lab/tree/x.ipynb', 'allow'],
    ['https://10.0.0.5:8585/user/alice/gpu1', 'allow'],
    ['https://10.0.0.5:8585/hub/login?next=/user/alice/gpu1/', 'allow'],
    ['https://10.0.0.5:8585/user/alice/gpu10/', 'deny'],
    ['https://10.0.0.5:8585/user/bob/gpu1/', 'deny'],
    ['https://10.0.0.5:8585/user/alice/gpu1/../../bob/gpu1/', 'deny'],
    ['https://10.0.0.5:8585/user/alice/gpu1/%2e%2e/%2e%2e/bob/x', 'deny'],
    ['https://10.0.0.5:8585/api/v1/users', 'deny'],
    ['http://10.0.0.5:8585/user/alice/gpu1/', 'external'],
    ['https://docs.jupyter.org/en/latest/', 'external'],
    ['javascript:alert(1)', 'deny'],
    ['file:///etc/passwd', 'deny'],
    ['hubdeck://join?invite=x', 'deny'],
  ])('%s → %s', (url, verdict) => {
    expect(workspaceVerdict(url, scope)).toBe(verdict);
  });
  it('keeps a hub served under a path prefix to that prefix', () => {
    const s = workspaceScope('https://team.example.org/hubdeck/', '/user/a/w/');
    expect(s).toEqual({ origin: 'https://team.example.org', prefix: '/hubdeck/user/a/w/', hubPath: '/hubdeck' });
    expect(workspaceVerdict('https://team.example.org/hubdeck/user/a/w/lab', s)).toBe('allow');
    expect(workspaceVerdict('https://team.example.org/hubdeck/hub/login', s)).toBe('allow');
    expect(workspaceVerdict('https://team.example.org/user/a/w/lab', s)).toBe('deny');
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
  type Item = { label?: string; enabled?: boolean; click?: () => void; submenu?: Item[]; type?: string; checked?: boolean };
  const ws = (name: string, state: TrayWorkspace['state']): TrayWorkspace => ({ name, state, user: 'me' });
  const hub = (key: string, o: Partial<TrayHub> = {}): TrayHub => ({ key, label: key === 'local' ? 'This computer' : key, error: null, admin: key === 'local', user: 'me', workspaces: [], ...o });
  const labels = (items: Item[]) => items.map((i) => i.label ?? `--${i.type}`);
  const find = (items: Item[], text: string) => items.find((i) => i.label?.includes(text))!;

  it('lists a hub\'s workspaces with state, and Start/Stop/Open/Copy SSH command enabled by state', () => {
    const acts: TrayAction[] = [];
    const t = trayTemplate({ hubs: [hub('local', { workspaces: [ws('two', 'stopped'), ws('one', 'running'), ws('three', 'starting')] })], sharing: null, tunnels: [] }, (a) => acts.push(a)) as Item[];
    expect(labels(t)).toEqual([
      'Hubdeck — This computer', '● one — running', '◐ three — starting', '○ two — stopped', 'New workspace…', 'Open Admin',
      '--separator', 'Tunnels', 'Share this hub…', '--separator', 'Open Hubdeck', 'Settings…', 'Quit Hubdeck',
    ]);
    const sub = (name: string) => find(t, name).submenu!.filter((i) => i.label).map((i) => [i.label, i.enabled ?? true]);
    expect(sub('one')).toEqual([['Open', true], ['Start', false], ['Stop', true], ['Copy SSH command', true]]);
    expect(sub('two')).toEqual([['Open', false], ['Start', true], ['Stop', false], ['Copy SSH command', true]]);
    expect(sub('three')).toEqual([['Open', false], ['Start', false], ['Stop', true], ['Copy SSH command', true]]);
    for (const l of ['Stop', 'Open', 'Copy SSH command']) find(t, 'one').submenu!.find((i) => i.label === l)!.click!();
    find(t, 'New workspace').click!();
    find(t, 'Open Admin').click!();
    find(t, 'Share this hub').click!();
    find(t, 'Quit').click!();
    expect(acts).toEqual([
      { kind: 'stop', hub: 'local', name: 'one' }, { kind: 'open', hub: 'local', name: 'one' }, { kind: 'copy-ssh', hub: 'local', name: 'one' },
      { kind: 'new-workspace', hub: 'local' }, { kind: 'open-admin', hub: 'local' }, { kind: 'share' }, { kind: 'quit' },
    ]);
  });

  it('groups workspaces under each connected hub; Open Admin only where the user is an admin; errors in place', () => {
    const acts: TrayAction[] = [];
    const t = trayTemplate({
      hubs: [hub('local', { workspaces: [ws('a', 'running')] }), hub('team', { user: 'bob', workspaces: [ws('gpu1', 'running')] }), hub('lab', { error: 'cannot reach https://lab:8585' })],
      sharing: null, tunnels: [],
    }, (a) => acts.push(a)) as Item[];
    expect(labels(t).slice(0, 14)).toEqual([
      'This computer', '● a — running', 'New workspace…', 'Open Admin', '--separator',
      'team', '● gpu1 — running', 'New workspace…', '--separator',
      'lab', '⚠ cannot reach https://lab:8585', 'New workspace…', '--separator', 'Tunnels',
    ]);
    expect(t.filter((i) => i.label === 'New workspace…').map((i) => i.enabled)).toEqual([true, true, false]);
    find(t, 'gpu1').submenu!.find((i) => i.label === 'Stop')!.click!();
    expect(acts).toEqual([{ kind: 'stop', hub: 'team', name: 'gpu1' }]);
  });

  it('shows sharing and tunnels, and offers no sharing to a non-admin', () => {
    const acts: TrayAction[] = [];
    const t = trayTemplate({ hubs: [hub('local')], sharing: 'https://192.168.1.20:8585', tunnels: [{ name: 'tensorboard', running: true }, { name: 'mlflow', running: false }] }, (a) => acts.push(a)) as Item[];
    find(t, 'Sharing on https://192.168.1.20:8585').click!();
    const tunnels = find(t, 'Tunnels').submenu!;
    expect(tunnels.map((i) => [i.label ?? '--', i.checked])).toEqual([['tensorboard', true], ['mlflow', false], ['--', undefined], ['Manage tunnels…', undefined]]);
    tunnels[0]!.click!();
    tunnels[1]!.click!();
    expect(acts).toEqual([{ kind: 'stop-sharing' }, { kind: 'tunnel', name: 'tensorboard', run: false }, { kind: 'tunnel', name: 'mlflow', run: true }]);
    const member = trayTemplate({ hubs: [hub('local', { admin: false })], sharing: null, tunnels: [] }, () => undefined) as Item[];
    expect(labels(member)).not.toContain('Share this hub…');
    expect(labels(member)).not.toContain('Open Admin');
  });

  it('uses template icons on macOS and coloured ones elsewhere, and they exist as real PNGs at 1x and 2x', () => {
    expect(trayIconFile('darwin')).toBe('tray-icon-16Template.png');
    expect(trayIconFile('win32')).toBe('tray-icon-16.png');
    expect(trayIconFile('linux')).toBe('tray-icon-32.png');
    for (const [file, size] of [['tray-icon-16Template.png', 16], ['tray-icon-16Template@2x.png', 32], ['tray-icon-16.png', 16], ['tray-icon-16@2x.png', 32], ['tray-icon-32.png', 32], ['tray-icon-32@2x.png', 64], ['tray-icon-32Template@2x.png', 64]] as const) {
      const png = readFileSync(`${__dirname}/../../../assets/${file}`);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
  });
});

describe('notifications', () => {
  it('speaks of readiness, expiry, culling and failures, and stays quiet otherwise', async () => {
    const { notificationFor } = await import('../../../main/shell/notifications');
    const at = '2026-01-01T00:00:00Z';
    expect(notificationFor({ type: 'workspace.expiring', user: 'a', name: 'gpu1', expiresAt: at, at })?.title).toBe('gpu1 expires soon');
    expect(notificationFor({ type: 'workspace.expired', user: 'a', name: 'gpu1', action: 'stop', at })?.body).toMatch(/stopped/);
    expect(notificationFor({ type: 'workspace.culled', user: 'a', name: 'gpu1', idleMinutes: 90, at })?.body).toBe('It had been idle for 90 minutes.');
    expect(notificationFor({ type: 'workspace.state', user: 'a', name: 'gpu1', state: 'failed', at })?.title).toBe('gpu1 failed');
    expect(notificationFor({ type: 'workspace.state', user: 'a', name: 'gpu1', state: 'running', at })?.title).toBe('gpu1 is ready');
    expect(notificationFor({ type: 'workspace.state', user: 'a', name: 'gpu1', state: 'stopping', at })).toBeNull();
    expect(notificationFor({ type: 'workspace.removed', user: 'a', name: 'gpu1', at })).toBeNull();
  });
});

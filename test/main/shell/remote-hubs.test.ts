// Pure parts of remote hubs in the desktop: the id a hub is saved under, a JupyterHub window's
// navigation scope (its server's path and the hub's sign-in pages), and a JupyterHub's tray items.
import { describe, expect, it } from 'vitest';
import { hubNameFor } from '../../../main/shell/remote-hubs';
import { hubPageOf, jupyterHubScope } from '../../../main/shell/workspace-windows';
import { workspaceVerdict } from '../../../main/shell/navigation-policy';
import { trayTemplate } from '../../../main/shell/tray-menu';
import { listenOptions } from '../../../main/shell/share-switch';

describe('remote hubs', () => {
  it('saves a hub under the name asked for, else one made from the hub (never "local")', () => {
    expect(hubNameFor('lab', 'Team GPU')).toBe('lab');
    expect(hubNameFor(undefined, 'Team GPU')).toBe('team-gpu');
    expect(hubNameFor(undefined, 'local')).toBe('local-hub');
    expect(hubNameFor(undefined, 'jupyter.example.org')).toBe('jupyter.example.org');
  });

  it("keeps a JupyterHub window to its server's path and the hub's sign-in pages, under the hub's base path", () => {
    const scope = jupyterHubScope('https://jh.example.org/jh/', '/jh/user/alice/exp1/');
    expect(workspaceVerdict('https://jh.example.org/jh/user/alice/exp1/lab', scope)).toBe('allow');
    expect(workspaceVerdict('https://jh.example.org/jh/hub/login?next=x', scope)).toBe('allow');
    expect(workspaceVerdict('https://jh.example.org/jh/hub/api/oauth2/authorize?client_id=x', scope)).toBe('allow');
    expect(workspaceVerdict('https://jh.example.org/jh/hub/user/alice/exp1/tree', scope)).toBe('allow');
    expect(workspaceVerdict('https://jh.example.org/jh/hub/spawn-pending/alice/exp1', scope)).toBe('allow');
    expect(workspaceVerdict('https://jh.example.org/jh/hub/user/alice/exp2/', scope)).toBe('deny');
    expect(workspaceVerdict('https://jh.example.org/jh/hub/spawn-pending/alice/exp10', scope)).toBe('deny');
    expect(workspaceVerdict('https://jh.example.org/jh/user/alice/exp2/', scope)).toBe('deny');
    expect(workspaceVerdict('https://jh.example.org/jh/hub/admin', scope)).toBe('deny');
    expect(workspaceVerdict('https://jh.example.org/hub/api/oauth2/authorize', scope)).toBe('deny');
    expect(workspaceVerdict('https://jh.example.org/jh/user/alice/exp1/../exp2/', scope)).toBe('deny');
    expect(workspaceVerdict('https://docs.jupyter.org/', scope)).toBe('external');
  });

  it("opens a hub page from the hub's sign-in: the link to load, kept to the server's path", () => {
    const signIn = { url: 'https://jh.example.org/jh/user/alice/exp1/', signInUrl: 'https://jh.example.org/jh/user/alice/exp1/?token=abc', code: '', expiresAt: '' };
    expect(hubPageOf(signIn)).toEqual({ url: signIn.signInUrl, basePath: '/jh/user/alice/exp1/' });
  });

  it('offers no SSH in the tray for a hub without an SSH gateway (a JupyterHub)', () => {
    const hub = { key: 'lab', label: 'lab', error: null, admin: false, user: 'alice', workspaces: [{ name: 'exp1', state: 'running' as const, user: 'alice' }] };
    const labels = (t: ReturnType<typeof trayTemplate>) => (t.find((i) => String(i.label).includes('exp1'))!.submenu as { label?: string }[]).map((i) => i.label).filter(Boolean);
    const state = { sharing: null, tunnels: [] };
    expect(labels(trayTemplate({ ...state, hubs: [{ ...hub, ssh: false }] }, () => undefined))).toEqual(['Open', 'Start', 'Stop']);
    expect(labels(trayTemplate({ ...state, hubs: [hub] }, () => undefined))).toEqual(['Open', 'Start', 'Stop', 'Copy SSH command']);
    expect(labels(trayTemplate({ ...state, hubs: [{ ...hub, ssh: true }] }, () => undefined))).toEqual(['Open', 'Start', 'Stop', 'Copy SSH command']);
  });
});

describe('where a shared hub listens', () => {
  it('reads the shareListen preference: host and port, an IPv6 host in brackets, an empty host for every address', () => {
    expect(listenOptions(null)).toEqual({});
    expect(listenOptions('192.168.1.20:8443')).toEqual({ host: '192.168.1.20', port: 8443 });
    expect(listenOptions('[fe80::1]:8585')).toEqual({ host: 'fe80::1', port: 8585 });
    expect(listenOptions(':9000')).toEqual({ host: undefined, port: 9000 });
  });
});

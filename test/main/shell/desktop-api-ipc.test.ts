// The desktop API end to end without Electron: the real preload bridge (createDesktopApi) over the
// in-memory IPC to the real main-side handlers (registerDesktopApi), every argument validated.
import { describe, expect, it } from 'vitest';
import { createDesktopApi } from '../../../preload/desktop-bridge';
import { registerDesktopApi, type DesktopHandlers } from '../../../main/shell/desktop-api-ipc';
import { HubdeckError } from '../../../main/core/errors';
import { FakeIpc } from '../../support/fake-ipc';

function setup(allowed = true) {
  const ipc = new FakeIpc();
  const calls: unknown[][] = [];
  const record = (name: string, value: unknown) => async (...args: unknown[]) => {
    calls.push([name, ...args.filter((a) => typeof a !== 'object' || a === null || !('id' in (a as object)) || name !== 'selectHub')]);
    return value;
  };
  const handlers: DesktopHandlers = {
    hubs: record('hubs', []) as DesktopHandlers['hubs'],
    selectHub: record('selectHub', null) as DesktopHandlers['selectHub'],
    joinHub: async () => { throw new HubdeckError('unauthorized', 'this invite is not valid'); },
    addHub: record('addHub', null) as DesktopHandlers['addHub'],
    removeHub: record('removeHub', null) as DesktopHandlers['removeHub'],
    openWorkspace: record('openWorkspace', null) as DesktopHandlers['openWorkspace'],
    copySshCommand: record('copySshCommand', 'ssh w.hubdeck') as DesktopHandlers['copySshCommand'],
    openTerminal: record('openTerminal', 't0123456789abcdef') as DesktopHandlers['openTerminal'],
    terminalInput: record('terminalInput', null) as DesktopHandlers['terminalInput'],
    terminalResize: record('terminalResize', null) as DesktopHandlers['terminalResize'],
    closeTerminal: record('closeTerminal', null) as DesktopHandlers['closeTerminal'],
    shareStatus: record('shareStatus', { sharing: false, url: null, fingerprint: null, sshAddress: null }) as DesktopHandlers['shareStatus'],
    startSharing: record('startSharing', null) as DesktopHandlers['startSharing'],
    stopSharing: record('stopSharing', null) as DesktopHandlers['stopSharing'],
    inviteTeammate: record('inviteTeammate', null) as DesktopHandlers['inviteTeammate'],
    preferences: record('preferences', null) as DesktopHandlers['preferences'],
    setPreferences: record('setPreferences', null) as DesktopHandlers['setPreferences'],
    tunnels: record('tunnels', []) as DesktopHandlers['tunnels'],
    addTunnel: record('addTunnel', []) as DesktopHandlers['addTunnel'],
    removeTunnel: record('removeTunnel', []) as DesktopHandlers['removeTunnel'],
    setTunnelRunning: record('setTunnelRunning', []) as DesktopHandlers['setTunnelRunning'],
  };
  registerDesktopApi(ipc.main, () => allowed, handlers);
  return { api: createDesktopApi(ipc.renderer), calls };
}

describe('desktop IPC', () => {
  it('passes valid arguments through and answers in envelopes', async () => {
    const { api, calls } = setup();
    expect(await api.copySshCommand('local', 'gpu1')).toEqual({ ok: true, value: 'ssh w.hubdeck' });
    expect(await api.openWorkspace('bob', 'gpu1')).toEqual({ ok: true, value: null });
    expect(await api.openTerminal('bob', 'gpu1', 80, 24)).toEqual({ ok: true, value: 't0123456789abcdef' });
    expect(await api.terminalInput('t0123456789abcdef', new Uint8Array([104, 105]))).toEqual({ ok: true, value: null });
    for (const bad of [api.openTerminal('bob', 'gpu1', 0, 24), api.openTerminal('bob', '../x', 80, 24), api.terminalInput('t1', new Uint8Array(1)),
      api.terminalInput('t0123456789abcdef', 'text' as never), api.terminalResize('t0123456789abcdef', 80, 1001)]) {
      expect((await bad).ok).toBe(false);
    }
    await api.inviteTeammate({ user: 'carol', create: { selfService: true, quota: { maxWorkspaces: 2, cpus: 4, memory: null } }, hours: 48 });
    await api.setPreferences({ theme: 'dark', shareListen: '0.0.0.0:8585' });
    const fp = 'AB:'.repeat(31) + 'CD';
    await api.addHub({ url: 'https://10.0.0.5:8443', token: 'hd_x', fingerprint: fp });
    expect(calls).toEqual([
      ['copySshCommand', 'local', 'gpu1'], ['openWorkspace', 'bob', 'gpu1'],
      ['openTerminal', 'bob', 'gpu1', 80, 24, expect.objectContaining({ id: expect.any(Number) })], // the asking window, for the output
      ['terminalInput', 't0123456789abcdef', new Uint8Array([104, 105])],
      ['inviteTeammate', { user: 'carol', create: { selfService: true, quota: { maxWorkspaces: 2, cpus: 4, memory: null } }, hours: 48 }],
      ['setPreferences', { theme: 'dark', shareListen: '0.0.0.0:8585' }],
      ['addHub', { url: 'https://10.0.0.5:8443', token: 'hd_x', fingerprint: fp }],
    ]);
    expect(await api.joinHub('hi1.x.y')).toEqual({ ok: false, error: { code: 'unauthorized', message: 'this invite is not valid' } });
  });

  it.each([
    ['openWorkspace', ['bob', '../../etc'], /openWorkspace: 1: must be a workspace or user name/],
    ['openWorkspace', ['bob'], /openWorkspace: /],
    ['removeHub', ['Team Hub'], /removeHub: 0: must be a hub key/],
    ['addHub', [{ url: 'file:///etc/passwd', token: 't' }], /addHub: 0\.url: must be an http\(s\) URL/],
    ['addHub', [{ url: 'https://h:1', token: '' }], /addHub: 0\.token/],
    ['addHub', [{ url: 'https://h:1', token: 't', fingerprint: 'AB:CD' }], /addHub: 0\.fingerprint: must be a SHA-256 fingerprint/],
    ['addHub', [{ url: 'https://h:1', token: 't', admin: true }], /addHub: 0: /],
    ['joinHub', ['x'.repeat(5000)], /joinHub: 0: /],
    ['inviteTeammate', [{ user: 'carol', admin: true }], /inviteTeammate: 0: /],
    ['inviteTeammate', [{ user: 'carol', hours: 24 * 365 }], /inviteTeammate: 0\.hours/],
    ['inviteTeammate', [{ user: 'carol', create: { quota: { cpus: -1 } } }], /inviteTeammate: 0\.create\.quota\.cpus/],
    ['setPreferences', [{ startAtLogin: 'yes' }], /setPreferences: 0\.startAtLogin/],
    ['setPreferences', [{ token: 'hdk_x' }], /setPreferences: 0: /],
    ['hubs', ['extra'], /hubs: /],
  ])('refuses %s(%j) before any handler runs', async (call, args, message) => {
    const { api, calls } = setup();
    const r = await (api as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[call]!(...args);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringMatching(message) } });
    expect(calls).toEqual([]);
  });

  it('refuses every call from a window that is not the app\'s', async () => {
    const { api, calls } = setup(false);
    expect(await api.hubs()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it('validates tunnel calls: names, ports and the running flag', async () => {
    const { api, calls } = setup();
    expect(await api.tunnels()).toEqual({ ok: true, value: [] });
    expect(await api.addTunnel({ name: 'tb', workspace: 'gpu1', local: 16006, remote: 6006 })).toEqual({ ok: true, value: [] });
    await api.setTunnelRunning('tb', true);
    await api.removeTunnel('tb');
    expect(calls).toEqual([['tunnels'], ['addTunnel', { name: 'tb', workspace: 'gpu1', local: 16006, remote: 6006 }], ['setTunnelRunning', 'tb', true], ['removeTunnel', 'tb']]);
    const refused = async (p: Promise<unknown>) => ((await p) as { ok: boolean; error: { code: string; message: string } }).error;
    expect(await refused(api.addTunnel({ name: 'tb', workspace: 'gpu1', local: 80, remote: 6006 }))).toMatchObject({ code: 'invalid', message: expect.stringMatching(/local: must be 1024-65535/) });
    expect(await refused(api.addTunnel({ name: 'tb', workspace: 'gpu1', local: 16006, remote: 70000 }))).toMatchObject({ code: 'invalid', message: expect.stringMatching(/remote: must be a port/) });
    expect(await refused(api.addTunnel({ name: 'Bad Name', workspace: 'gpu1', local: 16006, remote: 6006 }))).toMatchObject({ code: 'invalid', message: expect.stringMatching(/name/) });
    expect(await refused(api.addTunnel({ name: 'tb', workspace: 'gpu1', local: 16006, remote: 6006, hub: 'https://x' } as never))).toMatchObject({ code: 'invalid' });
    expect(await refused(api.setTunnelRunning('tb', 'yes' as never))).toMatchObject({ code: 'invalid' });
    expect(await refused(api.removeTunnel('../x'))).toMatchObject({ code: 'invalid' });
    expect(calls).toHaveLength(4);
  });
});

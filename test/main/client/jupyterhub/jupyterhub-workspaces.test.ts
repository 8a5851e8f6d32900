// JupyterHub servers as Hubdeck workspaces (pure mapping), and the JupyterHub 5 sign-in URL.
import { describe, expect, it } from 'vitest';
import { loginUrl, serverJson, serverName, serverState } from '../../../../main/client/jupyterhub/jupyterhub-workspaces';

const base = { name: 'exp1', ready: false, url: '/jh/user/alice/exp1/' };

describe('JupyterHub servers as workspaces', () => {
  it('takes the state from ready, pending and stopped', () => {
    expect(serverState({ ...base, ready: true })).toBe('running');
    expect(serverState({ ...base, pending: 'spawn' })).toBe('starting');
    expect(serverState({ ...base, pending: 'stop' })).toBe('stopping');
    expect(serverState({ ...base, stopped: true })).toBe('stopped');
    expect(serverName('default')).toBe('');
    expect(serverName('exp1')).toBe('exp1');
  });

  it('gives the Hubdeck JSON shape with nulls for what JupyterHub cannot say', () => {
    const json = serverJson('https://hub.example.org/jh/', 'alice', {
      ...base, name: '', ready: true, url: '/jh/user/alice/', started: '2026-01-01T00:00:00Z', last_activity: '2026-01-01T01:00:00Z', user_options: { profile: 'gpu' },
    });
    expect(json).toMatchObject({
      name: 'default', user: 'alice', state: 'running', status: 'ready', image: null, cpus: null, memory: null, gpus: null, expiresAt: null,
      createdAt: null, startedAt: '2026-01-01T00:00:00Z', lastActivity: '2026-01-01T01:00:00Z', url: 'https://hub.example.org/jh/user/alice/', userOptions: { profile: 'gpu' },
    });
  });

  it('sends JupyterHub 5 browsers to the hub login with next= the server', () => {
    expect(loginUrl('https://hub.example.org/jh', '/jh/user/alice/exp1/')).toBe('https://hub.example.org/jh/hub/login?next=%2Fjh%2Fuser%2Falice%2Fexp1%2F');
  });
});

// The JupyterHub poller's pure parts (diff of two polls into hub events, backoff), the poller itself
// with a stand-in server list (its I/O is a function), and the create form's mapping to user_options.
import { describe, expect, it } from 'vitest';
import type { HubEvent } from '../../../../main/api/events';
import { JupyterHubPoller, nextPollSeconds, serverEvents, statesOf } from '../../../../main/client/jupyterhub/jupyterhub-poller';
import { progressEvent } from '../../../../main/client/jupyterhub/jupyterhub-hub-client';
import { userOptionsForBody } from '../../../../main/client/jupyterhub/jupyterhub-options';
import type { JupyterHubServer } from '../../../../main/client/jupyterhub/jupyterhub-client';

const at = '2026-11-23T08:00:00.000Z';
const srv = (name: string, more: Partial<JupyterHubServer> = {}): JupyterHubServer => ({ name, ready: false, url: `/user/alice/${name}/`, stopped: true, ...more });

describe('serverEvents', () => {
  it('reports new, changed and gone servers, and nothing for unchanged ones', () => {
    const before = statesOf([srv(''), srv('a', { ready: true, stopped: false }), srv('gone')]);
    const after = statesOf([srv(''), srv('a', { pending: 'stop', stopped: false }), srv('new', { pending: 'spawn', stopped: false })]);
    expect(serverEvents('alice', before, after, at)).toEqual([
      { type: 'workspace.state', user: 'alice', name: 'a', state: 'stopping', at },
      { type: 'workspace.state', user: 'alice', name: 'new', state: 'starting', at },
      { type: 'workspace.removed', user: 'alice', name: 'gone', at },
    ]);
    expect(serverEvents('alice', after, after, at)).toEqual([]);
    expect([...before.keys()]).toEqual(['default', 'a', 'gone']);
  });

  it('backs off while the hub does not answer, up to five minutes', () => {
    expect([0, 1, 2, 3, 10].map((n) => nextPollSeconds(n))).toEqual([10, 20, 40, 80, 300]);
    expect(nextPollSeconds(1, 5)).toBe(10);
  });
});

describe('JupyterHubPoller', () => {
  it('takes a baseline, then sends diffs and a hub.polled after each poll; failures say why and back off', async () => {
    let servers = [srv('a')];
    let fail: string | null = null;
    const poller = new JupyterHubPoller({ user: async () => 'alice', servers: async () => { if (fail) throw new Error(fail); return servers; }, pollSeconds: 60, now: () => new Date(at) });
    const seen: HubEvent[] = [];
    const off = await poller.subscribe((e) => seen.push(e));
    expect(seen).toEqual([{ type: 'hub.polled', user: null, ok: true, nextInSeconds: 60, at }]);
    servers = [srv('a', { ready: true, stopped: false })];
    await poller.poll();
    expect(seen.slice(1)).toEqual([
      { type: 'workspace.state', user: 'alice', name: 'a', state: 'running', at },
      { type: 'hub.polled', user: null, ok: true, nextInSeconds: 60, at },
    ]);
    fail = 'cannot reach the JupyterHub at http://x: ECONNREFUSED';
    await poller.poll();
    expect(seen.at(-1)).toEqual({ type: 'hub.polled', user: null, ok: false, error: fail, nextInSeconds: 120, at });
    fail = null;
    servers = [];
    await poller.poll();
    expect(seen.slice(-2)).toEqual([{ type: 'workspace.removed', user: 'alice', name: 'a', at }, { type: 'hub.polled', user: null, ok: true, nextInSeconds: 60, at }]);
    off();
    const count = seen.length;
    poller.emit({ type: 'hub.polled', user: null, ok: true, nextInSeconds: 1, at });
    expect(seen.length).toBe(count);
  });

  it('runs one poll at a time: a poll asked for during one runs once after it', async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const poller = new JupyterHubPoller({ user: async () => 'alice', servers: async () => { calls++; await gate; return []; }, pollSeconds: 60 });
    const first = poller.poll();
    void poller.poll();
    void poller.poll();
    release();
    await first;
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBe(2);
    poller.close();
  });
});

describe('a create request as user_options', () => {
  it('maps the form per options form, raw options last, and refuses what the hub has no key for', () => {
    const mlhub = { form: 'mlhub' as const, defaults: { team: 'ml' } };
    expect(userOptionsForBody(mlhub, { name: 'x', image: 'img:1', cpus: 2, memory: '4g', env: { A: '1' }, days: 3, userOptions: { extra: true } }))
      .toEqual({ team: 'ml', image: 'img:1', cpu_limit: '2', mem_limit: '4g', env: { A: '1' }, days_to_live: 3, extra: true });
    expect(userOptionsForBody({ form: 'json', defaults: {} }, { name: 'x', image: 'img:1', userOptions: { delay: 2 } })).toEqual({ image: 'img:1', delay: 2 });
    expect(() => userOptionsForBody({ form: 'json', defaults: {} }, { name: 'x', cpus: 2 })).toThrow(/options form \(json\) has no key for --cpus/);
    expect(() => userOptionsForBody({ form: 'profile', defaults: {} }, { name: 'x', memory: '1g' })).toThrow(/KubeSpawner profiles/);
    expect(() => userOptionsForBody(mlhub, { name: 'x', webPort: 8080 })).toThrow(/not available on a JupyterHub/);
    expect(() => userOptionsForBody(mlhub, { name: 'x', userOptions: { 'bad key': 1 } })).toThrow(/"bad key" is not an option key/);
    expect(() => userOptionsForBody(mlhub, { name: 'x', userOptions: [1] })).toThrow(/must be an object/);
    // Empty lists and nulls from a form are not requests.
    expect(userOptionsForBody({ form: 'json', defaults: {} }, { name: 'x', mounts: [], cpus: null, env: [] })).toEqual({});
  });

  it("turns JupyterHub's progress into a Hubdeck progress event", () => {
    expect(progressEvent({ progress: 50, message: 'half' })).toEqual({ phase: 'start', percent: 50, message: 'half' });
    expect(progressEvent({ progress: 100, ready: true, message: 'Server ready' })).toEqual({ phase: 'ready', percent: 100, message: 'Server ready' });
    expect(progressEvent({})).toEqual({ phase: 'start', percent: 0, message: 'starting' });
  });
});

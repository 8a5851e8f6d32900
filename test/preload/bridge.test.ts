import { describe, expect, it } from 'vitest';
import { HubdeckError } from '../../main/core/errors';
import { bridgeHubClient, BRIDGE_KEYS, IPC } from '../../main/api/ipc-bridge';
import type { HubClient } from '../../main/api/hub-client';
import { registerDesktopApi, type DesktopHandlers } from '../../main/shell/desktop-api-ipc';
import { registerApi } from '../../main/shell/hub-api-ipc';
import { createApi, type IpcTransport } from '../../preload/bridge';
import { createDesktopApi } from '../../preload/desktop-bridge';
import { DESKTOP_API, DESKTOP_CALLS, DESKTOP_EVENTS, DESKTOP_KEYS, desktopChannel, type DesktopCall } from '../../preload/desktop-contract';
import { FakeIpc } from '../support/fake-ipc';

/** A hub stand-in behind the main-process handlers: enough to see what crosses the bridge. */
function hubStub(): HubClient {
  return {
    getWorkspace: async (i: { user: string; name: string }) => { throw new HubdeckError('not_found', `workspace "${i.name}" of ${i.user} does not exist`, 'name'); },
    createWorkspace: async (_i: unknown, o: { onProgress?: (p: unknown) => void }) => {
      o.onProgress?.({ phase: 'create', percent: 100, message: 'creating' });
      return { name: 'w' };
    },
    workspaceLogs: async function* (_i: unknown, o: { signal?: AbortSignal }) {
      yield 'one\n';
      yield 'two\n';
      await new Promise<void>((r) => o.signal?.addEventListener('abort', () => r(), { once: true }));
    },
    subscribe: async () => () => undefined,
    close: async () => undefined,
  } as unknown as HubClient;
}

function wired() {
  const ipc = new FakeIpc();
  registerApi(ipc.main, () => hubStub());
  return { ipc, api: createApi(ipc.renderer) };
}

describe('preload bridge', () => {
  it('exposes exactly call, stream and subscribe', () => {
    const { api } = wired();
    expect(Object.keys(api).sort()).toEqual(['call', 'stream', 'subscribe']);
    expect([...BRIDGE_KEYS].sort()).toEqual(Object.keys(api).sort());
  });

  it('rebuilds errors as HubdeckErrors with code and field, through structured clone', async () => {
    const client = bridgeHubClient(wired().api);
    const err = await client.getWorkspace({ user: 'a', name: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubdeckError);
    expect(err).toMatchObject({ code: 'not_found', field: 'name', message: 'workspace "x" of a does not exist' });
  });

  it('delivers progress tagged with its own operation id, then stops listening', async () => {
    const { ipc, api } = wired();
    const seen: unknown[] = [];
    expect(await bridgeHubClient(api).createWorkspace({ body: { name: 'w' } }, { onProgress: (p) => seen.push(p) })).toEqual({ name: 'w' });
    expect(seen).toEqual([{ phase: 'create', percent: 100, message: 'creating' }]);
    expect(ipc.listenerCount(IPC.progress)).toBe(0);
  });

  it('turns a stream into an async iterable that a signal stops, on both sides', async () => {
    const { ipc, api } = wired();
    const ac = new AbortController();
    const got: string[] = [];
    for await (const chunk of bridgeHubClient(api).workspaceLogs({ user: 'a', name: 'w', follow: true }, { signal: ac.signal })) {
      got.push(chunk);
      if (got.length === 2) ac.abort();
    }
    expect(got).toEqual(['one\n', 'two\n']);
    expect(ipc.listenerCount(IPC.streamData)).toBe(0);
  });

  it('refuses unknown operations and malformed ids in the main process', async () => {
    const { ipc } = wired();
    const bad = await ipc.renderer.invoke(IPC.call, 'dropTables', {}, null);
    expect(bad).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^invalid IPC arguments/) } });
    const badId = await ipc.renderer.invoke(IPC.call, 'info', {}, '../x');
    expect(badId).toMatchObject({ ok: false });
    const stream = await ipc.renderer.invoke(IPC.streamOpen, 'info', {}, 'abcdef0123');
    expect(stream).toMatchObject({ ok: false });
  });
});

/** An ipcRenderer stand-in that records what the bridge invokes and subscribes to. */
function recordingIpc() {
  const invoked: unknown[][] = [];
  const subscribed: string[] = [];
  const ipc: IpcTransport = {
    invoke: async (channel, ...args) => { invoked.push([channel, ...args]); return { ok: true, value: null }; },
    on: (channel) => void subscribed.push(channel),
    removeListener: () => undefined,
  };
  return { ipc, invoked, subscribed };
}

/**
 * What is wrong with a window.hubdeckDesktop against the table: keys missing or extra, a call that
 * does not invoke its own channel with its arguments, an event that does not listen on its own.
 */
async function exposureProblems(api: Record<string, unknown>, rec: ReturnType<typeof recordingIpc>): Promise<string[]> {
  const problems: string[] = [];
  for (const k of DESKTOP_KEYS) if (typeof api[k] !== 'function') problems.push(`missing ${k}`);
  for (const k of Object.keys(api)) if (!(k in DESKTOP_API)) problems.push(`extra ${k}`);
  for (const call of DESKTOP_CALLS.filter((c) => typeof api[c] === 'function')) {
    rec.invoked.length = 0;
    await (api[call] as (...a: unknown[]) => Promise<unknown>)('a1', 2);
    if (JSON.stringify(rec.invoked) !== JSON.stringify([[desktopChannel(call), 'a1', 2]])) problems.push(`${call} invoked ${JSON.stringify(rec.invoked)}`);
  }
  for (const event of DESKTOP_EVENTS.filter((e) => typeof api[e] === 'function')) {
    rec.subscribed.length = 0;
    const off = (api[event] as (l: () => void) => unknown)(() => undefined);
    if (typeof off !== 'function' || rec.subscribed.join() !== DESKTOP_API[event].channel) problems.push(`${event} listened on ${rec.subscribed.join() || 'nothing'}`);
  }
  return problems;
}

describe('the desktop bridge against its table', () => {
  it('exposes exactly the table\'s keys, each call forwarding to its channel and each event listening on its own', async () => {
    const rec = recordingIpc();
    const api = createDesktopApi(rec.ipc) as unknown as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...DESKTOP_KEYS].sort());
    expect(await exposureProblems(api, rec)).toEqual([]);
  });

  it('the check fails for a bridge that lost a key, gained one, or sends a call down another channel', async () => {
    const rec = recordingIpc();
    const api = createDesktopApi(rec.ipc) as unknown as Record<string, unknown>;
    delete api.openWorkspace;
    api.eval = () => undefined;
    api.hubs = (...a: unknown[]) => rec.ipc.invoke(desktopChannel('removeHub'), ...a);
    expect(await exposureProblems(api, rec)).toEqual(['missing openWorkspace', 'extra eval', `hubs invoked [["desktop:removeHub","a1",2]]`]);
  });

  it('refuses, in main, arguments that fail the table\'s schema for every call, before its handler runs', async () => {
    const ipc = new FakeIpc();
    const ran: string[] = [];
    const handlers = Object.fromEntries(DESKTOP_CALLS.map((c) => [c, async () => { ran.push(c); return null; }])) as unknown as DesktopHandlers;
    registerDesktopApi(ipc.main, () => true, handlers);
    for (const call of DESKTOP_CALLS) {
      // One argument more than any call takes, of a kind none accepts.
      const r = await ipc.renderer.invoke(desktopChannel(call), ...Array(7).fill({ bogus: true }));
      expect(r, call).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringContaining(`invalid arguments to ${call}`) } });
    }
    expect(ran).toEqual([]);
    expect(await ipc.renderer.invoke(desktopChannel('hubs'))).toEqual({ ok: true, value: null });
    expect(ran).toEqual(['hubs']);
  });

  it('refuses to start with a handler missing', () => {
    const handlers = Object.fromEntries(DESKTOP_CALLS.filter((c) => c !== 'addTunnel').map((c) => [c, async () => null])) as unknown as Record<DesktopCall, unknown>;
    expect(() => registerDesktopApi(new FakeIpc().main, () => true, handlers as DesktopHandlers)).toThrow('desktop API: no handler for addTunnel');
  });
});

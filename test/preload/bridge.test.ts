import { describe, expect, it } from 'vitest';
import { HubdeckError } from '../../main/core/errors';
import { bridgeHubClient, BRIDGE_KEYS, IPC } from '../../main/api/ipc-bridge';
import type { HubClient } from '../../main/api/hub-client';
import { registerApi } from '../../main/shell/hub-api-ipc';
import { API_KEYS } from '../../preload/contract';
import { createApi } from '../../preload/bridge';
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
    expect([...API_KEYS]).toEqual(['call', 'stream', 'subscribe']);
    expect(BRIDGE_KEYS).toBe(API_KEYS);
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

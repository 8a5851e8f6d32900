import { describe, expect, it } from 'vitest';
import { API_KEYS } from '../../preload/contract';
import { createApi, IpcError, type IpcTransport } from '../../preload/bridge';

function fakeIpc(replies: Record<string, unknown>): IpcTransport & { listeners: Map<string, (e: unknown, p: unknown) => void> } {
  const listeners = new Map<string, (e: unknown, p: unknown) => void>();
  return {
    listeners,
    invoke: async (channel) => replies[channel],
    on: (c, l) => listeners.set(c, l),
    removeListener: (c) => listeners.delete(c),
  };
}

describe('preload bridge', () => {
  it('exposes exactly the documented keys', () => {
    expect(Object.keys(createApi(fakeIpc({}))).sort()).toEqual([...API_KEYS].sort());
  });

  it('unwraps values and rebuilds errors with code and field', async () => {
    const api = createApi(fakeIpc({
      'workspace:list': { ok: true, value: [] },
      'workspace:start': { ok: false, error: { code: 'not_found', message: 'workspace "x" of a does not exist', field: 'name' } },
    }));
    expect(await api['workspace:list']()).toEqual([]);
    const err = await api['workspace:start']('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpcError);
    expect(err).toMatchObject({ code: 'not_found', field: 'name', message: 'workspace "x" of a does not exist' });
  });

  it('subscribes only to known event channels and unsubscribes', () => {
    const ipc = fakeIpc({});
    const api = createApi(ipc);
    const seen: unknown[] = [];
    const off = api.on('workspaces:changed', (p) => seen.push(p));
    ipc.listeners.get('workspaces:changed')!({}, [1]);
    expect(seen).toEqual([[1]]);
    off();
    expect(ipc.listeners.size).toBe(0);
    expect(() => api.on('nope' as never, () => undefined)).toThrow(/unknown event channel/);
  });
});

/**
 * One scenario, four transports: in-process, REST from Node, REST from a "browser" (fetch +
 * EventSource) and the desktop's IPC bridge (preload ↔ main handlers, structured-cloned). Each
 * transport's transcript — results with volatile fields stripped, errors by code/field/message,
 * progress, stream chunks and events — must be identical: callers cannot tell them apart.
 */
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserHubClient, type EventSourceLike } from '../../../main/api/browser-hub-client';
import { bridgeHubClient } from '../../../main/api/ipc-bridge';
import { OPERATIONS } from '../../../main/api/endpoints';
import type { HubClient } from '../../../main/api/hub-client';
import type { HubEvent } from '../../../main/api/events';
import { inProcessClient } from '../../../main/client/in-process-hub-client';
import { remoteHubClient } from '../../../main/client/remote-hub-client';
import { registerApi } from '../../../main/shell/hub-api-ipc';
import { createApi } from '../../../preload/bridge';
import { api, startApiHub, until, type ApiHub } from '../../support/api-hub';
import { FakeIpc } from '../../support/fake-ipc';

let h: ApiHub;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  h = await startApiHub('scen');
  await api(h.url, 'POST', '/users', h.adminToken, { name: 'alice', selfService: true });
  await api(h.url, 'PATCH', '/settings', h.adminToken, { allowCustomImages: true });
  tokens.alice = ((await api(h.url, 'POST', '/users/alice/tokens', h.adminToken, {})).body as { token: string }).token;
  tokens.admin = h.adminToken;
});
afterAll(() => h.stop());

type Make = (user: 'alice' | 'admin') => HubClient;

const TRANSPORTS: [string, Make][] = [
  ['in-process', (u) => inProcessClient(h.hub, { user: u, admin: u === 'admin' })],
  ['remote (Node HTTP)', (u) => remoteHubClient({ url: h.url, token: tokens[u]! })],
  ['browser (fetch + EventSource)', (u) => browserHubClient({
    baseUrl: h.url, token: tokens[u]!,
    // A page authenticates its event stream with the session cookie; Node's EventSource gets the header.
    eventSource: (url) => new EventSource(url, { fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${tokens[u]!}` } }) }) as unknown as EventSourceLike,
  })],
  ['IPC bridge', (u) => {
    const ipc = new FakeIpc();
    registerApi(ipc.main, () => inProcessClient(h.hub, { user: u, admin: u === 'admin' }));
    return bridgeHubClient(createApi(ipc.renderer));
  }],
];

/** Results without what differs from run to run (ids, times, names made per run). */
function stable(v: unknown, name: string): unknown {
  const text = JSON.stringify(v ?? null)
    .replace(/"(id|createdAt|startedAt|at|expiresAt|lastUsedAt|addedAt|network|volume)":"[^"]*"/g, '"$1":"…"')
    .replaceAll(name, 'NAME');
  return JSON.parse(text);
}

async function outcome(p: Promise<unknown>, name: string): Promise<unknown> {
  try {
    return { ok: stable(await p, name) };
  } catch (e) {
    const err = e as { code?: string; field?: string; message: string; name: string };
    return { error: { type: err.name, code: err.code, field: err.field ?? null, message: err.message.replaceAll(name, 'NAME') } };
  }
}

async function scenario(make: Make, name: string): Promise<Record<string, unknown>> {
  const alice = make('alice');
  const admin = make('admin');
  const t: Record<string, unknown> = {};
  const events: HubEvent[] = [];
  const off = await alice.subscribe((e) => { if ('name' in e && e.name === name) events.push(e); });
  try {
    const ref = { user: 'alice', name };
    t.info = await outcome(alice.info(), name);
    const progress: string[] = [];
    // An image of its own per run, so every transport sees a pull (the engine pulls each image once).
    t.create = await outcome(alice.createWorkspace({ body: { name, image: `example.org/${name}:1`, cpus: 0.5, memory: '64m', days: 2 }, wait: true }, { onProgress: (p) => progress.push(p.phase) }), name);
    t.progress = [...new Set(progress)];
    t.list = await outcome(alice.listWorkspaces(), name);
    t.get = await outcome(alice.getWorkspace(ref), name);
    t.extend = await outcome(alice.extendWorkspace({ ...ref, body: { days: 1 } }).then((w) => w.expiresAt !== null), name);
    t.stop = await outcome(alice.stopWorkspace(ref).then((w) => w.state), name);
    t.start = await outcome(alice.startWorkspace(ref).then((w) => w.state), name);
    t.restart = await outcome(alice.restartWorkspace(ref).then((w) => w.state), name);
    t.stats = await outcome(alice.workspaceStats(ref).then((s) => Object.keys(s).sort()), name);
    t.logs = await outcome(collect(alice.workspaceLogs({ ...ref, tail: 3 })).then((chunks) => chunks.join('').length > 0), name);
    t.followLogs = await outcome(firstThenAbort((signal) => alice.workspaceLogs({ ...ref, follow: true }, { signal })).then((c) => typeof c), name);
    t.watchStats = await outcome(firstThenAbort((signal) => alice.watchStats({ ...ref, intervalMs: 250 }, { signal })).then((s) => Object.keys(s as object).sort()), name);
    t.notFound = await outcome(alice.getWorkspace({ user: 'alice', name: `${name}-ghost` }), name);
    t.badBody = await outcome(alice.createWorkspace({ body: { name: `${name}-x`, memory: '12x' } }), name);
    t.unknownField = await outcome(alice.createWorkspace({ body: { name: `${name}-x`, colour: 'red' } as never }), name);
    t.forbidden = await outcome(alice.listUsers(), name);
    t.othersWorkspace = await outcome(alice.getWorkspace({ user: 'admin', name }), name);
    t.conflict = await outcome(alice.createWorkspace({ body: { name, cpus: 0.5, memory: '64m' }, wait: false }), name);
    t.adminSees = await outcome(admin.listWorkspaces({ all: true }).then((ws) => ws.some((w) => w.name === name && w.user === 'alice')), name);
    t.remove = await outcome(alice.removeWorkspace({ ...ref, deleteData: true }), name);
    t.afterRemove = await outcome(alice.getWorkspace(ref), name);
    await until(() => events.some((e) => e.type === 'workspace.removed'), 5000, 'the removal event');
    t.events = events.map((e) => (e.type === 'workspace.state' ? `${e.type}:${e.state}` : e.type)).filter((e) => e !== 'workspace.progress');
  } finally {
    off();
    await alice.close();
    await admin.close();
  }
  return t;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The first chunk of a stream that would go on for ever, then stop it: it must end quietly. */
async function firstThenAbort<T>(open: (signal: AbortSignal) => AsyncIterable<T>): Promise<T> {
  const ac = new AbortController();
  const it = open(ac.signal)[Symbol.asyncIterator]();
  const first = await it.next();
  ac.abort();
  for (let r = await it.next(); !r.done; r = await it.next()) { /* drain what was already sent */ }
  return first.value as T;
}

describe('the same scenario through every transport', () => {
  const transcripts: Record<string, Record<string, unknown>> = {};

  it.each(TRANSPORTS)('%s', async (label, make) => {
    const t = await scenario(make, `sc-${label.split(' ')[0]!.toLowerCase().replace(/[^a-z]/g, '')}`);
    transcripts[label] = t;
    // The scenario itself is right, not merely the same everywhere.
    expect(t.create).toMatchObject({ ok: { name: 'NAME', user: 'alice', state: 'running' } });
    expect(t.progress).toEqual(['pull', 'create', 'start']);
    expect(t.notFound).toEqual({ error: { type: 'HubdeckError', code: 'not_found', field: null, message: 'workspace "NAME-ghost" of alice does not exist' } });
    expect(t.badBody).toMatchObject({ error: { code: 'invalid', field: 'memory' } });
    expect(t.unknownField).toMatchObject({ error: { code: 'invalid', field: 'colour', message: 'colour: unknown field' } });
    expect(t.forbidden).toMatchObject({ error: { code: 'forbidden' } });
    expect(t.conflict).toMatchObject({ error: { code: 'conflict', field: 'name' } });
    expect([t.stop, t.start, t.restart]).toEqual([{ ok: 'stopped' }, { ok: 'running' }, { ok: 'running' }]);
    expect(t.followLogs).toEqual({ ok: 'string' });
    expect(t.watchStats).toMatchObject({ ok: expect.arrayContaining(['cpuPercent', 'memoryUsed']) });
    expect(t.afterRemove).toMatchObject({ error: { code: 'not_found' } });
    expect(t.events).toEqual(expect.arrayContaining(['workspace.state:running', 'workspace.state:stopped', 'workspace.extended', 'workspace.removed']));
  });

  it('gives identical transcripts', () => {
    const [first, ...rest] = TRANSPORTS.map(([label]) => label);
    expect(Object.keys(transcripts)).toHaveLength(TRANSPORTS.length);
    for (const label of rest) expect({ [label]: transcripts[label] }).toEqual({ [label]: transcripts[first!] });
  });

  it('every transport has every operation of the table as a method', () => {
    for (const [label, make] of TRANSPORTS) {
      const c = make('alice') as unknown as Record<string, unknown>;
      expect(OPERATIONS.filter((op) => typeof c[op] !== 'function'), label).toEqual([]);
      void (c as unknown as HubClient).close();
    }
  });
});

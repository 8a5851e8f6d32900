/**
 * A fuzz of the REST API (fast-check, 10,000 cases a run): methods, paths built from the endpoint
 * table with hostile parameters, query strings, headers and bodies, sent as alice (or no one).
 * After every case: no 5xx, nothing of bob's (ids, token ids, key fingerprints, env values) in the
 * answer, and the store file still valid (read again, by its own connection, whenever anything
 * was committed: a case that committed nothing leaves the very bytes already checked).
 *
 * A stream (events, stats, followed logs) is read for its 2 s window in the background while the
 * next cases run, and checked like any answer when it ends: waiting for each in turn was 200 of the
 * suite's 275 s (measured: ~1 % of cases are streams, each idle for 2 s), and a stream open while
 * other requests change things sees more of what it must not leak, not less.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utils } from 'ssh2';
import { ENDPOINTS, OPERATIONS } from '../../../main/api/endpoints';
import { api, startApiHub, type ApiHub } from '../../support/api-hub';
import { StoredStateCheck } from '../../support/stored-state';

let h: ApiHub;
let stored: StoredStateCheck;
let aliceToken = '';
/** Strings that only bob's objects carry: seeing one in alice's answers is a leak. */
const secrets: string[] = [];

beforeAll(async () => {
  h = await startApiHub('fuzz');
  await api(h.url, 'PATCH', '/settings', h.adminToken, { allowCustomImages: true });
  for (const name of ['alice', 'bob']) await api(h.url, 'POST', '/users', h.adminToken, { name, selfService: true, quota: { maxWorkspaces: 20 } });
  aliceToken = ((await api(h.url, 'POST', '/users/alice/tokens', h.adminToken, {})).body as { token: string }).token;
  const bobToken = (await api(h.url, 'POST', '/users/bob/tokens', h.adminToken, { note: 'bob-note-q8x' })).body as { id: string };
  const ws = (await api(h.url, 'POST', '/workspaces?wait=0', h.adminToken, { name: 'private', user: 'bob', image: 'img:1', env: ['BOB_SECRET=v-q8x-9241'] })).body as { id: string };
  const key = (await api(h.url, 'POST', '/users/bob/keys', h.adminToken, { key: utils.generateKeyPairSync('ed25519').public })).body as { fingerprint: string };
  secrets.push(bobToken.id, ws.id, key.fingerprint, 'v-q8x-9241', 'bob-note-q8x');
  stored = new StoredStateCheck(h.dataDir);
});
afterAll(async () => {
  stored?.close();
  await h.stop();
});

const names = fc.oneof(
  fc.constantFrom('alice', 'bob', 'admin', 'private', 'w1', '..', '.', '%2e%2e', '%2F', 'a%00b', '💥', 'x'.repeat(300), 'ALICE', 'alice.w1', ''),
  fc.string({ maxLength: 20 }),
);
const paramValue = (p: string) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...(p === 'user' ? ['alice'] : p === 'name' ? ['w1', 'w2', 'w3'] : p === 'image' ? ['jupyter', 'img'] : ['g1', 'x'])) },
    { weight: 1, arbitrary: names },
  );
const METHODS = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT'] as const;
/** Mostly real operations (their method, alice's own resources), sometimes anything at all. */
const request = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(...OPERATIONS).chain((op) =>
      fc.tuple(
        fc.oneof({ weight: 9, arbitrary: fc.constant(ENDPOINTS[op].method as string) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
        fc.record(Object.fromEntries([...ENDPOINTS[op].path.matchAll(/:(\w+)/g)].map((m) => [m[1]!, paramValue(m[1]!)]))),
      ).map(([method, params]) => ({ method, path: ENDPOINTS[op].path.replace(/:(\w+)/g, (_m, p: string) => encodeURIComponent((params as Record<string, string>)[p]!)) })),
    ),
  },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...METHODS), fc.array(names, { maxLength: 5 })).map(([method, segs]) => ({ method: method as string, path: `/${segs.join('/')}` })) },
);
const query = fc.dictionary(fc.constantFrom('user', 'all', 'wait', 'timeout', 'tail', 'follow', 'deleteData', 'intervalMs', 'opId', 'x'), fc.oneof(fc.constantFrom('1', '0', '-1', '1e309', 'true', '', '99999999999999999999'), fc.string({ maxLength: 10 })), { maxKeys: 3 });
const body = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 3 }),
  fc.record({ name: fc.oneof(fc.constantFrom('w1', 'w2', 'w3'), names), user: fc.oneof(fc.constant('alice'), names), image: fc.oneof(fc.constant('img:1'), fc.string()), cpus: fc.oneof(fc.double(), fc.string()), memory: fc.oneof(fc.integer(), fc.string()), days: fc.oneof(fc.double(), fc.constant(null)), env: fc.oneof(fc.array(fc.string()), fc.dictionary(fc.string(), fc.string())), mounts: fc.array(fc.oneof(fc.string(), fc.object())) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
  fc.string({ maxLength: 200 }),
);
const headers = fc.record({ 'content-type': fc.oneof({ weight: 6, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/json; charset=latin1', '', 'multipart/form-data') }), accept: fc.constantFrom('application/json', 'text/event-stream', '*/*') }, { requiredKeys: [] });

/** The API's streams: events (SSE), stats (JSON lines) and logs (text; a followed log stays open). */
const STREAM_TYPES = /^(text\/event-stream|application\/x-ndjson|text\/plain)/;
const isStream = (res: Response) => res.ok && STREAM_TYPES.test(res.headers.get('content-type') ?? '');

describe('REST fuzz', () => {
  it('10,000 hostile requests: no 5xx, no leak of another user\'s objects, the store valid after each', async () => {
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    /** Streams still being read: a failure they find is in `failures` once they end. */
    const streams: Promise<void>[] = [];
    /** Cases after which the store had changed, and was read and checked again. */
    let reads = 0;
    await fc.assert(
      fc.asyncProperty(request, query, body, headers, fc.integer({ min: 0, max: 19 }), async ({ method, path }, q, b, hdrs, dice) => {
        const anonymous = dice === 0;
        const qs = new URLSearchParams(q).toString();
        const target = `${path}${qs ? `?${qs}` : ''}`;
        // Streams would wait for ever: ask for them to end at once (the server still opens them).
        const ac = AbortSignal.timeout(2000);
        const res = await fetch(`${h.url}/api/v1${target}`, {
          method, body: method === 'GET' || method === 'DELETE' || b === undefined ? undefined : (typeof b === 'string' ? b : JSON.stringify(b)),
          headers: { ...hdrs, ...(anonymous ? {} : { authorization: `Bearer ${aliceToken}` }) }, signal: ac,
        }).catch((e: Error) => e);
        if (res instanceof Error) return; // a stream cut by our own timeout
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const check = (text: string) => {
          if (res.status >= 500) failures.push(`${method} ${target} → ${res.status} ${text.slice(0, 200)}`);
          const leaked = secrets.find((s) => text.includes(s));
          if (leaked) failures.push(`${method} ${target} leaked ${leaked}`);
        };
        // Read to its end (a stream: until our 2 s timeout cuts it), in the background for a stream.
        const answer = res.text().catch(() => '').then(check);
        if (isStream(res)) streams.push(answer);
        else await answer;
        if (stored.check()) reads++;
        if (res.status === 401 && !anonymous) {
          // alice revoked her own token (allowed): give her a new one and go on
          aliceToken = ((await api(h.url, 'POST', '/users/alice/tokens', h.adminToken, {})).body as { token: string }).token;
        }
        return failures.length === 0;
      }),
      { numRuns: 10_000, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
    await Promise.all(streams);
    expect(streams.length).toBeGreaterThan(0); // the streams were reached, and checked above
    expect(reads).toBeGreaterThan(5); // the store changed under the fuzz (a few dozen commits a run), and was checked each time
    expect(failures).toEqual([]);
    if (process.env.FUZZ_REPORT) console.log(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)));
    // It reached the hub's logic, not only its front door: successes and refusals of every kind.
    const count = (from: number, to: number) => [...statuses].filter(([s]) => s >= from && s < to).reduce((n, [, c]) => n + c, 0);
    expect(count(200, 300)).toBeGreaterThan(1000);
    expect(count(400, 500)).toBeGreaterThan(1000);
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([200, 400, 401, 403, 404, 405]));
  }, 300_000);
});

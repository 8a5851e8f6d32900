import { utils } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS, OPERATIONS } from '../../../main/api/endpoints';
import { api, startApiHub, type ApiHub } from '../../support/api-hub';
import { TEST_IMAGES } from '../../support/test-images';
import { dataDirText } from '../../support/stored-state';

// Every route × {anonymous, alice, bob, admin} × {own, other's} resource → the expected status,
// against the real server on the in-memory engine; then proof that nobody read or wrote across
// users. The routes come from the one endpoint table, so a new operation without a case fails.
let h: ApiHub;
const tokens: Record<string, string> = {};
type Who = 'anonymous' | 'alice' | 'bob' | 'admin';
const OTHER: Record<Exclude<Who, 'anonymous'>, string> = { alice: 'bob', bob: 'alice', admin: 'alice' };
let seq = 0;
const uniq = (p: string) => `${p}${++seq}`;

function newKey(): string {
  const k = utils.generateKeyPairSync('ed25519');
  return k.public.trim();
}

async function asAdmin(method: string, path: string, body?: unknown) {
  const r = await api(h.url, method, path, h.adminToken, body);
  if (r.status >= 300) throw new Error(`setup ${method} ${path}: ${r.status} ${r.text}`);
  return r.body as Record<string, unknown>;
}

/** A workspace owned by `user`, created (not waited for) through the admin. */
async function workspaceOf(user: string): Promise<string> {
  const name = uniq('w');
  await asAdmin('POST', '/workspaces?wait=0', { name, user, image: TEST_IMAGES.busybox, volume: false, days: 3 });
  return name;
}

beforeAll(async () => {
  h = await startApiHub('authz');
  await asAdmin('POST', '/images', { name: 'busybox', ref: TEST_IMAGES.busybox });
  for (const u of ['alice', 'bob']) {
    await asAdmin('POST', '/users', { name: u, selfService: true });
    tokens[u] = (await asAdmin('POST', `/users/${u}/tokens`, { note: 'matrix' })).token as string;
  }
  tokens.admin = h.adminToken;
});
afterAll(() => h.stop());

interface Case {
  route: string;
  /** Admin-only routes refuse plain users even on their own resources. */
  adminOnly?: boolean;
  /** Routes about the hub itself: the same for everyone (no own/other). */
  global?: boolean;
  ok: number;
  /** Answered without credentials, for everyone alike (redeeming an invite: the code is the credential). */
  public?: boolean;
  /** Into the workspace itself (its pages): an admin only where the hub allows admin access (off here). */
  intoWorkspace?: boolean;
  /** Builds the request for a subject user (whose resource it is); may create what it needs. */
  make: (subject: string) => Promise<{ method: string; path: string; body?: unknown; stream?: boolean }>;
}

const CASES: Case[] = [
  { route: 'GET /info', global: true, ok: 200, make: async () => ({ method: 'GET', path: '/info' }) },
  { route: 'POST /login-codes', global: true, ok: 201, make: async () => ({ method: 'POST', path: '/login-codes' }) },
  { route: 'GET /capacity', global: true, ok: 200, make: async () => ({ method: 'GET', path: '/capacity' }) },
  { route: 'GET /images', global: true, ok: 200, make: async () => ({ method: 'GET', path: '/images' }) },
  { route: 'POST /images', global: true, adminOnly: true, ok: 201, make: async () => ({ method: 'POST', path: '/images', body: { name: uniq('img'), ref: 'debian:bookworm' } }) },
  { route: 'PATCH /images/:image', global: true, adminOnly: true, ok: 200, make: async () => ({ method: 'PATCH', path: '/images/busybox', body: { displayName: uniq('Busybox ') } }) },
  {
    route: 'DELETE /images/:image', global: true, adminOnly: true, ok: 204,
    make: async () => { const name = uniq('img'); await asAdmin('POST', '/images', { name, ref: 'debian:bookworm' }); return { method: 'DELETE', path: `/images/${name}` }; },
  },
  { route: 'GET /users', global: true, adminOnly: true, ok: 200, make: async () => ({ method: 'GET', path: '/users' }) },
  { route: 'POST /users', global: true, adminOnly: true, ok: 201, make: async () => ({ method: 'POST', path: '/users', body: { name: uniq('u') } }) },
  { route: 'GET /users/:user', ok: 200, make: async (s) => ({ method: 'GET', path: `/users/${s}` }) },
  { route: 'PATCH /users/:user', adminOnly: true, ok: 200, make: async (s) => ({ method: 'PATCH', path: `/users/${s}`, body: { selfService: true } }) },
  {
    route: 'DELETE /users/:user', global: true, adminOnly: true, ok: 204,
    make: async () => { const name = uniq('u'); await asAdmin('POST', '/users', { name }); return { method: 'DELETE', path: `/users/${name}` }; },
  },
  { route: 'GET /groups', global: true, adminOnly: true, ok: 200, make: async () => ({ method: 'GET', path: '/groups' }) },
  { route: 'POST /groups', global: true, adminOnly: true, ok: 201, make: async () => ({ method: 'POST', path: '/groups', body: { name: uniq('g') } }) },
  {
    route: 'PATCH /groups/:group', global: true, adminOnly: true, ok: 200,
    make: async () => { const name = uniq('g'); await asAdmin('POST', '/groups', { name }); return { method: 'PATCH', path: `/groups/${name}`, body: { quota: { cpus: 2 } } }; },
  },
  {
    route: 'DELETE /groups/:group', global: true, adminOnly: true, ok: 204,
    make: async () => { const name = uniq('g'); await asAdmin('POST', '/groups', { name }); return { method: 'DELETE', path: `/groups/${name}` }; },
  },
  { route: 'GET /users/:user/tokens', ok: 200, make: async (s) => ({ method: 'GET', path: `/users/${s}/tokens` }) },
  { route: 'POST /users/:user/tokens', ok: 201, make: async (s) => ({ method: 'POST', path: `/users/${s}/tokens`, body: { note: 'x' } }) },
  {
    route: 'DELETE /users/:user/tokens/:id', ok: 204,
    make: async (s) => { const t = await asAdmin('POST', `/users/${s}/tokens`, {}); return { method: 'DELETE', path: `/users/${s}/tokens/${t.id as string}` }; },
  },
  { route: 'GET /users/:user/keys', ok: 200, make: async (s) => ({ method: 'GET', path: `/users/${s}/keys` }) },
  { route: 'POST /users/:user/keys', ok: 201, make: async (s) => ({ method: 'POST', path: `/users/${s}/keys`, body: { key: newKey() } }) },
  {
    route: 'DELETE /users/:user/keys/:id', ok: 204,
    make: async (s) => { const k = await asAdmin('POST', `/users/${s}/keys`, { key: newKey() }); return { method: 'DELETE', path: `/users/${s}/keys/${k.id as string}` }; },
  },
  { route: 'POST /invites', global: true, adminOnly: true, ok: 201, make: async () => ({ method: 'POST', path: '/invites', body: { user: 'alice' } }) },
  { route: 'GET /invites', global: true, adminOnly: true, ok: 200, make: async () => ({ method: 'GET', path: '/invites' }) },
  {
    route: 'DELETE /invites/:id', global: true, adminOnly: true, ok: 204,
    make: async () => { const i = await asAdmin('POST', '/invites', { user: 'bob' }); return { method: 'DELETE', path: `/invites/${i.id as string}` }; },
  },
  {
    route: 'POST /invites/redeem', global: true, public: true, ok: 200,
    make: async () => { const i = await asAdmin('POST', '/invites', { user: 'bob' }); return { method: 'POST', path: '/invites/redeem', body: { code: i.code } }; },
  },
  { route: 'GET /workspaces', ok: 200, make: async (s) => ({ method: 'GET', path: `/workspaces?user=${s}` }) },
  { route: 'GET /workspaces?all=1', global: true, adminOnly: true, ok: 200, make: async () => ({ method: 'GET', path: '/workspaces?all=1' }) },
  { route: 'POST /workspaces', ok: 201, make: async (s) => ({ method: 'POST', path: '/workspaces?wait=0', body: { name: uniq('c'), user: s, image: TEST_IMAGES.busybox, volume: false } }) },
  { route: 'GET /workspaces/:user/:name', ok: 200, make: async (s) => ({ method: 'GET', path: `/workspaces/${s}/${await workspaceOf(s)}` }) },
  { route: 'POST /workspaces/:user/:name/sign-in', ok: 201, intoWorkspace: true, make: async (s) => ({ method: 'POST', path: `/workspaces/${s}/${await workspaceOf(s)}/sign-in` }) },
  ...(['start', 'stop', 'restart'] as const).map((verb): Case => ({
    route: `POST /workspaces/:user/:name/${verb}`, ok: 200, make: async (s) => ({ method: 'POST', path: `/workspaces/${s}/${await workspaceOf(s)}/${verb}` }),
  })),
  { route: 'POST /workspaces/:user/:name/extend', ok: 200, make: async (s) => ({ method: 'POST', path: `/workspaces/${s}/${await workspaceOf(s)}/extend`, body: { days: 1 } }) },
  { route: 'GET /workspaces/:user/:name/stats', ok: 200, make: async (s) => ({ method: 'GET', path: `/workspaces/${s}/${await workspaceOf(s)}/stats` }) },
  { route: 'GET /workspaces/:user/:name/stats/watch', ok: 200, make: async (s) => ({ method: 'GET', path: `/workspaces/${s}/${await workspaceOf(s)}/stats/watch?intervalMs=250`, stream: true }) },
  { route: 'GET /stats/watch', ok: 200, make: async (s) => ({ method: 'GET', path: `/stats/watch?user=${s}&intervalMs=1000`, stream: true }) },
  { route: 'GET /stats/watch?all=1', global: true, adminOnly: true, ok: 200, make: async () => ({ method: 'GET', path: '/stats/watch?all=1', stream: true }) },
  { route: 'GET /stats/history', ok: 200, make: async (s) => ({ method: 'GET', path: `/stats/history?user=${s}&minutes=60` }) },
  { route: 'GET /stats/history?all=1', global: true, adminOnly: true, ok: 200, make: async () => ({ method: 'GET', path: '/stats/history?all=1' }) },
  { route: 'GET /workspaces/:user/:name/logs', ok: 200, make: async (s) => ({ method: 'GET', path: `/workspaces/${s}/${await workspaceOf(s)}/logs?tail=5` }) },
  { route: 'DELETE /workspaces/:user/:name', ok: 204, make: async (s) => ({ method: 'DELETE', path: `/workspaces/${s}/${await workspaceOf(s)}` }) },
  { route: 'GET /settings', global: true, adminOnly: true, ok: 200, make: async () => ({ method: 'GET', path: '/settings' }) },
  { route: 'PATCH /settings', global: true, adminOnly: true, ok: 200, make: async () => ({ method: 'PATCH', path: '/settings', body: { expiryWarningHours: 24 } }) },
  { route: 'POST /cleanup', global: true, adminOnly: true, ok: 200, make: async () => ({ method: 'POST', path: '/cleanup', body: { dryRun: true } }) },
  { route: 'GET /audit', global: true, adminOnly: true, ok: 200, make: async () => ({ method: 'GET', path: '/audit?limit=5' }) },
  { route: 'GET /audit/export', global: true, adminOnly: true, ok: 200, make: async () => ({ method: 'GET', path: '/audit/export?limit=5&format=json' }) },
];

function expected(c: Case, who: Who, scope: 'own' | 'other'): number {
  if (c.public) return c.ok;
  if (who === 'anonymous') return 401;
  if (who === 'admin') return c.intoWorkspace && scope === 'other' ? 403 : c.ok;
  if (c.adminOnly) return 403;
  return scope === 'own' || c.global ? c.ok : 403;
}

describe('authorization matrix', () => {
  it('covers every route of the API', () => {
    const covered = new Set(CASES.map((c) => c.route.replace('?all=1', '')));
    const all = OPERATIONS.map((op) => `${ENDPOINTS[op].method} ${ENDPOINTS[op].path}`);
    expect(all.filter((r) => !covered.has(r))).toEqual([]);
    expect([...covered].filter((r) => !all.includes(r))).toEqual([]);
  });

  it('answers every route × actor × own/other as expected', async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const c of CASES) {
      for (const who of ['anonymous', 'alice', 'bob', 'admin'] as const) {
        for (const scope of c.global ? (['own'] as const) : (['own', 'other'] as const)) {
          const acting = who === 'anonymous' ? 'alice' : who;
          const subject = scope === 'own' ? acting : OTHER[acting];
          const req = await c.make(subject);
          const r = req.stream ? await streamStatus(req.path, who === 'anonymous' ? null : tokens[who]!) : await api(h.url, req.method, req.path, who === 'anonymous' ? null : tokens[who]!, req.body);
          checked++;
          const want = expected(c, who, scope);
          if (r.status !== want) mismatches.push(`${c.route} as ${who} on ${scope} (${req.path}): ${r.status}, expected ${want} ${r.text.slice(0, 120)}`);
          else if (want >= 400) expect((r.body as { error: { code: string } }).error.code).toMatch(/^(unauthorized|forbidden)$/);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  });

  it('leaves no trace across users: what alice tried on bob changed nothing and read nothing', async () => {
    const before = await asAdmin('GET', '/users/bob');
    const wb = await workspaceOf('bob');
    const { expiresAt: expiryBefore } = await asAdmin('GET', `/workspaces/bob/${wb}`);
    const attempts: [string, string, unknown?][] = [
      ['POST', `/workspaces/bob/${wb}/stop`], ['DELETE', `/workspaces/bob/${wb}`], ['POST', `/workspaces/bob/${wb}/extend`, { days: 5 }],
      ['POST', '/users/bob/tokens', {}], ['POST', '/users/bob/keys', { key: newKey() }], ['PATCH', '/users/bob', { admin: true }],
      ['POST', '/workspaces?wait=0', { name: 'sneaky', user: 'bob', image: TEST_IMAGES.busybox }],
      ['GET', `/workspaces/bob/${wb}/logs`], ['GET', '/users/bob/tokens'], ['GET', '/workspaces?user=bob'],
    ];
    for (const [m, p, b] of attempts) {
      const r = await api(h.url, m, p, tokens.alice!, b);
      expect(r.status, `${m} ${p}`).toBe(403);
      expect(r.text).not.toContain(wb + '"'); // no data about bob's resources in the refusal
    }
    const after = await asAdmin('GET', '/users/bob');
    expect(after).toEqual(before);
    const ws = (await asAdmin('GET', `/workspaces/bob/${wb}`)) as { state: string; expiresAt: string | null };
    expect(ws.expiresAt).toBe(expiryBefore);
    expect(((await asAdmin('GET', '/workspaces?user=bob')) as unknown as { name: string }[]).some((w) => w.name === 'sneaky')).toBe(false);
    // alice's own listing never includes others
    const mine = (await api(h.url, 'GET', '/workspaces', tokens.alice!)).body as { user: string }[];
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((w) => w.user === 'alice')).toBe(true);
  });

  it("a user-scope token of an admin is not an admin token", async () => {
    const t = await asAdmin('POST', '/users/admin/tokens', { scope: 'user' });
    expect((await api(h.url, 'GET', '/users', t.token as string)).status).toBe(403);
    expect((await api(h.url, 'POST', '/users/admin/tokens', t.token as string, { scope: 'admin' })).status).toBe(403);
    expect((await api(h.url, 'POST', '/users/alice/tokens', tokens.alice!, { scope: 'admin' })).status).toBe(400);
  });

  it('revoked, expired and blocked-user tokens stop working at once', async () => {
    const t = await asAdmin('POST', '/users/alice/tokens', {});
    expect((await api(h.url, 'GET', '/info', t.token as string)).status).toBe(200);
    await asAdmin('DELETE', `/users/alice/tokens/${t.id as string}`);
    expect((await api(h.url, 'GET', '/info', t.token as string)).status).toBe(401);
    await asAdmin('PATCH', '/users/bob', { blocked: true });
    expect((await api(h.url, 'GET', '/info', tokens.bob!)).status).toBe(401);
    await asAdmin('PATCH', '/users/bob', { blocked: false });
    expect((await api(h.url, 'GET', '/info', tokens.bob!)).status).toBe(200);
    // tokens are stored hashed: the secret appears nowhere in the data directory
    const state = dataDirText(h.dataDir);
    expect(state).not.toContain(tokens.alice!);
    expect(state).not.toContain(h.adminToken);
  });
});

/** A stream that never ends by itself: its status, its error body if refused, then hang up. */
async function streamStatus(path: string, token: string | null): Promise<{ status: number; body: unknown; text: string }> {
  const ac = new AbortController();
  const res = await fetch(`${h.url}/api/v1${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: ac.signal });
  if (res.status === 200) {
    ac.abort();
    return { status: 200, body: undefined, text: '' };
  }
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), text };
}

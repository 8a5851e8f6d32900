import http from 'node:http';
import { utils } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS, OPERATIONS, isChangeOperation, type ChangeOperation } from '../../../main/api/endpoints';
import type { AuditEntry } from '../../../main/api/audit-dto';
import { AUDIT_ACTIONS } from '../../../main/hub/audit-actions';
import { api, startApiHub, type ApiHub } from '../../support/api-hub';
import { TEST_IMAGES } from '../../support/test-images';

// Every state-changing route of the API (the authorization matrix's route table, from the one
// endpoint table) leaves an audit entry — done by an admin, refused for a member on someone
// else's, refused without credentials — with the actor, its token id and the client's address.
// Each request comes from its own loopback address (127.0.0.N), so the entry's address is proven.
let h: ApiHub;
const tokens: Record<string, string> = {};
const tokenIds: Record<string, string> = {};
let seq = 0;
const uniq = (p: string) => `${p}${++seq}`;
let lastHost = 1;

function newKey(): string {
  return utils.generateKeyPairSync('ed25519').public.trim();
}

async function asAdmin(method: string, path: string, body?: unknown) {
  const r = await api(h.url, method, path, h.adminToken, body);
  if (r.status >= 300) throw new Error(`setup ${method} ${path}: ${r.status} ${r.text}`);
  return r.body as Record<string, unknown>;
}

async function workspaceOf(user: string): Promise<string> {
  const name = uniq('w');
  await asAdmin('POST', '/workspaces?wait=0', { name, user, image: TEST_IMAGES.busybox, volume: false, days: 3 });
  return name;
}

/** A request from its own loopback address; answers the status and that address. */
function from(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; address: string }> {
  const address = `127.0.0.${(lastHost = (lastHost % 250) + 2)}`;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (payload) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = http.request(`${h.url}/api/v1${path}`, { method, headers, localAddress: address }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, address }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

interface Case {
  /** About the hub itself: no own/other resource. */
  global?: boolean;
  adminOnly?: boolean;
  public?: boolean;
  make: (subject: string) => Promise<{ method: string; path: string; body?: unknown }>;
}

const CASES: Record<ChangeOperation, Case> = {
  createLoginCode: { global: true, make: async () => ({ method: 'POST', path: '/login-codes' }) },
  createImage: { global: true, adminOnly: true, make: async () => ({ method: 'POST', path: '/images', body: { name: uniq('img'), ref: 'debian:bookworm' } }) },
  updateImage: { global: true, adminOnly: true, make: async () => ({ method: 'PATCH', path: '/images/busybox', body: { displayName: uniq('Busybox ') } }) },
  deleteImage: {
    global: true, adminOnly: true,
    make: async () => { const name = uniq('img'); await asAdmin('POST', '/images', { name, ref: 'debian:bookworm' }); return { method: 'DELETE', path: `/images/${name}` }; },
  },
  createUser: { global: true, adminOnly: true, make: async () => ({ method: 'POST', path: '/users', body: { name: uniq('u') } }) },
  updateUser: { adminOnly: true, make: async (s) => ({ method: 'PATCH', path: `/users/${s}`, body: { selfService: true } }) },
  deleteUser: {
    global: true, adminOnly: true,
    make: async () => { const name = uniq('u'); await asAdmin('POST', '/users', { name }); return { method: 'DELETE', path: `/users/${name}` }; },
  },
  createGroup: { global: true, adminOnly: true, make: async () => ({ method: 'POST', path: '/groups', body: { name: uniq('g') } }) },
  updateGroup: {
    global: true, adminOnly: true,
    make: async () => { const name = uniq('g'); await asAdmin('POST', '/groups', { name }); return { method: 'PATCH', path: `/groups/${name}`, body: { quota: { cpus: 2 } } }; },
  },
  deleteGroup: {
    global: true, adminOnly: true,
    make: async () => { const name = uniq('g'); await asAdmin('POST', '/groups', { name }); return { method: 'DELETE', path: `/groups/${name}` }; },
  },
  createToken: { make: async (s) => ({ method: 'POST', path: `/users/${s}/tokens`, body: { note: 'x' } }) },
  revokeToken: { make: async (s) => { const t = await asAdmin('POST', `/users/${s}/tokens`, {}); return { method: 'DELETE', path: `/users/${s}/tokens/${t.id as string}` }; } },
  addKey: { make: async (s) => ({ method: 'POST', path: `/users/${s}/keys`, body: { key: newKey() } }) },
  removeKey: { make: async (s) => { const k = await asAdmin('POST', `/users/${s}/keys`, { key: newKey() }); return { method: 'DELETE', path: `/users/${s}/keys/${k.id as string}` }; } },
  createInvite: { global: true, adminOnly: true, make: async () => ({ method: 'POST', path: '/invites', body: { user: 'alice' } }) },
  revokeInvite: {
    global: true, adminOnly: true,
    make: async () => { const i = await asAdmin('POST', '/invites', { user: 'bob' }); return { method: 'DELETE', path: `/invites/${i.id as string}` }; },
  },
  redeemInvite: {
    global: true, public: true,
    make: async () => { const i = await asAdmin('POST', '/invites', { user: 'bob' }); return { method: 'POST', path: '/invites/redeem', body: { code: i.code } }; },
  },
  createWorkspace: { make: async (s) => ({ method: 'POST', path: '/workspaces?wait=0', body: { name: uniq('c'), user: s, image: TEST_IMAGES.busybox, volume: false } }) },
  workspaceSignIn: { make: async (s) => ({ method: 'POST', path: `/workspaces/${s}/${await workspaceOf(s)}/sign-in` }) },
  removeWorkspace: { make: async (s) => ({ method: 'DELETE', path: `/workspaces/${s}/${await workspaceOf(s)}` }) },
  startWorkspace: { make: async (s) => ({ method: 'POST', path: `/workspaces/${s}/${await workspaceOf(s)}/start` }) },
  stopWorkspace: { make: async (s) => ({ method: 'POST', path: `/workspaces/${s}/${await workspaceOf(s)}/stop` }) },
  restartWorkspace: { make: async (s) => ({ method: 'POST', path: `/workspaces/${s}/${await workspaceOf(s)}/restart` }) },
  extendWorkspace: { make: async (s) => ({ method: 'POST', path: `/workspaces/${s}/${await workspaceOf(s)}/extend`, body: { days: 1 } }) },
  updateSettings: { global: true, adminOnly: true, make: async () => ({ method: 'PATCH', path: '/settings', body: { expiryWarningHours: 24 } }) },
  cleanup: { global: true, adminOnly: true, make: async () => ({ method: 'POST', path: '/cleanup', body: { dryRun: true } }) },
};

/** The newest entry of an action (requests run one at a time, so it is the one just made). */
async function newest(action: string): Promise<AuditEntry | undefined> {
  return (await h.hub.audit.page({ action }, undefined, 1)).entries[0];
}

/** The workspace a request names (`owner/name`), if any. */
function workspaceIn(req: { path: string; body?: unknown }, subject: string): string | null {
  const m = /^\/workspaces\/([^/?]+)\/([^/?]+)/.exec(req.path);
  if (m) return `${m[1]}/${m[2]}`;
  const body = req.body as { name?: string } | undefined;
  return req.path.startsWith('/workspaces?') ? `${subject}/${body!.name}` : null;
}

beforeAll(async () => {
  h = await startApiHub('audit');
  await asAdmin('POST', '/images', { name: 'busybox', ref: TEST_IMAGES.busybox });
  for (const u of ['alice', 'bob']) {
    await asAdmin('POST', '/users', { name: u, selfService: true });
    const t = await asAdmin('POST', `/users/${u}/tokens`, { note: 'audit' });
    tokens[u] = t.token as string;
    tokenIds[u] = t.id as string;
  }
  tokens.admin = h.adminToken;
  tokenIds.admin = ((await asAdmin('GET', '/users/admin/tokens')) as unknown as { id: string; note: string }[]).find((t) => t.note === 'first admin token')!.id;
});
afterAll(() => h.stop());

describe('audit log of every state-changing route', () => {
  it('has a case for every state-changing operation and none for a reading one', () => {
    const changing = OPERATIONS.filter(isChangeOperation);
    expect(Object.keys(CASES).sort()).toEqual([...changing].sort());
    expect(changing.map((op) => ENDPOINTS[op].method as string)).not.toContain('GET');
    expect(changing.length).toBeGreaterThanOrEqual(26);
  });

  it('records each as done (admin), refused (a member on another\'s), refused (no credentials)', async () => {
    const wrong: string[] = [];
    const check = (op: string, who: string, e: AuditEntry | undefined, want: Partial<AuditEntry>) => {
      const got = e ? Object.fromEntries(Object.keys(want).map((k) => [k, e[k as keyof AuditEntry]])) : null;
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${op} as ${who}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    };
    for (const op of Object.keys(CASES) as ChangeOperation[]) {
      const c = CASES[op];
      // Done: an admin on their own.
      let req = await c.make('admin');
      let r = await from(req.method, req.path, c.public ? null : tokens.admin!, req.body);
      if (r.status >= 300) wrong.push(`${op} as admin answered ${r.status}`);
      const done = await newest(actionOf(op));
      check(op, 'admin', done, {
        user: c.public ? null : 'admin', tokenId: c.public ? null : tokenIds.admin, address: r.address, outcome: 'ok', code: null,
        ...(workspaceIn(req, 'admin') ? { workspace: workspaceIn(req, 'admin') } : {}),
      });
      if (!done?.objectName) wrong.push(`${op} as admin: no object name`);
      // Refused: alice on bob's (or on the hub's administration).
      if (!c.public && (c.adminOnly || !c.global)) {
        req = await c.make('bob');
        r = await from(req.method, req.path, tokens.alice!, req.body);
        if (r.status !== 403) wrong.push(`${op} as alice on bob's answered ${r.status}`);
        check(op, 'alice', await newest(actionOf(op)), { user: 'alice', tokenId: tokenIds.alice, address: r.address, outcome: 'refused', code: 'forbidden' });
      }
      // Refused: nobody (a public route: a code that is no good).
      req = await c.make('alice');
      r = c.public ? await from(req.method, req.path, null, { code: 'not-a-code' }) : await from(req.method, req.path, null, req.body);
      if (r.status !== 401) wrong.push(`${op} without credentials answered ${r.status}`);
      check(op, 'nobody', await newest(actionOf(op)), { user: null, tokenId: null, address: r.address, outcome: 'refused', code: 'unauthorized' });
    }
    expect(wrong).toEqual([]);
  });
});

/** The action an operation records, as the hub names it. */
function actionOf(op: ChangeOperation): string {
  return (AUDIT_ACTIONS[op] as (a: unknown, i: unknown, r: unknown) => { action: string })({ user: 'x', admin: true }, { user: 'u', name: 'n', body: {} }, undefined).action;
}

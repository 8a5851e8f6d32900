import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../main/engine/create-engine';
import { Hub } from '../../../main/hub/hub';
import { hubOperations } from '../../../main/hub/hub-operations';
import { MAX_TOKENS_PER_USER } from '../../../main/hub/token-service';
import { identityOf } from '../../../main/hub/user-identity';
import { newInviteCode } from '../../../main/core/invite-link';
import { api, startApiHub, type ApiHub } from '../../support/api-hub';
import { dataDirText, rewriteAsLegacy } from '../../support/stored-state';

const ADMIN = { user: 'admin', admin: true };

describe('invites on the hub', () => {
  let hub: Hub;
  let dir: string;
  let clock = new Date('2026-03-01T12:00:00Z');
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invites-'));
    const engine = await createEngine({ kind: 'fake', origin: 'inv' });
    hub = (await Hub.open({ engine, dataDir: dir, now: () => clock })).hub;
    await hub.users.create(ADMIN, { name: 'bob', quota: { maxWorkspaces: 2, cpus: 4 } });
    await hub.users.create(ADMIN, { name: 'eve' });
  });
  afterAll(async () => {
    await hub.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const ops = () => hubOperations(hub);

  it('trades a code once for a token of the invited user; the store keeps only its hash', async () => {
    const inv = await ops().createInvite(ADMIN, { body: { user: 'bob', note: 'laptop' } }, {});
    expect(inv).toMatchObject({ user: 'bob', note: 'laptop', createdBy: 'admin', hubId: hub.id, expiresAt: '2026-03-02T12:00:00Z', shared: null });
    expect(dataDirText(dir)).toContain(inv.id);
    expect(dataDirText(dir)).not.toContain(inv.code);
    expect(fs.statSync(path.join(dir, 'hub.db')).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(dir, 'invites.json'))).toBe(false);
    expect((await ops().listInvites(ADMIN, {}, {})).map((i) => i.id)).toEqual([inv.id]);

    const got = await ops().redeemInvite({ user: '', admin: false }, { body: { code: inv.code } }, {});
    expect(got.user).toBe('bob');
    expect(got.hubId).toBe(hub.id);
    expect(hub.tokens.authenticate(got.token.token)).toMatchObject({ user: 'bob', admin: false });
    expect(got.token.note).toBe(`joined by invite ${inv.id}`);
    await expect(ops().redeemInvite({ user: '', admin: false }, { body: { code: inv.code } }, {})).rejects.toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/already used/) });
    expect(await ops().listInvites(ADMIN, {}, {})).toEqual([]);
  });

  it('refuses an expired, a revoked or a mistyped code alike, and invites for blocked users', async () => {
    const late = await ops().createInvite(ADMIN, { body: { user: 'bob', expiresInHours: 1 } }, {});
    const gone = await ops().createInvite(ADMIN, { body: { user: 'bob' } }, {});
    await ops().revokeInvite(ADMIN, { id: gone.id }, {});
    clock = new Date(clock.getTime() + 3_600_000);
    for (const code of [late.code, gone.code, `${late.code.slice(0, -1)}x`, 'nonsense']) {
      await expect(hub.invites.redeem({ code }, hub.id)).rejects.toMatchObject({ code: 'unauthorized' });
    }
    await hub.users.update(ADMIN, 'eve', { blocked: true });
    await expect(hub.invites.create(ADMIN, { user: 'eve' }, hub.id)).rejects.toThrow(/eve is blocked/);
    await expect(hub.invites.create(ADMIN, { user: 'nobody' }, hub.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(hub.invites.create(ADMIN, { user: 'bob', expiresInHours: 24 * 31 }, hub.id)).rejects.toThrow(/^expiresInHours: must be at most 720/);
    await expect(hub.invites.revoke(ADMIN, 'nope')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lets only admins invite, list and revoke', async () => {
    const bob = { user: 'bob', admin: false };
    await expect(ops().createInvite(bob, { body: { user: 'bob' } }, {})).rejects.toMatchObject({ code: 'forbidden' });
    await expect(ops().listInvites(bob, {}, {})).rejects.toMatchObject({ code: 'forbidden' });
    await expect(ops().revokeInvite(bob, { id: 'x' }, {})).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('puts the address the hub is shared at into new invites, and forgets it when sharing stops', async () => {
    const fp = 'C0'.repeat(32);
    await hub.invites.setShared({ url: 'https://192.168.1.20:8585', fingerprint: fp });
    expect((await hub.invites.create(ADMIN, { user: 'bob' }, hub.id)).shared).toEqual({ url: 'https://192.168.1.20:8585', fingerprint: fp });
    await expect(hub.invites.setShared({ url: 'http://192.168.1.20:8585', fingerprint: null })).rejects.toThrow(/clear text/);
    await hub.invites.setShared(null);
    expect(await hub.invites.shared()).toBeNull();
  });

  it('drops the invites of a deleted user with the user, in the same write', async () => {
    await hub.users.create(ADMIN, { name: 'dan' });
    const inv = await hub.invites.create(ADMIN, { user: 'dan' }, hub.id);
    await hub.users.delete(ADMIN, 'dan');
    expect((await hub.invites.list(ADMIN)).map((i) => i.user)).not.toContain('dan');
    await hub.users.create(ADMIN, { name: 'dan' });
    await expect(hub.invites.redeem({ code: inv.code }, hub.id)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('redeems in one write: a code whose user is at the token limit stays unused, and no token is half made', async () => {
    await hub.users.create(ADMIN, { name: 'tess' });
    const inv = await hub.invites.create(ADMIN, { user: 'tess' }, hub.id);
    for (let n = 0; n < MAX_TOKENS_PER_USER; n++) await hub.tokens.issue('tess', { note: `t${n}`, scope: 'user', expiresInDays: null });
    await expect(hub.invites.redeem({ code: inv.code }, hub.id)).rejects.toMatchObject({ code: 'conflict' });
    expect((await hub.invites.list(ADMIN)).map((i) => i.id)).toContain(inv.id);
    const first = hub.tokens.list(ADMIN, 'tess')[0]!;
    await hub.tokens.revoke(ADMIN, 'tess', first.id);
    const events: string[] = [];
    const off = hub.bus.subscribe((e) => { if (e.type === 'token.changed') events.push(`${e.user} ${e.change}`); });
    expect((await hub.invites.redeem({ code: inv.code }, hub.id)).user).toBe('tess');
    off();
    expect(events).toEqual(['tess created']);
    expect(hub.tokens.list(ADMIN, 'tess')).toHaveLength(MAX_TOKENS_PER_USER);
  });
});

describe('invites.json from before hub.db', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const dirs: string[] = [];
  afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

  async function openHub(dir: string): Promise<{ hub: Hub; log: string[] }> {
    const log: string[] = [];
    const engine = await createEngine({ kind: 'fake', origin: 'invmig' });
    const { hub } = await Hub.open({ engine, dataDir: dir, now: () => now, log: (m) => log.push(m) });
    return { hub, log };
  }

  it('is moved into hub.db once (pending invites, the shared address), then kept as invites.json.migrated', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invites-mig-'));
    dirs.push(dir);
    let { hub } = await openHub(dir);
    await hub.users.create(ADMIN, { name: 'bob' });
    const bob = hub.users.mustFind('bob');
    await hub.close();
    // A hub two versions back: hub.json (no invites in it) with invites.json beside it; both move in.
    rewriteAsLegacy(dir, (s) => { delete s.invites; delete s.shared; });
    // What a hub before hub.db wrote: one live invite, one expired, the address it was shared at.
    const live = newInviteCode();
    const old = newInviteCode();
    const record = (c: typeof live, expiresAt: string) => ({
      id: c.id, user: 'bob', uid: identityOf(bob), hash: c.hash, note: 'from before', createdBy: 'admin', createdAt: '2026-03-01T11:00:00Z', expiresAt,
    });
    const shared = { url: 'https://192.168.1.20:8585', fingerprint: 'AB'.repeat(32) };
    const file = { version: 1, invites: [record(live, '2026-03-02T11:00:00Z'), record(old, '2026-03-01T11:30:00Z')], shared };
    fs.writeFileSync(path.join(dir, 'invites.json'), JSON.stringify(file), { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'invites.json.lock'), '999999999 -');
    fs.writeFileSync(path.join(dir, 'invites.json.tmp-999999999'), '{');

    ({ hub } = await openHub(dir));
    expect((await hub.invites.list(ADMIN)).map((i) => i.id)).toEqual([live.id]);
    expect(await hub.invites.shared()).toEqual(shared);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('invites.json'))).toEqual(['invites.json.migrated']);
    expect(fs.existsSync(path.join(dir, 'hub.json.migrated'))).toBe(true);
    expect(dataDirText(dir)).not.toContain(live.code);
    await hub.close();

    // Once: a file that turns up again (an older Hubdeck still running) is not read a second time.
    fs.writeFileSync(path.join(dir, 'invites.json'), JSON.stringify({ ...file, shared: null }));
    ({ hub } = await openHub(dir));
    expect(await hub.invites.shared()).toEqual(shared);
    expect(fs.existsSync(path.join(dir, 'invites.json'))).toBe(true);
    expect((await hub.invites.redeem({ code: live.code }, hub.id)).user).toBe('bob');
    expect(await hub.invites.list(ADMIN)).toEqual([]);
    await hub.close();
  });

  it('sets a damaged file aside (invites.json.corrupt) and opens the hub all the same', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invites-bad-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'invites.json'), '{"version": 1, "inv');
    const { hub, log } = await openHub(dir);
    expect(await hub.invites.list(ADMIN)).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'invites.json.corrupt'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'invites.json'))).toBe(false);
    expect(log.join('\n')).toMatch(/invites\.json is damaged .*set aside/);
    await hub.close();
  });
});

describe('redeeming over HTTP', () => {
  let h: ApiHub;
  beforeAll(async () => {
    h = await startApiHub('invh', { server: { sleep: async () => undefined } });
    await api(h.url, 'POST', '/users', h.adminToken, { name: 'bob' });
  });
  afterAll(() => h.stop());

  it('needs no credentials, answers with a working token, and throttles guessing', async () => {
    const inv = (await api(h.url, 'POST', '/invites', h.adminToken, { user: 'bob' })).body as { code: string };
    const r = await api(h.url, 'POST', '/invites/redeem', null, { code: inv.code });
    expect(r.status).toBe(200);
    const token = (r.body as { token: { token: string } }).token.token;
    expect(((await api(h.url, 'GET', '/info', token)).body as { user: unknown }).user).toEqual({ name: 'bob', admin: false });
    expect((await api(h.url, 'POST', '/invites/redeem', null, { code: inv.code })).status).toBe(401);
    expect((await api(h.url, 'POST', '/invites/redeem', null, { code: 'x', extra: 1 })).status).toBe(400);
    const statuses: number[] = [];
    for (let n = 0; n < 16; n++) statuses.push((await api(h.url, 'POST', '/invites/redeem', null, { code: `hdi_0123456789_${'A'.repeat(43)}` })).status);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
  });
});

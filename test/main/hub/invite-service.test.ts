import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../main/engine/create-engine';
import { Hub } from '../../../main/hub/hub';
import { hubOperations } from '../../../main/hub/hub-operations';
import { api, startApiHub, type ApiHub } from '../../support/api-hub';

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

  it('trades a code once for a token of the invited user; the file keeps only its hash', async () => {
    const inv = await ops().createInvite(ADMIN, { body: { user: 'bob', note: 'laptop' } }, {});
    expect(inv).toMatchObject({ user: 'bob', note: 'laptop', createdBy: 'admin', hubId: hub.id, expiresAt: '2026-03-02T12:00:00Z', shared: null });
    const file = fs.readFileSync(path.join(dir, 'invites.json'), 'utf8');
    expect(file).not.toContain(inv.code);
    expect(fs.statSync(path.join(dir, 'invites.json')).mode & 0o777).toBe(0o600);
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

  it('sets a damaged invites file aside instead of failing', async () => {
    fs.writeFileSync(path.join(dir, 'invites.json'), '{"version": 1, "inv');
    expect(await hub.invites.list(ADMIN)).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'invites.json.corrupt'))).toBe(true);
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

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubdeck } from '../../support/cli';
import { startServe, type ServeProcess } from '../../support/hub-process';
import { sweep, testOrigin } from '../../support/docker-fixture';
import { TEST_IMAGES } from '../../support/test-images';

// A team lead's `hub serve` (TLS, generated certificate) on the real engine makes an invite; a
// teammate's `hubdeck hub join` in another process, with its own data directory, trades it for a
// token that then works for that teammate only, once.
const origin = testOrigin('join');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-hub-'));
const teammateData = fs.mkdtempSync(path.join(os.tmpdir(), 'join-mate-'));
const mate = { HUBDECK_DATA: teammateData };
let srv: ServeProcess;
let admin: string[] = [];
let invite = '';

beforeAll(async () => {
  srv = await startServe(['--data', dataDir, '--listen', '127.0.0.1:0', '--tls', '--origin', origin]);
  admin = ['--hub', srv.url, '--token', srv.adminToken!, '--fingerprint', srv.fingerprint!];
  const add = await hubdeck([...admin, 'user', 'add', 'bob', '--self-service', '--max-workspaces', '1']);
  expect(add.stderr).toBe('');
  await hubdeck([...admin, 'image', 'add', 'busybox', TEST_IMAGES.busybox]);
});
afterAll(async () => {
  await srv.stop('SIGKILL').catch(() => undefined);
  await sweep(origin);
  for (const d of [dataDir, teammateData]) fs.rmSync(d, { recursive: true, force: true });
});

describe('joining a hub by invite', () => {
  it('the admin gets a link and a one-line command carrying the URL and the pinned fingerprint', async () => {
    const r = await hubdeck([...admin, 'hub', 'invite', 'bob', '--hours', '2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const link = /^ {2}(hubdeck:\/\/join\?invite=\S+)$/m.exec(r.stdout)?.[1];
    const command = /^ {2}hubdeck hub join (\S+)$/m.exec(r.stdout)?.[1];
    expect(link).toBe(`hubdeck://join?invite=${command}`);
    invite = command!;
    const json = await hubdeck([...admin, '--json', 'hub', 'invite', 'bob']);
    expect(JSON.parse(json.stdout)).toMatchObject({ user: 'bob', link: expect.stringMatching(/^hubdeck:\/\/join\?invite=hi1\./) });
  });

  it('a teammate in another process joins with it, gets a working token of their own, saved 0600', async () => {
    const r = await hubdeck(['hub', 'join', invite, '--name', 'team'], mate);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`at ${srv.url} as bob (certificate ${srv.fingerprint})`);
    const file = path.join(teammateData, 'hubs.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const info = await hubdeck(['--hub', 'team', '--json', 'hub', 'info'], mate);
    expect(JSON.parse(info.stdout).user).toEqual({ name: 'bob', admin: false });
    // The token is bob's: his own workspaces on the real engine, within his quota, nobody else's users.
    const create = await hubdeck(['--hub', 'team', 'workspace', 'create', 'w1', '--image', TEST_IMAGES.busybox, '--no-volume'], mate);
    expect(create.stderr).not.toMatch(/hubdeck:/);
    expect(create.code).toBe(0);
    const list = await hubdeck(['--hub', 'team', '--json', 'workspace', 'list'], mate);
    expect((JSON.parse(list.stdout) as { name: string; user: string }[]).map((w) => `${w.user}/${w.name}`)).toEqual(['bob/w1']);
    expect((await hubdeck(['--hub', 'team', 'user', 'list'], mate)).code).toBe(7);
  });

  it('keeps working from a hubs.json of the first layout (version 1: no kind, a pin with colons)', async () => {
    const file = path.join(teammateData, 'hubs.json');
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { version: number; hubs: Record<string, unknown>[] };
    expect(saved.version).toBe(2);
    const v1 = { version: 1, hubs: saved.hubs.map(({ kind: _kind, ...h }) => ({ ...h, fingerprint: srv.fingerprint })) };
    fs.writeFileSync(file, JSON.stringify(v1), { mode: 0o600 });
    const info = await hubdeck(['--hub', 'team', '--json', 'hub', 'info'], mate);
    expect(info.stderr).toBe('');
    expect(JSON.parse(info.stdout).user).toEqual({ name: 'bob', admin: false });
    const list = await hubdeck(['--json', 'hub', 'list'], mate);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'team', kind: 'hubdeck', url: srv.url, user: 'bob' })]);
    // Read, not rewritten: an older CLI on this machine still reads it.
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(v1);
  });

  it('refuses the same invite a second time, and a tampered one before touching the network', async () => {
    const again = await hubdeck(['hub', 'join', invite, '--name', 'again'], mate);
    expect(again.code).toBe(7);
    expect(again.stderr).toMatch(/this invite is not valid: it expired, was already used/);
    const tampered = invite.replace(/\.(.)/, (_m, c: string) => `.${c === 'A' ? 'B' : 'A'}`);
    const bad = await hubdeck(['hub', 'join', tampered], mate);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^hubdeck: invite: this is not a whole Hubdeck invite/);
  });
});

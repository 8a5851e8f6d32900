import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteHubClient } from '../../../main/client/remote-hub-client';
import { hubdeck } from '../../support/cli';
import { startServe, type ServeProcess } from '../../support/hub-process';
import { sweep, testOrigin } from '../../support/docker-fixture';
import { TEST_IMAGES } from '../../support/test-images';

// `hubdeck hub serve` as a team server: a real process with a generated TLS certificate, driven by
// the real CLI with --hub/--token/--fingerprint, killed with -9 and restarted, stopped with SIGTERM.
const origin = testOrigin('srv');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-data-'));
const serveArgs = ['--data', dataDir, '--listen', '127.0.0.1:0', '--tls', '--origin', origin, '--tick', '1'];
let srv: ServeProcess;
let aliceToken = '';

const remote = (token: string, extra: string[] = []) => ['--hub', srv.url, '--token', token, '--fingerprint', srv.fingerprint!, ...extra];

beforeAll(async () => {
  srv = await startServe(serveArgs);
});
afterAll(async () => {
  await srv.stop('SIGKILL').catch(() => undefined);
  await sweep(origin);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('hub serve', () => {
  it('prints the listening URL, the TLS fingerprint and a one-time admin token on first start', () => {
    expect(srv.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(srv.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(srv.adminToken).toMatch(/^hdk_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$/);
    expect(srv.reconciled).toBe('reconciled: 0 workspace(s), 0 orphaned');
    expect((fs.statSync(path.join(dataDir, 'tls', 'key.pem')).mode & 0o777).toString(8)).toBe('600');
  });

  it('is administered through the CLI: users, tokens (JSON contract), images', async () => {
    const admin = srv.adminToken!;
    const add = await hubdeck([...remote(admin), 'user', 'add', 'alice', '--self-service', '--max-workspaces', '4']);
    expect(add.code).toBe(0);
    expect(add.stdout.trim()).toBe('added user alice');
    const tok = await hubdeck([...remote(admin), '--json', 'token', 'create', 'alice', '--note', 'laptop']);
    expect(tok.code).toBe(0);
    const parsed = JSON.parse(tok.stdout); // exactly one JSON document on stdout
    expect(parsed).toMatchObject({ user: 'alice', note: 'laptop', scope: 'user' });
    aliceToken = parsed.token;
    expect(aliceToken).toMatch(/^hdk_/);
    expect((await hubdeck([...remote(admin), 'image', 'add', 'busybox', TEST_IMAGES.busybox, '--cpus', '0.25'])).code).toBe(0);
    const users = JSON.parse((await hubdeck([...remote(admin), '--json', 'user', 'list'])).stdout) as { name: string }[];
    expect(users.map((u) => u.name).sort()).toEqual(['admin', 'alice']);
  });

  it('serves a user their workspaces over the CLI, and refuses what is not theirs', async () => {
    const created = await hubdeck([...remote(aliceToken), '--json', 'workspace', 'create', 'w1', '--image', TEST_IMAGES.busybox, '--days', '3']);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'w1', user: 'alice', state: 'running', cpus: 0.25 });
    expect(created.stderr).toContain('waiting for /user/alice/w1/ to answer');
    const list = JSON.parse((await hubdeck([...remote(aliceToken), '--json', 'workspace', 'list'])).stdout) as { name: string; user: string }[];
    expect(list.map((w) => `${w.user}/${w.name}`)).toEqual(['alice/w1']);
    const info = JSON.parse((await hubdeck([...remote(aliceToken), '--json', 'hub', 'info'])).stdout);
    expect(info.user).toEqual({ name: 'alice', admin: false });
    const refused = await hubdeck([...remote(aliceToken), 'user', 'list']);
    expect(refused.code).toBe(7);
    expect(refused.stderr.trim()).toBe('hubdeck: only admins may list users');
    const other = await hubdeck([...remote(aliceToken), '--user', 'admin', 'workspace', 'list']);
    expect(other.stderr.trim()).toBe('hubdeck: alice may not list the workspaces of admin');
    const dry = JSON.parse((await hubdeck([...remote(srv.adminToken!), '--json', 'cleanup', '--dry-run'])).stdout);
    expect(dry).toMatchObject({ dryRun: true, errors: [] });
  });

  it('refuses a wrong or missing fingerprint and a bad token, with one line each', async () => {
    const wrong = await hubdeck(['--hub', srv.url, '--token', aliceToken, '--fingerprint', 'AB'.repeat(32), 'workspace', 'list']);
    expect(wrong.code).toBe(5);
    expect(wrong.stderr.trim()).toMatch(/^hubdeck: the hub's TLS certificate has fingerprint [0-9A-F:]+, expected AB:AB/);
    const none = await hubdeck(['--hub', srv.url, '--token', aliceToken, 'workspace', 'list']);
    expect(none.code).toBe(5);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    expect(none.stderr).toMatch(/fingerprint/);
    const bad = await hubdeck(['--hub', srv.url, '--token', 'hdk_0000000000_' + 'x'.repeat(43), '--fingerprint', srv.fingerprint!, 'workspace', 'list']);
    expect(bad.code).toBe(7);
    expect(bad.stderr.trim()).toBe('hubdeck: invalid, expired or revoked token');
  });

  it('survives kill -9 during creates: no workspace, user or token is lost, and it reports what it found', async () => {
    const client = remoteHubClient({ url: srv.url, token: aliceToken, fingerprint: srv.fingerprint! });
    const settled = new Set<string>();
    let progressed = 0;
    const creating = ['k1', 'k2', 'k3'].map((name) =>
      client.createWorkspace({ body: { name, image: TEST_IMAGES.busybox }, wait: true }, { onProgress: () => progressed++ })
        .then(() => null, (e: Error) => e).finally(() => settled.add(name)));
    // Kill once the hub has reported progress on a create (it is talking to the engine)...
    const deadline = Date.now() + 30_000;
    while (progressed === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(progressed).toBeGreaterThan(0);
    // ...and prove that creates were still in flight at that moment: unsettled when the signal
    // went, and then broken by the dying hub rather than answered.
    const inFlight = 3 - settled.size;
    const stopped = srv.stop('SIGKILL');
    expect(inFlight).toBeGreaterThan(0);
    expect(await stopped).toBe('SIGKILL');
    const outcomes = await Promise.all(creating);
    const broken = outcomes.filter((o): o is Error => o instanceof Error);
    expect(broken.length).toBeGreaterThanOrEqual(inFlight);
    expect(broken.every((e) => (e as { code?: string }).code === 'unavailable')).toBe(true);
    await client.close();

    const fingerprint = srv.fingerprint;
    const firstAdminToken = srv.adminToken!;
    srv = await startServe(serveArgs);
    expect(srv.adminToken).toBeNull(); // not a first start
    expect(srv.fingerprint).toBe(fingerprint); // teammates' pins stay valid
    expect(srv.reconciled).toMatch(/^reconciled: \d+ workspace\(s\), 0 orphaned$/);

    const after = remoteHubClient({ url: srv.url, token: aliceToken, fingerprint: srv.fingerprint! });
    expect((await after.info()).user.name).toBe('alice'); // the token survived
    const names = (await after.listWorkspaces()).map((w) => w.name);
    expect(names).toContain('w1');
    // whatever the engine created before the kill is listed: labels are the truth
    const onEngine = Number(/^reconciled: (\d+)/.exec(srv.reconciled)![1]);
    expect(names).toHaveLength(onEngine);
    // the admin token from the first start still works, and alice is still a user
    const users = await hubdeck(['--hub', srv.url, '--fingerprint', srv.fingerprint!, '--token', firstAdminToken, '--json', 'user', 'list']);
    expect((JSON.parse(users.stdout) as { name: string }[]).map((u) => u.name).sort()).toEqual(['admin', 'alice']);
    await after.close();
  });

  it('shuts down gracefully on SIGTERM, even with an event stream open', async () => {
    const client = remoteHubClient({ url: srv.url, token: aliceToken, fingerprint: srv.fingerprint! });
    await client.subscribe(() => undefined);
    const t0 = Date.now();
    expect(await srv.stop('SIGTERM')).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(srv.stderr()).toContain('SIGTERM: shutting down');
    await client.close();
  });

  it('serves a given certificate with --tls-cert/--tls-key, and refuses unreadable ones in one line', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-cert-'));
    const cert = path.join(dataDir, 'tls', 'cert.pem');
    const key = path.join(dataDir, 'tls', 'key.pem');
    const s2 = await startServe(['--data', other, '--listen', '127.0.0.1:0', '--tls-cert', cert, '--tls-key', key, '--origin', origin]);
    expect(s2.fingerprint).toBe(srv.fingerprint);
    expect(s2.url).toMatch(/^https:/);
    expect(await s2.stop('SIGTERM')).toBe(0);
    const bad = await hubdeck(['--data', other, 'hub', 'serve', '--listen', '127.0.0.1:0', '--tls-cert', '/nonexistent.pem', '--tls-key', key]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('hubdeck: tls-cert: cannot read /nonexistent.pem (ENOENT)');
    const listen = await hubdeck(['--data', other, 'hub', 'serve', '--listen', 'nowhere']);
    expect(listen.stderr.trim()).toBe('hubdeck: listen: "nowhere" is not HOST:PORT (e.g. 0.0.0.0:8585)');
    fs.rmSync(other, { recursive: true, force: true });
  });
});

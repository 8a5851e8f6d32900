// The built `hubdeck` command against a real JupyterHub 3 (test/support/jupyterhub-fixture.ts): hub
// add / list / remove, then `--hub NAME workspace create|list|start|stop|remove|open` on its servers,
// and a clear refusal for what a JupyterHub does not offer. Also `hub add` of a Hubdeck hub.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubdeck } from '../../support/cli';
import { startServe, type ServeProcess } from '../../support/hub-process';
import { startJupyterHub, type TestJupyterHub } from '../../support/jupyterhub-fixture';

let hub: TestJupyterHub;
let token = '';
const data = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-jh-cli-'));
const env = { HUBDECK_DATA: data };
const jh = (...args: string[]) => hubdeck(['--hub', 'team', ...args], env);

beforeAll(async () => {
  hub = await startJupyterHub();
  token = await hub.userToken('alice');
}, 90_000);
afterAll(async () => {
  await hub?.stop();
  fs.rmSync(data, { recursive: true, force: true });
}, 30_000);

describe('hubdeck hub add --jupyterhub', () => {
  it('checks the token before saving, then lists and uses the hub by name', async () => {
    const bad = await hubdeck(['hub', 'add', 'team', hub.url, '--jupyterhub', '--token', 'not-a-token'], env);
    expect(bad.code).toBe(7);
    expect(bad.stderr).toMatch(/refused the token \(403\): it is wrong, expired or revoked/);
    expect(fs.existsSync(path.join(data, 'hubs.json'))).toBe(false);

    const added = await hubdeck(['hub', 'add', 'team', `${hub.url}/`, '--jupyterhub', '--token', token, '--options-form', 'mlhub', '--default-option', 'slow_stop=0'], env);
    expect(added.stderr).toBe('');
    expect(added.stdout).toContain(`Saved JupyterHub 3.0.0 at ${hub.url} as "team" (you are alice).`);
    expect(fs.statSync(path.join(data, 'hubs.json')).mode & 0o777).toBe(0o600);
    const again = await hubdeck(['hub', 'add', 'team', hub.url, '--jupyterhub', '--token', token], env);
    expect(again.code).toBe(4);

    // A token that may only read servers is saved, with a warning saying what it cannot do.
    const minted = await fetch(`${hub.url}/hub/api/users/alice/tokens`, {
      method: 'POST', headers: { Authorization: `token ${hub.adminToken}` }, body: JSON.stringify({ scopes: ['read:servers!user=alice'], expires_in: 600 }),
    });
    const readOnly = ((await minted.json()) as { token: string }).token;
    const narrow = await hubdeck(['hub', 'add', 'peek', hub.url, '--jupyterhub', '--token', readOnly], env);
    expect(narrow.code).toBe(0);
    expect(narrow.stderr.trim()).toBe('warning: this token lacks the JupyterHub scopes servers, tokens (needed to start and stop servers and open them in a browser)');
    expect((await hubdeck(['hub', 'remove', 'peek'], env)).code).toBe(0);

    const list = await hubdeck(['--json', 'hub', 'list'], env);
    const hubs = JSON.parse(list.stdout) as Record<string, unknown>[];
    expect(hubs).toEqual([expect.objectContaining({ name: 'team', kind: 'jupyterhub', url: hub.url, user: 'alice', version: '3.0.0', optionsForm: 'mlhub' })]);
    expect(list.stdout).not.toContain(token);
  }, 60_000);

  it('creates a server with mapped options and shows JupyterHub\'s progress', async () => {
    const made = await jh('workspace', 'create', 'exp1', '--image', 'ml/torch:2', '--cpus', '2', '--memory', '4g', '--option', 'delay=3');
    expect(made.stderr).toContain('creating alice/exp1 on the JupyterHub');
    expect(made.stderr).toContain('"image":"ml/torch:2","cpu_limit":"2","mem_limit":"4g","delay":3');
    expect(made.stderr).toContain('50% Test spawner: halfway through a 3s delay');
    expect(made.stderr).toMatch(/100% Server ready at \/user\/alice\/exp1\//);
    expect(made.stdout.trim()).toBe(`alice/exp1: running (ready) at ${hub.url}/user/alice/exp1/`);

    const table = await jh('workspace', 'list');
    expect(table.stdout).toMatch(/^USER +NAME +STATE +IMAGE +CPUS +MEMORY +EXPIRES +STARTED +LAST ACTIVITY +URL/);
    expect(table.stdout).toMatch(/alice +exp1 +running +ml\/torch:2 +- +- +never/);
    const json = JSON.parse((await jh('--json', 'workspace', 'list')).stdout) as Record<string, unknown>[];
    expect(json.find((w) => w.name === 'exp1')).toMatchObject({
      user: 'alice', state: 'running', status: 'ready', image: 'ml/torch:2', cpus: null, memory: null, expiresAt: null,
      url: `${hub.url}/user/alice/exp1/`, userOptions: { image: 'ml/torch:2', cpu_limit: '2', mem_limit: '4g', delay: 3, slow_stop: 0 },
    });
    expect(typeof json.find((w) => w.name === 'exp1')?.lastActivity).toBe('string');
  }, 60_000);

  it('says why a spawn failed, and refuses what a JupyterHub cannot do', async () => {
    const failed = await jh('workspace', 'create', 'broken', '--option', 'fail="no GPU left"');
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('hubdeck: server "broken" of alice failed to start: Spawn failed: no GPU left');
    for (const args of [['workspace', 'logs', 'exp1'], ['workspace', 'stats', 'exp1'], ['workspace', 'extend', 'exp1', '--days', '1'], ['workspace', 'ssh', 'exp1'], ['workspace', 'list', '--all'], ['workspace', 'forward', 'exp1', '18888:8888']]) {
      const r = await jh(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/not available on a JupyterHub/);
    }
    const show = await jh('workspace', 'show', 'exp1');
    expect(show.stdout).toContain('alice/exp1: running (ready)\nstarted ');
    expect(show.stdout).toContain(`web ${hub.url}/user/alice/exp1/`);
    const mount = await jh('workspace', 'create', 'x', '--mount', 'data:/data');
    expect(mount.stderr).toContain('hubdeck: mount: not available on a JupyterHub');
  }, 60_000);

  it('opens, stops, starts and removes a server', async () => {
    // As on any hub: the workspace's address, and the link that signs a browser in (here a short token).
    const open = JSON.parse((await jh('--json', 'workspace', 'open', 'exp1')).stdout) as { url: string; signInUrl: string; user: string; name: string };
    expect(open).toMatchObject({ user: 'alice', name: 'exp1', url: `${hub.url}/user/alice/exp1/` });
    expect(open.signInUrl).toMatch(new RegExp(`^${hub.url}/user/alice/exp1/\\?token=[0-9a-f]+$`));
    expect((await jh('workspace', 'open', 'exp1')).stdout.trim()).toMatch(new RegExp(`^${hub.url}/user/alice/exp1/\\?token=[0-9a-f]+$`));
    // The URL's token reaches the server (the browser side is test/main/client/jupyterhub-open.docker.test.ts).
    expect((await fetch(open.signInUrl)).status).toBe(200);

    // Issue 20 item 8: the status is said once ("stopped", not "stopped (stopped)").
    expect((await jh('workspace', 'stop', 'exp1')).stdout.trim()).toBe('alice/exp1: stopped');
    const closed = await jh('workspace', 'open', 'exp1');
    expect(closed.stderr).toContain('server "exp1" of alice is stopped: start it first');
    const started = await jh('workspace', 'start', 'exp1');
    expect(started.stdout.trim()).toBe('alice/exp1: running (ready)');
    // JupyterHub's progress, on stderr as for a create (the server reuses its last options: delay 3).
    expect(started.stderr).toContain('Test spawner: halfway through a 3s delay');
    expect(started.stderr).toMatch(/Server ready at \/user\/alice\/exp1\//);
    const info = JSON.parse((await jh('--json', 'hub', 'info')).stdout) as Record<string, unknown>;
    expect(info).toMatchObject({ hubId: 'team', engine: null, ssh: null, user: { name: 'alice', admin: false }, jupyterhub: { optionsForm: 'mlhub', missingScopes: [] } });
    expect((await jh('hub', 'info')).stdout).toMatch(/^hub team \(JupyterHub 3\.[\d.]+\) on JupyterHub 3\.[\d.]+ \(its spawner runs the servers\); you are alice\nSSH: not available on a JupyterHub/);
    expect((await jh('workspace', 'stop', 'exp1')).code).toBe(0);
    const removed = await jh('workspace', 'remove', 'exp1');
    // Issue 18 item 7: a JupyterHub server has no data volume Hubdeck knows of (its spawner decides).
    expect(removed.stdout.trim()).toBe('removed alice/exp1');
    const names = (JSON.parse((await jh('--json', 'workspace', 'list')).stdout) as { name: string }[]).map((w) => w.name);
    expect(names).not.toContain('exp1');
    const gone = await jh('workspace', 'stop', 'exp1');
    expect(gone.code).toBe(3);
  }, 90_000);

  it('forgets the hub with hub remove', async () => {
    expect((await hubdeck(['hub', 'remove', 'team'], env)).stdout.trim()).toBe('removed hub "team"');
    expect(JSON.parse((await hubdeck(['--json', 'hub', 'list'], env)).stdout)).toEqual([]);
    expect((await hubdeck(['hub', 'remove', 'team'], env)).code).toBe(3);
    const after = await jh('workspace', 'list');
    expect(after.code).not.toBe(0);
  }, 30_000);
});

describe('hubdeck hub add (a Hubdeck hub)', () => {
  let srv: ServeProcess;
  const serveData = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-jh-cli-serve-'));
  beforeAll(async () => {
    srv = await startServe(['--data', serveData, '--listen', '127.0.0.1:0', '--engine', 'fake']);
  }, 60_000);
  afterAll(async () => {
    await srv?.stop('SIGKILL').catch(() => undefined);
    fs.rmSync(serveData, { recursive: true, force: true });
  });

  it('saves it by name after checking the token; --hub NAME then works', async () => {
    const added = await hubdeck(['hub', 'add', 'lead', srv.url, '--token', srv.adminToken!], env);
    expect(added.stderr).toBe('');
    expect(added.stdout).toMatch(/^Saved Hubdeck hub \S+ at http:\/\/127\.0\.0\.1:\d+ as "lead" \(you are \S+\)\./);
    const list = await hubdeck(['--hub', 'lead', '--json', 'workspace', 'list'], env);
    expect(list.stderr).toBe('');
    expect(JSON.parse(list.stdout)).toEqual([]);
    // open gives a one-time link on a Hubdeck hub too; a workspace that is not there is said so
    const open = await hubdeck(['--hub', 'lead', 'workspace', 'open', 'x'], env);
    expect([open.code, open.stderr]).toEqual([3, expect.stringContaining('workspace "x" of') as unknown]);
  }, 60_000);
});

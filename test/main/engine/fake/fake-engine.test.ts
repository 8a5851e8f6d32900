import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { HubdeckError } from '../../../../main/core/errors';
import { LABELS } from '../../../../main/core/labels';
import { parseWorkspaceRequest, type WorkspaceRequest } from '../../../../main/core/workspace-spec';
import type { ProgressEvent, WorkspaceRef } from '../../../../main/engine/engine';
import { FakeEngine, type FakeEngineOptions } from '../../../../main/engine/fake/fake-engine';
import { FakeWorld } from '../../../../main/engine/fake/fake-world';
import { waitReady } from '../../../../main/engine/wait-ready';
import { engineContract, refusal, run } from '../../../support/engine-contract';
import { TEST_IMAGES } from '../../../support/test-images';

engineContract('fake', async () => {
  const world = new FakeWorld();
  const origin = `c-${randomBytes(3).toString('hex')}`;
  return {
    makeEngine: async () => new FakeEngine({ kind: 'fake', origin, world }),
    image: TEST_IMAGES.busybox,
    cleanup: () => world.close(),
  };
});

const img = TEST_IMAGES.busybox;
const alice = (name: string): WorkspaceRef => ({ user: 'alice', name });
const spec = (ref: WorkspaceRef, r: Partial<WorkspaceRequest> = {}) => parseWorkspaceRequest({ image: img, ...r, ...ref }, { now: new Date() });
const engines: FakeEngine[] = [];
const fake = (o: Partial<FakeEngineOptions> = {}) => {
  const e = new FakeEngine({ kind: 'fake', origin: o.origin ?? `f-${randomBytes(3).toString('hex')}`, ...o });
  engines.push(e);
  return e;
};
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

/** Polls until `check` passes (or the test times out): conditions, never fixed sleeps. */
async function eventually<T>(fn: () => Promise<T> | T, check: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await fn();
    if (check(v)) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** One HTTP request through the engine's connect(); resolves with status and body. */
function get(stream: Duplex, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ path, headers: { host: 'localhost', ...headers }, createConnection: () => stream as never }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('FakeEngine failures and delays', () => {
  it('rolls back a create that fails half-way, and leaves debris when told to (a crash)', async () => {
    const e = fake();
    e.inject({ op: 'create', error: new HubdeckError('engine', 'boom') });
    expect(await refusal(e.create(spec(alice('w'), { mounts: ['scratch:/s'] })))).toMatchObject({ code: 'engine', message: 'boom' });
    expect(await e.resources()).toEqual([]);
    e.world.failNext('start', new HubdeckError('engine', 'no start'));
    expect((await refusal(e.create(spec(alice('w'))))).message).toBe('no start');
    expect(await e.resources()).toEqual([]);
    e.inject({ op: 'create', error: new HubdeckError('engine', 'crashed'), leaveBehind: true });
    await refusal(e.create(spec(alice('w'))));
    expect((await e.get(alice('w')))!).toMatchObject({ state: 'stopped', status: 'created' });
    expect((await e.resources()).map((r) => r.kind).sort()).toEqual(['network', 'volume', 'workspace']);
    // once the injections are used up, the engine works again
    expect((await e.start(alice('w'))).state).toBe('running');
  });

  it('fails a start with the reason on the workspace, as Docker does', async () => {
    const e = fake();
    await e.create(spec(alice('w')), { start: false });
    e.inject({ op: 'start', error: new HubdeckError('engine', 'port is already allocated') });
    await refusal(e.start(alice('w')));
    expect((await e.get(alice('w')))!).toMatchObject({ state: 'failed', status: 'port is already allocated' });
  });

  it('can be unreachable for every engine on the world, and fail any op a number of times', async () => {
    const world = new FakeWorld();
    const a = fake({ world, origin: 'same' });
    const b = fake({ world, origin: 'same' });
    world.setUnreachable(true);
    expect(await refusal(a.list())).toMatchObject({ code: 'unavailable' });
    expect(await refusal(b.create(spec(alice('w'))))).toMatchObject({ code: 'unavailable' });
    world.setUnreachable(false);
    expect(await a.list()).toEqual([]);
    a.failNext('*', new HubdeckError('unavailable', 'flaky'), 2);
    await refusal(a.list());
    await refusal(a.capacity());
    expect((await a.capacity()).nodes).toHaveLength(1);
    expect((await b.list())).toEqual([]); // b's own plan was never touched
  });

  it('shows creating, stopping and removing while slow, and an aborted create leaves nothing', async () => {
    const world = new FakeWorld();
    const slow = fake({ world, origin: 'o', delays: { create: 100, stop: 100, remove: 100 } });
    const watcher = fake({ world, origin: 'o' });
    const creating = slow.create(spec(alice('w')));
    await eventually(() => watcher.get(alice('w')), (w) => w?.state === 'creating');
    expect((await creating).state).toBe('running');
    const stopping = slow.stop(alice('w'));
    await eventually(() => watcher.get(alice('w')), (w) => w?.state === 'stopping');
    expect((await stopping).state).toBe('stopped');
    const removing = slow.remove(alice('w'), { deleteData: true });
    await eventually(() => watcher.get(alice('w')), (w) => w?.state === 'removing');
    await removing;
    expect(await watcher.get(alice('w'))).toBeNull();

    const before = await watcher.resources();
    const ac = new AbortController();
    const aborted = slow.create(spec(alice('x')), { signal: ac.signal });
    await eventually(() => watcher.get(alice('x')), (w) => w?.state === 'creating');
    ac.abort(new HubdeckError('engine', 'cancelled'));
    expect((await refusal(aborted)).message).toBe('cancelled');
    // the user's network, left by the first workspace as on Docker, is all there is
    expect(await watcher.resources()).toEqual(before);
    expect(before.map((r) => r.kind)).toEqual(['network']);
  });

  it('pulls images it lacks with per-layer progress, and refuses images that cannot be pulled', async () => {
    const e = fake({ images: ['present:1'], missingImages: ['nope/missing:1'] });
    const events: ProgressEvent[] = [];
    await e.create(spec(alice('a'), { volume: false }), { onProgress: (p) => events.push(p) });
    const pulls = events.filter((p) => p.phase === 'pull');
    expect(pulls.length).toBeGreaterThan(3);
    expect(pulls.some((p) => p.phase === 'pull' && p.layers.length === 3)).toBe(true);
    expect(pulls.map((p) => p.percent)).toEqual([...pulls.map((p) => p.percent)].sort((x, y) => x - y));
    expect(pulls.at(-1)!.percent).toBe(100);
    expect(events.at(-1)!.phase).toBe('start');
    events.length = 0;
    await e.create(spec(alice('b'), { image: 'present:1', volume: false }), { onProgress: (p) => events.push(p) });
    expect(events.filter((p) => p.phase === 'pull')).toEqual([]);
    expect(await refusal(e.create(spec(alice('c'), { image: 'nope/missing:1' })))).toMatchObject({ code: 'invalid', field: 'image' });
    expect((await e.list()).map((w) => w.name)).toEqual(['a', 'b']);
  });
});

describe('FakeEngine world', () => {
  it('is shared: same origin sees the same workspaces, another origin none, and one engine closing leaves the rest working', async () => {
    const world = new FakeWorld();
    const a = fake({ world, origin: 'hub-a' });
    const a2 = fake({ world, origin: 'hub-a' });
    const b = fake({ world, origin: 'hub-b' });
    const w = await a.create(spec(alice('w')));
    expect((await a2.list()).map((x) => x.id)).toEqual([w.id]);
    expect(await b.list()).toEqual([]);
    expect(await b.resources()).toEqual([]);
    await a.close();
    expect(await refusal(a.list())).toMatchObject({ code: 'unavailable' });
    await waitReady(a2, alice('w'), { timeoutMs: 5000 });
  });

  it('reopens web servers lazily after every engine closed', async () => {
    const world = new FakeWorld();
    const a = new FakeEngine({ kind: 'fake', origin: 'o', world });
    await a.create(spec(alice('w')));
    await waitReady(a, alice('w'), { timeoutMs: 5000 });
    await a.close();
    const b = fake({ world, origin: 'o' });
    expect((await b.get(alice('w')))!.state).toBe('running');
    await waitReady(b, alice('w'), { timeoutMs: 5000 });
  });

  it('decodes planted objects: a v1 spec is upgraded, damaged or newer ones give specIssue, limits come from the daemon', async () => {
    const e = fake();
    const v1 = { name: 'old', user: 'alice', image: img, cpus: 1, memory: null, shm: null, gpus: null, env: {}, volume: true, volumePath: '/home/jovyan/work', expiresAt: null, webPort: 8888 };
    e.world.insertRaw({ origin: e.origin, user: 'alice', name: 'old', labels: { [LABELS.version]: '1', [LABELS.spec]: JSON.stringify(v1) }, state: 'running' });
    e.world.insertRaw({ origin: e.origin, user: 'alice', name: 'broken', labels: { [LABELS.version]: '2', [LABELS.spec]: 'not json' }, limits: null });
    e.world.insertRaw({ origin: e.origin, user: 'alice', name: 'future', labels: { [LABELS.version]: '9', [LABELS.spec]: '{}' }, limits: { cpus: 2, memory: null, gpus: null } });
    const old = (await e.get(alice('old')))!;
    expect(old.spec).toEqual({ ...v1, placement: {}, reservations: { cpus: null, memory: null }, mounts: [] });
    expect(old).toMatchObject({ specIssue: null, limits: { cpus: 1, memory: null, gpus: null }, state: 'running' });
    await waitReady(e, alice('old'), { timeoutMs: 5000 });
    expect((await e.get(alice('broken')))!).toMatchObject({ spec: null, specIssue: 'its spec label is not valid JSON', limits: null });
    expect((await e.get(alice('future')))!).toMatchObject({ spec: null, specIssue: expect.stringMatching(/version 9/), limits: { cpus: 2 } });
    // a listing, like `docker ps`, does not report limits
    expect((await e.list()).map((w) => [w.name, w.limits])).toEqual([['broken', null], ['future', null], ['old', null]]);
  });

  it('places workspaces on matching nodes, and refuses what no node or capability allows', async () => {
    const e = fake({
      nodes: [
        { name: 'cpu-a', cpus: 8, memory: 2 ** 34, gpus: 0, labels: { pool: 'cpu' } },
        { name: 'gpu-a', cpus: 4, memory: 2 ** 34, gpus: 2, labels: { pool: 'gpu' } },
      ],
    });
    expect((await e.create(spec(alice('g'), { gpus: 2, volume: false }))).node).toBe('gpu-a');
    expect((await e.create(spec(alice('c'), { placement: ['pool=cpu'], volume: false }))).node).toBe('cpu-a');
    expect(await refusal(e.create(spec(alice('x'), { cpus: 6, placement: ['pool=gpu'] })))).toMatchObject({ code: 'invalid', field: 'cpus' });
    expect(await refusal(e.create(spec(alice('x'), { gpus: 1, placement: ['pool=cpu'] })))).toMatchObject({ code: 'invalid', field: 'gpus' });
    expect(await refusal(e.create(spec(alice('x'), { placement: ['pool=tpu'] })))).toMatchObject({ field: 'placement', message: 'placement: no node of this engine has the labels pool=tpu' });
    const limited = fake({ capabilities: { gpuRequests: ['count'], placement: false, bindMounts: false, mutableExpiry: false, reservations: { cpus: false } } });
    expect(limited.capabilities.reservations).toEqual({ cpus: false, memory: true });
    for (const [r, field] of [
      [{ gpus: 'all' }, 'gpus'], [{ placement: ['a=b'] }, 'placement'], [{ cpus: 1, reservations: { cpus: 0.5 } }, 'reservations.cpus'], [{ mounts: ['/srv:/srv'] }, 'mounts'],
    ] as [Partial<WorkspaceRequest>, string][]) {
      expect(await refusal(limited.create(spec(alice('x'), r)))).toMatchObject({ code: 'invalid', field });
    }
    await limited.create(spec(alice('y')));
    expect(await refusal(limited.setExpiry(alice('y'), null))).toMatchObject({ code: 'invalid' });
    expect(await limited.resources()).toHaveLength(3);
  });

  it('crashes on demand (exit code or OOM), and runs the test image switches FAIL_WITH and HANG', async () => {
    const e = fake();
    await e.create(spec(alice('w')));
    const s = await e.exec(alice('w'), { cmd: ['sleep', '1000'] });
    e.world.crash({ origin: e.origin, ...alice('w') }, { oom: true });
    expect(await s.exitCode()).toBe(137);
    expect((await e.get(alice('w')))!).toMatchObject({ state: 'failed', status: 'killed: out of memory', startedAt: null });

    await e.create(spec(alice('crash'), { env: ['FAIL_WITH=kaboom'] }));
    const err = await refusal(waitReady(e, alice('crash'), { timeoutMs: 5000 }));
    expect(err.message).toMatch(/exited before it was ready \(exited with code 3\); last log lines:\nkaboom/);
    await e.create(spec(alice('hang'), { env: ['HANG=1'] }));
    expect((await refusal(waitReady(e, alice('hang'), { timeoutMs: 300 }))).message).toMatch(/was not ready after .*last log lines:\nhanging without listening/s);
  });
});

describe('FakeEngine web app', () => {
  it('serves the base URL, and api/status and api/kernels behind the Jupyter token', async () => {
    const e = fake();
    const ref = alice('web');
    await e.create(spec(ref, { volume: false }));
    const token = (await e.webToken(ref))!;
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    const at = (path: string, headers?: Record<string, string>) => e.connect(ref, 8888).then((s) => get(s, path, headers));
    expect((await at('/user/alice/web/')).status).toBe(200);
    expect((await at('/user/alice/web/tree?x=1')).body).toMatch(/hubdeck fake workspace alice\/web/);
    expect((await at('/elsewhere')).status).toBe(404);
    expect((await at('/user/alice/web/api/status')).status).toBe(403);
    expect((await at('/user/alice/web/api/status', { authorization: 'token wrong' })).status).toBe(403);
    const status = await at('/user/alice/web/api/status', { authorization: `token ${token}` });
    expect(status.status).toBe(200);
    expect(Number.isFinite(Date.parse(JSON.parse(status.body).last_activity))).toBe(true);
    expect(JSON.parse((await at(`/user/alice/web/api/kernels?token=${token}`)).body)).toEqual([]);
    e.world.setAppActivity({ origin: e.origin, ...ref }, { lastActivity: '2030-01-01T00:00:00.000Z', kernels: [{ execution_state: 'busy' }] });
    expect(JSON.parse((await at('/user/alice/web/api/status', { authorization: `Bearer ${token}` })).body).last_activity).toBe('2030-01-01T00:00:00.000Z');
    expect(JSON.parse((await at('/user/alice/web/api/kernels', { authorization: `token ${token}` })).body)[0]).toMatchObject({ execution_state: 'busy' });
    let logs = '';
    for await (const l of e.logs(ref)) logs += l;
    expect(logs).toMatch(/GET \/user\/alice\/web\/api\/status 403/);
  });

  it('echoes WebSocket frames under the base URL', async () => {
    const e = fake();
    const ref = alice('ws');
    await e.create(spec(ref, { volume: false }));
    const sock = await e.connect(ref, 8888);
    let buf = Buffer.alloc(0);
    sock.on('data', (d: Buffer) => (buf = Buffer.concat([buf, d])));
    sock.write('GET /user/alice/ws/api/kernels/k/channels HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    await eventually(() => buf.toString(), (s) => s.includes('\r\n\r\n'));
    expect(buf.toString()).toMatch(/^HTTP\/1.1 101 .*Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=/s);
    buf = Buffer.alloc(0);
    const mask = Buffer.from([1, 2, 3, 4]);
    const payload = Buffer.from('hello kernel');
    sock.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!))]));
    await eventually(() => buf.length, (n) => n >= 2 + payload.length);
    expect(buf[0]).toBe(0x81);
    expect(buf.subarray(2).toString()).toBe('hello kernel');
    sock.destroy();
  });

  it('refuses other ports, and closes the server on stop', async () => {
    const e = fake();
    const ref = alice('port');
    await e.create(spec(ref, { volume: false, webPort: 9000 }));
    expect(await refusal(e.connect(ref, 8888))).toMatchObject({ code: 'ECONNREFUSED' });
    const open = await e.connect(ref, 9000);
    await e.stop(ref);
    await eventually(() => open.destroyed, Boolean);
    expect(await refusal(e.connect(ref, 9000))).toMatchObject({ code: 'conflict', message: 'workspace "port" of alice is not running' });
  });
});

describe('FakeEngine exec, files and logs', () => {
  it('runs a login shell on a TTY: prompt, echo, ^C interrupts one command, resize, exit', async () => {
    const e = fake();
    const ref = alice('tty');
    await e.create(spec(ref));
    const s = await e.exec(ref, { cmd: ['/bin/sh'], tty: true, stdin: true, cols: 80, rows: 24 });
    let out = '';
    s.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const until = (re: RegExp) => eventually(() => out, (o) => re.test(o));
    await until(/# $/);
    s.stdin!.write('sleep 1000\r');
    await until(/sleep 1000\r\n$/);
    s.stdin!.write('\x03');
    await until(/\^C\r\n.*# $/s);
    await s.resize(120, 40);
    s.stdin!.write('stty size; echo "$HUBDECK_USER" >&2\r');
    await until(/40 120\r\nalice\r\n/);
    s.stdin!.write('exit 4\r');
    expect(await s.exitCode()).toBe(4);
  });

  it('ends running sessions when the workspace stops, and when the engine closes', async () => {
    const e = fake();
    const ref = alice('kill');
    await e.create(spec(ref));
    const cat = await e.exec(ref, { cmd: ['cat'], stdin: true });
    await e.stop(ref);
    expect(await cat.exitCode()).toBe(137);
    await e.start(ref);
    const sleeper = await e.exec(ref, { cmd: ['sleep', '1000'] });
    await e.close();
    expect(await sleeper.exitCode()).toBe(143);
  });

  it('keeps the container layer across stop/start but not remove; bind mounts share the host, read-only refuses writes', async () => {
    const e = fake();
    const a = alice('fa');
    const b = alice('fb');
    await e.create(spec(a, { mounts: ['/srv/share:/share', 'scratch:/scratch'] }));
    await e.create(spec(b, { mounts: ['/srv/share:/share:ro', 'scratch:/scratch'] }));
    expect((await run(e, a, ['sh', '-c', 'echo layer > /tmp/x; echo shared > /share/f; echo vol > /scratch/v; mkdir -p /tmp/d/e && ls /tmp'])).out).toBe('d\nx\n');
    expect((await run(e, b, ['cat', '/share/f', '/scratch/v'])).out).toBe('shared\nvol\n');
    expect(await run(e, b, ['sh', '-c', 'echo no > /share/g'])).toMatchObject({ code: 1, err: "sh: can't create /share/g: Read-only file system\n" });
    await e.stop(a);
    await e.start(a);
    expect((await run(e, a, ['cat', '/tmp/x'])).out).toBe('layer\n');
    await e.remove(a);
    await e.create(spec(a));
    expect((await run(e, a, ['cat', '/tmp/x'])).err).toBe("cat: can't open '/tmp/x': No such file or directory\n");
  });

  it('interprets enough shell: quoting, variables, && ||, pipes, redirections; refuses the rest loudly', async () => {
    const e = fake();
    const ref = alice('sh');
    await e.create(spec(ref, { env: ['NAME=world'] }));
    const sh = (script: string) => run(e, ref, ['sh', '-c', script, 'script', 'arg1']);
    expect((await sh(`echo "hello $NAME" 'and $NAME' \${NAME}! $1`)).out).toBe('hello world and $NAME world! arg1\n');
    expect((await sh('false || echo a && echo b; false && echo c; echo $?')).out).toBe('a\nb\n1\n');
    expect(await sh('printf "%s-%s\\n" x y | cat; echo e1 >&2; echo e2 2>&1 1>&2')).toMatchObject({ out: 'x-y\ne2\n', err: 'e1\n' });
    expect((await sh('X=1; Y=2 printenv Y; echo "$X$Y"; cd /tmp && pwd')).out).toBe('2\n1\n/tmp\n');
    expect((await sh('echo a > f; echo b >> f; cat < f; test -f f && [ "$NAME" = world ]')).out).toBe('a\nb\n');
    expect(await sh('for i in 1 2; do echo $i; done')).toMatchObject({ code: 2, err: expect.stringMatching(/not supported by the fake shell/) });
    expect(await sh('echo $(date)')).toMatchObject({ code: 2 });
    expect(await run(e, ref, ['/opt/tool'])).toMatchObject({ code: 127, err: expect.stringMatching(/not found/) });
    expect(await run(e, ref, ['pwd'], { workdir: '/nowhere' })).toMatchObject({ code: 126 });
  });

  it('follows logs until the workspace is removed, with Docker-style timestamps', async () => {
    const e = fake();
    const ref = alice('logs');
    await e.create(spec(ref, { volume: false }));
    const lines: string[] = [];
    const follow = (async () => {
      for await (const l of e.logs(ref, { follow: true, tail: 0, timestamps: true })) lines.push(l);
    })();
    await waitReady(e, ref, { timeoutMs: 5000 });
    await eventually(() => lines.length, (n) => n > 0);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z GET \/user\/alice\/logs\/ 200\n$/);
    await e.remove(ref);
    await follow;
  });

  it('reports stats from the spec and the load a test sets, and only while running', async () => {
    const e = fake();
    const ref = alice('stats');
    await e.create(spec(ref, { memory: '1g', volume: false }));
    e.world.setLoad({ origin: e.origin, ...ref }, { cpuPercent: 150, memoryUsed: 300 * 1024 ** 2 });
    const s = await e.stats(ref);
    expect(s).toMatchObject({ memoryLimit: 1024 ** 3, memoryUsed: 300 * 1024 ** 2, onlineCpus: 4 });
    expect(s.cpuPercent).toBeGreaterThan(149);
    await e.stop(ref);
    expect(await refusal(e.stats(ref))).toMatchObject({ code: 'conflict' });
  });

  it('refuses to remove what is still in use, as a daemon does', async () => {
    const e = fake();
    await e.create(spec(alice('w'), { mounts: ['scratch:/s'] }));
    const rs = await e.resources();
    for (const kind of ['volume', 'user-volume', 'network']) {
      expect(await refusal(e.removeResource(rs.find((r) => r.kind === kind)!))).toMatchObject({ code: 'conflict' });
    }
  });
});

describe('fake workspace ports', () => {
  it('serves httpd on the workspace\'s loopback only: reached with to: loopback, refused on its address, gone with the process', async () => {
    const e = fake();
    const ref = alice('ports');
    await e.create(spec(ref, { volume: false }));
    expect((await run(e, ref, ['sh', '-c', 'mkdir -p /srv && echo hi > /srv/index.html'])).code).toBe(0);
    const lo = await e.exec(ref, { cmd: ['httpd', '-f', '-p', '127.0.0.1:7000', '-h', '/srv'] });
    const any = await e.exec(ref, { cmd: ['httpd', '-f', '-p', '7001', '-h', '/srv'] });
    const get = async (port: number, to?: 'loopback' | 'address') => {
      const s = await e.connect(ref, port, { to });
      return new Promise<string>((resolve) => {
        let body = '';
        http.get({ path: '/', createConnection: () => s as never }, (res) => res.on('data', (d: Buffer) => (body += d.toString())).on('end', () => resolve(`${res.statusCode} ${body}`)));
      });
    };
    expect(await eventually(() => get(7000, 'loopback').catch(() => ''), (v) => v !== '')).toBe('200 hi\n');
    expect(await refusal(e.connect(ref, 7000))).toMatchObject({ code: 'ECONNREFUSED' });
    expect(await eventually(() => get(7001).catch(() => ''), (v) => v !== '')).toBe('200 hi\n');
    expect(await get(7001, 'loopback')).toBe('200 hi\n');
    expect((await run(e, ref, ['httpd', '-f', '-p', '127.0.0.1:7000'])).err).toMatch(/Address already in use/);
    await lo.close();
    await any.close();
    expect(await refusal(e.connect(ref, 7000, { to: 'loopback' }))).toMatchObject({ code: 'ECONNREFUSED' });
  });
});

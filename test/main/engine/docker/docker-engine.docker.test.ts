import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerEngine } from '../../../../main/engine/docker/docker-engine';
import { LABELS } from '../../../../main/core/labels';
import { parseWorkspaceRequest, type WorkspaceRequest } from '../../../../main/core/workspace-spec';
import type { WorkspaceEngine, WorkspaceRef } from '../../../../main/engine/engine';
import { httpProbe, waitReady } from '../../../../main/engine/wait-ready';
import { countObjects, docker, sweep, testOrigin } from '../../../support/docker-fixture';
import { TEST_IMAGES } from '../../../support/test-images';

const origin = testOrigin('eng');
const engine = new DockerEngine({ origin });

const spec = (r: Partial<WorkspaceRequest> & { name: string; user: string }) =>
  parseWorkspaceRequest({ image: TEST_IMAGES.busybox, ...r }, { now: new Date() });

async function run(e: WorkspaceEngine, ref: WorkspaceRef, cmd: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  const s = await e.exec(ref, { cmd, stdin: stdin !== undefined });
  let out = '';
  let err = '';
  s.stdout.on('data', (d: Buffer) => (out += d.toString()));
  s.stderr.on('data', (d: Buffer) => (err += d.toString()));
  if (stdin !== undefined) s.stdin!.end(stdin);
  return { code: await s.exitCode(), out, err };
}

beforeAll(() => sweep(origin));
afterAll(async () => {
  await sweep(origin);
  await engine.close();
});

describe('DockerEngine lifecycle', () => {
  const ref = { user: 'alice', name: 'life' };

  it('keeps files in the volume across stop/start; remove keeps the volume; delete-data removes it', async () => {
    const w = await engine.create(spec({ ...ref, days: 1 }));
    expect(w.state).toBe('running');
    await waitReady(engine, ref, { timeoutMs: 30_000 });
    expect((await run(engine, ref, ['sh', '-c', 'echo kept > /home/jovyan/work/file.txt'])).code).toBe(0);

    expect((await engine.stop(ref, { timeoutSeconds: 2 })).state).toBe('stopped');
    expect((await engine.start(ref)).state).toBe('running');
    const before = (await engine.get(ref))!.startedAt!;
    const restarted = await engine.restart(ref, { timeoutSeconds: 1 });
    expect(restarted.state).toBe('running');
    expect(Date.parse(restarted.startedAt!)).toBeGreaterThan(Date.parse(before));
    await waitReady(engine, ref, { timeoutMs: 30_000 });
    expect((await run(engine, ref, ['cat', '/home/jovyan/work/file.txt'])).out).toBe('kept\n');

    const volume = w.volume!;
    await engine.remove(ref);
    expect(await engine.get(ref)).toBeNull();
    const vol = await docker.getVolume(volume).inspect();
    expect(vol.Labels[LABELS.user]).toBe('alice');

    // The same workspace created again finds its data.
    await engine.create(spec(ref));
    expect((await run(engine, ref, ['cat', '/home/jovyan/work/file.txt'])).out).toBe('kept\n');

    await engine.remove(ref, { deleteData: true });
    await expect(docker.getVolume(volume).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(engine.remove(ref)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('reports a crash as failed with the exit code and the last log lines', async () => {
    const r = { user: 'alice', name: 'crash' };
    await engine.create(spec({ ...r, env: ['FAIL_WITH=kaboom'] }));
    const err = await waitReady(engine, r, { timeoutMs: 30_000 }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/exited before it was ready \(exited with code 3\)/);
    expect((err as Error).message).toMatch(/last log lines:\nkaboom/);
    expect((await engine.get(r))!.state).toBe('failed');
    await engine.remove(r, { deleteData: true });
  });

  it('times out with the last log lines when the web port never answers', async () => {
    const r = { user: 'alice', name: 'hang' };
    await engine.create(spec({ ...r, env: ['HANG=1'] }));
    const err = await waitReady(engine, r, { timeoutMs: 1500 }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/was not ready after 2 s .*last log lines:\nhanging without listening/s);
    await engine.remove(r, { deleteData: true });
  });

  it('runs exec with exit codes, stdin, stderr and a TTY; reads logs and stats', async () => {
    const r = { user: 'alice', name: 'tools' };
    await engine.create(spec({ ...r, memory: '256m' }));
    try {
      await toolsChecks(r);
    } finally {
      await engine.remove(r, { deleteData: true });
    }
  });

  async function toolsChecks(r: WorkspaceRef): Promise<void> {
    await waitReady(engine, r, { timeoutMs: 30_000 });
    expect(await run(engine, r, ['sh', '-c', 'echo out; echo err >&2; exit 7'])).toEqual({ code: 7, out: 'out\n', err: 'err\n' });
    expect((await run(engine, r, ['cat'], 'piped through\n')).out).toBe('piped through\n');

    // Engines before API 1.42 size the TTY just after start: wait (up to 5 s) until the size arrives.
    const sized = 'i=0; until [ "$(stty size)" = "30 100" ] || [ $i -ge 100 ]; do sleep 0.05; i=$((i+1)); done; stty size; tty';
    const tty = await engine.exec(r, { cmd: ['sh', '-c', sized], tty: true, cols: 100, rows: 30 });
    let text = '';
    tty.stdout.on('data', (d: Buffer) => (text += d.toString()));
    expect(await tty.exitCode()).toBe(0);
    expect(text).toMatch(/30 100/);
    expect(text).toMatch(/\/dev\/pts\//);

    // httpd -v logs each request; waitReady made at least one.
    let logs = '';
    for await (const chunk of engine.logs(r, { tail: 50 })) logs += chunk;
    expect(logs).toMatch(/response:/);

    // tail 0: only lines written after following began. When that is cannot be seen from here,
    // so requests are repeated until one shows up in the followed output.
    const ac = new AbortController();
    let followed = '';
    const follow = (async () => {
      for await (const chunk of engine.logs(r, { follow: true, tail: 0, signal: ac.signal })) {
        followed += chunk;
        if (followed.includes('response:404')) ac.abort();
      }
    })();
    while (!ac.signal.aborted) await httpProbe(await engine.connect(r, 8888), '/marker', 5000);
    await follow;
    expect(followed).toMatch(/response:404/);
    expect(followed).not.toMatch(/response:200/); // nothing from before following began

    const stats = await engine.stats(r);
    expect(stats.memoryLimit).toBe(256 * 1024 ** 2);
    expect(stats.memoryUsed).toBeGreaterThan(0);
  }

  it('reports the host as its one node, with the daemon\'s labels', async () => {
    const c = await engine.capacity();
    expect(c.nodes).toHaveLength(1);
    const [n] = c.nodes;
    expect(n!.cpus).toBeGreaterThanOrEqual(1);
    expect(n!.memory).toBeGreaterThan(256 * 1024 ** 2);
    expect(n!.gpus).toBeGreaterThanOrEqual(0);
    expect(n!.labels).toEqual({}); // this dockerd runs without --label
    expect(c.description).toMatch(/^Docker \S+ on \S+ /);
  });
});

describe('DockerEngine isolation and truth in labels', () => {
  const a = { user: 'alice', name: 'net-a' };
  const a2 = { user: 'alice', name: 'net-a2' };
  const b = { user: 'bob', name: 'net-b' };

  beforeAll(async () => {
    for (const r of [a, a2, b]) await engine.create(spec({ ...r, cpus: '0.5', days: 3 }));
    for (const r of [a, a2, b]) await waitReady(engine, r, { timeoutMs: 30_000 });
  });

  it("puts users on separate networks that cannot reach each other's workspaces", async () => {
    const wa = (await engine.get(a))!;
    const wb = (await engine.get(b))!;
    expect(wa.network).toBe(`hubdeck-${origin}-alice`);
    expect(wb.network).toBe(`hubdeck-${origin}-bob`);
    const ip = async (id: string) => Object.values((await docker.getContainer(id).inspect()).NetworkSettings.Networks)[0]!.IPAddress;
    const a2ip = await ip((await engine.get(a2))!.id);
    const bip = await ip(wb.id);
    const lookup = (name: string) => run(engine, a, ['nslookup', name, '127.0.0.11']);
    // Same user: the name resolves to the workspace, and it answers.
    expect((await lookup('net-a2')).out).toContain(a2ip);
    // (nc, not wget: busybox-static's wget crashes on NSS lookups even for addresses)
    const get = (ip: string) => run(engine, a, ['sh', '-c', `printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 3 ${ip} 8888`]);
    const own = await get(a2ip);
    expect(own.code).toBe(0);
    expect(own.out).toContain('hubdeck busybox workspace');
    // Other user: the name does not resolve, and the address does not answer.
    expect((await lookup('net-b')).out).not.toContain(bip);
    const other = await get(bip);
    expect(other.code).not.toBe(0);
    expect(other.out).toBe('');
  });

  it('a second engine instance lists the same workspaces with the same specs', async () => {
    const fresh = new DockerEngine({ origin });
    const mine = await engine.list();
    const theirs = await fresh.list();
    expect(theirs.map((w) => `${w.user}/${w.name}`)).toEqual(['alice/net-a', 'alice/net-a2', 'bob/net-b']);
    expect(theirs.map((w) => w.spec)).toEqual(mine.map((w) => w.spec));
    expect(theirs[0]!.spec).toMatchObject({ cpus: 0.5, image: TEST_IMAGES.busybox });
    expect(theirs[0]!.expiresAt).toBe(mine[0]!.expiresAt);
    expect((await fresh.list({ user: 'bob' })).map((w) => w.name)).toEqual(['net-b']);
    // get() sees the same spec as list()
    expect((await fresh.get(a))!.spec).toEqual(theirs[0]!.spec);
    // another hub's engine on the same Docker sees none of them
    expect(await new DockerEngine({ origin: testOrigin('other') }).list()).toEqual([]);
    await fresh.close();
  });

  it('reaches a workspace port through the exec relay, as remote engines do', async () => {
    const viaExec = new DockerEngine({ origin, connectMode: 'exec' });
    expect(await httpProbe(await viaExec.connect(a, 8888), '/', 5000)).toBe(200);
    await waitReady(viaExec, b, { timeoutMs: 10_000 });
    await viaExec.close();
  });

  it('refuses a duplicate name and keeps the original', async () => {
    await expect(engine.create(spec(a))).rejects.toMatchObject({ code: 'conflict', field: 'name' });
    expect((await engine.get(a))!.state).toBe('running');
  });
});

describe('DockerEngine refusals leave nothing behind', () => {
  it('an image that cannot be pulled fails with the field named and creates nothing', async () => {
    const o = testOrigin('bad');
    const e = new DockerEngine({ origin: o });
    const err = await e.create(spec({ user: 'carol', name: 'x', image: '127.0.0.1:9/none/such:1' })).catch((x: Error) => x);
    // nothing listens there: an unreachable registry (unavailable, CLI exit 5), in engine-errors.ts's words
    expect(err).toMatchObject({ code: 'unavailable', field: 'image' });
    expect((err as Error).message).toMatch(/^image: cannot reach 127\.0\.0\.1:9 from this engine \(Docker\) to pull "127\.0\.0\.1:9\/none\/such:1"; images present here: /);
    expect(await countObjects(o)).toEqual({ containers: 0, volumes: 0, networks: 0 });
  });

  it('a container the engine refuses to create leaves no container or volume', async () => {
    const o = testOrigin('bad');
    const e = new DockerEngine({ origin: o });
    // The imported Debian base has no command: Docker refuses to create it.
    const err = await e.create(spec({ user: 'carol', name: 'nocmd', image: 'hubdeck-test/debian:bookworm' })).catch((x: Error) => x);
    // said as a sentence about the image; Docker's own words stay on the error for the log
    expect(err).toMatchObject({ code: 'invalid', field: 'image', engineText: expect.stringMatching(/no command specified/i) });
    expect((err as Error).message).toMatch(/^image: "hubdeck-test\/debian:bookworm" has no command to run/);
    const left = await countObjects(o);
    expect([left.containers, left.volumes]).toEqual([0, 0]);
    await sweep(o);
  });

  it('GPUs on an engine without GPU support are refused clearly, leaving nothing', async () => {
    const o = testOrigin('gpu');
    const e = new DockerEngine({ origin: o });
    const err = await e.create(spec({ user: 'carol', name: 'g', gpus: 'all' })).catch((x: Error) => x);
    expect(err).toMatchObject({ field: 'gpus' });
    expect((err as Error).message).toMatch(/^gpus: this Docker engine cannot provide GPUs/);
    const left = await countObjects(o);
    expect([left.containers, left.volumes]).toEqual([0, 0]);
    await sweep(o);
  });
});

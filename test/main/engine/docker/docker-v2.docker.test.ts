/**
 * What engine interface v2 adds, on the real Docker engine: reservations, user volumes and bind
 * mounts, placement against the daemon's labels, expiry kept in the container name, exec close,
 * and workspaces written by the landed v1 code or by a Hubdeck this one cannot read.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerEngine } from '../../../../main/engine/docker/docker-engine';
import { parseWorkspaceRequest, type WorkspaceRequest } from '../../../../main/core/workspace-spec';
import { countObjects, docker, sweep, testOrigin } from '../../../support/docker-fixture';
import { run } from '../../../support/engine-contract';
import { TEST_IMAGES } from '../../../support/test-images';

const origin = testOrigin('v2');
const engine = new DockerEngine({ origin });
const spec = (r: Partial<WorkspaceRequest> & { name: string; user: string }) => parseWorkspaceRequest({ image: TEST_IMAGES.busybox, ...r }, { now: new Date() });
const hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'v2-bind-'));
afterAll(async () => {
  await sweep(origin);
  await engine.close();
  fs.rmSync(hostDir, { recursive: true, force: true });
});

describe('DockerEngine v2', () => {
  it('applies a memory reservation, shares a user volume between one user\'s workspaces only, and bind-mounts read-only', async () => {
    fs.writeFileSync(path.join(hostDir, 'model.txt'), 'weights\n');
    const a1 = { user: 'alice', name: 'm1' };
    const w = await engine.create(spec({ ...a1, memory: '128m', reservations: { memory: '64m' }, mounts: ['datasets:/data', `${hostDir}:/models:ro`] }));
    const c = await docker.getContainer(w.id).inspect();
    expect(c.HostConfig.MemoryReservation).toBe(64 * 1024 ** 2);
    expect((await run(engine, a1, ['sh', '-c', 'echo shared > /data/x && cat /models/model.txt'])).out).toBe('weights\n');
    expect((await run(engine, a1, ['sh', '-c', 'echo no > /models/y'])).code).not.toBe(0);
    const a2 = { user: 'alice', name: 'm2' };
    await engine.create(spec({ ...a2, mounts: ['datasets:/data'] }));
    expect((await run(engine, a2, ['cat', '/data/x'])).out).toBe('shared\n');
    // bob's "datasets" is his own volume: alice's file is not there
    const b = { user: 'bob', name: 'm3' };
    await engine.create(spec({ ...b, mounts: ['datasets:/data'] }));
    expect((await run(engine, b, ['sh', '-c', 'ls /data'])).out).toBe('');
    const vols = (await engine.resources()).filter((r) => r.kind === 'user-volume').map((r) => `${r.user}:${r.inUse}`).sort();
    expect(vols).toEqual(['alice:true', 'bob:true']);
  });

  it('refuses a bind mount of a host path that is not there, naming the field and leaving nothing', async () => {
    const o = testOrigin('v2bind');
    const e = new DockerEngine({ origin: o });
    const missing = path.join(hostDir, 'missing');
    const err = await e.create(spec({ user: 'gina', name: 'b', mounts: [`${missing}:/m:ro`, 'cache:/cache'] })).catch((x: Error) => x);
    expect(err).toMatchObject({ code: 'invalid', field: 'mounts' });
    expect((err as Error).message).toMatch(/^mounts: .*bind source path does not exist: .*missing$/);
    const left = await countObjects(o);
    expect([left.containers, left.volumes]).toEqual([0, 0]); // the user volume made for it is gone too
    await sweep(o);
    await e.close();
  });

  it('refuses a placement the node does not match, leaving nothing', async () => {
    const ids = async () => (await engine.resources()).map((r) => `${r.kind} ${r.id}`).sort();
    const before = await ids();
    const e = await engine.create(spec({ user: 'carol', name: 'p', placement: ['pool=gpu'] })).catch((x: Error) => x);
    expect(e).toMatchObject({ code: 'invalid', field: 'placement' });
    expect((e as Error).message).toMatch(/^placement: this engine's node \S+ does not have the labels pool=gpu$/);
    expect(await ids()).toEqual(before);
  });

  it('keeps a new expiry in the container name: same id, seen by a fresh instance, across stop/start', async () => {
    const ref = { user: 'dave', name: 'exp' };
    const w = await engine.create(spec({ ...ref, days: 1 }));
    const later = new Date(Date.parse(w.expiresAt!) + 5 * 86_400_000).toISOString().replace(/\.\d+Z$/, '.000Z');
    const set = await engine.setExpiry(ref, later);
    expect([set.id, set.expiresAt]).toEqual([w.id, later]);
    await engine.stop(ref, { timeoutSeconds: 1 });
    await engine.start(ref);
    const fresh = new DockerEngine({ origin });
    expect((await fresh.get(ref))!.expiresAt).toBe(later);
    expect((await fresh.list({ user: 'dave' }))[0]!.expiresAt).toBe(later);
    expect((await fresh.setExpiry(ref, null)).expiresAt).toBeNull();
    expect((await engine.get(ref))!.id).toBe(w.id);
    await fresh.close();
  });

  it('close() ends an exec and everything it started, TTY shells included, and ends their streams', async () => {
    const ref = { user: 'erin', name: 'ex' };
    await engine.create(spec(ref));
    // A marker in the environment lets the test find each session's processes (as close() does).
    const count = 'n=0; for p in /proc/[0-9]*; do if tr "\\0" "\\n" 2>/dev/null < "$p/environ" | grep -qxF "MARK=$1"; then n=$((n+1)); fi; done; echo $n';
    const marked = (mark: string) => run(engine, ref, ['sh', '-c', count, 'sh', mark]).then((r) => Number(r.out.trim()));
    const sleeps = () => run(engine, ref, ['sh', '-c', 'ps -o args | grep -c "^sleep 100[0-2]" || true']).then((r) => Number(r.out.trim()));

    const tree = await engine.exec(ref, { cmd: ['sh', '-c', 'sleep 1000 & sleep 1001'], env: { MARK: 'tree' } });
    const shell = await engine.exec(ref, { cmd: ['sh'], tty: true, stdin: true, cols: 80, rows: 24, env: { MARK: 'tty' } });
    shell.stdin!.write('sleep 1002\n');
    const outputs = [tree.stdout, tree.stderr, shell.stdout].map((r) => { r.resume(); return new Promise((res) => r.once('end', res)); });
    await until(async () => (await sleeps()) === 3);
    expect(await marked('tree')).toBeGreaterThanOrEqual(2);
    expect(await marked('tty')).toBe(2); // the shell and its sleep

    await Promise.all([tree.close(), shell.close()]);
    await Promise.all(outputs);
    expect(await tree.exitCode()).not.toBe(0);
    expect([await marked('tree'), await marked('tty'), await sleeps()]).toEqual([0, 0, 0]);
    await tree.close(); // idempotent
    // The workspace itself is untouched.
    expect((await engine.get(ref))!.state).toBe('running');
  });

  it('reads workspaces written by the landed v1 code, and reports unreadable ones with the limits Docker enforces', async () => {
    const user = 'fran';
    const expiresAt = '2030-01-02T03:04:05.000Z';
    // Exactly what v1 wrote: hubdeck.io/version=1, expiry as Unix seconds and RFC 3339, and a spec
    // without placement, reservations or mounts.
    const v1Spec = { name: 'old', user, image: TEST_IMAGES.busybox, cpus: 0.5, memory: 67108864, shm: null, gpus: null, env: {}, volume: false, volumePath: '/home/jovyan/work', expiresAt, webPort: 8888 };
    const labels = (name: string, version: string, specText: string) => ({
      'hubdeck.io/origin': origin, 'hubdeck.io/user': user, 'hubdeck.io/workspace': name, 'hubdeck.io/kind': 'workspace',
      'hubdeck.io/version': version, 'hubdeck.io/expires': String(Date.parse(expiresAt) / 1000), 'hubdeck.io/expires-at': expiresAt,
      'hubdeck.io/spec': specText,
    });
    const planted = [
      ['old', '1', JSON.stringify(v1Spec)],
      ['future', '9', JSON.stringify({ ...v1Spec, name: 'future', quantum: true })],
      ['broken', '2', '{"name":"broken",'],
    ] as const;
    for (const [name, version, text] of planted) {
      const c = await docker.createContainer({ name: `${origin}-${name}`, Image: TEST_IMAGES.busybox, Labels: labels(name, version, text), HostConfig: { NanoCpus: 500_000_000, Memory: 67108864 } });
      await c.start();
    }
    const [broken, future, old] = await engine.list({ user });
    expect(old!.spec).toEqual({ ...v1Spec, placement: {}, reservations: { cpus: null, memory: null }, mounts: [] });
    expect([old!.specIssue, old!.expiresAt, old!.state]).toEqual([null, expiresAt, 'running']);
    expect(future!.spec).toBeNull();
    expect(future!.specIssue).toBe('its spec label has version 9, which this Hubdeck cannot read (it reads 1, 2)');
    expect([broken!.spec, broken!.specIssue]).toEqual([null, 'its spec label is not valid JSON']);
    // list() stays one cheap call; get() asks Docker what it enforces.
    expect(future!.limits).toBeNull();
    for (const name of ['future', 'broken']) {
      expect((await engine.get({ user, name }))!.limits).toEqual({ cpus: 0.5, memory: 67108864, gpus: null });
    }
    // A v1 workspace takes a new expiry like any other.
    expect((await engine.setExpiry({ user, name: 'old' }, null)).expiresAt).toBeNull();
  });
});

/** Polls an asynchronous condition (an exec into the workspace) until it holds. */
async function until(cond: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

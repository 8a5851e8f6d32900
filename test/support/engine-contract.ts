/**
 * The engine contract: what every WorkspaceEngine (Docker, Swarm, Kubernetes, the in-memory fake)
 * must do, as one vitest suite run against each. It uses only what both the busybox test image and
 * the fake workspace have (sh -c with echo/exit/redirections, cat, sleep, pwd), names
 * every workspace uniquely so tests never depend on each other, and waits for conditions, never
 * for fixed times.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withDefaultTag } from '../../main/core/image-ref';
import { parseWorkspaceRequest, type WorkspaceRequest, type WorkspaceSpec } from '../../main/core/workspace-spec';
import type { ExecOptions, ProgressEvent, WorkspaceEngine, WorkspaceRef } from '../../main/engine/engine';
import { httpProbe, waitReady } from '../../main/engine/wait-ready';

export interface ContractTarget {
  makeEngine: () => Promise<WorkspaceEngine>;
  image: string;
  cleanup: () => Promise<void>;
}

export interface ExecResult {
  code: number;
  out: string;
  err: string;
}

/** Runs a command to its end, collecting its output. */
export async function run(e: WorkspaceEngine, ref: WorkspaceRef, cmd: string[], o: Omit<ExecOptions, 'cmd' | 'stdin'> & { input?: string } = {}): Promise<ExecResult> {
  const { input, ...opts } = o;
  const s = await e.exec(ref, { ...opts, cmd, stdin: input !== undefined });
  let out = '';
  let err = '';
  s.stdout.on('data', (d: Buffer) => (out += d.toString()));
  s.stderr.on('data', (d: Buffer) => (err += d.toString()));
  if (input !== undefined) s.stdin!.end(input);
  const code = await s.exitCode();
  await Promise.all([ended(s.stdout), ended(s.stderr)]);
  return { code, out, err };
}

function ended(r: NodeJS.ReadableStream & { readableEnded?: boolean; destroyed?: boolean }): Promise<void> {
  if (r.readableEnded || r.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    r.once('end', resolve);
    r.once('close', resolve);
  });
}

/** The error a promise rejects with; fails the test if it resolves. */
export const refusal = (p: Promise<unknown>) =>
  p.then(() => { throw new Error('expected a refusal'); }, (e: Error & { code?: string; field?: string }) => e);

async function text(it: AsyncIterable<string>): Promise<string> {
  let s = '';
  for await (const chunk of it) s += chunk;
  return s;
}

export function engineContract(name: string, setup: () => Promise<ContractTarget>): void {
  describe(`engine contract: ${name}`, () => {
    let target: ContractTarget;
    let engine: WorkspaceEngine;
    const engines: WorkspaceEngine[] = [];
    const made: { e: () => WorkspaceEngine; ref: WorkspaceRef }[] = [];
    const tag = randomBytes(2).toString('hex');
    let counter = 0;
    const unique = (prefix: string) => `${prefix}-${tag}${counter++}`;
    const notFound = (ref: WorkspaceRef) => `workspace "${ref.name}" of ${ref.user} does not exist`;

    const makeEngine = async () => {
      const e = await target.makeEngine();
      engines.push(e);
      return e;
    };
    const spec = (ref: WorkspaceRef, r: Partial<WorkspaceRequest> = {}): WorkspaceSpec =>
      parseWorkspaceRequest({ image: target.image, ...r, ...ref }, { now: new Date() });
    /** Creates a workspace this test owns; afterEach removes it with its data. */
    const create = async (ref: WorkspaceRef, r: Partial<WorkspaceRequest> = {}, opts: { start?: boolean; onProgress?: (e: ProgressEvent) => void } = {}) => {
      made.push({ e: () => engine, ref });
      return engine.create(spec(ref, r), opts);
    };
    const fresh = (prefix: string, user = 'alice'): WorkspaceRef => ({ user, name: unique(prefix) });

    beforeAll(async () => {
      target = await setup();
      engine = await makeEngine();
    });
    afterEach(async () => {
      for (const { e, ref } of made.splice(0)) await e().remove(ref, { deleteData: true }).catch(() => undefined);
    });
    afterAll(async () => {
      for (const e of engines) await e.close().catch(() => undefined);
      await target?.cleanup();
    });

    it('creates, lists, stops, starts, restarts and removes a workspace, with its states', async () => {
      const ref = fresh('life');
      const events: ProgressEvent[] = [];
      const s = spec(ref, { cpus: 0.5, memory: '64m', days: 1 });
      made.push({ e: () => engine, ref });
      const w = await engine.create(s, { onProgress: (e) => events.push(e) });
      expect(w).toMatchObject({ origin: engine.origin, user: ref.user, name: ref.name, state: 'running', specIssue: null, image: target.image });
      expect(w.spec).toEqual(s);
      expect(w.baseUrl).toBe(`/user/${ref.user}/${ref.name}/`);
      expect(w.expiresAt).toBe(s.expiresAt);
      expect(Number.isFinite(Date.parse(w.createdAt))).toBe(true);
      expect(Number.isFinite(Date.parse(w.startedAt ?? ''))).toBe(true);
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => e.percent >= 0 && e.percent <= 100)).toBe(true);

      const got = (await engine.get(ref))!;
      expect(got.id).toBe(w.id);
      expect(got.limits).toEqual({ cpus: 0.5, memory: 64 * 1024 ** 2, gpus: null });
      if (got.node !== null) expect((await engine.capacity()).nodes.map((n) => n.name)).toContain(got.node);
      expect((await engine.list()).find((x) => x.name === ref.name && x.user === ref.user)?.id).toBe(w.id);
      expect((await engine.list({ user: ref.user })).map((x) => x.name)).toContain(ref.name);
      expect((await engine.list({ user: unique('nobody') })).map((x) => x.name)).not.toContain(ref.name);

      const stopped = await engine.stop(ref, { timeoutSeconds: 5 });
      expect(stopped).toMatchObject({ id: w.id, state: 'stopped' });
      expect((await engine.get(ref))!.state).toBe('stopped');
      const started = await engine.start(ref);
      expect(started).toMatchObject({ id: w.id, state: 'running' });
      const restarted = await engine.restart(ref, { timeoutSeconds: 5 });
      expect(restarted).toMatchObject({ id: w.id, state: 'running' });
      expect(Date.parse(restarted.startedAt!)).toBeGreaterThan(Date.parse(started.startedAt!));

      await engine.remove(ref);
      expect(await engine.get(ref)).toBeNull();
      expect((await engine.list({ user: ref.user })).map((x) => x.name)).not.toContain(ref.name);
      expect(await refusal(engine.remove(ref))).toMatchObject({ code: 'not_found', message: notFound(ref) });
    });

    it('creates without starting when asked, and starts later', async () => {
      const ref = fresh('idle');
      const w = await create(ref, {}, { start: false });
      expect(w.state).toBe('stopped');
      expect((await engine.start(ref)).state).toBe('running');
    });

    it('answers not_found for workspaces that do not exist, and conflict for stopped ones', async () => {
      const ghost = fresh('ghost');
      expect(await engine.get(ghost)).toBeNull();
      // Each call is made only when it is awaited: a refusal nobody waits for yet is an unhandled rejection.
      for (const call of [
        () => engine.start(ghost), () => engine.stop(ghost), () => engine.restart(ghost), () => engine.remove(ghost), () => engine.setExpiry(ghost, null),
        () => engine.exec(ghost, { cmd: ['true'] }), () => engine.stats(ghost), () => engine.connect(ghost, 8888), () => engine.webToken(ghost), () => text(engine.logs(ghost)),
      ]) {
        expect(await refusal(call())).toMatchObject({ code: 'not_found', message: notFound(ghost) });
      }
      const ref = fresh('stopped');
      await create(ref, { volume: false }, { start: false });
      for (const call of [() => engine.exec(ref, { cmd: ['true'] }), () => engine.connect(ref, 8888), () => engine.stats(ref)]) {
        expect(await refusal(call())).toMatchObject({ code: 'conflict', message: expect.stringMatching(/is not running/) });
      }
    });

    it('reads workspaces back from labels: a fresh engine lists identical specs, ids and expiry', async () => {
      const user = unique('u');
      const a = { user, name: unique('a') };
      const b = { user, name: unique('b') };
      const wa = await create(a, { cpus: 0.25, days: 3, env: ['GREETING=hi'] });
      await create(b, { volume: false }, { start: false });
      const other = await makeEngine();
      const mine = await engine.list({ user });
      const theirs = await other.list({ user });
      expect(theirs.map((w) => w.name)).toEqual([a.name, b.name].sort());
      const facts = (ws: typeof mine) => ws.map((w) => ({ name: w.name, id: w.id, spec: w.spec, expiresAt: w.expiresAt, state: w.state }));
      expect(facts(theirs)).toEqual(facts(mine));
      expect((await other.get(a))!).toMatchObject({ id: wa.id, spec: wa.spec, expiresAt: wa.expiresAt });
    });

    it('keeps a new expiry on the engine: across a fresh instance and stop/start, with the id stable', async () => {
      const ref = fresh('exp');
      const w = await create(ref, { days: 1, volume: false });
      if (!engine.capabilities.mutableExpiry) {
        await refusal(engine.setExpiry(ref, '2031-01-01T00:00:00.000Z'));
        return;
      }
      const at = '2031-01-01T00:00:00.000Z';
      const set = await engine.setExpiry(ref, at);
      expect(set).toMatchObject({ id: w.id, expiresAt: at });
      const other = await makeEngine();
      expect((await other.get(ref))!).toMatchObject({ id: w.id, expiresAt: at });
      await engine.stop(ref, { timeoutSeconds: 5 });
      await engine.start(ref);
      expect((await engine.get(ref))!).toMatchObject({ id: w.id, expiresAt: at });
      expect((await other.list({ user: ref.user })).find((x) => x.name === ref.name)).toMatchObject({ id: w.id, expiresAt: at });
      expect(await engine.setExpiry(ref, null)).toMatchObject({ id: w.id, expiresAt: null });
      expect((await other.get(ref))!).toMatchObject({ id: w.id, expiresAt: null });
    });

    it('keeps the expiry exactly as given, to the millisecond, as creation does', async () => {
      // The hub extends by adding days to the current expiry: a rounded value drifts on every extend.
      const ref = fresh('expms');
      const s = spec(ref, { days: 1.5, volume: false });
      made.push({ e: () => engine, ref });
      expect((await engine.create(s, { start: false })).expiresAt).toBe(s.expiresAt);
      if (!engine.capabilities.mutableExpiry) return;
      const at = '2031-01-01T00:00:00.123Z';
      expect((await engine.setExpiry(ref, at)).expiresAt).toBe(at);
      expect((await (await makeEngine()).get(ref))!.expiresAt).toBe(at);
    });

    it('keeps files in the data volume across stop and start', async () => {
      const ref = fresh('data');
      const w = await create(ref);
      const file = `${w.spec!.volumePath}/kept.txt`;
      expect((await run(engine, ref, ['sh', '-c', `echo kept > ${file}`])).code).toBe(0);
      await engine.stop(ref, { timeoutSeconds: 5 });
      await engine.start(ref);
      expect(await run(engine, ref, ['cat', file])).toMatchObject({ code: 0, out: 'kept\n' });
    });

    it('keeps the data volume on remove, unless deleteData', async () => {
      const ref = fresh('vol');
      const w = await create(ref);
      const file = `${w.spec!.volumePath}/kept.txt`;
      expect((await run(engine, ref, ['sh', '-c', `echo kept > ${file}`])).code).toBe(0);
      await engine.remove(ref);
      expect(await engine.get(ref)).toBeNull();
      expect((await engine.resources()).filter((r) => r.user === ref.user && r.workspace === ref.name).map((r) => r.kind)).toContain('volume');

      await create(ref);
      expect(await run(engine, ref, ['cat', file])).toMatchObject({ code: 0, out: 'kept\n' });
      await engine.remove(ref, { deleteData: true });
      expect((await engine.resources()).filter((r) => r.user === ref.user && r.workspace === ref.name)).toEqual([]);

      await create(ref);
      expect((await run(engine, ref, ['cat', file])).code).not.toBe(0);
    });

    describe('exec', () => {
      const ref = fresh('exec');
      beforeAll(async () => {
        await engine.create(spec(ref, { volume: false }));
      });
      afterAll(async () => {
        await engine.remove(ref, { deleteData: true }).catch(() => undefined);
      });

      it('reports exit codes and keeps stdout and stderr apart', async () => {
        expect((await run(engine, ref, ['sh', '-c', 'exit 3'])).code).toBe(3);
        expect(await run(engine, ref, ['sh', '-c', 'echo out; echo err >&2; exit 7'])).toEqual({ code: 7, out: 'out\n', err: 'err\n' });
        expect((await run(engine, ref, ['sh', '-c', 'no-such-command-here'])).code).toBe(127);
      });

      it('merges stderr into stdout with a TTY', async () => {
        const r = await run(engine, ref, ['sh', '-c', 'echo out; echo err >&2'], { tty: true, cols: 80, rows: 24 });
        expect(r.out).toMatch(/out\r?\n/);
        expect(r.out).toMatch(/err\r?\n/);
        expect(r.err).toBe('');
      });

      it('honours env and workdir', async () => {
        expect(await run(engine, ref, ['sh', '-c', 'echo "$CONTRACT_VAR"'], { env: { CONTRACT_VAR: 'a value' } })).toMatchObject({ code: 0, out: 'a value\n' });
        expect(await run(engine, ref, ['pwd'], { workdir: '/tmp' })).toMatchObject({ code: 0, out: '/tmp\n' });
      });

      it('passes stdin through', async () => {
        expect(await run(engine, ref, ['cat'], { input: 'piped through\nsecond line\n' })).toEqual({ code: 0, out: 'piped through\nsecond line\n', err: '' });
      });

      it('close() ends a long-running process promptly, and twice is fine', async () => {
        const s = await engine.exec(ref, { cmd: ['sleep', '1000'] });
        s.stdout.resume();
        s.stderr.resume();
        const t0 = Date.now();
        await s.close();
        await s.close();
        expect(await s.exitCode()).not.toBe(0);
        await Promise.all([ended(s.stdout), ended(s.stderr)]);
        expect(Date.now() - t0).toBeLessThan(15_000);
      });
    });

    describe('web app, logs and stats', () => {
      const ref = fresh('web');
      beforeAll(async () => {
        await engine.create(spec(ref, { memory: '64m', volume: false }));
      });
      afterAll(async () => {
        await engine.remove(ref, { deleteData: true }).catch(() => undefined);
      });

      it('is ready by the shared waitReady, and connect() reaches the web port', async () => {
        await waitReady(engine, ref, { timeoutMs: 60_000 });
        const w = (await engine.get(ref))!;
        const status = await httpProbe(await engine.connect(ref, w.spec!.webPort), w.baseUrl, 10_000);
        expect(status).toBeGreaterThanOrEqual(100);
        expect(status).toBeLessThan(600);
        // Nothing listens on port 1 inside the workspace.
        await expect(engine.connect(ref, 1).then((s) => httpProbe(s, '/', 5000))).rejects.toBeTruthy();
        const token = await engine.webToken(ref);
        expect(token === null || typeof token === 'string').toBe(true);
      });

      it('reaches a service bound to the workspace\'s loopback only with to: loopback (ssh -L P:localhost:X)', async () => {
        await waitReady(engine, ref, { timeoutMs: 60_000 });
        expect((await run(engine, ref, ['sh', '-c', 'mkdir -p /tmp/lo && echo loopback only > /tmp/lo/index.html'])).code).toBe(0);
        // busybox httpd (the fake has its own): on 127.0.0.1 only, as TensorBoard or VS Code's server listen.
        const httpd = await engine.exec(ref, { cmd: ['httpd', '-f', '-p', '127.0.0.1:9123', '-h', '/tmp/lo'] });
        httpd.stdout.resume();
        httpd.stderr.resume();
        try {
          const probe = async () => httpProbe(await engine.connect(ref, 9123, { to: 'loopback' }), '/', 10_000);
          let status = await probe().catch(() => 0);
          // The server starts in its own time: ask until it answers (the test's timeout bounds it).
          while (status === 0) status = await new Promise((r) => setTimeout(r, 200)).then(probe).catch(() => 0);
          expect(status).toBe(200);
          // The web app on its usual port is on the loopback too.
          expect(await httpProbe(await engine.connect(ref, (await engine.get(ref))!.spec!.webPort, { to: 'loopback' }), '/', 10_000)).toBeLessThan(600);
        } finally {
          await httpd.close();
        }
      }, 120_000);

      it('reads the last log lines, and following ends on abort', async () => {
        await waitReady(engine, ref, { timeoutMs: 60_000 });
        const all = await text(engine.logs(ref));
        expect(all.trim()).not.toBe('');
        const tail = await text(engine.logs(ref, { tail: 1 }));
        expect(tail.split('\n').filter(Boolean)).toHaveLength(1);
        expect(all.endsWith(tail)).toBe(true);
        const ac = new AbortController();
        const got: string[] = [];
        for await (const chunk of engine.logs(ref, { follow: true, tail: 1, signal: ac.signal })) {
          got.push(chunk);
          ac.abort();
        }
        expect(got.join('')).not.toBe('');
      });

      it('gives one stats sample with the memory limit of the spec', async () => {
        const s = await engine.stats(ref);
        expect(s.memoryLimit).toBe(64 * 1024 ** 2);
        expect(s.cpuPercent).toBeGreaterThanOrEqual(0);
        expect(s.onlineCpus).toBeGreaterThanOrEqual(1);
        expect(s.memoryUsed).toBeGreaterThanOrEqual(0);
        expect(Number.isFinite(Date.parse(s.at))).toBe(true);
      });
    });

    it('reports a workspace that crashes as failed, and waitReady says why with its last log lines', async () => {
      // FAIL_WITH is the test image's switch (and the fake's): print it, exit 3.
      const ref = fresh('crash');
      await create(ref, { env: ['FAIL_WITH=kaboom'], volume: false });
      const err = await refusal(waitReady(engine, ref, { timeoutMs: 60_000 }));
      expect(err.message).toMatch(/exited before it was ready \(exited with code 3\); last log lines:\nkaboom/);
      expect((await engine.get(ref))!).toMatchObject({ state: 'failed', status: expect.stringMatching(/code 3/) });
    });

    it('ends following logs when the workspace stops', async () => {
      const ref = fresh('follow');
      await create(ref, { volume: false });
      await waitReady(engine, ref, { timeoutMs: 60_000 });
      const following = text(engine.logs(ref, { follow: true, tail: 1 }));
      await engine.stop(ref, { timeoutSeconds: 5 });
      expect(await following).not.toBe('');
    });

    it('lists what a user has (workspace, data volume, named volume, network) and removes it all in order', async () => {
      const ref = fresh('res', unique('gone'));
      await create(ref, { mounts: ['scratch:/mnt/scratch'] });
      const mine = async () => (await engine.resources()).filter((r) => r.user === ref.user);
      const before = await mine();
      const kinds = before.map((r) => r.kind);
      for (const k of ['workspace', 'volume', 'user-volume', 'network'] as const) expect(kinds).toContain(k);
      const order = (k: string) => before.find((r) => r.kind === k)!.order;
      expect(order('workspace')).toBeLessThan(order('volume'));
      expect(order('volume')).toBeLessThan(order('network'));
      expect(order('user-volume')).toBeLessThan(order('network'));
      expect(before.find((r) => r.kind === 'volume')!).toMatchObject({ workspace: ref.name, inUse: true });
      expect(before.find((r) => r.kind === 'network')!).toMatchObject({ inUse: true, workspace: null });
      for (const r of before) expect(r.location === null || typeof r.location === 'string').toBe(true);
      for (const r of [...before].sort((x, y) => x.order - y.order)) await engine.removeResource(r);
      expect(await mine()).toEqual([]);
      expect(await engine.get(ref)).toBeNull();
    });

    it('reports at least one node with CPUs and memory', async () => {
      const c = await engine.capacity();
      expect(c.nodes.length).toBeGreaterThanOrEqual(1);
      for (const n of c.nodes) {
        expect(n.cpus).toBeGreaterThan(0);
        expect(n.memory).toBeGreaterThan(0);
        expect(n.gpus).toBeGreaterThanOrEqual(0);
        expect(typeof n.name).toBe('string');
      }
      expect(c.description).not.toBe('');
    });

    it('resolves an image by tag, id, short id and digest to the same names; an unknown one to null', async () => {
      await create(fresh('img'), { volume: false }); // the image is present once a workspace used it
      const info = await engine.imageInfo(target.image);
      expect(info).not.toBeNull();
      expect(info!.tags.map(withDefaultTag)).toContain(withDefaultTag(target.image));
      expect(await engine.imageInfo(info!.id)).toEqual(info);
      expect(await engine.imageInfo(info!.id.replace(/^sha256:/, '').slice(0, 12))).toEqual(info);
      for (const d of info!.digests) expect(await engine.imageInfo(d)).toEqual(info);
      expect(await engine.imageInfo(`sha256:${'0'.repeat(64)}`)).toBeNull();
      expect(await engine.imageInfo('hubdeck-test/never-built:0')).toBeNull();
    });

    it('refuses an impossible placement and a duplicate name, leaving nothing behind', async () => {
      const ids = async () => (await engine.resources()).map((r) => `${r.kind}/${r.id}`).sort();
      const before = await ids();
      const ref = fresh('nowhere', unique('p'));
      made.push({ e: () => engine, ref });
      const e = await refusal(engine.create(spec(ref, { placement: { 'example.com/no-such-node-label': 'nowhere' } })));
      expect(e).toMatchObject({ code: 'invalid', field: 'placement' });
      expect(await engine.get(ref)).toBeNull();
      expect(await ids()).toEqual(before);

      const dup = fresh('dup');
      const w = await create(dup, { volume: false });
      const again = await refusal(engine.create(spec(dup, { volume: false })));
      expect(again).toMatchObject({ code: 'conflict', field: 'name' });
      expect((await engine.get(dup))!).toMatchObject({ id: w.id, state: 'running' });
    });
  });
}

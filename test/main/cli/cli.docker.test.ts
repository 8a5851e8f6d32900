import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../../main/core/labels';
import { hubdeck } from '../../support/cli';
import { countObjects, docker, sweep, testOrigin } from '../../support/docker-fixture';
import { TEST_IMAGES } from '../../support/test-images';

// The real `hubdeck` command against the real engine: output contracts, limits, exit codes.
const origin = testOrigin('cli');
const g = ['--origin', origin, '--user', 'alice'];
const env = { HUBDECK_USER: '', DOCKER_HOST: '' };
afterAll(() => sweep(origin));

describe('hubdeck workspace', () => {
  it('create --cpus 1.5 --memory 512m --shm 128m sets exactly those limits, labels, network and volume', async () => {
    const r = await hubdeck([...g, '--json', 'workspace', 'create', 'lim', '--image', TEST_IMAGES.busybox, '--cpus', '1.5', '--memory', '512m', '--shm', '128m', '--days', '2', '--env', 'FOO=bar'], env);
    expect(r.stderr).toContain('waiting for /user/alice/lim/ to answer');
    expect(r.code).toBe(0);
    const ws = JSON.parse(r.stdout);
    expect(ws).toMatchObject({ name: 'lim', user: 'alice', state: 'running', image: TEST_IMAGES.busybox, cpus: 1.5, memory: 536870912, shm: 134217728, gpus: null, env: { FOO: 'bar' } });
    expect(Date.parse(ws.expiresAt) - Date.now()).toBeGreaterThan(47 * 3600 * 1000);

    const c = await docker.getContainer(ws.id).inspect();
    expect(c.HostConfig.NanoCpus).toBe(1500000000);
    expect(c.HostConfig.Memory).toBe(536870912);
    expect(c.HostConfig.ShmSize).toBe(134217728);
    expect(c.Config.Labels).toMatchObject({ [LABELS.origin]: origin, [LABELS.user]: 'alice', [LABELS.workspace]: 'lim', [LABELS.kind]: 'workspace' });
    expect(c.Config.Labels[LABELS.expiresAt]).toBe(ws.expiresAt);
    expect(Object.keys(c.NetworkSettings.Networks)).toEqual([`hubdeck-${origin}-alice`]);
    const mount = c.Mounts.find((m) => m.Destination === '/home/jovyan/work')!;
    expect(mount.Name).toBe(ws.volume);
    const vol = await docker.getVolume(ws.volume).inspect();
    expect(vol.Labels).toMatchObject({ [LABELS.origin]: origin, [LABELS.user]: 'alice', [LABELS.workspace]: 'lim', [LABELS.kind]: 'volume' });
    const net = await docker.getNetwork(`hubdeck-${origin}-alice`).inspect();
    expect(net.Labels).toMatchObject({ [LABELS.origin]: origin, [LABELS.user]: 'alice' });
  });

  it('list --json prints one array with the contract fields; list shows a table', async () => {
    const r = await hubdeck([...g, '--json', 'workspace', 'list'], env);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(Array.isArray(list)).toBe(true);
    expect(list[0]).toMatchObject({ name: 'lim', user: 'alice', state: 'running', image: TEST_IMAGES.busybox, cpus: 1.5, memory: 536870912, gpus: null });
    expect(list[0].expiresAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    // the same startedAt as show --json (Docker's list summary has none; a running one must not read null)
    expect(list[0].startedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const show = JSON.parse((await hubdeck([...g, '--json', 'workspace', 'show', 'lim'], env)).stdout);
    expect(list[0].startedAt).toBe(show.startedAt);
    expect((await hubdeck(['--origin', origin, '--user', 'bob', '--json', 'workspace', 'list'], env)).stdout.trim()).toBe('[]');
    const table = await hubdeck([...g, 'workspace', 'list', '--all'], env);
    expect(table.stdout).toMatch(/^USER\s+NAME\s+STATE/);
    // sizes and expiry as the UI writes them (main/api/display-format.ts), not 512m and a raw ISO date
    expect(table.stdout).toMatch(/alice\s+lim\s+running\s+hubdeck-test\/busybox-web:3\s+1\.5\s+512 MiB\s+in 1d 23h$/m);
  });

  it('stop, start, logs, stats and remove, each with a clean exit', async () => {
    const stop = await hubdeck([...g, '--json', 'workspace', 'stop', 'lim'], env);
    expect(JSON.parse(stop.stdout)).toMatchObject({ name: 'lim', state: 'stopped' });
    const start = await hubdeck([...g, 'workspace', 'start', 'lim'], env);
    expect(start.stdout.trim()).toBe('alice/lim: running'); // not "running (running)"
    const logs = await hubdeck([...g, 'workspace', 'logs', 'lim', '--tail', '5'], env);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/response:/);
    const stats = await hubdeck([...g, '--json', 'workspace', 'stats', 'lim'], env);
    expect(JSON.parse(stats.stdout)).toMatchObject({ memoryLimit: 536870912 });
    const words = await hubdeck([...g, 'workspace', 'stats', 'lim'], env);
    expect(words.stdout.trim()).toMatch(/^cpu \d+(\.\d)?% {2}memory \d+(\.\d)? (B|KiB|MiB) \/ 512 MiB$/); // not "67320k / 512m"
    const rm = await hubdeck([...g, '--json', 'workspace', 'remove', 'lim', '--delete-data'], env);
    expect(JSON.parse(rm.stdout)).toEqual({ name: 'lim', user: 'alice', removed: true, dataDeleted: true });
    expect(await countObjects(origin)).toMatchObject({ containers: 0, volumes: 0 });
  });

  it('--no-wait returns before readiness; --no-volume makes no volume', async () => {
    const r = await hubdeck([...g, '--json', 'workspace', 'create', 'quick', '--image', TEST_IMAGES.busybox, '--no-wait', '--no-volume'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('waiting for');
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'quick', volume: null, volumePath: null });
    expect((await countObjects(origin)).volumes).toBe(0);
    // Issue 18 item 7: "(data volume kept)" was printed for a workspace that never had one.
    const rm = await hubdeck([...g, 'workspace', 'rm', 'quick'], env);
    expect(rm.code).toBe(0);
    expect(rm.stdout.trim()).toBe('removed alice/quick');
  });

  it('remove says the data volume is kept only when there is one, and keeps it', async () => {
    expect((await hubdeck([...g, 'workspace', 'create', 'kept', '--image', TEST_IMAGES.busybox, '--no-wait'], env)).code).toBe(0);
    const rm = await hubdeck([...g, 'workspace', 'remove', 'kept'], env);
    expect(rm.stdout.trim()).toBe('removed alice/kept (data volume kept)');
    const vols = (await docker.listVolumes({ filters: { label: [`${LABELS.origin}=${origin}`, `${LABELS.workspace}=kept`] } })).Volumes ?? [];
    expect(vols).toHaveLength(1);
    await docker.getVolume(vols[0]!.Name).remove();
  });

  it.each([
    [['create', 'Bad_Name'], /^hubdeck: name: "Bad_Name" is not a workspace name/],
    [['create', 'ok', '--memory', '12x'], /^hubdeck: memory: "12x" is not a size \(use 512m, 2g, …\)$/],
    [['create', 'ok', '--cpus', '0'], /^hubdeck: cpus: must be more than 0/],
    [['create', 'ok', '--shm', 'lots'], /^hubdeck: shm: "lots" is not a size/],
    [['create', 'ok', '--gpus', 'a b'], /^hubdeck: gpus: "a b" is not a GPU request/],
    [['create', 'ok', '--env', 'NOPE'], /^hubdeck: env: "NOPE" is not KEY=VALUE$/],
    [['create', 'ok', '--env', 'JUPYTER_TOKEN=x'], /^hubdeck: env: "JUPYTER_TOKEN" is reserved for the hub$/],
    [['create', 'ok', '--days', 'soon'], /^hubdeck: days: "soon" is not a number$/],
    [['create', 'ok', '--days', '-1'], /^hubdeck: days: must be more than 0/],
    [['create', 'ok', '--image', 'Not An Image'], /^hubdeck: image: "Not An Image" is not an image reference/],
    [['create', 'ok', '--port', '99999'], /^hubdeck: webPort: "99999" is not a port/],
    [['create', 'ok', '--volume-path', 'rel'], /^hubdeck: volumePath: "rel" is not an absolute path$/],
  ])('refuses %j with one line, exit 2, one JSON error document, and creates nothing', async (args, message) => {
    const r = await hubdeck([...g, '--json', 'workspace', ...args], env);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'invalid', field: expect.any(String) } });
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(await countObjects(origin)).toMatchObject({ containers: 0, volumes: 0 });
  });

  it('checks a request before opening the hub or the engine: with Docker down, bad input exits 2 and writes nothing', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-cli-untouched-'));
    try {
      const r = await hubdeck(['--user', 'alice', '--docker-host', 'unix:///nonexistent.sock', 'workspace', 'create', 'ok', '--memory', '12x'], { ...env, HUBDECK_DATA: fresh });
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe('hubdeck: memory: "12x" is not a size (use 512m, 2g, …)');
      expect(fs.readdirSync(fresh)).toEqual([]); // no hub.json, no lock, nothing
      // the same request with good input does reach for the engine, and says it is down
      const ok = await hubdeck(['--user', 'alice', '--docker-host', 'unix:///nonexistent.sock', 'workspace', 'create', 'ok', '--memory', '64m'], { ...env, HUBDECK_DATA: fresh });
      expect(ok.code).toBe(5);
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('exits non-zero with one line for a missing workspace, a bad user, an unreachable engine', async () => {
    const missing = await hubdeck([...g, 'workspace', 'stop', 'ghost'], env);
    expect(missing.code).toBe(3);
    expect(missing.stderr.trim()).toBe('hubdeck: workspace "ghost" of alice does not exist');
    const user = await hubdeck(['--origin', origin, '--user', 'Bad.User', 'workspace', 'list'], env);
    expect(user.code).toBe(2);
    expect(user.stderr.trim()).toMatch(/^hubdeck: user: "Bad.User" is not a user name/);
    const down = await hubdeck([...g, '--docker-host', 'unix:///nonexistent.sock', 'workspace', 'list'], env);
    expect(down.code).toBe(5);
    expect(down.stderr.trim()).toBe('hubdeck: cannot reach the Docker engine at local engine (/nonexistent.sock) (is Docker running?)');
  });
});

describe('hubdeck group and image (admins)', () => {
  it('remove (alias rm) takes an entry by name, in JSON and in words; a name that is not there is a clear failure', async () => {
    const a = ['--origin', origin];
    expect((await hubdeck([...a, 'group', 'add', 'cli-ml'], env)).code).toBe(0);
    const rm = await hubdeck([...a, '--json', 'group', 'rm', 'cli-ml'], env);
    expect(rm.code).toBe(0);
    expect(JSON.parse(rm.stdout)).toEqual({ name: 'cli-ml', removed: true });
    const again = await hubdeck([...a, 'group', 'remove', 'cli-ml'], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/cli-ml/);

    expect((await hubdeck([...a, 'image', 'add', 'cli-tiny', TEST_IMAGES.busybox], env)).code).toBe(0);
    const words = await hubdeck([...a, 'image', 'remove', 'cli-tiny'], env);
    expect(words.code).toBe(0);
    expect(words.stdout.trim()).toBe('removed image cli-tiny');
    expect((await hubdeck([...a, '--json', 'image', 'list'], env)).stdout).not.toContain('cli-tiny');
  });
});

describe('engine refusals a user can cause, as sentences (field, reason, fix) with the README exit codes', () => {
  it('an image without a command: not "No command specified"', async () => {
    const r = await hubdeck([...g, 'workspace', 'create', 'nocmd', '--image', 'hubdeck-test/debian:bookworm', '--no-volume'], env);
    expect(r.code).toBe(2);
    expect(lastLine(r.stderr)).toMatch(/^hubdeck: image: "hubdeck-test\/debian:bookworm" has no command to run \(no CMD or ENTRYPOINT\); pick an image made for workspaces.*; images present here: .*hubdeck-test\/jupyter:1/);
    expect(await countObjects(origin)).toMatchObject({ containers: 0 });
  });

  it('memory above the host: sizes people read and the largest to ask for, not "host has 24683748k"', async () => {
    const r = await hubdeck([...g, 'workspace', 'create', 'huge', '--image', TEST_IMAGES.busybox, '--memory', '4096g', '--no-volume'], env);
    expect(r.code).toBe(8);
    expect(lastLine(r.stderr)).toMatch(/^hubdeck: memory: 4 TiB requested but the host has \d+(\.\d)? GiB; ask for at most \d+g$/);
  });

  it('an unreachable registry exits 5 (README) and names the images present, in words and in --json', async () => {
    const r = await hubdeck([...g, 'workspace', 'create', 'offline', '--image', 'quay.io/jupyter/base-notebook', '--no-volume'], env);
    expect(r.code).toBe(5);
    expect(lastLine(r.stderr)).toMatch(/^hubdeck: image: cannot reach quay\.io from this engine \(Docker\) to pull "quay\.io\/jupyter\/base-notebook(:latest)?"; images present here: .*hubdeck-test\/busybox-web:3/);
    const json = await hubdeck([...g, '--json', 'workspace', 'create', 'offline', '--image', 'quay.io/jupyter/base-notebook', '--no-volume'], env);
    expect(json.code).toBe(5);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'unavailable', field: 'image', message: expect.stringMatching(/^image: cannot reach quay\.io/) } });
  });
});

/** The error line: progress ("creating …; waiting for …") comes before it on stderr. */
function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)!;
}

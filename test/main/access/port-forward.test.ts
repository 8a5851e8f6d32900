/**
 * The forwarder and the tunnel definitions without an engine: a dialer that reaches a real local
 * TCP server stands in for a workspace port. Retries happen for what may recover (the link, a
 * restarting workspace) and never for a refusal; the store validates and keeps its file intact.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubdeckError } from '../../../main/core/errors';
import { spawn } from 'node:child_process';
import { BACKOFF_MS, portNotAnswering, retryable, startForward, type Dialer } from '../../../main/access/port-forward';
import { isTunnelCommand, TunnelStore } from '../../../main/client/tunnel-store';
import { until } from '../../support/api-hub';

let echo: net.Server;
let echoPort = 0;
beforeAll(async () => {
  echo = net.createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  echoPort = (echo.address() as net.AddressInfo).port;
});
afterAll(() => echo.close());

const ref = { user: 'ann', name: 'nb' };
const dialTo = (port: number) => new Promise<net.Socket>((resolve, reject) => {
  const s = net.connect(port, '127.0.0.1', () => resolve(s));
  s.once('error', reject);
});

function roundTrip(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.end(text));
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString()));
    s.once('close', () => resolve(got));
    s.once('error', reject);
  });
}

describe('port forward', () => {
  it('carries both directions and closes its connections when stopped', async () => {
    const f = await startForward({ dialer: { dial: () => dialTo(echoPort) }, ref, local: 0, remote: 1 });
    expect(await roundTrip(f.address.port, 'x'.repeat(200_000))).toHaveLength(200_000);
    await f.close();
    await expect(dialTo(f.address.port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('refuses at start: a taken port, and whatever the hub refuses', async () => {
    await expect(startForward({ dialer: { dial: () => dialTo(echoPort) }, ref, local: echoPort, remote: 1 })).rejects.toThrow(`local port ${echoPort} is taken`);
    const refusing: Dialer = { dial: () => Promise.reject(new HubdeckError('forbidden', 'bob may not open the workspaces of ann')) };
    await expect(startForward({ dialer: refusing, ref, local: 0, remote: 1 })).rejects.toThrow(/may not open/);
  });

  it('retries a broken link with backoff until it is back, but never a refusal', async () => {
    let calls = 0;
    let failing = 0;
    const logs: string[] = [];
    const flaky: Dialer = {
      dial: () => {
        calls++;
        if (calls > 1 && failing-- > 0) return Promise.reject(new HubdeckError('unavailable', 'hub restarting'));
        return dialTo(echoPort);
      },
    };
    const f = await startForward({ dialer: flaky, ref, local: 0, remote: 1, backoffMs: [5, 10, 20, 40], log: (m) => logs.push(m) });
    failing = 3;
    expect(await roundTrip(f.address.port, 'hello')).toBe('hello');
    expect(logs.filter((l) => /retrying in \d+ ms/.test(l))).toHaveLength(3);
    expect(logs.at(-1)).toMatch(/is back/);
    failing = 10;
    expect(await roundTrip(f.address.port, 'lost')).toBe('');
    await f.close();
    expect(retryable(new HubdeckError('forbidden', 'no'))).toBe(false);
    expect(retryable(new HubdeckError('not_found', 'no'))).toBe(false);
    expect(retryable(new HubdeckError('conflict', 'stopped'))).toBe(true);
    expect(retryable(new Error('ECONNRESET'))).toBe(true);
  });
});

describe('port forward: nothing left behind, nothing refused that may come', () => {
  it('ends every workspace stream at close, even one whose dial was still under way', async () => {
    const upstreams: net.Socket[] = [];
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let dials = 0;
    const slow: Dialer = {
      dial: async () => {
        // The probe at start and the first connection go through at once; the next one waits.
        if (++dials > 2) await gate;
        const s = await dialTo(echoPort);
        upstreams.push(s);
        return s;
      },
    };
    const f = await startForward({ dialer: slow, ref, local: 0, remote: 1 });
    const held = await dialTo(f.address.port);
    held.write('x');
    await until(() => upstreams.length === 2, 2000, 'the first connection to be carried');
    const waiting = await dialTo(f.address.port);
    await until(() => f.connections() === 2 && dials === 3, 2000, 'the second dial to be under way');
    await f.close();
    held.resume();
    await until(() => held.destroyed, 2000, 'the carried client to be closed');
    release();
    await until(() => upstreams.length === 3, 2000, 'the late dial');
    // Nothing would ever end the late stream but the check after the dial.
    await until(() => upstreams.every((u) => u.destroyed), 2000, 'every workspace stream to be ended');
    waiting.destroy();
  });

  it('starts when the port does not answer yet, says so, and carries once something listens there', async () => {
    const later = net.createServer((s) => s.pipe(s));
    await new Promise<void>((r) => later.listen(0, '127.0.0.1', () => r()));
    const port = (later.address() as net.AddressInfo).port;
    await new Promise((r) => later.close(r));
    const logs: string[] = [];
    const f = await startForward({ dialer: { dial: () => dialTo(port) }, ref, local: 0, remote: 6006, backoffMs: [50, 100, 200, 400, 800], log: (m) => logs.push(m) });
    expect(logs[0]).toMatch(/^nothing answers on port 6006 of ann\/nb yet \(connect ECONNREFUSED .*\); connections wait for it$/);
    const pending = roundTrip(f.address.port, 'tensorboard');
    await until(() => logs.some((l) => /retrying in/.test(l)), 2000, 'a retry');
    const now = net.createServer((s) => s.pipe(s));
    await new Promise<void>((r) => now.listen(port, '127.0.0.1', () => r()));
    expect(await pending).toBe('tensorboard');
    expect(logs.at(-1)).toMatch(/is back/);
    await f.close();
    now.close();
    expect(portNotAnswering(new HubdeckError('engine', 'connect ECONNREFUSED 172.17.0.2:6006'))).toBe(true);
    expect(portNotAnswering(new HubdeckError('conflict', 'workspace "nb" of ann is stopped'))).toBe(false);
    expect(portNotAnswering(new HubdeckError('unavailable', 'cannot reach the hub'))).toBe(false);
  });

  it('backs off exponentially from 250 ms, capped at 8 s, for about half a minute', () => {
    for (let i = 1; i < BACKOFF_MS.length; i++) expect(BACKOFF_MS[i]).toBe(Math.min(BACKOFF_MS[i - 1]! * 2, 8000));
    expect(BACKOFF_MS[0]).toBe(250);
    const total = BACKOFF_MS.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(20_000);
    expect(total).toBeLessThan(60_000);
  });
});

describe('tunnel definitions', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-tunnel-store-'));
  const s = new TunnelStore(dir);
  const t = { name: 'tb', workspace: 'nb', user: 'ann', hub: null, fingerprint: null, local: 16006, remote: 6006, createdAt: '2026-11-23T00:00:00.000Z' };

  it('adds, refuses duplicates and bad values by field, removes, and keeps the file 0600', () => {
    s.add(t);
    expect(s.get('tb')).toEqual(t);
    expect(fs.statSync(s.file).mode & 0o777).toBe(0o600);
    expect(() => s.add(t)).toThrow(/a tunnel "tb" exists already/);
    expect(() => s.add({ ...t, name: 'other' })).toThrow(/port 16006 is already tunnel "tb"'s/);
    expect(() => s.add({ ...t, name: 'Bad Name', local: 1 })).toThrow(/name: is not a tunnel name|local: must be 1024/);
    expect(() => s.add({ ...t, name: 'x', local: 16007, remote: 70000 })).toThrow(/remote: must be a port/);
    expect(() => s.add({ ...t, name: 'y', local: 16008, hub: 'not a url' })).toThrow(/hub/);
    s.remove('tb');
    expect(s.list()).toEqual([]);
    expect(() => s.get('tb')).toThrow(/tunnel "tb" does not exist/);
  });

  it('says a damaged file is damaged, and forgets a stale pid', () => {
    fs.writeFileSync(s.file, '{"version":1,"tunnels":[{"name":1}]}');
    expect(() => s.list()).toThrow(/tunnels\.json is damaged/);
    fs.rmSync(s.file);
    fs.mkdirSync(s.runDir, { recursive: true });
    fs.writeFileSync(s.pidFile('tb'), '999999999\n');
    expect(s.runningPid('tb')).toBeNull();
    expect(fs.existsSync(s.pidFile('tb'))).toBe(false);
  });

  it("counts a pid only while it is the tunnel's own process, so stop never signals a stranger", async () => {
    expect(isTunnelCommand(['/usr/bin/node', '/opt/hubdeck/cli.js', '--data', '/d', 'tunnel', 'run', 'tb'], 'tb')).toBe(true);
    expect(isTunnelCommand(['node', 'cli.js', 'tunnel', 'run', 'tb2'], 'tb')).toBe(false);
    expect(isTunnelCommand(['vim', 'tunnel', 'tb'], 'tb')).toBe(false);
    fs.mkdirSync(s.runDir, { recursive: true });
    // A live process that is not the tunnel's (a reused pid): this very test runner.
    fs.writeFileSync(s.pidFile('tb'), `${process.pid}\n`);
    expect(s.runningPid('tb')).toBeNull();
    expect(fs.existsSync(s.pidFile('tb'))).toBe(false);
    // A process whose command line is `… tunnel run tb` is the tunnel's.
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'tunnel', 'run', 'tb'], { stdio: 'ignore' });
    try {
      await new Promise((r) => child.once('spawn', r));
      fs.writeFileSync(s.pidFile('tb'), `${child.pid}\n`);
      if (process.platform !== 'win32') expect(s.runningPid('tb')).toBe(child.pid);
      fs.writeFileSync(s.pidFile('other'), `${child.pid}\n`);
      expect(s.runningPid('other')).toBeNull();
    } finally {
      child.kill();
    }
    await new Promise((r) => child.once('exit', r));
    expect(s.runningPid('tb')).toBeNull();
  });
});

/**
 * scripts/start.mjs (`npm start`) where Electron's binary is missing: the app in a browser over the
 * local hub. Ctrl-C (SIGINT to npm start's process) stops the hub and frees its port; a second start
 * while one runs prints the running hub's URL and a fresh sign-in link instead of dying on
 * EADDRINUSE; a used link's page says what to do in browser mode. The in-memory engine keeps it
 * quick; the build is the one the Docker project's setup makes (HUBDECK_START_NO_BUILD=1).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../support/child-process';

const ROOT = path.join(__dirname, '../..');
const data = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-start-'));
const started: ChildProcess[] = [];
afterAll(() => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(data, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

function npmStart(port: number): Run {
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/start.mjs'), '--engine', 'fake', '--listen', `127.0.0.1:${port}`], {
    env: { ...process.env, HUBDECK_DATA: data, HUBDECK_START_NO_BUILD: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  return { child, out: () => out, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

async function linkOf(r: Run): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const m = /Sign in with this link \(once, within 10 minutes\): (\S+)/.exec(r.out());
    if (m) return m[1]!;
    if (r.child.exitCode !== null) break;
    await new Promise((f) => setTimeout(f, 100));
  }
  throw new Error(`npm start printed no link:\n${r.out()}`);
}

const portIsFree = (port: number) => new Promise<boolean>((resolve) => {
  const s = net.createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
});

describe('npm start without Electron', () => {
  it('a second start prints the running URL and a fresh link; SIGINT stops the hub, frees the port and exits', async () => {
    const port = await freeLoopbackPort();
    const first = npmStart(port);
    const firstLink = await linkOf(first);
    expect(firstLink.startsWith(`http://127.0.0.1:${port}/hub/login?code=`)).toBe(true);

    const second = npmStart(port);
    expect(await second.exited).toBe(0);
    expect(second.out()).toContain(`Hubdeck is already running in your browser at http://127.0.0.1:${port}/`);
    expect(second.out()).not.toMatch(/EADDRINUSE/);
    const secondLink = await linkOf(second);
    expect(secondLink).not.toBe(firstLink);
    // the fresh link signs in (once)…
    const signIn = await fetch(secondLink, { redirect: 'manual' });
    expect([200, 302]).toContain(signIn.status);

    // …and a used one says what to do here: browser mode's way to a new link
    await fetch(firstLink, { redirect: 'manual' });
    const used = await fetch(firstLink.replace(/code=[^&]+/, 'code=not-a-code'), { redirect: 'manual' });
    expect(used.status).toBe(401);
    const page = await used.text();
    expect(page).toContain('This sign-in link has expired or was already used');
    expect(page).toContain('hubdeck ui --link');

    first.child.kill('SIGINT'); // to npm start's own process only, as `kill -INT` would
    expect(await first.exited).toBe(0);
    expect(await portIsFree(port)).toBe(true);
    expect(fs.existsSync(path.join(data, 'ui.sock'))).toBe(false);
  });
});

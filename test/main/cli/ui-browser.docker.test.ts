/**
 * `hubdeck ui` (what `npm start` runs without Electron's binary) in headless Chromium: the printed
 * one-time link signs the browser in, the React app lists the user's workspaces over REST, updates
 * live from the hub's events, and its Stop button works. The in-memory engine keeps it quick; the
 * build it serves is the one the Docker project's setup makes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.join(__dirname, '../../..');
const SHOTS = path.join(ROOT, 'test-output');
const data = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-browser-'));
let ui: ChildProcess;
let link = '';
let browser: Browser;

beforeAll(async () => {
  ui = spawn(process.execPath, [path.join(ROOT, 'bin/hubdeck.js'), 'ui', '--engine', 'fake', '--listen', '127.0.0.1:0'], { env: { ...process.env, HUBDECK_DATA: data } });
  let out = '';
  link = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hubdeck ui did not start:\n${out}`)), 30_000);
    ui.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Sign in with this link \(once, within 10 minutes\): (\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
    ui.once('exit', (code) => reject(new Error(`hubdeck ui exited ${code}:\n${out}`)));
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  if (ui && ui.exitCode === null) {
    const exited = new Promise((r) => ui.once('exit', r));
    ui.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(data, { recursive: true, force: true });
});

describe('hubdeck ui in a browser', () => {
  it('signs in with the printed link, lists workspaces live, and stops one', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(link);
    // The link says whom it signs in, and signs in only when asked to.
    await page.getByRole('heading', { name: /^Sign in as \S+\?$/ }).waitFor();
    await page.getByRole('button', { name: /^Continue as / }).click();
    await page.getByRole('heading', { name: 'Workspaces' }).waitFor();
    await page.getByText('No workspaces yet').waitFor();
    // A workspace made elsewhere (here: the API, with the browser's session) shows up by itself.
    const status = await page.evaluate(async () => (await fetch('/api/v1/workspaces?wait=1', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'demo', image: 'img:1', cpus: 0.5 }),
    })).status);
    expect(status).toBe(201);
    const row = page.getByRole('row', { name: /demo/ });
    await row.getByRole('cell', { name: 'running' }).waitFor();
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'ui-browser-running.png') });
    // Open is the row's one button; Stop is in its menu (Docker Desktop's and Coder's layout).
    await row.getByRole('button', { name: 'More actions for demo' }).click();
    await page.getByRole('menuitem', { name: 'Stop' }).click();
    await row.getByRole('cell', { name: 'stopped' }).waitFor();
    await row.getByRole('button', { name: 'Start', exact: true }).waitFor();
    expect(errors).toEqual([]);
    // The link was for one use: a second browser gets the sign-in form instead.
    const other = await browser.newPage();
    await other.goto(link);
    await other.getByText('expired or was already used').waitFor();
    await other.getByLabel('Token').waitFor();
  });
});

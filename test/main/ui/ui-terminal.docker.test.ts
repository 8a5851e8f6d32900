/**
 * The workspace page's terminal end to end, in headless Chromium, against a real `hubdeck hub
 * serve` on the real Docker engine (busybox workspace): signed in with the session cookie, the
 * terminal (xterm.js, loaded only when opened) runs `echo $((6*7))` and shows 42; the page stays
 * accessible with the terminal open; a page on another origin cannot open the terminal with the
 * user's cookie (the hub checks Origin on the upgrade).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../support/api-hub';
import { sweep, testOrigin } from '../../support/docker-fixture';
import { startServe, type ServeProcess } from '../../support/hub-process';
import { TEST_IMAGES } from '../../support/test-images';
import { collectErrors, expectAccessible, launchChromium, shot } from './ui-support';

const origin = testOrigin('uiterm');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-terminal-'));
let srv: ServeProcess;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let ctx: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  srv = await startServe(['--data', dataDir, '--listen', '127.0.0.1:0', '--origin', origin]);
  const admin = srv.adminToken!;
  expect((await api(srv.url, 'POST', '/images', admin, { name: 'busybox', ref: TEST_IMAGES.busybox })).status).toBe(201);
  expect((await api(srv.url, 'POST', '/workspaces?wait=1', admin, { name: 'term', image: TEST_IMAGES.busybox, volume: false })).status).toBe(201);
  ({ browser, close: closeBrowser } = await launchChromium());
  ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await ctx.newPage();
  page.setDefaultTimeout(30_000);
  errors = collectErrors(page);
}, 240_000);

afterAll(async () => {
  await closeBrowser?.();
  await srv?.stop().catch(() => undefined);
  await sweep(origin);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("the terminal tab and the tunnels page", () => {
  it('runs echo $((6*7)) in the workspace and shows 42', async () => {
    await page.goto(srv.url);
    await page.getByLabel('Token').fill(srv.adminToken!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'New workspace' }).waitFor();
    // xterm.js is not part of the first page: no terminal chunk before the terminal is opened.
    const loaded = () => page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.includes('terminal-view')));
    await page.goto(`${srv.url}/#/w/admin/term`);
    await page.getByRole('heading', { name: 'Terminal' }).waitFor();
    expect(await loaded()).toBe(false);
    await page.getByRole('button', { name: 'Open terminal' }).click();
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 30_000 }).toContain('connected');
    expect(await loaded()).toBe(true);
    await page.locator('.xterm').click();
    await page.keyboard.type('echo $((6*7))');
    await page.keyboard.press('Enter');
    const rows = () => page.locator('.xterm-rows').innerText();
    await expect.poll(async () => (await rows()).split('\n').map((l) => l.trim()), { timeout: 20_000 }).toContain('42');
    expect(errors).toEqual([]);
    await shot(page, '20-terminal');
    await expectAccessible(page, 'workspace terminal');
    await page.keyboard.type('exit');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 20_000 }).toContain('session ended (exit 0)');
    expect(errors).toEqual([]);
  }, 120_000);

  it("refuses a WebSocket from another origin's page even with the user's cookie", async () => {
    // A page on another origin of the same site (127.0.0.1, another port) tries the terminal URL:
    // the browser sends the hub's session cookie along (even a SameSite one), the hub refuses on Origin.
    const evil = http.createServer((_req, res) => { res.setHeader('content-type', 'text/html'); res.end('<!doctype html><title>other</title>'); });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
    try {
      const other = await ctx.newPage();
      await other.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      const hubWs = srv.url.replace('http://', 'ws://');
      const result = await other.evaluate((url) => new Promise<string>((resolve) => {
        const ws = new WebSocket(`${url}/api/v1/workspaces/admin/term/terminal`);
        ws.onopen = () => { resolve('opened'); ws.close(); };
        ws.onerror = () => resolve('refused');
      }), hubWs);
      expect(result).toBe('refused');
      await other.close();
    } finally {
      evil.close();
    }
  }, 60_000);

  it('shows Tunnels in a browser as a desktop/CLI feature, with the commands to use', async () => {
    await page.goto(`${srv.url}/#/`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tunnels', exact: true }).click();
    await page.getByRole('heading', { name: 'Tunnels' }).waitFor();
    expect(await page.title()).toBe('Tunnels — Hubdeck');
    const cmds = await page.getByLabel('Tunnel commands').textContent();
    expect(cmds).toContain('hubdeck tunnel add tensorboard --workspace <name> --local 16006 --remote 6006');
    expect(cmds).toContain('hubdeck tunnel start tensorboard');
    expect(await page.getByRole('main').textContent()).toContain(`--hub ${srv.url}`);
    await expectAccessible(page, 'tunnels (browser)');
    await shot(page, '21-tunnels-browser');
  }, 60_000);
});

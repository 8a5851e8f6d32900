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
import { collectErrors, expectAccessible, launchChromium, shot } from '../../support/chromium';

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

  it("runs in the desktop app too, through the bridge's terminal relay (the page has no session of its own)", async () => {
    const app = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The bridge as the preload exposes it; its terminal calls do what the main process does
    // (main/shell/desktop-terminals.ts): mint a one-time code and open the hub's socket with it.
    await app.addInitScript(() => {
      const w = window as unknown as { hubdeckDesktop: unknown; relayCalls: string[] };
      w.relayCalls = [];
      const ok = (value: unknown) => Promise.resolve({ ok: true, value });
      const sockets = new Map<string, WebSocket>();
      const listeners = new Set<(e: unknown) => void>();
      const emit = (e: unknown) => { for (const l of listeners) l(e); };
      const known: Record<string, unknown> = {
        hubs: () => ok([{ key: 'local', label: 'This computer', url: location.origin, user: 'admin', admin: true, fingerprint: null, error: null, active: true }]),
        onChange: () => () => undefined,
        onShow: () => () => undefined,
        onTerminal: (l: (e: unknown) => void) => { listeners.add(l); return () => listeners.delete(l); },
        openTerminal: async (user: string, name: string, cols: number, rows: number) => {
          w.relayCalls.push(`openTerminal ${user}/${name} ${cols}x${rows}`);
          const { code } = await (await fetch('/api/v1/login-codes', { method: 'POST' })).json() as { code: string };
          const id = `t${'0'.repeat(15)}${sockets.size}`;
          const ws = new WebSocket(`ws://${location.host}/api/v1/workspaces/${user}/${name}/terminal?code=${code}&cols=${cols}&rows=${rows}`);
          ws.binaryType = 'arraybuffer';
          await new Promise((r, j) => { ws.onopen = r; ws.onerror = j; });
          ws.onmessage = (e) => emit({ id, kind: 'data', data: new Uint8Array(e.data as ArrayBuffer) });
          ws.onclose = (e) => emit({ id, kind: 'end', normal: e.code === 1000, reason: e.reason });
          sockets.set(id, ws);
          return { ok: true, value: id };
        },
        terminalInput: (id: string, data: Uint8Array) => { sockets.get(id)?.send(data); return ok(null); },
        terminalResize: (id: string, cols: number, rows: number) => { sockets.get(id)?.send(JSON.stringify({ type: 'resize', cols, rows })); return ok(null); },
        closeTerminal: (id: string) => { sockets.get(id)?.close(); return ok(null); },
      };
      w.hubdeckDesktop = new Proxy(known, { get: (t, k: string) => t[k] ?? (() => ok(null)) });
    });
    const p = await app.newPage();
    p.setDefaultTimeout(30_000);
    const appErrors = collectErrors(p);
    await p.goto(srv.url);
    await p.getByLabel('Token').fill(srv.adminToken!);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('button', { name: 'New workspace' }).waitFor();
    await p.goto(`${srv.url}/#/w/admin/term`);
    await p.getByRole('button', { name: 'Open terminal' }).click();
    await expect.poll(() => p.getByTestId('terminal-status').textContent(), { timeout: 30_000 }).toContain('connected');
    await p.locator('.xterm').click();
    await p.keyboard.type('echo $((6*7))');
    await p.keyboard.press('Enter');
    await expect.poll(async () => (await p.locator('.xterm-rows').innerText()).split('\n').map((l) => l.trim()), { timeout: 20_000 }).toContain('42');
    expect(await p.evaluate(() => (window as unknown as { relayCalls: string[] }).relayCalls)).toEqual([expect.stringMatching(/^openTerminal admin\/term \d+x\d+$/)]);
    await p.keyboard.type('exit 4');
    await p.keyboard.press('Enter');
    await expect.poll(() => p.getByTestId('terminal-status').textContent(), { timeout: 20_000 }).toContain('session ended (exit 4)');
    expect(appErrors).toEqual([]);
    await app.close();
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

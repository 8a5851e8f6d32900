/**
 * Live figures for every row of a long list (issue 8): 12 running workspaces, twice the browser's
 * six connections per origin, all get a live sparkline from the list's one stats stream, and the
 * page opens exactly one stats stream for them; a workspace's page draws its CPU and memory charts.
 * The charts are uPlot canvases: the test checks they are drawn (ink on the canvas), named for
 * screen readers, and raise no CSP complaint. `hub serve --engine fake`: the figures are the UI's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../../support/hub-process';
import type { Locator } from 'playwright-core';
import { collectErrors, expectAccessible, launchChromium, shot } from '../../support/chromium';

const COUNT = 12;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-stats-'));
let srv: ServeProcess;
let closeBrowser: (() => Promise<void>) | undefined;

/** Whether a canvas has anything drawn on it (a blank one reads back as all zeroes). */
const inked = (canvas: Locator) => canvas.evaluate((c: HTMLCanvasElement) => c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.some((b) => b !== 0));

beforeAll(async () => {
  srv = await startServe(['--engine', 'fake', '--data', dataDir, '--listen', '127.0.0.1:0']);
  const headers = { authorization: `Bearer ${srv.adminToken!}`, 'content-type': 'application/json' };
  for (let i = 0; i < COUNT; i++) {
    const r = await fetch(`${srv.url}/api/v1/workspaces?wait=1`, { method: 'POST', headers, body: JSON.stringify({ name: `w${i}`, image: 'quay.io/jupyter/base-notebook:latest' }) });
    expect(r.status).toBe(201);
  }
});

afterAll(async () => {
  await closeBrowser?.();
  await srv?.stop().catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the workspace list with many running workspaces', () => {
  it('shows live CPU and memory on every row from one stats stream', async () => {
    const { browser, close } = await launchChromium();
    closeBrowser = close;
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const login = await ctx.request.post(`${srv.url}/hub/login`, { data: { token: srv.adminToken, next: '/' }, maxRedirects: 0 });
    expect(login.status()).toBe(302);
    const page = await ctx.newPage();
    const errors = collectErrors(page);
    const streams: string[] = [];
    page.on('request', (r) => { if (/\/stats\/watch/.test(r.url())) streams.push(new URL(r.url()).pathname); });
    await page.goto(srv.url);
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: 30_000 }).toBe(COUNT);
    await expect.poll(() => page.locator('tbody .spark[role="img"]').count(), { timeout: 30_000 }).toBe(COUNT);
    // Each sparkline names its figures for screen readers.
    expect(await page.locator('tbody .spark[role="img"]').first().getAttribute('aria-label')).toMatch(/^w\d+ usage: CPU [\d.]+ of [\d.]+ cores? \(\d+%\), memory /);
    await expect.poll(() => page.locator('tbody .spark canvas').count()).toBe(COUNT);
    await expect.poll(() => inked(page.locator('tbody .spark canvas').first()), { timeout: 10_000 }).toBe(true);
    expect(streams).toEqual(['/api/v1/stats/watch']);
    await expectAccessible(page, 'workspaces with live stats');
    await shot(page, '10-live-stats-12-workspaces');
    expect(errors).toEqual([]);

    // A workspace's own page: CPU and memory charts, drawn and named.
    await page.locator('tbody a', { hasText: /^w0$/ }).click();
    const cpu = page.getByRole('img', { name: /^CPU over the last 90 seconds; now [\d.]+ cores?$/ });
    const mem = page.getByRole('img', { name: /^Memory over the last 90 seconds; now / });
    await cpu.waitFor({ timeout: 30_000 });
    await mem.waitFor();
    await expect.poll(() => inked(cpu.locator('canvas')), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => inked(mem.locator('canvas')), { timeout: 10_000 }).toBe(true);
    await expectAccessible(page, 'workspace page with its charts');
    await shot(page, '11-workspace-charts');
    expect(errors).toEqual([]);
  });
});

// Issue 18 item 7's sibling in the UI: the remove dialog offered to delete "the volume" of a
// workspace made without one.
describe('removing a workspace', () => {
  it('asks about its data only when it has a data volume', async () => {
    const headers = { authorization: `Bearer ${srv.adminToken!}`, 'content-type': 'application/json' };
    const made = await fetch(`${srv.url}/api/v1/workspaces?wait=1`, { method: 'POST', headers, body: JSON.stringify({ name: 'novol', image: 'quay.io/jupyter/base-notebook:latest', volume: false }) });
    expect(made.status).toBe(201);
    const { browser, close } = await launchChromium();
    const ctx = await browser.newContext();
    await ctx.request.post(`${srv.url}/hub/login`, { data: { token: srv.adminToken, next: '/' }, maxRedirects: 0 });
    const page = await ctx.newPage();
    const removeDialog = async (name: string) => {
      await page.goto(`${srv.url}/#/w/admin/${name}`);
      await page.getByRole('button', { name: `More actions for ${name}` }).click();
      await page.getByRole('menuitem', { name: 'Remove' }).click();
      return page.getByRole('dialog');
    };
    expect(await (await removeDialog('novol')).getByRole('checkbox').count()).toBe(0);
    expect(await (await removeDialog('w0')).getByRole('checkbox', { name: /Also delete its data/ }).count()).toBe(1);
    await close();
  }, 60_000);
});

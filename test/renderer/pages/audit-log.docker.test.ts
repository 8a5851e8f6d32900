/**
 * The admin's Audit log page in headless Chromium, served with the built UI by a real hub server
 * (in-memory engine; in the docker project for the built bundle its setup makes): entries persisted
 * before the page opened (the old Events page showed only what happened after), who with token and
 * address, filters, older pages, CSV export, the retention setting; axe-clean and screenshotted at
 * 1280 and 800 px.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startApiHub, usersWithTokens, type ApiHub } from '../../support/api-hub';
import { collectErrors, expectAccessible, launchChromium, shot } from '../../support/chromium';
import { RENDERER_DIR } from '../support/ipc-bridge-stand-in';

let h: ApiHub;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let page: Page;
let errors: string[];

beforeAll(async () => {
  expect(fs.existsSync(path.join(RENDERER_DIR, 'index.html')), 'the built UI (npx electron-vite build)').toBe(true);
  h = await startApiHub('audit-ui', { server: { staticDir: RENDERER_DIR } });
  const tokens = await usersWithTokens(h, ['alice', 'bob']);
  // What happened before anyone opened the page: 60 groups, and alice trying to make herself admin.
  for (let i = 0; i < 60; i++) await api(h.url, 'POST', '/groups', h.adminToken, { name: `team${i}` });
  expect((await api(h.url, 'PATCH', '/users/alice', tokens.alice!, { admin: true })).status).toBe(403);
  ({ browser, close: closeBrowser } = await launchChromium());
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.setDefaultTimeout(30_000);
  errors = collectErrors(page, [403]);
});

afterAll(async () => {
  await closeBrowser?.();
  await h?.stop();
});

const rows = () => page.getByRole('table', { name: /Audit log entries/ }).locator('tbody tr');

describe('the Audit log page', () => {
  it('shows what happened before it opened, newest first, with who, token and address', async () => {
    await page.goto(h.url);
    await page.getByLabel('Token').fill(h.adminToken);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Workspaces', exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin', exact: true }).click();
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Audit log', exact: true }).click();
    await page.getByRole('heading', { name: 'Audit log', exact: true }).waitFor();
    await expect.poll(() => rows().count()).toBe(50);
    // The newest: this browser's sign-in; a persisted entry from before: alice's refused update.
    await expect.poll(() => rows().first().textContent()).toMatch(/admin.*127\.0\.0\.1.*session\.sign-in.*ok/);
    await expect.poll(() => page.getByText('50 entries shown, more below').count()).toBe(1);
    await expectAccessible(page, 'audit log 1280');
    await shot(page, 'audit-log-1280');
    await page.setViewportSize({ width: 800, height: 900 });
    await expectAccessible(page, 'audit log 800');
    await shot(page, 'audit-log-800');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('pages to older entries and filters by user and outcome', async () => {
    await page.getByRole('button', { name: 'Older entries' }).click();
    await expect.poll(() => rows().count()).toBeGreaterThan(50);
    await page.getByLabel('User', { exact: true }).fill('alice');
    await page.getByLabel('Outcome').selectOption('refused');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => rows().count()).toBe(1);
    const only = await rows().first().textContent();
    expect(only).toMatch(/alice.*token .*user\.update.*user alice.*refused \(forbidden\).*only admins may/);
    await expectAccessible(page, 'audit log filtered');
    await shot(page, 'audit-log-filtered');
  });

  it('exports what the filters select as CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('audit-log.csv');
    const text = fs.readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
    expect(text[0]).toBe('id,time,user,tokenId,address,action,objectType,objectName,workspace,outcome,code,reason');
    expect(text).toHaveLength(2);
    expect(text[1]).toMatch(/,alice,[^,]+,127\.0\.0\.1,user\.update,user,alice,,refused,forbidden,/);
  });

  it('sets how long entries are kept', async () => {
    const days = page.getByLabel('Keep entries for (days; empty: for ever)');
    await expect.poll(() => days.inputValue()).toBe('365');
    await days.fill('90');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(async () => ((await api(h.url, 'GET', '/settings', h.adminToken)).body as { auditRetentionDays: number }).auditRetentionDays).toBe(90);
    expect(errors).toEqual([]);
  });
});

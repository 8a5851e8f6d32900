/**
 * Issue 20 items 4, 5, 7, 9 and 10 in a browser (headless Chromium, axe clean), against a real
 * `hub serve --engine fake` (the figures are the UI's): forms mark each bad field as it is typed by
 * the hub's rules and say up front when no workspace is left of the quota; Extend shows the new
 * expiry and its refusal inside the dialog; rows have one primary action and a keyboard menu, no
 * Open or Copy SSH on stopped rows, names unbroken; CPU is drawn against the CPU limit in cores; the
 * hub's usage history is plotted per workspace and per user; groups are edited, users' groups picked.
 * Every page is screenshotted at 800 and 1280 px under test-results/ui/ (issue20-*).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../../support/hub-process';
import { collectErrors, expectAccessible, launchChromium, shot } from '../../support/chromium';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-issue20-'));
const IMAGE = 'quay.io/jupyter/base-notebook:latest';
const WIDTHS = [800, 1280] as const;
let srv: ServeProcess;
let browser: Browser;
let closeBrowser: (() => Promise<void>) | undefined;
let bobToken = '';

async function api(method: string, p: string, body?: unknown, token = srv.adminToken!): Promise<unknown> {
  const r = await fetch(`${srv.url}/api/v1${p}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  expect(r.status, `${method} ${p}: ${r.status === 204 ? '' : await r.clone().text()}`).toBeLessThan(300);
  return r.status === 204 ? null : r.json();
}

/** A signed-in page at a width; `token`: whose session (default the admin's). */
async function pageAt(width: number, token = srv.adminToken!): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const ctx = await browser.newContext({ viewport: { width, height: 900 } });
  const login = await ctx.request.post(`${srv.url}/hub/login`, { data: { token, next: '/' }, maxRedirects: 0 });
  expect(login.status()).toBe(302);
  const page = await ctx.newPage();
  page.setDefaultTimeout(30_000);
  return { page, errors: collectErrors(page, [400, 403]), close: () => ctx.close() };
}

/** Nothing wider than the window: the page holds at this width (no sideways scrolling of the whole page). */
const pageFits = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

beforeAll(async () => {
  srv = await startServe(['--engine', 'fake', '--data', dataDir, '--listen', '127.0.0.1:0', '--tick', '2']);
  ({ browser, close: closeBrowser } = await launchChromium());
  await api('POST', '/images', { name: 'notebook', ref: IMAGE });
  await api('POST', '/groups', { name: 'ml', quota: { cpus: 4 } });
  await api('POST', '/users', { name: 'bob', quota: { maxWorkspaces: 1 } });
  bobToken = ((await api('POST', '/users/bob/tokens', {})) as { token: string }).token;
  await api('POST', '/workspaces?wait=1', { name: 'nb', image: IMAGE, cpus: 0.5, memory: '512m', days: 2 });
  await api('POST', '/workspaces?wait=1', { name: 'old-experiment-with-a-long-name', image: IMAGE, cpus: 1, days: 2 });
  await api('POST', '/workspaces/admin/old-experiment-with-a-long-name/stop');
  await api('POST', '/workspaces?wait=1', { user: 'bob', name: 'bob-nb', image: IMAGE, cpus: 1 });
  await api('PATCH', '/settings', { maxDays: 30 });
}, 120_000);

afterAll(async () => {
  await closeBrowser?.();
  await srv?.stop().catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('tables and layout (item 9) and the row chart (item 7)', () => {
  it.each(WIDTHS)('holds at %i px: one primary action and a menu per row, nothing to open on a stopped row', async (width) => {
    const { page, errors, close } = await pageAt(width);
    await page.goto(srv.url);
    const running = page.getByRole('row', { name: /^nb / });
    const stopped = page.getByRole('row', { name: /old-experiment-with-a-long-name/ });
    await running.getByRole('img', { name: /^nb usage: CPU [\d.]+ of 0\.5 cores \(\d+%\), memory .* of 512 MiB/ }).waitFor();
    // Running: Open and the menu; stopped: Start and the menu — never Open or Copy SSH command.
    expect(await running.getByRole('button').allInnerTexts()).toEqual(['Extend', 'Open', '⋯']);
    expect(await stopped.getByRole('button', { name: 'Open', exact: true }).count()).toBe(0);
    await stopped.getByRole('button', { name: 'Start', exact: true }).waitFor();
    const menuButton = stopped.getByRole('button', { name: 'More actions for old-experiment-with-a-long-name' });
    expect(await menuButton.getAttribute('aria-haspopup')).toBe('menu');
    await menuButton.click();
    expect(await page.getByRole('menu').getByRole('menuitem').allInnerTexts()).toEqual(['Remove']);
    await page.keyboard.press('Escape');
    // The name stays on one line, the actions too, and the page fits the window.
    const nameBox = await stopped.getByRole('link', { name: 'old-experiment-with-a-long-name' }).boundingBox();
    expect(nameBox!.height).toBeLessThan(24);
    const actionsBox = await running.locator('.actions').boundingBox();
    expect(actionsBox!.height).toBeLessThan(40);
    for (const link of await page.getByRole('navigation', { name: 'Main' }).getByRole('link').all()) expect((await link.boundingBox())!.height).toBeLessThan(40);
    expect(await pageFits(page)).toBe(true);
    await expectAccessible(page, `workspaces at ${width}`);
    await shot(page, `issue20-workspaces-${width}`);
    expect(errors).toEqual([]);
    await close();
  });

  it('the row menu works from the keyboard: Enter opens on the first item, arrows move, Escape returns', async () => {
    const { page, close } = await pageAt(1280);
    await page.goto(srv.url);
    const button = page.getByRole('row', { name: /^nb / }).getByRole('button', { name: 'More actions for nb' });
    await button.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: 'More actions for nb' });
    await menu.waitFor();
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    expect(await menu.getByRole('menuitem').allInnerTexts()).toEqual(['Stop', 'Restart', 'Copy SSH command', 'Remove']);
    const focused = () => page.evaluate(() => document.activeElement?.textContent);
    expect(await focused()).toBe('Stop');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('Restart');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await focused()).toBe('Remove');
    await expectAccessible(page, 'row menu open');
    await shot(page, 'issue20-row-menu-1280');
    await page.keyboard.press('Escape');
    expect(await menu.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('More actions for nb');
    await close();
  });

  it('the Remove dialog asks in the future tense', async () => {
    const { page, close } = await pageAt(1280);
    await page.goto(srv.url);
    await page.getByRole('button', { name: 'More actions for nb' }).click();
    await page.getByRole('menuitem', { name: 'Remove' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove nb?' });
    await dialog.waitFor();
    const text = await dialog.textContent();
    expect(text).toContain('Removing stops the workspace admin/nb and deletes it');
    expect(text).not.toContain('is stopped and removed');
    await shot(page, 'issue20-remove-dialog-1280');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await close();
  });
});

describe('extend (item 5)', () => {
  it.each(WIDTHS)('at %i px shows the new expiry, and the refusal inside the dialog', async (width) => {
    const { page, errors, close } = await pageAt(width);
    await page.goto(srv.url);
    await page.getByRole('row', { name: /^nb / }).getByRole('button', { name: 'Extend' }).click();
    const dialog = page.getByRole('dialog', { name: 'Extend nb' });
    await dialog.getByLabel('Days to add').fill('10');
    // 2 days left + 10: "new expiry: Sat 19 Dec, 14:00 (in 12 days)".
    await expect.poll(() => dialog.getByTestId('extend-preview').textContent()).toMatch(/^new expiry: [A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2}, \d\d:\d\d \(in 12 days\)$/);
    await dialog.getByLabel('Days to add').fill('40');
    await dialog.getByRole('button', { name: 'Extend' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('at most 30 days from now on this hub');
    expect(await dialog.isVisible()).toBe(true);
    expect(await page.locator('main > [role="alert"]').count()).toBe(0);
    await expectAccessible(page, `extend refused at ${width}`);
    await shot(page, `issue20-extend-refused-${width}`);
    expect(errors).toEqual([]);
    await close();
  });
});

describe('forms (item 4)', () => {
  it.each(WIDTHS)('at %i px New workspace marks every bad field as it is typed, by the hub\'s rules', async (width) => {
    const { page, close } = await pageAt(width);
    await page.goto(`${srv.url}/#/new`);
    await page.getByLabel('Name', { exact: true }).fill('Bad_Name');
    await page.getByLabel('CPUs').fill('many');
    await page.getByLabel('Memory', { exact: true }).fill('12x');
    await page.getByLabel('Days to live').fill('40');
    await expect.poll(() => page.getByTestId('nw-name-error').textContent()).toMatch(/is not a workspace name/);
    expect(await page.getByTestId('nw-cpus-error').textContent()).toBe('"many" is not a number of CPUs (use 0.5, 2, …)');
    expect(await page.getByTestId('nw-memory-error').textContent()).toBe('"12x" is not a size (use 512m, 2g, …)');
    expect(await page.getByTestId('nw-days-error').textContent()).toBe('at most 30 days on this hub');
    for (const label of ['CPUs', 'Days to live']) expect(await page.getByLabel(label).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Shared memory').getAttribute('aria-invalid')).toBeNull();
    expect(await pageFits(page)).toBe(true);
    await expectAccessible(page, `new workspace errors at ${width}`);
    await shot(page, `issue20-new-workspace-errors-${width}`);
    await close();
  });

  it('tells a member with no workspace left before they fill anything', async () => {
    const { page, close } = await pageAt(1280, bobToken);
    await page.goto(`${srv.url}/#/new`);
    await expect.poll(() => page.getByTestId('quota-blocked').textContent()).toContain('You have 0 of 1 workspaces left');
    expect(await page.getByRole('button', { name: 'Create' }).isDisabled()).toBe(true);
    expect(await page.getByLabel('Name', { exact: true }).isDisabled()).toBe(true);
    await expectAccessible(page, 'quota blocked');
    await shot(page, 'issue20-quota-blocked-1280');
    await close();
  });

  it.each(WIDTHS)('at %i px settings refuse what the hub and the CLI refuse, at the field', async (width) => {
    const { page, close } = await pageAt(width);
    await page.goto(`${srv.url}/#/admin/settings`);
    await page.getByLabel('Maximum days to live').fill('5000');
    await expect.poll(() => page.getByTestId('st-maxdays-error').textContent()).toBe('must be at most 3650 days');
    expect(await page.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);
    await page.getByLabel('Stop idle workspaces after (minutes)').waitFor();
    await expectAccessible(page, `settings at ${width}`);
    await shot(page, `issue20-settings-${width}`);
    await close();
  });

  it('names an image name an image name', async () => {
    const { page, close } = await pageAt(1280);
    await page.goto(`${srv.url}/#/admin/images`);
    await page.getByLabel('Image name').fill('Local Jupyter');
    await expect.poll(() => page.getByTestId('ai-name-error').textContent()).toMatch(/^"Local Jupyter" is not an image name/);
    await close();
  });
});

describe('admin (item 10)', () => {
  it.each(WIDTHS)('at %i px edits a group and picks a new user\'s groups from the hub\'s', async (width) => {
    const { page, errors, close } = await pageAt(width);
    await page.goto(`${srv.url}/#/admin/groups`);
    await page.getByRole('button', { name: 'Edit group ml' }).click();
    await page.getByLabel('CPU quota').first().fill(String(width === 800 ? 6 : 8));
    await page.getByRole('button', { name: 'Save group ml' }).click();
    await page.getByRole('row', { name: new RegExp(`ml ${width === 800 ? 6 : 8} CPUs`) }).waitFor();
    await expectAccessible(page, `groups at ${width}`);
    await shot(page, `issue20-groups-${width}`);
    await page.goto(`${srv.url}/#/admin/users`);
    const user = `carol${width}`;
    await page.getByLabel('User name').fill(user);
    await page.getByRole('group', { name: 'Groups', exact: true }).getByRole('checkbox', { name: 'ml' }).check();
    await expectAccessible(page, `users at ${width}`);
    await shot(page, `issue20-users-${width}`);
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('row', { name: new RegExp(`^${user} .*ml`) }).waitFor();
    expect(errors).toEqual([]);
    await close();
  });
});

describe('usage over time (item 7)', () => {
  it.each(WIDTHS)('at %i px plots a workspace\'s last hour and the team\'s use per user', async (width) => {
    const { page, errors, close } = await pageAt(width);
    await page.goto(`${srv.url}/#/admin/usage`);
    // The hub's tick (2 s here) records a point a minute per running workspace.
    await page.getByRole('img', { name: /^CPU per user over the last hour: / }).waitFor({ timeout: 30_000 });
    await page.getByRole('row', { name: /^bob 1 / }).waitFor();
    await page.getByRole('button', { name: 'Last day' }).click();
    await page.getByRole('img', { name: /^CPU per user over the last day: / }).waitFor();
    // Where workspaces can go: each node that takes them, with its GPUs (issue 19).
    await page.getByRole('heading', { name: 'Nodes' }).waitFor();
    await page.getByRole('row', { name: /^fake-node 4 8 GiB 0 —$/ }).waitFor();
    await expectAccessible(page, `usage at ${width}`);
    await shot(page, `issue20-admin-usage-${width}`);
    await page.goto(`${srv.url}/#/w/admin/nb`);
    await page.getByRole('img', { name: /^CPU over the last 90 seconds; now [\d.]+ cores?$/ }).waitFor();
    await page.getByRole('img', { name: /^CPU, last hour over the last hour; now [\d.]+ cores?$/ }).waitFor();
    expect(await page.getByText('cores; limit 0.5 cores').count()).toBeGreaterThan(0);
    expect(await pageFits(page)).toBe(true);
    await expectAccessible(page, `workspace detail at ${width}`);
    await shot(page, `issue20-detail-${width}`);
    expect(errors).toEqual([]);
    await close();
  });
});

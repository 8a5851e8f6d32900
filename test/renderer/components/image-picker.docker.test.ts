/**
 * The first hour on a fresh hub, in headless Chromium against a real `hub serve` on the real Docker
 * engine (no network here, so quay.io is unreachable, as the tester saw offline): the empty
 * Workspaces page leads to First steps, which says which images run and how to get offline ones;
 * the New-workspace image picker marks each image's availability and never preselects the dead
 * end once a local image is listed; the admin chooses the default on the Images page. Screenshots at
 * 800 and 1280 px under test-results/ui/, axe on each page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweep, testOrigin } from '../../support/docker-fixture';
import { startServe, type ServeProcess } from '../../support/hub-process';
import { TEST_IMAGES } from '../../support/test-images';
import { collectErrors, expectAccessible, launchChromium, shot } from '../../support/chromium';

const origin = testOrigin('picker');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picker-'));
let srv: ServeProcess;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let page: Page;
let errors: string[];

beforeAll(async () => {
  srv = await startServe(['--data', dataDir, '--listen', '127.0.0.1:0', '--origin', origin]);
  ({ browser, close: closeBrowser } = await launchChromium());
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(60_000);
  errors = collectErrors(page);
  await page.goto(srv.url);
  await page.getByLabel('Token').fill(srv.adminToken!);
  await page.keyboard.press('Enter');
  await page.getByText('No workspaces yet').waitFor();
}, 120_000);

afterAll(async () => {
  await closeBrowser?.();
  await srv?.stop().catch(() => undefined);
  await sweep(origin);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Screenshots at both widths, then back to the wide one. */
async function shots(name: string): Promise<void> {
  for (const width of [800, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await shot(page, `${name}-${width}`);
  }
}

const picker = () => page.getByLabel('Image', { exact: true });

describe('the first hour on an offline hub', () => {
  it('the empty hub leads to First steps, which says no listed image can run and how to get the offline ones', async () => {
    await page.getByRole('link', { name: 'First steps' }).click();
    await page.getByRole('heading', { name: 'Welcome to Hubdeck' }).waitFor();
    await expect.poll(() => page.getByTestId('first-run-images').textContent()).toContain('quay.io/jupyter/base-notebook:latest — registry unreachable');
    expect(await page.getByTestId('first-run-offline').textContent()).toContain('npm run images');
    await expectAccessible(page, 'first steps (offline)');
    await shots('first-run-offline');
  });

  it('the picker marks the dead end and says what to do instead of preselecting it silently', async () => {
    await page.goto(`${srv.url}/#/new`);
    await expect.poll(() => page.getByTestId('image-hint').textContent()).toContain('None of these images can run here now');
    expect(await picker().locator('option').first().textContent()).toBe('Jupyter (base notebook) (quay.io/jupyter/base-notebook:latest) — registry unreachable');
    await expectAccessible(page, 'new workspace (offline)');
    await shots('image-picker-offline');
  });

  it('a local image is preselected once listed; the admin chooses the default on the Images page', async () => {
    await page.goto(`${srv.url}/#/admin/images`);
    await page.getByLabel('Image name').fill('local-jupyter');
    await page.getByLabel('Image reference').fill(TEST_IMAGES.jupyter);
    await page.getByRole('button', { name: 'Add image' }).click();
    await page.getByTestId('default-local-jupyter').waitFor(); // the first that runs is preselected
    const row = page.getByRole('row', { name: /local-jupyter/ });
    expect(await row.getByRole('cell', { name: 'on this engine' }).count()).toBe(1);
    await page.getByLabel('Image name').fill('busy');
    await page.getByLabel('Image reference').fill(TEST_IMAGES.busybox);
    await page.getByRole('button', { name: 'Add image' }).click();
    await page.getByRole('button', { name: 'Make busy the default' }).click();
    await page.getByTestId('default-busy').waitFor();
    await expectAccessible(page, 'admin images');
    await shots('admin-images-default');

    await page.goto(`${srv.url}/#/new`);
    await expect.poll(() => picker().inputValue()).toBe(TEST_IMAGES.busybox);
    expect(await picker().locator('option:checked').textContent()).toBe(`busy (${TEST_IMAGES.busybox}) — on this engine`);
    expect(await page.getByTestId('image-hint').textContent()).not.toContain('None of these');
    // picking the unreachable one says why, on the field
    await picker().selectOption('quay.io/jupyter/base-notebook:latest');
    expect(await page.getByTestId('image-hint').textContent()).toMatch(/registry unreachable .*quay\.io.*Pick one marked "on this engine"/);
    await picker().selectOption(TEST_IMAGES.busybox);
    await expectAccessible(page, 'new workspace (local default)');
    await shots('image-picker-default');
    expect(errors).toEqual([]);
  });
});

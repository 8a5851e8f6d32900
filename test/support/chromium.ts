/**
 * What the UI tests share: headless Chromium (Debian's chromium package), screenshots under
 * test-results/ui/, and an axe-core scan that fails on serious or critical violations.
 */
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const SHOTS = path.join(__dirname, '../../test-results/ui');

/** Playwright's launch gives each browser a fresh, temporary profile. */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Runs axe on the page as it is; serious and critical violations fail the test, named. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.impact} ${v.id} — ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
  expect(bad).toEqual([]);
}

/**
 * Page errors, console errors and failed answers (as "409 GET /api/v1/…"), less the answers the
 * test expects: the 401 a signed-out page gets when it asks who it is, and `expected` ones (a
 * quota's 403). The browser's own "Failed to load resource" lines are left to the answer check.
 */
export function collectErrors(page: Page, expected: number[] = []): string[] {
  const errors: string[] = [];
  const allowed = new Set([401, ...expected]);
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !allowed.has(r.status())) errors.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  return errors;
}

/**
 * The desktop-only pages (Hubs, Settings, Share this hub) in headless Chromium against a real
 * `hubdeck hub serve`: the hub transport is the browser's (REST + SSE, signed in with a token) and
 * `window.hubdeckDesktop` is a stand-in bridge injected before the app loads that answers like the
 * shell does and records each call, so the test checks what the pages send over the desktop API.
 * Without the bridge the pages are not offered and say they are desktop features. axe on each page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweep, testOrigin } from '../../support/docker-fixture';
import { startServe, type ServeProcess } from '../../support/hub-process';
import { collectErrors, expectAccessible, launchChromium, shot } from '../../support/chromium';

const origin = testOrigin('uidesk');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-desktop-'));
let srv: ServeProcess;
let browser: Browser;
let closeBrowser: () => Promise<void>;

/** Runs in the page before the app: a desktop bridge with the shell's answers, recording calls. */
function installFakeDesktop(): void {
  type Call = [string, unknown[]];
  const w = window as unknown as { calls: Call[]; hubdeckDesktop: unknown; trayShow?: (r: unknown) => void };
  w.calls = [];
  const ok = (value: unknown) => Promise.resolve({ ok: true, value: structuredClone(value) });
  const fp = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';
  let hubs = [
    { key: 'local', kind: 'hubdeck', label: 'This computer', url: 'http://127.0.0.1:41234', user: 'admin', admin: true, fingerprint: null, error: null, active: true },
    { key: 'lab', kind: 'hubdeck', label: 'lab', url: 'https://10.0.0.5:8443', user: 'ann', admin: false, fingerprint: fp, error: null, active: false },
    { key: 'old', kind: 'hubdeck', label: 'old', url: 'https://10.0.0.9:8443', user: 'ann', admin: false, fingerprint: fp, error: 'connect ECONNREFUSED 10.0.0.9:8443', active: false },
    { key: 'gone', kind: 'hubdeck', label: 'gone', url: 'https://10.0.0.7:8443', user: 'ann', admin: false, fingerprint: fp, error: 'HTTP 401 unauthorized', active: false },
  ];
  let prefs = { startAtLogin: false, notifications: true, theme: 'system', shareListen: null as string | null };
  let share = { sharing: false, url: null as string | null, fingerprint: null as string | null, sshAddress: null as string | null };
  const listeners = new Set<() => void>();
  const rec = (name: string, args: unknown[]) => void w.calls.push([name, structuredClone(args)]);
  w.hubdeckDesktop = {
    hubs: () => ok(hubs),
    selectHub: (key: string) => { rec('selectHub', [key]); hubs = hubs.map((h) => ({ ...h, active: h.key === key })); return ok(null); },
    joinHub: (invite: string) => { rec('joinHub', [invite]); return Promise.resolve({ ok: false, error: { code: 'invalid', message: 'This invite is not valid: it was changed or cut short.' } }); },
    addHub: (r: { url: string; kind?: string; name?: string }) => {
      rec('addHub', [r]);
      if (r.kind === 'jupyterhub') {
        const jh = { key: r.name ?? 'jh', kind: 'jupyterhub', label: r.name ?? 'jh', url: r.url, user: 'alice', admin: false, fingerprint: null, error: null, active: false };
        hubs = [...hubs, jh];
        return ok(jh);
      }
      if (!r.url.startsWith('https://')) return Promise.resolve({ ok: false, error: { code: 'unauthorized', message: 'the hub refused this token' } });
      const h = { key: 'team', kind: 'hubdeck', label: 'team', url: r.url, user: 'ann', admin: false, fingerprint: fp, error: null, active: false };
      hubs = [...hubs, h];
      return ok(h);
    },
    removeHub: (key: string) => { rec('removeHub', [key]); hubs = hubs.filter((h) => h.key !== key); return ok(null); },
    openWorkspace: () => ok(null),
    copySshCommand: () => ok('ssh x'),
    shareStatus: () => ok(share),
    startSharing: () => { rec('startSharing', []); share = { sharing: true, url: 'https://192.168.1.20:8443', fingerprint: fp, sshAddress: '192.168.1.20:2222' }; return ok(share); },
    stopSharing: () => { rec('stopSharing', []); share = { sharing: false, url: null, fingerprint: null, sshAddress: null }; return ok(share); },
    inviteTeammate: (r: { user: string }) => {
      rec('inviteTeammate', [r]);
      return ok({ user: r.user, expiresAt: '2030-01-01T00:00:00.000Z', invite: 'INV123', link: 'hubdeck://join?invite=INV123', command: 'hubdeck hub join INV123' });
    },
    preferences: () => ok(prefs),
    setPreferences: (patch: Record<string, unknown>) => {
      rec('setPreferences', [patch]);
      if ('shareListen' in patch && typeof patch.shareListen === 'string' && !/:\d{1,5}$/.test(patch.shareListen)) {
        return Promise.resolve({ ok: false, error: { code: 'invalid', message: 'shareListen: must be HOST:PORT' } });
      }
      prefs = { ...prefs, ...patch } as typeof prefs;
      return ok(prefs);
    },
    tunnels: () => ok([]), addTunnel: () => ok([]), removeTunnel: () => ok([]), setTunnelRunning: () => ok([]),
    onChange: (l: () => void) => { listeners.add(l); return () => listeners.delete(l); },
    onShow: (l: (r: unknown) => void) => { w.trayShow = l; return () => { w.trayShow = undefined; }; },
  };
}

async function signIn(page: Page): Promise<void> {
  await page.goto(srv.url);
  await page.getByLabel('Token').fill(srv.adminToken!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'New workspace' }).waitFor();
}
const calls = (page: Page) => page.evaluate(() => (window as unknown as { calls: [string, unknown[]][] }).calls);
const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

beforeAll(async () => {
  srv = await startServe(['--data', dataDir, '--listen', '127.0.0.1:0', '--origin', origin]);
  ({ browser, close: closeBrowser } = await launchChromium());
}, 120_000);

afterAll(async () => {
  await closeBrowser?.();
  await srv?.stop().catch(() => undefined);
  await sweep(origin);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the desktop pages with the desktop bridge', () => {
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.url });
    await ctx.addInitScript(installFakeDesktop);
    page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    errors = collectErrors(page);
    await signIn(page);
  }, 60_000);

  it('Hubs: lists each hub with address, fingerprint and state; switches, removes, shows a refused invite', async () => {
    await nav(page).getByRole('link', { name: 'Hubs', exact: true }).click();
    await page.getByRole('heading', { name: 'Hubs' }).waitFor();
    expect(await page.title()).toBe('Hubs — Hubdeck');
    const rows = await page.locator('tbody tr').allInnerTexts();
    expect(rows[0]).toContain('This computer (current)');
    expect(rows[1]).toMatch(/https:\/\/10\.0\.0\.5:8443[\s\S]*AB:CD:EF[\s\S]*connected/);
    expect(rows[2]).toContain('unreachable: connect ECONNREFUSED');
    expect(rows[3]).toContain('token refused: HTTP 401');
    await expectAccessible(page, 'hubs');
    await page.getByRole('button', { name: 'Switch to lab' }).click();
    await expect.poll(async () => page.locator('tbody tr').nth(1).innerText()).toContain('lab (current)');
    await page.getByRole('button', { name: 'Remove gone' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(3);
    await page.getByLabel('Invite').fill('hubdeck://join?invite=tampered');
    await page.getByLabel('Invite').press('Enter');
    await page.getByRole('alert').filter({ hasText: 'This invite is not valid' }).waitFor();
    await page.getByLabel('Hub URL').fill('http://10.0.0.8:8000');
    await page.getByLabel('Token', { exact: true }).fill('hd_secret');
    await page.getByRole('button', { name: 'Add hub' }).click();
    await page.getByRole('alert').filter({ hasText: 'the hub refused this token' }).waitFor();
    await page.getByLabel('Hub URL').fill('https://10.0.0.8:8443');
    await page.getByLabel('Certificate fingerprint').fill(' AB:CD ');
    await page.getByRole('button', { name: 'Add hub' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(4);
    expect(await page.getByLabel('Hub URL').inputValue()).toBe('');
    await expectAccessible(page, 'hubs after adding');
    await shot(page, '30-desktop-hubs');
    expect(await calls(page)).toEqual([
      ['selectHub', ['lab']], ['removeHub', ['gone']], ['joinHub', ['hubdeck://join?invite=tampered']],
      ['addHub', [{ url: 'http://10.0.0.8:8000', token: 'hd_secret', fingerprint: null }]],
      ['addHub', [{ url: 'https://10.0.0.8:8443', token: 'hd_secret', fingerprint: 'AB:CD' }]],
    ]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('Hubs: adds a JupyterHub with its options form and default options; bad JSON is refused in the page, with why', async () => {
    await page.evaluate(() => { (window as unknown as { calls: unknown[] }).calls = []; });
    const form = page.getByRole('form', { name: 'Add a hub by address' });
    expect(await page.locator('tbody tr').first().innerText()).toContain('Hubdeck');
    await form.getByLabel('Kind').selectOption('jupyterhub');
    // A JupyterHub pins no certificate here; its form asks how options are sent instead.
    expect(await form.getByLabel('Certificate fingerprint').count()).toBe(0);
    await form.getByLabel('Hub URL').fill('http://127.0.0.1:8000');
    await form.getByLabel('Token', { exact: true }).fill('jh_secret');
    await form.getByLabel('Name').fill('lab-jh');
    await form.getByLabel('Options form').selectOption('mlhub');
    await form.getByLabel('Default options').fill('{image: "jupyter/base"}');
    await form.getByRole('button', { name: 'Add hub' }).click();
    await page.getByRole('alert').filter({ hasText: /^Default options: not valid JSON \(.+\); write an object like/ }).waitFor();
    await form.getByLabel('Default options').fill('["not", "an", "object"]');
    await form.getByRole('button', { name: 'Add hub' }).click();
    await page.getByRole('alert').filter({ hasText: 'Default options: must be a JSON object' }).waitFor();
    await expectAccessible(page, 'hubs, JupyterHub form');
    await shot(page, '34-desktop-hubs-jupyterhub-form');
    await form.getByLabel('Default options').fill('{"image": "jupyter/base", "cpu_limit": 2}');
    await form.getByRole('button', { name: 'Add hub' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(5);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.locator('tbody tr').last().innerText()).toMatch(/^lab-jh\s+JupyterHub\s+http:\/\/127\.0\.0\.1:8000/);
    // The form is back to a Hubdeck hub, emptied.
    expect(await form.getByLabel('Hub URL').inputValue()).toBe('');
    expect(await form.getByLabel('Certificate fingerprint').count()).toBe(1);
    expect(await calls(page)).toEqual([
      ['addHub', [{ url: 'http://127.0.0.1:8000', token: 'jh_secret', kind: 'jupyterhub', name: 'lab-jh', optionsForm: 'mlhub', defaultOptions: { image: 'jupyter/base', cpu_limit: 2 } }]],
    ]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('Settings: theme, start at login, notifications and the sharing address go through setPreferences, errors shown', async () => {
    await page.evaluate(() => { (window as unknown as { calls: unknown[] }).calls = []; });
    await nav(page).getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByLabel('Theme').selectOption('dark');
    await page.getByRole('status').filter({ hasText: 'Theme saved.' }).waitFor();
    // Keyboard: Space toggles the focused checkbox.
    await page.getByLabel('Start at login').focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByLabel('Start at login').isChecked()).toBe(true);
    await page.getByLabel('Notifications').click();
    await page.getByLabel('Sharing address').fill('no-port');
    await page.getByRole('button', { name: 'Save sharing address' }).click();
    await page.getByRole('alert').filter({ hasText: 'must be HOST:PORT' }).waitFor();
    await page.getByLabel('Sharing address').fill('0.0.0.0:8443');
    await page.getByRole('button', { name: 'Save sharing address' }).click();
    await page.getByRole('status').filter({ hasText: 'Sharing address saved.' }).waitFor();
    expect(await calls(page)).toEqual([
      ['setPreferences', [{ theme: 'dark' }]], ['setPreferences', [{ startAtLogin: true }]], ['setPreferences', [{ notifications: false }]],
      ['setPreferences', [{ shareListen: 'no-port' }]], ['setPreferences', [{ shareListen: '0.0.0.0:8443' }]],
    ]);
    await expectAccessible(page, 'settings');
    await shot(page, '31-desktop-settings');
  }, 60_000);

  it('Share this hub: start shows URL and fingerprint; an invite with a quota gives the link and command to copy; stop', async () => {
    await page.evaluate(() => { (window as unknown as { calls: unknown[] }).calls = []; });
    await nav(page).getByRole('link', { name: 'Share this hub', exact: true }).click();
    await page.getByRole('heading', { name: 'Not shared' }).waitFor();
    await page.getByRole('button', { name: 'Start sharing' }).click();
    await page.getByRole('heading', { name: 'Sharing on your network' }).waitFor();
    const main = page.getByRole('main');
    expect(await main.innerText()).toMatch(/https:\/\/192\.168\.1\.20:8443[\s\S]*AB:CD:EF:01/);
    await page.getByLabel('User name').fill('bob');
    await page.getByLabel('Max workspaces').fill('2');
    await page.getByLabel('CPUs').fill('1.5');
    await page.getByLabel('Memory (GiB)').fill('4');
    await page.getByRole('button', { name: 'Create invite' }).click();
    await page.getByRole('heading', { name: 'Invite for bob' }).waitFor();
    expect(await page.getByLabel('Invite link').inputValue()).toBe('hubdeck://join?invite=INV123');
    expect(await page.getByLabel('Join command').inputValue()).toBe('hubdeck hub join INV123');
    await page.getByRole('button', { name: 'Copy Join command' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied.' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('hubdeck hub join INV123');
    await expectAccessible(page, 'share');
    await shot(page, '32-desktop-share');
    await page.getByRole('button', { name: 'Stop sharing' }).click();
    await page.getByRole('heading', { name: 'Not shared' }).waitFor();
    expect(await calls(page)).toEqual([
      ['startSharing', []],
      ['inviteTeammate', [{ user: 'bob', hours: 24, create: { quota: { maxWorkspaces: 2, cpus: 1.5, memory: 4 * 1024 ** 3 } } }]],
      ['stopSharing', []],
    ]);
    expect(errors).toEqual([]);
  }, 60_000);
});

describe('the tray items', () => {
  it('Settings and Share this hub… open those pages in the main window', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 700 } });
    await ctx.addInitScript(installFakeDesktop);
    const page = await ctx.newPage();
    await signIn(page);
    const show = (r: unknown) => page.evaluate((x) => (window as unknown as { trayShow: (r: unknown) => void }).trayShow(x), r);
    await show({ page: 'settings', hub: null });
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(await page.title()).toBe('Settings — Hubdeck');
    await show({ page: 'share', hub: 'local' });
    await page.getByRole('heading', { name: 'Share this hub' }).waitFor();
    expect(page.url()).toMatch(/#\/share$/);
    await ctx.close();
  }, 60_000);
});

describe('the desktop pages in a plain browser', () => {
  it('are not in the navigation and say they are desktop features when opened', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 700 } });
    const page = await ctx.newPage();
    await signIn(page);
    for (const name of ['Hubs', 'Settings', 'Share this hub']) expect(await nav(page).getByRole('link', { name, exact: true }).count()).toBe(0);
    await page.goto(`${srv.url}/#/share`);
    await page.getByRole('heading', { name: 'Share this hub' }).waitFor();
    expect(await page.getByRole('main').innerText()).toContain('feature of the Hubdeck desktop app');
    await expectAccessible(page, 'share (browser)');
    await shot(page, '33-desktop-share-browser');
    await ctx.close();
  }, 60_000);
});

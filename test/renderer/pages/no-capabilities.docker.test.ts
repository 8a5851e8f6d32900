/**
 * The proof that a backend needs no branch outside its own folder: the built renderer, in headless
 * Chromium, on a real hub (in this process, fake engine) that reports NO capabilities in its info
 * (main/api/capabilities.ts NO_CAPABILITIES) while its API still answers everything. The page must
 * render without errors and offer nothing the hub says it cannot do — no New workspace, Tunnels or
 * Admin, no Open, Copy SSH command or Extend, no usage, logs, terminal or SSH sections, no data
 * question on remove — and never ask the hub for any of it; what it lacks is said in one line each.
 * `window.hubdeck` is the real preload over the IPC stand-in (test/renderer/support/ipc-bridge-stand-in.ts).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_CAPABILITIES } from '../../../main/api/capabilities';
import type { HubClient } from '../../../main/api/hub-client';
import { remoteHubClient } from '../../../main/client/remote-hub-client';
import { startApiHub, type ApiHub } from '../../support/api-hub';
import { installIpcBridge, serveRenderer, type IpcRecord } from '../support/ipc-bridge-stand-in';
import { collectErrors, expectAccessible, launchChromium, shot } from '../../support/chromium';

/** What a hub without capabilities must never be asked by the page. */
const NEVER_ASKED = [
  'workspaceStats', 'watchStats', 'watchAllStats', 'workspaceLogs', 'extendWorkspace', 'workspaceSignIn', 'createLoginCode',
  'createWorkspace', 'listImages', 'getUser', 'capacity', 'getSettings', 'listUsers', 'listGroups', 'listInvites',
];

let h: ApiHub;
let client: HubClient;
let renderer: { url: string; close: () => Promise<void> };
let browser: Browser;
let closeBrowser: () => Promise<void>;
let ctx: BrowserContext;
let page: Page;
let ipc: IpcRecord;
let errors: string[];

const row = (name: string) => page.locator(`tr[data-workspace="admin/${name}"]`);
const nav = () => page.getByRole('navigation', { name: 'Main' });

beforeAll(async () => {
  h = await startApiHub('nocaps');
  // The hub answers every operation, but says it can do nothing: the page must believe the latter.
  const realInfo = h.hub.info.bind(h.hub);
  h.hub.info = async (actor) => ({ ...(await realInfo(actor)), capabilities: NO_CAPABILITIES });
  client = remoteHubClient({ url: h.url, token: h.adminToken });
  await client.createWorkspace({ body: { name: 'box1' } });
  await client.createWorkspace({ body: { name: 'box2' } });
  renderer = await serveRenderer();
  ({ browser, close: closeBrowser } = await launchChromium());
  ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  ipc = await installIpcBridge(ctx, client);
  page = await ctx.newPage();
  page.setDefaultTimeout(30_000);
  errors = collectErrors(page);
}, 120_000);

afterAll(async () => {
  await closeBrowser?.();
  await renderer?.close();
  await client?.close();
  await h?.stop();
}, 60_000);

describe('the app on a hub that reports no capabilities', () => {
  it('lists workspaces with only what every hub has, and says what is missing', async () => {
    await page.goto(renderer.url);
    await page.getByRole('heading', { name: 'Workspaces' }).waitFor();
    await expect.poll(() => row('box1').innerText()).toMatch(/^box1\s+running\s/);
    expect(await page.locator('thead th').allInnerTexts()).toEqual(['Name', 'State', 'Image', 'Actions']);
    // The user is an admin of the hub, and the hub has an SSH gateway in its info: neither is offered.
    expect(await nav().getByRole('link').allInnerTexts()).toEqual(['Workspaces']);
    expect(await page.locator('.who').innerText()).toContain('admin (admin)');
    // Nothing to open: Stop is the row's one button, Restart and Remove are in its menu.
    expect(await row('box1').getByRole('button', { name: 'Stop', exact: true }).count()).toBe(1);
    await row('box1').getByRole('button', { name: 'More actions for box1' }).click();
    expect(await page.getByRole('menu').getByRole('menuitem').allInnerTexts()).toEqual(['Restart', 'Remove']);
    await page.keyboard.press('Escape');
    for (const name of ['Open', 'Copy SSH command', 'Extend', 'New workspace']) expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    expect(await page.getByTestId('not-available').innerText()).toBe('Not available on a hub of this kind — CPU and memory: not offered by this hub. Expiry: not offered by this hub.');
    expect(await page.getByTestId('freshness').count()).toBe(0);
    await expectAccessible(page, 'no-capabilities workspaces');
    await shot(page, '60-no-capabilities-workspaces');
  }, 60_000);

  it("a workspace's page has its facts and one line for each section the hub lacks", async () => {
    await row('box1').getByRole('link', { name: 'box1' }).click();
    await page.getByRole('heading', { name: 'Not available on a hub of this kind' }).waitFor();
    const lines = await page.getByTestId('not-available').locator('li').allInnerTexts();
    expect(lines).toEqual(['CPU and memory: not offered by this hub.', 'Logs: not offered by this hub.', 'Terminal: not offered by this hub.', 'SSH: not offered by this hub.', 'Expiry: not offered by this hub.']);
    for (const name of ['Logs', 'Terminal', 'SSH', 'CPU and memory']) expect(await page.getByRole('heading', { name, exact: true }).count(), name).toBe(0);
    for (const name of ['Open terminal', 'Copy SSH command', 'Extend', 'Open']) expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    const details = await page.getByRole('region', { name: 'Details' }).innerText();
    expect(details).toMatch(/^Owner\s+admin\s+Image\s+\S+/);
    for (const fact of ['Limits', 'Expiry', 'Data volume', 'Address']) expect(details).not.toContain(fact);
    await expectAccessible(page, 'no-capabilities workspace');
    await shot(page, '61-no-capabilities-workspace');
  }, 30_000);

  it('stops and removes through the hub, without the data question', async () => {
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(() => page.locator('h1 .state').innerText()).toBe('stopped');
    await page.getByRole('button', { name: 'More actions for box1' }).click();
    await page.getByRole('menuitem', { name: 'Remove' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.innerText()).toContain('Removing stops the workspace admin/box1 and deletes it from the hub of this kind; what happens to its files is up to the hub.');
    expect(await dialog.getByRole('checkbox').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('heading', { name: 'Workspaces' }).waitFor();
    await expect.poll(async () => (await client.listWorkspaces({ user: 'admin' })).map((w) => w.name)).toEqual(['box2']);
  }, 30_000);

  it('New workspace by address says workspaces are not created here', async () => {
    await page.goto(`${renderer.url}/#/new`);
    await page.getByText('Workspaces are not created from here on this hub.').waitFor();
    expect(await page.getByRole('button', { name: 'Create' }).count()).toBe(0);
    await expectAccessible(page, 'no-capabilities new workspace');
  }, 30_000);

  it('asked the hub for nothing it cannot do, and logged no error', () => {
    expect(ipc.ops.filter((op) => NEVER_ASKED.includes(op))).toEqual([]);
    for (const op of ['info', 'listWorkspaces', 'getWorkspace', 'stopWorkspace', 'removeWorkspace']) expect(ipc.ops).toContain(op);
    expect(errors).toEqual([]);
  });
});

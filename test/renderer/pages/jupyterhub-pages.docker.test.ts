/**
 * The app on a connected JupyterHub, in headless Chromium against a real JupyterHub 3 (Debian's,
 * test/support/jupyterhub-fixture.ts): the built renderer with `window.hubdeck` over a stand-in for
 * Electron IPC (ipc-bridge-stand-in.ts: the real preload code and the real main-process handlers)
 * to the real JupyterHub HubClient. Covers servers listed as workspaces with only what the hub
 * allows, the polled list's freshness, New workspace with options and progress to ready, a failed
 * spawn's reason, Open, stop, remove, a hub that stops answering, and that logs, stats, SSH and the
 * terminal are neither offered nor asked for. axe on each page.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient } from '../../../main/api/hub-client';
import { JupyterHubClient } from '../../../main/client/jupyterhub/jupyterhub-client';
import { jupyterHubHubClient } from '../../../main/client/jupyterhub/jupyterhub-hub-client';
import { startJupyterHub, type TestJupyterHub } from '../../support/jupyterhub-fixture';
import { installIpcBridge, serveRenderer, type IpcRecord } from '../support/ipc-bridge-stand-in';
import { collectErrors, expectAccessible, launchChromium, shot } from '../../support/chromium';

const POLL_SECONDS = 2;
/** What a JupyterHub has no counterpart for: the page must not even ask. */
const NEVER_ASKED = ['workspaceStats', 'watchStats', 'watchAllStats', 'workspaceLogs', 'extendWorkspace', 'listImages', 'getUser', 'capacity', 'listGroups', 'getSettings'];

let jh: TestJupyterHub | null = null;
let token: string;
let client: HubClient;
let renderer: { url: string; close: () => Promise<void> };
let browser: Browser;
let closeBrowser: () => Promise<void>;
let ctx: BrowserContext;
let page: Page;
let ipc: IpcRecord;
let errors: string[];
const opened: { call: string[]; title: string }[] = [];

/** Runs in the page before the app: the desktop API of a window whose active hub is the JupyterHub. */
function installDesktop(): void {
  const w = window as unknown as { hubdeckDesktop: unknown; __openWorkspace(hub: string, user: string, name: string): Promise<unknown> };
  const ok = (value: unknown) => Promise.resolve({ ok: true, value });
  const known: Record<string, unknown> = {
    hubs: () => ok([{ key: 'lab-jh', kind: 'jupyterhub', label: 'lab-jh', url: 'http://jupyterhub.test', user: 'alice', admin: false, fingerprint: null, error: null, active: true }]),
    // Main opens it on the hub the window talks to: the one active hub.
    openWorkspace: (user: string, name: string) => w.__openWorkspace('lab-jh', user, name),
    onChange: () => () => undefined,
    onShow: () => () => undefined,
    onTerminal: () => () => undefined,
  };
  const refuse = (k: string) => () => Promise.resolve({ ok: false, error: { code: 'invalid', message: `not part of this test: ${k}` } });
  w.hubdeckDesktop = new Proxy(known, { get: (t, k: string) => t[k] ?? refuse(k) });
}

const raw = () => new JupyterHubClient(jh!.url, jh!.adminToken);
const serverOf = async (name: string) => (await raw().listServers('alice')).find((s) => s.name === name);
const row = (name: string) => page.locator(`tr[data-workspace="alice/${name}"]`);
const nav = () => page.getByRole('navigation', { name: 'Main' });

beforeAll(async () => {
  jh = await startJupyterHub();
  token = await jh.userToken('alice');
  // A server started before the app connects: the list must show it.
  await new JupyterHubClient(jh.url, token).startServer('alice', 'ready1', { userOptions: { image: 'prebuilt:1' } });
  client = jupyterHubHubClient(jh.url, token, { options: { form: 'json', defaults: { team: 'ml' } }, hubId: 'lab-jh', pollSeconds: POLL_SECONDS });
  renderer = await serveRenderer();
  ({ browser, close: closeBrowser } = await launchChromium());
  ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  ipc = await installIpcBridge(ctx, client);
  // The shell's openWorkspace for a JupyterHub: a narrow token, the server's page in its own session.
  await ctx.exposeBinding('__openWorkspace', async (_src, hub: string, user: string, name: string) => {
    const api = new JupyterHubClient(jh!.url, token);
    const server = (await api.listServers(user)).find((s) => s.name === name)!;
    const win = await browser.newContext();
    try {
      const p = await win.newPage();
      await p.goto(await api.openUrl(user, server, 120));
      opened.push({ call: [hub, user, name], title: await p.title() });
    } finally {
      await win.close();
    }
    return { ok: true, value: null };
  });
  await ctx.addInitScript(installDesktop);
  page = await ctx.newPage();
  page.setDefaultTimeout(30_000);
  errors = collectErrors(page);
}, 180_000);

afterAll(async () => {
  await closeBrowser?.();
  await renderer?.close();
  await client?.close();
  await jh?.stop();
}, 60_000);

describe('the app on a connected JupyterHub', () => {
  it('lists its servers as workspaces with only what the hub allows, and says how fresh the list is', async () => {
    await page.goto(renderer.url);
    await page.getByRole('heading', { name: 'Workspaces' }).waitFor();
    await expect.poll(() => row('ready1').innerText()).toMatch(/^ready1\s+running\s+prebuilt:1\s/);
    expect(await page.locator('thead th').allInnerTexts()).toEqual(['Name', 'State', 'Image', 'Actions']);
    // One primary action (Open) and a menu with the rest; no SSH (the hub has no gateway).
    expect(await row('ready1').getByRole('button', { name: 'Open', exact: true }).count()).toBe(1);
    await row('ready1').getByRole('button', { name: 'More actions for ready1' }).click();
    expect(await page.getByRole('menu').getByRole('menuitem').allInnerTexts()).toEqual(['Stop', 'Restart', 'Remove']);
    await page.keyboard.press('Escape');
    for (const name of ['Copy SSH command', 'Extend']) expect(await page.getByRole('button', { name }).count()).toBe(0);
    expect(await page.getByTestId('not-available').innerText()).toMatch(/^Not available on a JupyterHub — CPU and memory: .+ Expiry: .+/);
    await expect.poll(() => page.getByTestId('freshness').innerText(), { timeout: 15_000 })
      .toMatch(new RegExp(`^JupyterHub has no event stream: checked every ${POLL_SECONDS} s · last checked \\d+ s ago$`));
    expect(await nav().getByRole('link', { name: 'Admin' }).count()).toBe(0);
    expect(await page.locator('.who').innerText()).toContain('alice · lab-jh');
    await expectAccessible(page, 'jupyterhub workspaces');
    await shot(page, '40-jupyterhub-workspaces');
  }, 60_000);

  it('New workspace starts a named server with the options and shows its progress to ready', async () => {
    await nav().getByRole('link', { name: 'New workspace' }).click();
    await page.getByRole('heading', { name: 'New workspace' }).waitFor();
    expect(await page.locator('#jh-name-hint').innerText()).toContain('"default" is the default server');
    expect(JSON.parse(await page.getByLabel('Default options').inputValue())).toEqual({ team: 'ml' });
    // The json form: Image and raw options; no Hubdeck limits or image list.
    for (const label of ['CPUs', 'Memory', 'Days to live', 'Profile']) expect(await page.getByLabel(label, { exact: true }).count()).toBe(0);
    await expectAccessible(page, 'jupyterhub new workspace');
    await page.getByLabel('Name', { exact: true }).fill('exp1');
    await page.getByLabel('Image', { exact: true }).fill('lab/img:1');
    await page.getByLabel('Options', { exact: true }).fill('delay=3\nnote=from the app');
    await page.getByRole('button', { name: 'Create' }).click();
    // JupyterHub's own progress messages, while the spawner waits its delay.
    await page.getByTestId('progress-message').filter({ hasText: 'Test spawner: halfway through a 3s delay' }).waitFor();
    await shot(page, '41-jupyterhub-progress');
    await page.getByRole('heading', { name: /^exp1/ }).waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('h1 .state').innerText()).toBe('running');
    expect((await serverOf('exp1'))?.user_options).toEqual({ team: 'ml', image: 'lab/img:1', delay: 3, note: 'from the app' });
  }, 90_000);

  it("a server's page says what is not available on a JupyterHub instead of logs, usage, terminal and SSH", async () => {
    await page.getByRole('heading', { name: 'Not available on a JupyterHub' }).waitFor();
    const lines = await page.getByTestId('not-available').locator('li').allInnerTexts();
    expect(lines.map((l) => l.split(':')[0])).toEqual(['CPU and memory', 'Logs', 'Terminal', 'SSH', 'Expiry']);
    for (const name of ['Logs', 'Terminal', 'SSH', 'CPU and memory']) expect(await page.getByRole('heading', { name, exact: true }).count()).toBe(0);
    for (const name of ['Open terminal', 'Copy SSH command', 'Extend']) expect(await page.getByRole('button', { name }).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Details' }).innerText()).toMatch(/Image\s+lab\/img:1[\s\S]*Address\s+http:\/\/127\.0\.0\.1:\d+\/user\/alice\/exp1\//);
    await expectAccessible(page, 'jupyterhub workspace');
    await shot(page, '42-jupyterhub-workspace');
  }, 30_000);

  it("a failed spawn shows JupyterHub's reason; a bad option line is refused before anything is sent", async () => {
    await nav().getByRole('link', { name: 'New workspace' }).click();
    await page.getByLabel('Name', { exact: true }).fill('broken');
    await page.getByLabel('Options', { exact: true }).fill('fail');
    const before = ipc.ops.length;
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByTestId('create-error').filter({ hasText: 'Options, line 1: "fail" is not KEY=VALUE' }).waitFor();
    expect(ipc.ops.length).toBe(before);
    await page.getByLabel('Options', { exact: true }).fill('fail="no GPU left on this node"');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByTestId('create-error').filter({ hasText: 'no GPU left on this node' }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('button', { name: 'Create' }).isEnabled()).toBe(true);
    await expectAccessible(page, 'jupyterhub failed spawn');
    await shot(page, '43-jupyterhub-failed');
  }, 90_000);

  it('Open goes through the desktop API, and the Jupyter page loads', async () => {
    await nav().getByRole('link', { name: 'Workspaces' }).click();
    await row('exp1').getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => opened.length, { timeout: 30_000 }).toBe(1);
    expect(opened[0]).toEqual({ call: ['lab-jh', 'alice', 'exp1'], title: 'Home Page - Select or create a notebook' });
  }, 60_000);

  it('stops a server, then removes it (its data is left to the spawner)', async () => {
    await row('exp1').getByRole('button', { name: 'More actions for exp1' }).click();
    await page.getByRole('menuitem', { name: 'Stop' }).click();
    await expect.poll(() => row('exp1').locator('.state').innerText(), { timeout: 30_000 }).toBe('stopped');
    expect((await serverOf('exp1'))?.stopped).toBe(true);
    for (const name of ['exp1', 'broken']) {
      await row(name).getByRole('button', { name: `More actions for ${name}` }).click();
      await page.getByRole('menuitem', { name: 'Remove' }).click();
      const dialog = page.getByRole('dialog');
      expect(await dialog.innerText()).toContain("deletes it from the JupyterHub; what happens to its files is up to the hub's spawner");
      expect(await dialog.getByRole('checkbox').count()).toBe(0);
      await dialog.getByRole('button', { name: 'Remove' }).click();
      await expect.poll(() => row(name).count(), { timeout: 30_000 }).toBe(0);
      expect(await serverOf(name)).toBeUndefined();
    }
    expect(await row('ready1').count()).toBe(1);
  }, 90_000);

  it('asked the hub only what it has: never stats, logs, images, quota or settings', () => {
    expect(ipc.ops.filter((op) => NEVER_ASKED.includes(op))).toEqual([]);
    for (const op of ['info', 'listWorkspaces', 'createWorkspace', 'getWorkspace', 'stopWorkspace', 'removeWorkspace']) expect(ipc.ops).toContain(op);
    expect(errors).toEqual([]);
  });

});

/** A page on the same hub added with another options form (a fresh client: what addHub would save). */
async function pageWithForm(form: 'mlhub' | 'profile'): Promise<{ p: Page; close: () => Promise<void> }> {
  const c = jupyterHubHubClient(jh!.url, token, { options: { form, defaults: {} }, hubId: 'lab-jh', pollSeconds: POLL_SECONDS });
  const cx = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  await installIpcBridge(cx, c);
  await cx.addInitScript(installDesktop);
  const p = await cx.newPage();
  p.setDefaultTimeout(30_000);
  await p.goto(`${renderer.url}/#/new`);
  await p.getByRole('heading', { name: 'New workspace' }).waitFor();
  return { p, close: async () => { await cx.close(); await c.close(); } };
}

describe('the options forms', () => {
  it("ML Hub: image, limits, env and days go out under ML Hub's keys", async () => {
    const { p, close } = await pageWithForm('mlhub');
    try {
      expect(await p.getByLabel('Default options').inputValue()).toBe('none');
      expect(await p.getByLabel('Profile', { exact: true }).count()).toBe(0);
      const fill = async (label: string, v: string) => p.getByLabel(label, { exact: true }).fill(v);
      await fill('Name', 'ml1');
      await fill('Image', 'mlhub/gpu:2');
      await fill('CPUs', '2');
      await fill('Memory', '1g');
      await fill('GPUs', '1');
      await fill('Shared memory', '512m');
      await fill('Environment variables', 'A=1\nB=two words');
      await fill('Days to live', '3');
      await fill('Options', 'delay=0');
      await expectAccessible(p, 'jupyterhub new workspace (ML Hub)');
      await shot(p, '45-jupyterhub-mlhub-form');
      await p.getByRole('button', { name: 'Create' }).click();
      await p.getByRole('heading', { name: /^ml1/ }).waitFor({ timeout: 60_000 });
      expect((await serverOf('ml1'))?.user_options).toEqual({
        image: 'mlhub/gpu:2', cpu_limit: '2', mem_limit: '1g', gpus: '1', shm_size: '512m', env: { A: '1', B: 'two words' }, days_to_live: 3, delay: 0,
      });
    } finally {
      await close();
    }
  }, 90_000);

  it('KubeSpawner profile: the profile slug, and no image field', async () => {
    const { p, close } = await pageWithForm('profile');
    try {
      for (const label of ['Image', 'CPUs', 'Days to live']) expect(await p.getByLabel(label, { exact: true }).count()).toBe(0);
      await p.getByLabel('Name', { exact: true }).fill('prof1');
      await p.getByLabel('Profile', { exact: true }).fill('small-cpu');
      await p.getByRole('button', { name: 'Create' }).click();
      await p.getByRole('heading', { name: /^prof1/ }).waitFor({ timeout: 60_000 });
      expect((await serverOf('prof1'))?.user_options).toEqual({ profile: 'small-cpu' });
    } finally {
      await close();
    }
  }, 90_000);
});

describe('a JupyterHub that stops answering', () => {
  it('is said so on the Workspaces page, with when the app tries again', async () => {
    await page.getByRole('heading', { name: 'Workspaces' }).waitFor();
    await jh!.stop();
    jh = null;
    await expect.poll(() => page.getByTestId('freshness').innerText(), { timeout: 30_000 })
      .toMatch(new RegExp(`^JupyterHub has no event stream: checked every ${POLL_SECONDS} s · did not answer: .+; next try in \\d+ s$`));
    await shot(page, '44-jupyterhub-not-answering');
  }, 60_000);
});

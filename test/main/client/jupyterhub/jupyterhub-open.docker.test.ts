// `workspace open` on a JupyterHub: the minted URL loads the Jupyter page in headless Chromium as a
// top-level page, JupyterHub 3 sets its per-server cookie, and a second navigation without the token
// still gets in. The token reaches only this user's servers and expires.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { JupyterHubClient } from '../../../../main/client/jupyterhub/jupyterhub-client';
import { startJupyterHub, type TestJupyterHub } from '../../../support/jupyterhub-fixture';
import { jupyterHubScope } from '../../../../main/shell/workspace-windows';
import { workspaceVerdict } from '../../../../main/shell/navigation-policy';
import { launchChromium } from '../../../support/chromium';

let hub: TestJupyterHub;
let browser: Browser;
let closeBrowser: () => Promise<void>;
beforeAll(async () => {
  hub = await startJupyterHub();
  ({ browser, close: closeBrowser } = await launchChromium());
}, 90_000);
afterAll(async () => {
  await closeBrowser?.();
  await hub?.stop();
}, 30_000);

describe('opening a JupyterHub server', () => {
  it('signs the browser in with a narrow token and keeps it in with the cookie', async () => {
    const client = new JupyterHubClient(hub.url, await hub.userToken('alice'));
    await client.startServer('alice', 'nb', { userOptions: {} });
    const server = (await client.listServers('alice')).find((s) => s.name === 'nb')!;
    const url = await client.openUrl('alice', server, 120);
    const token = new URL(url).searchParams.get('token')!;

    // The minted token's scope: this user's servers, nothing of the hub API.
    const api = await fetch(`${hub.url}/hub/api/user`, { headers: { Authorization: `token ${token}` } });
    const me = (await api.json()) as { scopes?: string[] };
    expect(me.scopes ?? []).not.toContain('admin:users');
    expect((await fetch(`${hub.url}/hub/api/users/alice/tokens`, { headers: { Authorization: `token ${token}` } })).status).toBe(403);

    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const first = await page.goto(url);
      expect(first?.status()).toBe(200);
      await page.waitForURL(/\/user\/alice\/nb\//);
      // Debian's single-user server is the classic notebook: its file browser is the landing page.
      expect(await page.title()).toBe('Home Page - Select or create a notebook');
      const cookies = (await context.cookies()).map((c) => `${c.name} ${c.path}`);
      expect(cookies, JSON.stringify(cookies)).toContainEqual(expect.stringMatching(/^jupyterhub-user-alice-nb \/user\/alice\/nb\/?$/));
      // Again, without the token: the cookie alone gets in (no redirect to the hub's login page).
      const second = await page.goto(`${hub.url}/user/alice/nb/api/status`);
      expect(second?.status()).toBe(200);
      expect(page.url()).not.toContain('/hub/login');
    } finally {
      await context.close();
    }
    // A browser without the cookie and without the token is sent to the hub's login.
    const stranger = await browser.newContext();
    try {
      const page = await stranger.newPage();
      await page.goto(`${hub.url}/user/alice/nb/`);
      expect(page.url()).toContain('/hub/login');
    } finally {
      await stranger.close();
    }
  }, 90_000);

  it('an expired open token is refused', async () => {
    const client = new JupyterHubClient(hub.url, await hub.userToken('bob'));
    await client.startServer('bob', '', { userOptions: {} });
    const server = (await client.listServers('bob')).find((s) => s.name === '')!;
    const url = await client.openUrl('bob', server, 1);
    await new Promise((r) => setTimeout(r, 2_500));
    const token = new URL(url).searchParams.get('token')!;
    expect((await fetch(`${hub.url}/hub/api/user`, { headers: { Authorization: `token ${token}` } })).status).toBe(403);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(url);
      expect(page.url()).toContain('/hub/login');
    } finally {
      await context.close();
    }
  }, 60_000);

  it("keeps JupyterHub's own sign-in round trip inside the app window's scope", async () => {
    // The app's window for alice/nb: every page JupyterHub sends it through when the cookie is gone
    // (its redirect, the login form, OAuth, the callback) must be allowed, or signing in again breaks.
    const scope = jupyterHubScope(hub.url, '/user/alice/nb/');
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const seen: string[] = [];
      page.on('request', (r) => { if (r.isNavigationRequest() && r.frame() === page.mainFrame()) seen.push(r.url()); });
      await page.goto(`${hub.url}/user/alice/nb/`);
      expect(page.url()).toContain('/hub/login');
      await page.locator('#username_input').fill('alice');
      await page.locator('#password_input').fill('any');
      await page.locator('#login_submit').click();
      await page.waitForURL(/\/user\/alice\/nb\/tree/);
      expect(seen.some((u) => u.includes('/hub/api/oauth2/authorize'))).toBe(true);
      for (const url of seen) expect(workspaceVerdict(url, scope), url).toBe('allow');
    } finally {
      await context.close();
    }
  }, 60_000);
});

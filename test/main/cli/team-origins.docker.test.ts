/**
 * A team hub's workspace origins end to end: `hubdeck hub serve --tls --workspace-host
 * '*.ws.example.test' --public-url https://hub.example.test:PORT` as a real process, a browser whose
 * resolver maps those names to loopback (as a wildcard DNS record would), `__Host-` cookies on both
 * origins, and `hubdeck workspace open` printing a one-time link on a Hubdeck hub.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { hubdeck } from '../../support/cli';
import { startServe, type ServeProcess } from '../../support/hub-process';
import { api } from '../../support/api-hub';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'team-origins-'));
let srv: ServeProcess;
let browser: Browser;
let port = 0;
let alice = '';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

beforeAll(async () => {
  port = await freePort();
  srv = await startServe(['--data', dataDir, '--engine', 'fake', '--listen', `127.0.0.1:${port}`, '--tls',
    '--workspace-host', '*.ws.example.test', '--public-url', `https://hub.example.test:${port}`]);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run',
      `--host-resolver-rules=MAP *.ws.example.test 127.0.0.1, MAP hub.example.test 127.0.0.1`],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await srv?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a team hub with a wildcard workspace domain', () => {
  it('says where workspaces open, and its certificate covers them', async () => {
    expect(srv.stdout()).toContain(`workspaces: each on its own origin, https://<workspace>--<user>.ws.example.test:${port}/`);
    expect(srv.stderr()).not.toMatch(/does not cover/);
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // the generated certificate, in this test process only
    const admin = srv.adminToken!;
    await api(srv.url, 'PATCH', '/settings', admin, { allowCustomImages: true });
    await api(srv.url, 'POST', '/users', admin, { name: 'alice', selfService: true });
    alice = ((await api(srv.url, 'POST', '/users/alice/tokens', admin, {})).body as { token: string }).token;
    expect((await api(srv.url, 'POST', '/workspaces?wait=1', alice, { name: 'nb', image: 'img:1' })).status).toBe(201);
    const view = (await api(srv.url, 'GET', '/workspaces/alice/nb', alice)).body as { url: string };
    expect(view.url).toBe(`https://nb--alice.ws.example.test:${port}/user/alice/nb/`);
    const info = (await api(srv.url, 'GET', '/info', alice)).body as { web: unknown };
    expect(info.web).toEqual({ hub: `https://hub.example.test:${port}`, workspaceHost: '*.ws.example.test' });
  });

  it('signs a browser in at the hub and opens the workspace on its own origin, with __Host- cookies on each', async () => {
    const ctx = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await ctx.newPage();
    await page.goto(`https://hub.example.test:${port}/hub/login?next=${encodeURIComponent('/user/alice/nb/')}`);
    await page.fill('#token', alice);
    await Promise.all([page.waitForURL(/nb--alice\.ws\.example\.test/), page.click('button:has-text("Sign in")')]);
    expect(page.url()).toBe(`https://nb--alice.ws.example.test:${port}/user/alice/nb/`);
    expect(await page.textContent('body')).toContain('hubdeck fake workspace alice/nb');
    const cookies = await ctx.cookies();
    const hub = cookies.filter((c) => c.domain === 'hub.example.test').map((c) => c.name);
    const ws = cookies.filter((c) => c.domain === 'nb--alice.ws.example.test').map((c) => c.name);
    expect(hub).toEqual(['__Host-hubdeck-session']);
    expect(ws).toEqual(['__Host-hubdeck-workspace']);
    expect(cookies.every((c) => c.secure && c.httpOnly && c.path === '/')).toBe(true);
    // a sibling workspace host cannot toss a cookie the hub would read (no Domain on __Host-)
    await page.evaluate(() => { document.cookie = '__Host-hubdeck-session=tossed; Domain=ws.example.test; Path=/; Secure'; document.cookie = 'hubdeck-session=tossed; Domain=example.test; Path=/'; });
    const hubPage = await ctx.newPage();
    await hubPage.goto(`https://hub.example.test:${port}/api/v1/info`);
    expect(await hubPage.textContent('body')).toContain('"name":"alice"');
    await ctx.close();
  });

  it('hubdeck workspace open prints a one-time link to the workspace\'s own origin', async () => {
    const r = await hubdeck(['--hub', srv.url, '--token', alice, '--fingerprint', srv.fingerprint!, '--json', 'workspace', 'open', 'nb']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { url: string; signInUrl: string };
    expect(out.url).toBe(`https://nb--alice.ws.example.test:${port}/user/alice/nb/`);
    expect(out.signInUrl).toMatch(new RegExp(`^https://nb--alice\\.ws\\.example\\.test:${port}/\\.hubdeck/sign-in\\?code=`));
    const ctx = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await ctx.newPage();
    await page.goto(out.signInUrl);
    expect(page.url()).toBe(out.url);
    expect(await page.textContent('body')).toContain('hubdeck fake workspace alice/nb');
    // once only
    const again = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
    await again.goto(out.signInUrl);
    expect(await again.textContent('body')).toContain('expired or was already used');
    await ctx.close();
    const show = await hubdeck(['--hub', srv.url, '--token', alice, '--fingerprint', srv.fingerprint!, '--json', 'workspace', 'show', 'nb']);
    expect((JSON.parse(show.stdout) as { url: string }).url).toBe(out.url);
  });

  it('refuses a workspace host without a public address, naming the flag', async () => {
    const r = await hubdeck(['--data', dataDir, 'hub', 'serve', '--engine', 'fake', '--listen', '0.0.0.0:0', '--workspace-host', '*.ws.example.test']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--workspace-host needs --public-url/);
  });
});

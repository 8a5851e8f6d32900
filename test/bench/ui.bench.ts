/**
 * bench:ui — the web UI's figures: the gzip size of what the first page loads (index.html, its
 * script and stylesheet; the lazily loaded admin chunk is reported apart), the time to first render
 * of the workspace list with 100 workspaces in headless Chromium (navigation start → 100 rows in
 * the table; median and p90 over runs, plus the first, cold one), and the hub's RSS with the UI
 * open and its running workspaces streaming stats. Against `hubdeck hub serve --engine fake`, so
 * the figures are the UI's and the API's, not Docker's.   npm run bench:ui [-- --count 100 --runs 15]
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const COUNT = Number(arg('count', '100'));
const RUNS = Number(arg('runs', '15'));
const ROOT = path.join(__dirname, '../..');
const CLI = path.join(ROOT, 'out/main/cli.js');
const UI = path.join(ROOT, 'out/renderer');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const gz = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

/** What index.html loads by itself (script and stylesheet), and every other chunk. */
function bundleSizes(): { first: number; firstFiles: string[]; lazy: number } {
  const html = fs.readFileSync(path.join(UI, 'index.html'), 'utf8');
  const firstFiles = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)].map((m) => m[1]!);
  const first = gz(path.join(UI, 'index.html')) + firstFiles.reduce((s, f) => s + gz(path.join(UI, f)), 0);
  const lazy = fs.readdirSync(path.join(UI, 'assets')).filter((f) => !firstFiles.includes(`assets/${f}`)).reduce((s, f) => s + gz(path.join(UI, 'assets', f)), 0);
  return { first, firstFiles, lazy };
}

async function startServe(dataDir: string): Promise<{ pid: number; url: string; token: string; stop: () => Promise<void> }> {
  const proc = spawn(process.execPath, [CLI, 'hub', 'serve', '--engine', 'fake', '--data', dataDir, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  for (let i = 0; i < 300 && !/^reconciled:/m.test(out); i++) await sleep(50);
  return { pid: proc.pid!, url: /listening on (\S+)/.exec(out)![1]!, token: /^admin token: (\S+)$/m.exec(out)![1]!,
    stop: () => new Promise<void>((resolve) => { proc.once('exit', () => resolve()); proc.kill('SIGTERM'); }),
  };
}

async function api(url: string, token: string, method: string, p: string, body?: unknown): Promise<void> {
  const res = await fetch(`${url}/api/v1${p}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
}

async function main(): Promise<void> {
  execFileSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'pipe' });
  const sizes = bundleSizes();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ui-'));
  const hub = await startServe(dataDir);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    // The admin's own workspaces: the list page shows the signed-in user's.
    for (let i = 0; i < COUNT; i += 10) {
      await Promise.all(Array.from({ length: Math.min(10, COUNT - i) }, (_, j) =>
        api(hub.url, hub.token, 'POST', '/workspaces?wait=0', { name: `w${String(i + j).padStart(3, '0')}`, image: 'quay.io/jupyter/base-notebook:latest', cpus: 0.5, memory: '512m', days: 7 })));
    }
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const login = await ctx.request.post(`${hub.url}/hub/login`, { data: { token: hub.token, next: '/' }, maxRedirects: 0 });
    if (login.status() !== 302) throw new Error(`sign-in failed: ${login.status()}`);
    const rssIdle = rssMb(hub.pid);
    const times: number[] = [];
    let streaming = 0;
    for (let r = 0; r < RUNS + 1; r++) {
      const page = await ctx.newPage();
      await page.goto(hub.url, { waitUntil: 'commit' });
      // performance.now() counts from the navigation's start: the time until the list is on screen.
      const ms = await page.waitForFunction((n) => document.querySelectorAll('tbody tr').length >= n && performance.now(), COUNT, { polling: 'raf', timeout: 60_000 });
      times.push(Number(await ms.jsonValue()));
      if (r < RUNS) await page.close();
      else {
        // The last page stays open: the hub's memory with the UI live (events + stats streams).
        await sleep(10_000);
        // Rows with a live sparkline: all of them come from the list's one stats stream.
        streaming = await page.evaluate(() => document.querySelectorAll('tbody .spark[role="img"]').length);
      }
    }
    const rssOpen = rssMb(hub.pid);
    const [cold, ...warm] = times;
    console.log(`renderer bundle, first page: ${kb(sizes.first)} gzip (${sizes.firstFiles.join(', ')} + index.html); lazy chunks (admin): ${kb(sizes.lazy)} gzip`);
    console.log(`first render of the list with ${COUNT} workspaces (navigation → ${COUNT} rows), headless Chromium: cold ${cold!.toFixed(0)} ms; warm median ${pct(warm, 0.5).toFixed(0)} ms, p90 ${pct(warm, 0.9).toFixed(0)} ms over ${warm.length} runs`);
    console.log(`hub serve RSS: ${rssIdle.toFixed(0)} MB with ${COUNT} workspaces before the UI, ${rssOpen.toFixed(0)} MB after ${RUNS + 1} page loads with the UI open 10 s and ${streaming} of ${COUNT} rows streaming live stats (one stream)`);
  } finally {
    await browser.close();
    await hub.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

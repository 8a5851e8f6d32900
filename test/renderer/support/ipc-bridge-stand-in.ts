/**
 * A thin stand-in for Electron IPC, so the built renderer runs in headless Chromium against a
 * HubClient in this Node process exactly as in the desktop app: the page's `window.hubdeck` is the
 * real preload code (ipc-bridge-page.ts), its invokes reach the real main-process handlers
 * (main/shell/hub-api-ipc.ts registerApi) through a Playwright binding, and what main sends back
 * (progress, stream chunks, hub events) is delivered into the page. Also serves the built renderer.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import type { HubClient } from '../../../main/api/hub-client';
import { IPC } from '../../../main/api/ipc-bridge';
import { registerApi, type IpcSender } from '../../../main/shell/hub-api-ipc';

export const RENDERER_DIR = path.join(__dirname, '../../../out/renderer');

/** The page side, bundled into one classic script for addInitScript. */
async function pageScript(): Promise<string> {
  const out = await build({
    configFile: false, logLevel: 'silent', root: __dirname,
    build: { write: false, minify: false, lib: { entry: path.join(__dirname, 'ipc-bridge-page.ts'), formats: ['iife'], name: 'hubdeckIpcStandIn' } },
  });
  const chunk = (Array.isArray(out) ? out[0] : out) as { output: { type: string; code?: string }[] };
  const code = chunk.output.find((o) => o.type === 'chunk')?.code;
  if (!code) throw new Error('vite produced no script for the IPC stand-in');
  return code;
}

type Handler = (event: { sender: IpcSender }, ...args: unknown[]) => unknown;

/** Every operation the page asked of the client (api:call and api:stream-open), in order. */
export interface IpcRecord {
  ops: string[];
}

/** Installs the bridge in every page of `ctx`; the page acts through `client`. */
export async function installIpcBridge(ctx: BrowserContext, client: HubClient): Promise<IpcRecord> {
  const handlers = new Map<string, Handler>();
  registerApi({ handle: (channel, fn) => void handlers.set(channel, fn as Handler) }, () => client);
  const record: IpcRecord = { ops: [] };
  const senders = new Map<Page, IpcSender>();
  const senderOf = (page: Page): IpcSender => {
    let s = senders.get(page);
    if (!s) {
      s = {
        id: senders.size + 1,
        // Delivered in order: Playwright runs a page's evaluations one after another.
        send: (channel, payload) => void page.evaluate(([c, p]) => (window as unknown as { __ipcEmit(c: string, p: unknown): void }).__ipcEmit(c, p), [channel, payload] as const).catch(() => undefined),
        once: (_event, fn) => void page.once('close', fn),
      };
      senders.set(page, s);
    }
    return s;
  };
  await ctx.exposeBinding('__ipcInvoke', async ({ page }, channel: string, args: unknown[]) => {
    if (channel === IPC.call || channel === IPC.streamOpen) record.ops.push(String(args[0]));
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`no IPC handler for ${channel}`);
    return handler({ sender: senderOf(page) }, ...args);
  });
  await ctx.addInitScript({ content: await pageScript() });
  return record;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** Serves the built renderer on loopback, as the app's file:// page would load it. */
export async function serveRenderer(dir = RENDERER_DIR): Promise<{ url: string; close: () => Promise<void> }> {
  if (!fs.existsSync(path.join(dir, 'index.html'))) throw new Error(`no built renderer in ${dir}: run npx electron-vite build`);
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(dir, rel);
    if (!file.startsWith(dir + path.sep) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

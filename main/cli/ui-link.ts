/**
 * The running `hubdeck ui`'s door for a fresh sign-in link: a unix socket in the local hub's data
 * directory (private to its owner, like hub.db beside it). A second `hubdeck ui` (a second `npm
 * start`) or `hubdeck ui --link` asks it instead of dying on a taken port, and gets the hub's URL and
 * a new one-time link. Sign-in codes live in the running hub's memory, so only it can make one.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface RunningUi {
  url: string;
  link: string;
}

export const uiSocketPath = (dataDir: string): string => path.join(dataDir, 'ui.sock');

/** The running hub's URL and a fresh link, or null when no `hubdeck ui` serves this data directory. */
export function askRunningUi(dataDir: string, timeoutMs = 3000): Promise<RunningUi | null> {
  return new Promise((resolve) => {
    let text = '';
    const socket = net.connect(uiSocketPath(dataDir));
    const done = (v: RunningUi | null) => { socket.destroy(); resolve(v); };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.on('error', () => done(null)); // ENOENT, ECONNREFUSED (a stale socket): nobody there
    socket.on('data', (d: Buffer) => { text += d.toString('utf8'); });
    socket.on('end', () => {
      try {
        const v = JSON.parse(text) as Partial<RunningUi>;
        done(typeof v.url === 'string' && typeof v.link === 'string' ? { url: v.url, link: v.link } : null);
      } catch {
        done(null);
      }
    });
  });
}

/** Answers each connection with `answer()` as one JSON document; resolves with a function that closes the door. */
export async function serveUiLinks(dataDir: string, answer: () => RunningUi): Promise<() => Promise<void>> {
  const file = uiSocketPath(dataDir);
  fs.rmSync(file, { force: true }); // left by a `hubdeck ui` that was killed; askRunningUi found nobody behind it
  const server = net.createServer((s) => {
    s.on('error', () => undefined);
    s.end(JSON.stringify(answer()));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => resolve());
  });
  fs.chmodSync(file, 0o600);
  return () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    fs.rmSync(file, { force: true });
  });
}

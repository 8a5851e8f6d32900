/**
 * The fake image's `httpd` (busybox's: `httpd -f -p [ADDR:]PORT -h DIR`), so tests can run a second
 * service in a fake workspace — in particular one bound to its loopback only, which connect()
 * reaches with `to: 'loopback'` and refuses on the workspace's address, as a real container does.
 * It is a real HTTP server on this machine's loopback serving files from the workspace's file
 * system, listed in the workspace's port table until the process ends.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { ProcessContext } from './fake-io';

/** `-p` of busybox httpd: PORT or ADDR:PORT; null when it is neither. */
export function parseListen(arg: string): { port: number; loopbackOnly: boolean } | null {
  const m = /^(?:([0-9.]+):)?(\d{1,5})$/.exec(arg);
  const port = Number(m?.[2]);
  if (!m || !(port >= 1 && port <= 65535)) return null;
  return { port, loopbackOnly: m[1] !== undefined && m[1].startsWith('127.') };
}

function option(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
}

export async function httpd(ctx: ProcessContext): Promise<number> {
  const listen = parseListen(option(ctx.args, '-p') ?? '80');
  if (!listen) return (ctx.err(`httpd: bad port '${option(ctx.args, '-p')}'\n`), 1);
  if (ctx.ports.has(listen.port)) return (ctx.err('httpd: bind: Address already in use\n'), 1);
  const home = path.posix.resolve(ctx.cwd, option(ctx.args, '-h') ?? '.');
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.posix.join(home, rel.endsWith('/') ? `${rel}index.html` : rel);
    const data = file.startsWith(`${home}/`) ? ctx.fs.read(file) : 'forbidden';
    if (typeof data === 'string') res.writeHead(404).end();
    else res.writeHead(200, { 'content-length': data.length }).end(data);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ctx.ports.set(listen.port, { port: (server.address() as AddressInfo).port, loopbackOnly: listen.loopbackOnly });
  await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
  ctx.ports.delete(listen.port);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return 0;
}

/**
 * `npm run bench:proxy`: the hub's workspace proxy versus configurable-http-proxy 5 (JupyterHub's
 * proxy, configured for the same workspace) versus the workspace directly, all loaded by the same
 * tool (autocannon in its own process: 20 connections, keep-alive, 5 s each), interleaved over rounds: req/s and p99
 * latency of a small GET (Jupyter's /api) and of a 1 MB download (/files/), from a Jupyter workspace
 * on the real Docker engine; loopback only. Goals (issue 7): ≥ 1.5× CHP's req/s; p99 ≤ 1.3× direct.
 */
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { api, startApiHub } from '../support/api-hub';
import { docker } from '../support/docker-fixture';
import { TEST_IMAGES } from '../support/test-images';
import { workspaceUrl } from '../../main/core/workspace-origin';

const CONNECTIONS = 20;
const SECONDS = 5;
const ROUNDS = 3;
const AUTOCANNON = require.resolve('autocannon/autocannon.js');
const run = promisify(execFile);

interface Load { rps: number; p99: number }

/**
 * One autocannon run in a process of its own: the hub and CHP live in this process, and a load tool
 * sharing their event loop would slow exactly the proxies it measures (and not the direct target).
 */
async function load(url: string, headers: Record<string, string>, seconds = SECONDS): Promise<Load> {
  const args = [AUTOCANNON, '-j', '-c', String(CONNECTIONS), '-d', String(seconds), ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]), url];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 16 << 20 });
  const r = JSON.parse(stdout) as { non2xx: number; errors: number; timeouts: number; requests: { average: number }; latency: { p99: number } };
  if (r.non2xx || r.errors || r.timeouts) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  return { rps: r.requests.average, p99: r.latency.p99 };
}

async function main(): Promise<void> {
  const h = await startApiHub('bench-proxy', { engine: 'docker' });
  const admin = { user: 'admin', admin: true };
  const ref = { user: 'admin', name: 'w' };
  // A Jupyter workspace (the offline test image): a real keep-alive web app, as users run.
  const w = (await api(h.url, 'POST', '/workspaces?wait=1&timeout=180', h.adminToken, { name: 'w', image: TEST_IMAGES.jupyter, memory: '1g' })).body as { id: string };
  const s = await h.hub.access.exec(admin, ref, { cmd: ['sh', '-c', 'head -c 1000000 /dev/urandom > ~/big'] });
  if ((await s.exitCode()) !== 0) throw new Error('could not prepare the workspace');
  const ip = Object.values((await docker.getContainer(w.id).inspect()).NetworkSettings.Networks)[0]!.IPAddress;
  // The hub presents the workspace's secret itself; the others are given it the way Jupyter takes it.
  const webToken = { authorization: `token ${await h.hub.access.webToken(admin, ref)}` };

  const { ConfigurableProxy } = await import('configurable-http-proxy');
  const chp = new ConfigurableProxy({ log: { debug() {}, info() {}, warn() {}, error() {} } });
  await chp.addRoute('/user/admin/w', { target: `http://${ip}:8888` });
  await new Promise<void>((r) => chp.proxyServer.listen(0, '127.0.0.1', () => r()));
  const chpUrl = `http://127.0.0.1:${(chp.proxyServer.address() as AddressInfo).port}`;

  const targets = {
    // The workspace's own origin on the hub's port (`w--admin.localhost`), reached at the loopback address.
    hubdeck: { base: h.url, headers: { authorization: `Bearer ${h.adminToken}`, host: new URL(workspaceUrl(h.hub.web!, ref)).host } },
    'configurable-http-proxy': { base: chpUrl, headers: webToken },
    direct: { base: `http://${ip}:8888`, headers: webToken },
  };
  // Warm every path (connections, caches, JIT) before anything is measured.
  for (const t of Object.values(targets)) await load(`${t.base}/user/admin/w/api`, t.headers, 1);
  const results: Record<string, { small: Load[]; big: Load[] }> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, t] of Object.entries(targets)) {
      const r = (results[name] ??= { small: [], big: [] });
      r.small.push(await load(`${t.base}/user/admin/w/api`, t.headers));
      r.big.push(await load(`${t.base}/user/admin/w/files/big`, t.headers));
    }
  }
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rps = (ls: Load[]) => mid(ls.map((l) => l.rps));
  const p99 = (ls: Load[]) => mid(ls.map((l) => l.p99));
  console.log(`autocannon, ${CONNECTIONS} connections, keep-alive, ${SECONDS} s per run; median of ${ROUNDS} interleaved rounds`);
  for (const [name, r] of Object.entries(results)) {
    console.log(`  ${name.padEnd(24)} small GET ${rps(r.small).toFixed(0)} req/s, p99 ${p99(r.small)} ms; 1 MB ${rps(r.big).toFixed(0)} req/s, p99 ${p99(r.big)} ms`);
  }
  const [a, b, d] = [results.hubdeck!, results['configurable-http-proxy']!, results.direct!];
  console.log(`  hubdeck / chp req/s: small ${(rps(a.small) / rps(b.small)).toFixed(2)}×, 1 MB ${(rps(a.big) / rps(b.big)).toFixed(2)}× (goal ≥ 1.5×)`);
  console.log(`  hubdeck / direct p99: small ${(p99(a.small) / p99(d.small)).toFixed(2)}×, 1 MB ${(p99(a.big) / p99(d.big)).toFixed(2)}× (goal ≤ 1.3×)`);
  chp.proxyServer.close();
  await h.stop();
}

void main().then(() => process.exit(0), (e: Error) => {
  console.error(e);
  process.exit(1);
});

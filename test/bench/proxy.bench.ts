/**
 * `npm run bench:proxy`: the hub's workspace proxy versus configurable-http-proxy (JupyterHub's),
 * both in front of the same busybox workspace on the real Docker engine, interleaved: latency of
 * small pages (20 clients × 100 requests each, keep-alive) and the throughput of a 256 MiB download.
 * Loopback only; bounded.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { api, startApiHub } from '../support/api-hub';
import { docker } from '../support/docker-fixture';
import { TEST_IMAGES } from '../support/test-images';

const CLIENTS = 20;
const REQUESTS = 100;
const ROUNDS = 3;

function get(agent: http.Agent, url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent, headers }, (res) => {
      let n = 0;
      res.on('data', (d: Buffer) => (n += d.length));
      res.on('end', () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`${url}: ${res.statusCode}`))));
    }).on('error', reject);
  });
}

async function latency(url: string, headers: Record<string, string>): Promise<{ median: number; p99: number; rps: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const times: number[] = [];
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    for (let i = 0; i < REQUESTS; i++) {
      const a = performance.now();
      await get(agent, url, headers);
      times.push(performance.now() - a);
    }
  }));
  const total = performance.now() - t0;
  agent.destroy();
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, p99: times[Math.floor(times.length * 0.99)]!, rps: (CLIENTS * REQUESTS) / (total / 1000) };
}

async function throughput(url: string, headers: Record<string, string>): Promise<number> {
  const agent = new http.Agent();
  const t0 = performance.now();
  const bytes = await get(agent, url, headers);
  return bytes / 1024 ** 2 / ((performance.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const h = await startApiHub('bench-proxy', { engine: 'docker' });
  const admin = { user: 'admin', admin: true };
  const ref = { user: 'admin', name: 'w' };
  await api(h.url, 'POST', '/images', h.adminToken, { name: 'busybox', ref: TEST_IMAGES.busybox });
  const w = (await api(h.url, 'POST', '/workspaces?wait=1', h.adminToken, { name: 'w', image: TEST_IMAGES.busybox, volume: false })).body as { id: string };
  const s = await h.hub.access.exec(admin, ref, { cmd: ['sh', '-c', 'mkdir -p /www/user/admin/w && cp /www/index.html /www/user/admin/w/index.html && dd if=/dev/zero of=/www/user/admin/w/big bs=1M count=256 2>/dev/null'] });
  if ((await s.exitCode()) !== 0) throw new Error('could not prepare the workspace');
  const ip = Object.values((await docker.getContainer(w.id).inspect()).NetworkSettings.Networks)[0]!.IPAddress;

  const { ConfigurableProxy } = await import('configurable-http-proxy');
  const chp = new ConfigurableProxy({ log: { debug() {}, info() {}, warn() {}, error() {} } });
  await chp.addRoute('/user/admin/w', { target: `http://${ip}:8888` });
  await new Promise<void>((r) => chp.proxyServer.listen(0, '127.0.0.1', () => r()));
  const chpUrl = `http://127.0.0.1:${(chp.proxyServer.address() as AddressInfo).port}`;

  const ours = { base: h.url, headers: { authorization: `Bearer ${h.adminToken}` } };
  const theirs = { base: chpUrl, headers: {} };
  const results: Record<string, { median: number[]; p99: number[]; rps: number[]; mbs: number[] }> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, p] of [['hubdeck', ours], ['configurable-http-proxy', theirs]] as const) {
      const r = (results[name] ??= { median: [], p99: [], rps: [], mbs: [] });
      const l = await latency(`${p.base}/user/admin/w/`, p.headers);
      r.median.push(l.median);
      r.p99.push(l.p99);
      r.rps.push(l.rps);
      r.mbs.push(await throughput(`${p.base}/user/admin/w/big`, p.headers));
    }
  }
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`${CLIENTS} clients × ${REQUESTS} small pages, keep-alive; 256 MiB download; median of ${ROUNDS} interleaved rounds`);
  for (const [name, r] of Object.entries(results)) {
    console.log(`  ${name.padEnd(24)} median ${mid(r.median).toFixed(2)} ms, p99 ${mid(r.p99).toFixed(2)} ms, ${mid(r.rps).toFixed(0)} req/s, ${mid(r.mbs).toFixed(0)} MiB/s`);
  }
  const [a, b] = [results.hubdeck!, results['configurable-http-proxy']!];
  console.log(`  ratio (hubdeck / chp): latency ${(mid(a.median) / mid(b.median)).toFixed(2)}×, throughput ${(mid(a.mbs) / mid(b.mbs)).toFixed(2)}×`);
  chp.proxyServer.close();
  await h.stop();
}

void main();

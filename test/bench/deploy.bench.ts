/**
 * bench:deploy — the figures of the deployed hub (issue "Team deployment"):
 *   image   the size of hubdeck/hub:latest, and `docker run` (socket + data volume, as README's one
 *           command) to the first answered GET /api/v1/health, CLI start included;
 *   swarm   workspace create→ready through the hub's API with the hub as a stack task on the
 *           manager (deploy/swarm/stack.yml) versus the same hub code on this host, interleaved;
 *   k8s     the same with the hub as a pod (deploy/kubernetes/overlays/test-cluster) versus on
 *           this host, interleaved;
 *   nodes   Swarm create→ready of the same workspace on a worker (hd-node1, another dockerd in its
 *           own network namespace) versus on the manager, interleaved.
 * The workspace is the busybox test image with no data volume, so the figures are the path (API,
 * orchestrator, node), not an image's start-up. Needs the engines of .ci/run: dockerd, the swarm and
 * its workers (scripts/start-swarm.sh, start-swarm-nodes.sh), the test cluster, `npm run image:hub`.
 *   npm run bench:deploy [-- --runs 5 --only image,swarm,k8s,nodes]
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseWorkspaceRequest } from '../../main/core/workspace-spec';
import { createEngine } from '../../main/engine/create-engine';
import type { WorkspaceEngine } from '../../main/engine/engine';
import { SwarmEngine } from '../../main/engine/swarm/swarm-engine';
import { waitReady } from '../../main/engine/wait-ready';
import { Hub } from '../../main/hub/hub';
import { createHubServer, type HubServer } from '../../main/server/hub-server';
import { api } from '../support/api-hub';
import { docker, sweep, testOrigin } from '../support/docker-fixture';
import { TEST_KUBECONFIG } from '../support/kube-fixture';
import { freePort } from '../support/oidc-provider-fixture';
import { sweepSwarm } from '../support/swarm-fixture';
import { TEST_IMAGES } from '../support/test-images';

const exec = promisify(execFile);
const ROOT = path.join(__dirname, '../..');
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const RUNS = Number(arg('runs', '5'));
const ONLY = new Set(arg('only', 'image,swarm,k8s,nodes').split(','));
const IMAGE = 'hubdeck/hub:latest';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sh = async (cmd: string, args: string[], env: Record<string, string> = {}) =>
  (await exec(cmd, args, { cwd: ROOT, maxBuffer: 16 << 20, env: { ...process.env, ...env } })).stdout;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
function report(title: string, a: [string, number[]], b: [string, number[]]): void {
  console.log(`\n${title}`);
  for (const [name, xs] of [a, b]) console.log(`  ${name.padEnd(28)} median ${fmt(median(xs))}  (${xs.map(fmt).join(', ')})`);
  console.log(`  ratio ${a[0]} / ${b[0]}: ${(median(a[1]) / median(b[1])).toFixed(2)}×`);
}

/**
 * GET /api/v1/health with node:http and a deadline of its own: a fetch to a port Docker publishes
 * before anything listens behind it was seen never to settle, with nothing left to keep Node alive.
 */
function healthOnce(base: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${base}/api/v1/health`, { timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

async function untilHealthy(base: string, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await healthOnce(base))) {
    if (Date.now() > deadline) throw new Error(`${base} did not answer /api/v1/health`);
    await sleep(20);
  }
}

/** One create→ready through a hub's API (wait=1 answers once the workspace's web app answers), then its removal. */
async function createThrough(base: string, token: string, name: string): Promise<number> {
  const t0 = performance.now();
  const r = await api(base, 'POST', '/workspaces?wait=1&timeout=180', token, { name, image: 'web', volume: false });
  const ms = performance.now() - t0;
  if (r.status !== 201) throw new Error(`create ${name} through ${base}: ${r.status} ${r.text}`);
  const gone = await api(base, 'DELETE', `/workspaces/admin/${name}?deleteData=1`, token);
  if (gone.status >= 300) throw new Error(`remove ${name}: ${gone.status} ${gone.text}`);
  return ms;
}

/** The hub code on this host, on `engine`, serving its API on a loopback port. */
async function hostHub(engine: WorkspaceEngine): Promise<{ base: string; token: string; close: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-bench-deploy-'));
  const { hub, adminToken } = await Hub.open({ engine, dataDir, adminName: 'admin' });
  const server: HubServer = createHubServer({ hub });
  const base = `http://127.0.0.1:${(await server.listen('127.0.0.1', 0)).port}`;
  const token = adminToken!.token;
  await api(base, 'POST', '/images', token, { name: 'web', ref: TEST_IMAGES.busybox });
  return { base, token, close: async () => { await server.close(); await hub.close(); await engine.close(); fs.rmSync(dataDir, { recursive: true, force: true }); } };
}

/** Interleaved: in-place (a) then host (b), RUNS times, after one warm-up of each. */
async function interleave(a: () => Promise<number>, b: () => Promise<number>): Promise<[number[], number[]]> {
  await a();
  await b();
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    xs.push(await a());
    ys.push(await b());
  }
  return [xs, ys];
}

async function benchImage(): Promise<void> {
  const size = Number(await sh('docker', ['image', 'inspect', IMAGE, '--format', '{{.Size}}']));
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const name = `hubdeck-bench-run-${process.pid}-${i}`;
    const port = await freePort();
    const t0 = performance.now();
    await sh('docker', ['run', '-d', '--name', name, '-v', '/var/run/docker.sock:/var/run/docker.sock', '-v', `${name}:/data`,
      '-e', `HUBDECK_ORIGIN=${testOrigin('bdi')}`, '-p', `127.0.0.1:${port}:8585`, IMAGE]);
    await untilHealthy(`http://127.0.0.1:${port}`, 60_000);
    times.push(performance.now() - t0);
    await sh('docker', ['rm', '-f', name]);
    await sh('docker', ['volume', 'rm', name]);
  }
  console.log(`\nimage ${IMAGE}: ${(size / 1e6).toFixed(0)} MB`);
  console.log(`  docker run → first /api/v1/health: median ${fmt(median(times))}  (${times.map(fmt).join(', ')})`);
}

async function benchSwarm(): Promise<void> {
  const origin = testOrigin('bds');
  const stack = `hdb${origin.replace(/[^a-z0-9]/g, '').slice(-10)}`;
  const port = await freePort();
  const file = path.join(os.tmpdir(), `${stack}.yml`);
  fs.writeFileSync(file, fs.readFileSync(path.join(ROOT, 'deploy/swarm/stack.yml'), 'utf8')
    .replace('      - --tls\n', `      - --public-url=http://localhost:${port}\n`)
    .replace('published: 8585', `published: ${port}`).replace('published: 2222', `published: ${await freePort()}`));
  await sh('docker', ['stack', 'deploy', '-c', file, stack], { HUBDECK_ORIGIN: origin });
  const host = await hostHub(await createEngine({ kind: 'swarm', origin: testOrigin('bdh') }));
  try {
    const base = `http://127.0.0.1:${port}`;
    await untilHealthy(base);
    let token = '';
    for (let i = 0; i < 200 && !token; i++, await sleep(300)) {
      const logs = await exec('docker', ['service', 'logs', '--raw', `${stack}_hub`]);
      token = /^admin token: (\S+)$/m.exec(logs.stdout + logs.stderr)?.[1] ?? '';
    }
    await api(base, 'POST', '/images', token, { name: 'web', ref: TEST_IMAGES.busybox });
    let i = 0;
    const [inStack, onHost] = await interleave(() => createThrough(base, token, `s${i++}`), () => createThrough(host.base, host.token, `h${i++}`));
    report('swarm: create→ready through the hub', ['hub as a stack task', inStack], ['hub on the host', onHost]);
  } finally {
    await host.close();
    await sh('docker', ['stack', 'rm', stack]).catch(() => '');
    await sweepSwarm(origin);
    for (let i = 0; i < 50 && (await sh('docker', ['ps', '-q', '--filter', `label=com.docker.stack.namespace=${stack}`])).trim(); i++) await sleep(200);
    await sh('docker', ['volume', 'rm', `${stack}_hubdeck-data`]).catch(() => '');
  }
}

async function benchKubernetes(): Promise<void> {
  const kubectl = (...args: string[]) => sh('bash', ['scripts/start-test-cluster.sh', 'kubectl', ...args]);
  const overlay = 'deploy/kubernetes/overlays/test-cluster';
  await kubectl('delete', '-k', overlay, '--ignore-not-found', '--wait=true');
  await kubectl('apply', '-k', overlay);
  const namespace = `hubdeck-bench-${process.pid}`;
  await kubectl('create', 'namespace', namespace);
  const host = await hostHub(await createEngine({ kind: 'kubernetes', origin: testOrigin('bdk'), kubeconfig: TEST_KUBECONFIG, namespace, volumeSize: '64Mi', startTimeoutMs: 180_000 }));
  try {
    const ip = (await kubectl('get', 'service', 'hubdeck-e2e', '-n', 'hubdeck-e2e', '-o', 'jsonpath={.spec.clusterIP}')).trim();
    const base = `http://${ip}:8585`;
    await untilHealthy(base);
    let token = '';
    for (let i = 0; i < 200 && !token; i++, await sleep(300)) {
      token = /^admin token: (\S+)$/m.exec(await kubectl('logs', '-n', 'hubdeck-e2e', 'deployment/hubdeck-e2e', '-c', 'hub').catch(() => ''))?.[1] ?? '';
    }
    await api(base, 'POST', '/images', token, { name: 'web', ref: TEST_IMAGES.busybox });
    let i = 0;
    const [inCluster, onHost] = await interleave(() => createThrough(base, token, `k${i++}`), () => createThrough(host.base, host.token, `h${i++}`));
    report('kubernetes: create→ready through the hub', ['hub as a pod', inCluster], ['hub on the host', onHost]);
  } finally {
    await host.close();
    await kubectl('delete', '-k', overlay, '--ignore-not-found', '--wait=false').catch(() => '');
    await kubectl('delete', 'namespace', namespace, '--wait=false').catch(() => '');
  }
}

async function benchNodes(): Promise<void> {
  await sh('bash', ['scripts/start-swarm-nodes.sh']);
  const label = 'hubdeck-bench.where';
  const manager = (await sh('docker', ['info', '--format', '{{.Swarm.NodeID}}'])).trim();
  await sh('docker', ['node', 'update', '--label-add', `${label}=manager`, manager]);
  await sh('docker', ['node', 'update', '--availability', 'active', '--label-add', `${label}=worker`, 'hd-node1']);
  const origin = testOrigin('bdn');
  const engine = new SwarmEngine({ origin, nodeHosts: ['hd-node1=ssh://root@10.214.0.2'], ssh: { keyPath: '/var/lib/hubdeck-nodes/ssh/id_ed25519', knownHostsFiles: ['/var/lib/hubdeck-nodes/ssh/known_hosts'] } });
  let i = 0;
  const once = async (where: string) => {
    const spec = parseWorkspaceRequest({ name: `n${i++}`, user: 'bench', image: TEST_IMAGES.busybox, volume: false, placement: { [label]: where } }, { now: new Date() });
    const t0 = performance.now();
    const w = await engine.create(spec);
    await waitReady(engine, w, { timeoutMs: 120_000 });
    const ms = performance.now() - t0;
    await engine.remove(w, { deleteData: true });
    return ms;
  };
  try {
    const [worker, mgr] = await interleave(() => once('worker'), () => once('manager'));
    report('swarm: create→ready on a node (engine, no hub)', ['on worker hd-node1 (ssh)', worker], ['on the manager', mgr]);
  } finally {
    await engine.close();
    await sweepSwarm(origin);
    await sweep(origin, new (docker.constructor as typeof import('dockerode'))({ socketPath: '/run/hubdeck-nodes/node1.sock' })).catch(() => undefined);
    await sh('docker', ['node', 'update', '--label-rm', label, manager]).catch(() => '');
    await sh('docker', ['node', 'update', '--availability', 'drain', '--label-rm', label, 'hd-node1']).catch(() => '');
  }
}

async function main(): Promise<void> {
  console.log(`bench:deploy, ${RUNS} runs each (interleaved where two are compared), ${os.cpus().length} CPUs`);
  if (ONLY.has('image')) await benchImage();
  if (ONLY.has('nodes')) await benchNodes();
  if (ONLY.has('swarm')) await benchSwarm();
  if (ONLY.has('k8s')) await benchKubernetes();
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});

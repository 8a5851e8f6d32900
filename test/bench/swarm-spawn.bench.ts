/**
 * bench:swarm — create→ready of the Jupyter test image through SwarmEngine versus `docker service
 * create` of the same service by hand (user overlay network, data volume, base URL, no restarts)
 * followed by the same readiness probe, interleaved so both see the same machine state. The
 * by-hand side finds its task's container and address with the cheapest calls (dockerode, 25 ms
 * polls), so the ratio is our overhead, not the docker CLI's. Needs the swarm
 * (scripts/start-swarm.sh). Prints each run, the medians and the ratio.
 *   npm run bench:swarm [-- --runs 5 --image hubdeck-test/jupyter:1]
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createEngine } from '../../main/engine/create-engine';
import type { WorkspaceEngine } from '../../main/engine/engine';
import { parseWorkspaceRequest } from '../../main/core/workspace-spec';
import { resourceNames, workspaceBaseUrl } from '../../main/core/names';
import { waitReady } from '../../main/engine/wait-ready';
import { docker, testOrigin } from '../support/docker-fixture';
import { requireSwarm, sweepSwarm } from '../support/swarm-fixture';
import { waitForAddress } from '../support/http-probe';

const run = promisify(execFile);
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const RUNS = Number(arg('runs', '5'));
const IMAGE = arg('image', 'hubdeck-test/jupyter:1');
const origin = testOrigin('bsw');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function viaEngine(engine: WorkspaceEngine, i: number): Promise<number> {
  const spec = parseWorkspaceRequest({ name: `e${i}`, user: 'bench', image: IMAGE }, { now: new Date() });
  const t0 = performance.now();
  const w = await engine.create(spec);
  await waitReady(engine, w, { timeoutMs: 120_000 });
  const ms = performance.now() - t0;
  await engine.remove(w, { deleteData: true });
  return ms;
}

/** The task's container id once Swarm has started it. */
async function containerOf(service: string): Promise<string> {
  for (;;) {
    const tasks = (await docker.listTasks({ filters: { service: [service] } })) as { Status?: { State?: string; ContainerStatus?: { ContainerID?: string } } }[];
    const id = tasks.find((t) => t.Status?.State === 'running')?.Status?.ContainerStatus?.ContainerID;
    if (id) return id;
    await sleep(25);
  }
}

async function gatewayAddress(containerId: string): Promise<string> {
  const gw = (await docker.getNetwork('docker_gwbridge').inspect()) as { Containers?: Record<string, { IPv4Address?: string }> };
  return gw.Containers![containerId]!.IPv4Address!.split('/')[0]!;
}

/** The same service by hand: docker service create on the user's overlay network, then the same probe. */
async function viaServiceCreate(i: number): Promise<number> {
  const key = { origin, user: 'bench', name: `d${i}` };
  const name = `bench-${origin}-d${i}`;
  const volume = resourceNames.volume(key);
  const baseUrl = workspaceBaseUrl('bench', `d${i}`);
  const t0 = performance.now();
  await run('docker', ['service', 'create', '-d', '--quiet', '--name', name, '--network', resourceNames.network(origin, 'bench'), '--label', `hubdeck.io/origin=${origin}`,
    '--container-label', `hubdeck.io/origin=${origin}`, '--restart-condition', 'none', '--endpoint-mode', 'dnsrr',
    '--mount', `type=volume,src=${volume},dst=/home/jovyan/work`, '-e', `JUPYTERHUB_SERVICE_PREFIX=${baseUrl}`, IMAGE]);
  const ip = await gatewayAddress(await containerOf(name));
  await waitForAddress(ip, 8888, baseUrl, name);
  const ms = performance.now() - t0;
  await run('docker', ['service', 'rm', name]);
  while ((await docker.listContainers({ all: true, filters: { label: [`com.docker.swarm.service.name=${name}`] } })).length) await sleep(50);
  for (let k = 0; k < 40; k++) {
    if (await docker.getVolume(volume).remove().then(() => true, (e: { statusCode?: number }) => e.statusCode === 404)) break;
    await sleep(100);
  }
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  await requireSwarm();
  const engine = await createEngine({ kind: 'swarm', origin });
  // Warm-up: the user's overlay network exists and the image's files are in the page cache for both.
  await viaEngine(engine, 99);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternate which goes first so neither always benefits from the other's warm caches.
    const pair = i % 2 === 0 ? [() => viaEngine(engine, i), () => viaServiceCreate(i)] : [() => viaServiceCreate(i), () => viaEngine(engine, i)];
    const first = await pair[0]!();
    const second = await pair[1]!();
    const [e, d] = i % 2 === 0 ? [first, second] : [second, first];
    ours.push(e);
    theirs.push(d);
    console.log(`run ${i + 1}: SwarmEngine ${e.toFixed(0)} ms, docker service create ${d.toFixed(0)} ms`);
  }
  const mo = median(ours);
  const mt = median(theirs);
  console.log(`image ${IMAGE}, ${RUNS} runs each, interleaved`);
  console.log(`median create→ready: SwarmEngine ${mo.toFixed(0)} ms, docker service create + probe ${mt.toFixed(0)} ms`);
  console.log(`ratio ${(mo / mt).toFixed(3)}×`);
  await engine.close();
  await sweepSwarm(origin);
  const left = await docker.listServices({ filters: { label: [`hubdeck.io/origin=${origin}`] } });
  if (left.length > 0) throw new Error(`bench left ${left.length} service(s) behind`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

/**
 * bench:spawn — create→ready of the Jupyter test image through DockerEngine versus `docker run`
 * with the same readiness probe, interleaved so both see the same machine state. Prints each run,
 * the medians and the ratio (goal ≤ 1.10×).
 *   npm run bench:spawn [-- --runs 5 --image hubdeck-test/jupyter:1]
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createEngine } from '../../main/engine/create-engine';
import type { WorkspaceEngine } from '../../main/engine/engine';
import { parseWorkspaceRequest } from '../../main/core/workspace-spec';
import { resourceNames, workspaceBaseUrl } from '../../main/core/names';
import { waitReady } from '../../main/engine/wait-ready';
import { countObjects, sweep, testOrigin } from '../support/docker-fixture';
import { waitForAddress } from '../support/http-probe';

const run = promisify(execFile);
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const RUNS = Number(arg('runs', '5'));
const IMAGE = arg('image', 'hubdeck-test/jupyter:1');
const origin = testOrigin('bench');

async function viaEngine(engine: WorkspaceEngine, i: number): Promise<number> {
  const spec = parseWorkspaceRequest({ name: `e${i}`, user: 'bench', image: IMAGE }, { now: new Date() });
  const t0 = performance.now();
  const w = await engine.create(spec);
  await waitReady(engine, w, { timeoutMs: 120_000 });
  const ms = performance.now() - t0;
  await engine.remove(w, { deleteData: true });
  return ms;
}

/** The same work by hand: docker run with a network, a volume and the base URL, then the same probe. */
async function viaDockerRun(i: number): Promise<number> {
  const key = { origin, user: 'bench', name: `d${i}` };
  const name = resourceNames.container(key);
  const network = resourceNames.network(origin, 'bench');
  const baseUrl = workspaceBaseUrl('bench', `d${i}`);
  const t0 = performance.now();
  await run('docker', ['run', '-d', '--name', name, '--network', network, '--label', `hubdeck.io/origin=${origin}`,
    '-v', `${resourceNames.volume(key)}:/home/jovyan/work`, '-e', `JUPYTERHUB_SERVICE_PREFIX=${baseUrl}`, IMAGE]);
  const { stdout } = await run('docker', ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', name]);
  const ip = stdout.trim();
  await waitForAddress(ip, 8888, baseUrl, name);
  const ms = performance.now() - t0;
  await run('docker', ['rm', '-f', '-v', name]);
  await run('docker', ['volume', 'rm', resourceNames.volume(key)]);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const engine = await createEngine({ kind: 'docker', origin });
  // Warm-up: the user network exists and the image's files are in the page cache for both sides.
  await viaEngine(engine, 99);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternate which goes first so neither always benefits from the other's warm caches.
    const pair = i % 2 === 0 ? [() => viaEngine(engine, i), () => viaDockerRun(i)] : [() => viaDockerRun(i), () => viaEngine(engine, i)];
    const first = await pair[0]!();
    const second = await pair[1]!();
    const [e, d] = i % 2 === 0 ? [first, second] : [second, first];
    ours.push(e);
    theirs.push(d);
    console.log(`run ${i + 1}: DockerEngine ${e.toFixed(0)} ms, docker run ${d.toFixed(0)} ms`);
  }
  const mo = median(ours);
  const mt = median(theirs);
  console.log(`image ${IMAGE}, ${RUNS} runs each, interleaved`);
  console.log(`median create→ready: DockerEngine ${mo.toFixed(0)} ms, docker run + probe ${mt.toFixed(0)} ms`);
  console.log(`ratio ${(mo / mt).toFixed(3)}× (goal ≤ 1.10×)`);
  await engine.close();
  await sweep(origin);
  const left = await countObjects(origin);
  if (left.containers + left.volumes + left.networks > 0) throw new Error(`bench left objects behind: ${JSON.stringify(left)}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

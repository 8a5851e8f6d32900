/**
 * `npm run bench:cli`: how fast the command starts and works, side by side, medians of interleaved
 * runs: `hubdeck --version` vs `node -e 0` (goal ≤ 1.3×), `hubdeck workspace list` on the local hub
 * vs `docker ps -a` (goal ≤ 150 ms), and create→ready→remove of the Jupyter test image through the
 * CLI vs `docker run` + the same readiness probe + `docker rm` (goal ≤ 1.15×). Builds the CLI
 * first; uses a temporary data directory and a test origin it sweeps at the end.
 *   npm run bench:cli [-- --runs 10 --create-runs 10 --image hubdeck-test/jupyter:1]
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { resourceNames, workspaceBaseUrl } from '../../main/core/names';
import { countObjects, sweep, testOrigin } from '../support/docker-fixture';
import { waitForAddress } from '../support/http-probe';

const ROOT = path.join(__dirname, '../..');
const CLI = path.join(ROOT, 'bin/hubdeck.js');
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const RUNS = Number(arg('runs', '10'));
const CREATE_RUNS = Number(arg('create-runs', '10'));
const IMAGE = arg('image', 'hubdeck-test/jupyter:1');
const USER = 'bench';
const origin = testOrigin('bcli');
const data = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cli-'));
const env = { ...process.env, HUBDECK_DATA: data, HUBDECK_USER: USER, HUBDECK_ORIGIN: origin };
const run = promisify(execFile);

function time(cmd: string, args: string[]): number {
  const t0 = performance.now();
  execFileSync(cmd, args, { env, stdio: 'ignore' });
  return performance.now() - t0;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function pair(label: string, a: [string, string[]], b: [string, string[]], unit: 'ratio' | 'ms'): void {
  time(...a); // warm the file cache (and the CLI's compile cache)
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    ta.push(time(...a));
    tb.push(time(...b));
  }
  const [ma, mb] = [median(ta), median(tb)];
  console.log(`${label}: ${ma.toFixed(0)} ms vs ${mb.toFixed(0)} ms${unit === 'ratio' ? ` → ${(ma / mb).toFixed(2)}×` : ''}`);
}

/** create (waits until the web port answers) → remove with its data, as a user would. */
async function viaCli(i: number): Promise<number> {
  const t0 = performance.now();
  await run(process.execPath, [CLI, 'workspace', 'create', `c${i}`, '--image', IMAGE], { env });
  await run(process.execPath, [CLI, 'workspace', 'remove', `c${i}`, '--delete-data'], { env });
  return performance.now() - t0;
}

/** The same by hand: docker run with the network, volume and base URL, the same probe, docker rm. */
async function viaDockerRun(i: number): Promise<number> {
  const key = { origin, user: USER, name: `d${i}` };
  const name = resourceNames.container(key);
  const baseUrl = workspaceBaseUrl(USER, `d${i}`);
  const t0 = performance.now();
  await run('docker', ['run', '-d', '--name', name, '--network', resourceNames.network(origin, USER), '--label', `hubdeck.io/origin=${origin}`,
    '-v', `${resourceNames.volume(key)}:/home/jovyan/work`, '-e', `JUPYTERHUB_SERVICE_PREFIX=${baseUrl}`, IMAGE]);
  const { stdout } = await run('docker', ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', name]);
  const ip = stdout.trim();
  await waitForAddress(ip, 8888, baseUrl, name);
  await run('docker', ['rm', '-f', '-v', name]);
  await run('docker', ['volume', 'rm', resourceNames.volume(key)]);
  return performance.now() - t0;
}

async function createPath(): Promise<void> {
  // Warm-up: the user's network exists and the image's files are in the page cache for both sides.
  await viaCli(99);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < CREATE_RUNS; i++) {
    // Alternate which goes first so neither always benefits from the other's warm caches.
    if (i % 2 === 0) {
      ours.push(await viaCli(i));
      theirs.push(await viaDockerRun(i));
    } else {
      theirs.push(await viaDockerRun(i));
      ours.push(await viaCli(i));
    }
  }
  const [mo, mt] = [median(ours), median(theirs)];
  console.log(`hubdeck create→ready→remove vs docker run + probe + docker rm (${IMAGE}, ${CREATE_RUNS} runs): ${mo.toFixed(0)} ms vs ${mt.toFixed(0)} ms → ${(mo / mt).toFixed(2)}×`);
}

async function main(): Promise<void> {
  execFileSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'ignore' });
  pair('hubdeck --version vs node -e 0', [process.execPath, [CLI, '--version']], [process.execPath, ['-e', '0']], 'ratio');
  pair('hubdeck workspace list (local hub) vs docker ps -a', [process.execPath, [CLI, 'workspace', 'list']], ['docker', ['ps', '-a']], 'ms');
  await createPath();
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(async () => {
    await sweep(origin);
    fs.rmSync(data, { recursive: true, force: true });
    const left = await countObjects(origin);
    if (left.containers + left.volumes + left.networks > 0) console.error(`bench left objects behind: ${JSON.stringify(left)}`);
  });

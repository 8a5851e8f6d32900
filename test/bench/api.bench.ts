/**
 * bench:api — listing 500 workspaces through the hub API versus asking Docker directly, and the
 * idle memory of `hubdeck hub serve`. Both sides are measured two ways: one HTTP request from this
 * process (hub API vs Docker Engine API with the same label filter), and one command-line call
 * (`hubdeck workspace list --all --json` vs `docker ps -a --filter label=…`). Goals: ratio ≤ 1.5×,
 * idle RSS ≤ 80 MB.   npm run bench:api [-- --count 500 --runs 15]
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createEngine } from '../../main/engine/create-engine';
import { parseWorkspaceRequest } from '../../main/core/workspace-spec';
import { LABELS } from '../../main/core/labels';
import { docker, sweep, testOrigin } from '../support/docker-fixture';
import { TEST_IMAGES } from '../support/test-images';

const run = promisify(execFile);
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const COUNT = Number(arg('count', '500'));
const RUNS = Number(arg('runs', '15'));
const ROOT = path.join(__dirname, '../..');
const CLI = path.join(ROOT, 'out/main/cli.js');
const origin = testOrigin('bapi');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startServe(dataDir: string): Promise<{ pid: number; url: string; token: string; stop: () => void }> {
  const proc = spawn(process.execPath, [CLI, 'hub', 'serve', '--data', dataDir, '--listen', '127.0.0.1:0', '--origin', origin], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  for (let i = 0; i < 300 && !/^reconciled:/m.test(out); i++) await sleep(50);
  return { pid: proc.pid!, url: /listening on (\S+)/.exec(out)![1]!, token: /^admin token: (\S+)$/m.exec(out)![1]!, stop: () => proc.kill('SIGTERM') };
}

async function createMany(n: number): Promise<void> {
  const engine = await createEngine({ kind: 'docker', origin });
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const spec = parseWorkspaceRequest({ name: `w${i}`, user: `u${i % 25}`, image: TEST_IMAGES.busybox, volume: false, cpus: 0.1, days: 7 }, { now: new Date() });
      await engine.create(spec, { start: false });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  await engine.close();
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function main(): Promise<void> {
  execFileSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-api-'));
  const hub = await startServe(dataDir);
  await sleep(1000);
  const rssStart = rssMb(hub.pid);
  await sleep(14_000);
  const rssIdle = rssMb(hub.pid);

  const t0 = performance.now();
  await createMany(COUNT);
  console.log(`created ${COUNT} workspaces in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const filter = { label: [`${LABELS.origin}=${origin}`] };
  const apiReq = async () => {
    const r = await fetch(`${hub.url}/api/v1/workspaces?all=1`, { headers: { authorization: `Bearer ${hub.token}` } });
    const list = (await r.json()) as unknown[];
    if (list.length !== COUNT) throw new Error(`API listed ${list.length}`);
  };
  const engineReq = async () => {
    const list = await docker.listContainers({ all: true, filters: filter });
    if (list.length !== COUNT) throw new Error(`Docker listed ${list.length}`);
  };
  const cliHub = () => run(process.execPath, [CLI, '--hub', hub.url, '--token', hub.token, '--json', 'workspace', 'list', '--all'], { maxBuffer: 64 << 20 });
  const cliDocker = () => run('docker', ['ps', '-a', '--filter', `label=${LABELS.origin}=${origin}`, '--format', '{{json .}}'], { maxBuffer: 64 << 20 });

  await apiReq(); await engineReq(); // warm-up
  const s = { api: [] as number[], engine: [] as number[], cliHub: [] as number[], cliDocker: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    s.api.push(await time(apiReq));
    s.engine.push(await time(engineReq));
    s.cliHub.push(await time(cliHub));
    s.cliDocker.push(await time(cliDocker));
  }
  const m = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, median(v)])) as Record<keyof typeof s, number>;
  console.log(`list ${COUNT} workspaces, median of ${RUNS} interleaved runs:`);
  console.log(`  HTTP:  hub API ${m.api.toFixed(1)} ms  vs  Docker Engine API ${m.engine.toFixed(1)} ms  → ratio ${(m.api / m.engine).toFixed(2)}×`);
  console.log(`  CLI:   hubdeck workspace list --all --json ${m.cliHub.toFixed(0)} ms  vs  docker ps -a --filter label=… ${m.cliDocker.toFixed(0)} ms  → ratio ${(m.cliHub / m.cliDocker).toFixed(2)}×`);
  console.log(`idle RSS of hubdeck hub serve: ${rssStart.toFixed(1)} MB 1 s after start, ${rssIdle.toFixed(1)} MB after 15 s idle (goal ≤ 80 MB)`);
  hub.stop();
  await sweep(origin);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch(async (e) => {
  console.error(e);
  await sweep(origin);
  process.exitCode = 1;
});

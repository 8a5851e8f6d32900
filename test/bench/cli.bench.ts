/**
 * `npm run bench:cli`: how fast the command starts, side by side, medians of 10 interleaved runs:
 * `hubdeck --version` vs `node -e 0` (goal ≤ 1.3×) and `hubdeck workspace list` on the local hub vs
 * `docker ps -a` (goal ≤ 150 ms). Builds the CLI first; uses a temporary data directory.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '../..');
const CLI = path.join(ROOT, 'bin/hubdeck.js');
const RUNS = 10;
const data = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cli-'));
const env = { ...process.env, HUBDECK_DATA: data, HUBDECK_USER: 'bench' };

function time(cmd: string, args: string[]): number {
  const t0 = performance.now();
  execFileSync(cmd, args, { env, stdio: 'ignore' });
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function pair(label: string, a: [string, string[]], b: [string, string[]], unit: 'ratio' | 'ms'): void {
  time(...a); // warm the file cache
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    ta.push(time(...a));
    tb.push(time(...b));
  }
  const [ma, mb] = [median(ta), median(tb)];
  console.log(`${label}: ${ma.toFixed(0)} ms vs ${mb.toFixed(0)} ms${unit === 'ratio' ? ` → ${(ma / mb).toFixed(2)}×` : ''}`);
}

execFileSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'ignore' });
pair('hubdeck --version vs node -e 0', [process.execPath, [CLI, '--version']], [process.execPath, ['-e', '0']], 'ratio');
pair('hubdeck workspace list (local hub) vs docker ps -a', [process.execPath, [CLI, 'workspace', 'list']], ['docker', ['ps', '-a']], 'ms');
fs.rmSync(data, { recursive: true, force: true });

#!/usr/bin/env node
// `npm start`: the desktop app where Electron's binary is installed; where it is not (it cannot be
// downloaded on every machine), the same app in a browser over the same local hub — so a
// newcomer's `npm install && npm start` always gives a working app.
//
// The app runs as a child that this script waits for without blocking (never spawnSync): Ctrl-C or
// a `kill` reaches the child, which shuts its hub down, and this script exits with the child's
// status — no hub is left holding the port for the next `npm start`. A second `npm start` while one
// runs prints the running hub's URL and a fresh sign-in link (`hubdeck ui` does that itself).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const electron = path.join(root, 'node_modules', 'electron');
const hasBinary = fs.existsSync(path.join(electron, 'path.txt')) && fs.existsSync(path.join(electron, 'dist'));
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15, SIGKILL: 9 };

/** Runs a child to its end, passing on the signals this process gets; resolves with its exit code. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
    const forward = (signal) => { if (child.exitCode === null) child.kill(signal); };
    for (const s of SIGNALS) process.on(s, forward);
    child.on('error', (e) => { console.error(`hubdeck: cannot run ${cmd}: ${e.message}`); resolve(1); });
    child.on('exit', (code, signal) => {
      for (const s of SIGNALS) process.off(s, forward);
      // Killed by a signal: the shell's convention, 128 + its number.
      resolve(code ?? 128 + (SIGNAL_NUMBERS[signal] ?? 1));
    });
  });
}

async function main() {
  if (hasBinary) return run('npx', ['electron-vite', 'dev']);
  console.log("hubdeck: Electron's binary is not installed here, so the app opens in your browser instead (same app, same local hub).");
  // HUBDECK_START_NO_BUILD=1 skips the build when out/ is fresh (a second start, tests).
  if (process.env.HUBDECK_START_NO_BUILD !== '1') {
    const built = await run('npx', ['electron-vite', 'build', '--logLevel', 'warn']);
    if (built !== 0) return built;
  }
  return run(process.execPath, [path.join(root, 'bin', 'hubdeck.js'), 'ui', ...process.argv.slice(2)]);
}

process.exitCode = await main();

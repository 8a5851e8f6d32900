#!/usr/bin/env node
// Runs the built CLI (out/, made by `npm run build`, which `npm install` runs). In a checkout that
// has not been built, runs the TypeScript sources through tsx in a child process instead.
const fs = require('node:fs');
const path = require('node:path');
// `hubdeck --version` needs none of the CLI: answer it before loading anything (a test keeps this
// in step with the version the CLI reports).
if (process.argv.length === 3 && ['--version', '-V'].includes(process.argv[2])) {
  process.stdout.write(`${require('../package.json').version}\n`);
  process.exit(0);
}
const built = path.join(__dirname, '..', 'out', 'main', 'cli.js');
if (fs.existsSync(built)) {
  require('./compile-cache').enableCompileCache(path.dirname(built));
  require(built);
} else {
  const { spawn } = require('node:child_process');
  const entry = path.join(__dirname, '..', 'main', 'cli', 'index.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => (signal ? process.kill(process.pid, signal) : process.exit(code ?? 1)));
}

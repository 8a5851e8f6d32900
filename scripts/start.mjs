#!/usr/bin/env node
// `npm start`: the desktop app where Electron's binary is installed; where it is not (it cannot be
// downloaded on every machine), the same app in a browser over the same local hub — so a
// newcomer's `npm install && npm start` always gives a working app.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const electron = path.join(root, 'node_modules', 'electron');
const hasBinary = fs.existsSync(path.join(electron, 'path.txt')) && fs.existsSync(path.join(electron, 'dist'));
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

if (hasBinary) process.exit(run('npx', ['electron-vite', 'dev']));
console.log("hubdeck: Electron's binary is not installed here, so the app opens in your browser instead (same app, same local hub).");
const built = run('npx', ['electron-vite', 'build', '--logLevel', 'warn']);
if (built !== 0) process.exit(built);
process.exit(run(process.execPath, [path.join(root, 'bin', 'hubdeck.js'), 'ui', ...process.argv.slice(2)]));

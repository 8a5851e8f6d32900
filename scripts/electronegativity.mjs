// Electronegativity (Doyensec's Electron security scanner) over the project's sources, as part of
// `npm test`: fails on any finding of medium severity or above (at any confidence), listing them.
// The whole project in one run (its global checks — CSP, navigation limits, permission handler —
// need every file at once). Run through its programmatic API: its command line needs a commander 2 the package does not
// declare, so under this project's commander it cannot start. Built output (out/, dist/) is the
// same code bundled and is left out; node_modules is never scanned.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The project's own files, copied to a scratch directory: build output (out/, rebuilt by other runs
// meanwhile) and node_modules stay out. The tests' Electron stand-in is not app code.
const SOURCES = ['main', 'preload', 'renderer', 'test', 'scripts', 'bin', 'package.json'];
const SKIP = ['test/support/electron-stub.ts'];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'electronegativity-'));
for (const s of SOURCES) fs.cpSync(path.join(ROOT, s), path.join(scratch, s), { recursive: true });
// Needs Electron's release list from the network (not reachable here); the Electron version is pinned in package.json instead.
const OFFLINE_EXCLUDED = ['AvailableSecurityFixesGlobalCheck'];

const electronVersion = require('electron/package.json').version;
const seen = [];
let errors = 0;
{
  const result = await run({ input: scratch, electronVersionOverride: electronVersion, isRelative: false, parserPlugins: [], excludeFromScan: OFFLINE_EXCLUDED });
  for (const e of result.errors.filter((x) => !x.tolerable)) {
    errors++;
    console.error(`electronegativity could not parse ${path.relative(scratch, e.file)}: ${e.message}`);
  }
  for (const i of result.issues) {
    const file = i.file === 'N/A' ? i.file : path.relative(scratch, i.file);
    if (SKIP.some((s) => file.startsWith(s))) continue;
    seen.push({ id: i.id, severity: i.severity.name, confidence: i.confidence.name, file, line: i.location?.line ?? 0, description: i.description });
  }
}
const serious = seen.filter((i) => ['MEDIUM', 'HIGH', 'CRITICAL'].includes(i.severity.toUpperCase()));
for (const i of seen) console.log(`${serious.includes(i) ? '✗' : '·'} ${i.severity.toLowerCase()}/${i.confidence.toLowerCase()} ${i.id} ${i.file}:${i.line} — ${i.description}`);
console.log(`electronegativity ${require('@doyensec/electronegativity/package.json').version} (Electron ${electronVersion}): ${seen.length} finding(s), ${serious.length} of medium severity or above, ${errors} unparsed file(s)`);
fs.rmSync(scratch, { recursive: true, force: true });
process.exit(serious.length || errors ? 1 : 0);

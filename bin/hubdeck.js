#!/usr/bin/env node
// Runs the built CLI (npm run build); in a source checkout without a build, runs the TypeScript
// sources through tsx so `npx hubdeck` works right after `npm install`.
const fs = require('node:fs');
const path = require('node:path');
const built = path.join(__dirname, '..', 'out', 'main', 'cli.js');
if (fs.existsSync(built) && !process.env.HUBDECK_FROM_SOURCE) {
  require(built);
} else {
  require('tsx/cjs');
  require('../main/cli/index.ts');
}

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HUBDECK_VERSION } from '../../../main/core/version';
import { runCli } from '../../../main/cli/program';

const ROOT = path.join(__dirname, '../../..');

describe('version', () => {
  it('is one number: package.json, the launcher\'s fast path and the CLI agree', async () => {
    const pkg = (await import('../../../package.json')).default as { version: string };
    expect(pkg.version).toBe(HUBDECK_VERSION);
    // The launcher answers --version without loading the CLI.
    expect(execFileSync(process.execPath, [path.join(ROOT, 'bin/hubdeck.js'), '--version'], { encoding: 'utf8' }).trim()).toBe(HUBDECK_VERSION);
    let out = '';
    expect(await runCli(['--version'], { out: (t) => (out += t), err: () => undefined, env: {} })).toBe(0);
    expect(out.trim()).toBe(HUBDECK_VERSION);
  });
});

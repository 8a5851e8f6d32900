/** Runs the real, built `hubdeck` command (out/main/cli.js, built by the global setup) as a child process. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const BIN = path.join(__dirname, '../../out/main/cli.js');
/** The local hub's data for this test file only, never the developer's own ~/.local/share/hubdeck. */
const DATA = fs.mkdtempSync(path.join(os.tmpdir(), 'hubdeck-cli-data-'));

export function hubdeck(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, HUBDECK_DATA: DATA, ...env }, maxBuffer: 16 * 1024 * 1024, timeout: 300_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

// The one atomic private file write (main/platform/private-file.ts): 0600 whatever came before, and
// crash safe — a writer killed at any moment leaves the old text or the new, whole, never a torn
// file, and its temp file never stands in for the target (the next write sweeps it away).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPrivateFile, tempPathOf, writePrivateFile } from '../../../main/platform/private-file';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'private-file-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const modeOf = (f: string) => fs.statSync(f).mode & 0o777;
const WRITER = path.join(__dirname, '../../support/private-file-writer.ts');

/** Starts the writer (in this process's child itself, so the kill reaches the writer), waits for its first whole write, lets it run `ms`, then kills it. */
async function killMidWrite(file: string, size: number, ms: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, file, String(size)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(); });
    child.on('exit', (code) => reject(new Error(`writer exited early (${code})`)));
  });
  await new Promise((r) => setTimeout(r, ms));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

describe('writePrivateFile', () => {
  it('writes 0600 into a new 0700 directory, and tightens a file that was group- or world-readable', () => {
    const file = path.join(dir, 'sub', 'secret.json');
    writePrivateFile(file, 'one');
    expect(fs.readFileSync(file, 'utf8')).toBe('one');
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(path.dirname(file))).toBe(0o700);
    fs.chmodSync(file, 0o644);
    writePrivateFile(file, Buffer.from('two'));
    expect([fs.readFileSync(file, 'utf8'), modeOf(file)]).toEqual(['two', 0o600]);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['secret.json']);
  });

  it('is 0600 even under a umask that would take the owner\'s own rights away', () => {
    const old = process.umask(0o277);
    try {
      writePrivateFile(path.join(dir, 'k'), 'x');
    } finally {
      process.umask(old);
    }
    expect(modeOf(path.join(dir, 'k'))).toBe(0o600);
  });

  it('leaves the old file and no temp file when the rename fails', () => {
    const target = path.join(dir, 'taken');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'inside'), 'kept');
    expect(() => writePrivateFile(target, 'new')).toThrow();
    expect(fs.readdirSync(dir)).toEqual(['taken']);
    expect(fs.readFileSync(path.join(target, 'inside'), 'utf8')).toBe('kept');
  });

  it('killed mid-write, leaves the old text or the new, whole and 0600; the dead writer\'s temp is swept by the next write', async () => {
    const file = path.join(dir, 'hubs.json');
    const size = 4 * 1024 * 1024;
    writePrivateFile(file, 'o'.repeat(size));
    const seen = new Set<string>();
    for (let round = 0; round < 3; round++) {
      const pid = await killMidWrite(file, size, 5 + round * 11);
      const text = fs.readFileSync(file, 'utf8');
      expect(text.length).toBe(size);
      expect(['o', 'a', 'b']).toContain(text[0]);
      expect(text).toBe(text[0]!.repeat(size));
      seen.add(text[0]!);
      expect(fs.lstatSync(file).isFile()).toBe(true);
      expect(modeOf(file)).toBe(0o600);
      // Whatever the kill left behind is only ever the writer's own temp, never the target.
      expect(fs.readdirSync(dir).filter((n) => n !== 'hubs.json')).toEqual(fs.existsSync(tempPathOf(file, pid)) ? [path.basename(tempPathOf(file, pid))] : []);
    }
    expect([...seen].some((c) => c !== 'o')).toBe(true);
    writePrivateFile(file, 'done');
    expect(fs.readdirSync(dir)).toEqual(['hubs.json']);
  }, 60_000);
});

describe('createPrivateFile', () => {
  it('makes the file once, 0600; a second maker leaves the first one\'s text and no temp file', () => {
    const file = path.join(dir, 'host_key');
    expect(createPrivateFile(file, 'first')).toBe(true);
    expect(createPrivateFile(file, 'second')).toBe(false);
    expect([fs.readFileSync(file, 'utf8'), modeOf(file)]).toEqual(['first', 0o600]);
    expect(fs.readdirSync(dir)).toEqual(['host_key']);
  });
});

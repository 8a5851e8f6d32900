// The CLI loads only what a command needs, as the launcher runs it (issue 11, "The CLI is slow to
// start"): `workspace list` on the local hub runs the bundle without dockerode's BuildKit
// gRPC/protobuf, ssh2 or the tar packer, with zod, commander and dockerode from the bundle rather
// than node_modules; and the launcher's compile cache is written once, reused, and harmless when
// it cannot be written. The fake engine (issue 21, item 6) is in neither the desktop app's nor the
// CLI's start: only `--engine fake` loads its chunk.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweep, testOrigin } from '../../support/docker-fixture';

const BIN = path.join(__dirname, '../../../bin/hubdeck.js');
const origin = testOrigin('start');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-startup-'));
const data = path.join(tmp, 'data');
// Preloaded into the command: at exit, writes the files it loaded.
const probe = path.join(tmp, 'loaded.cjs');
fs.writeFileSync(probe, "process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_OUT, JSON.stringify(Object.keys(require.cache))));\n");
afterAll(async () => {
  await sweep(origin);
  fs.rmSync(tmp, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string> = {}) {
  const out = path.join(tmp, `loaded-${Math.random().toString(36).slice(2)}.json`);
  const r = spawnSync(process.execPath, ['-r', probe, BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HUBDECK_DATA: data, HUBDECK_ORIGIN: origin, HUBDECK_USER: 'alice', DOCKER_HOST: '', NODE_DISABLE_COMPILE_CACHE: '', LOADED_OUT: out, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, loaded: JSON.parse(fs.readFileSync(out, 'utf8')) as string[] };
}

const cacheFiles = (home: string) => {
  const root = path.join(home, 'hubdeck', 'compile-cache');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
};

describe('hubdeck start-up', () => {
  it('workspace list loads no gRPC, protobuf, ssh2 or tar packer, and takes its pure-JS dependencies from the bundle', () => {
    const r = run(['workspace', 'list', '--json'], { XDG_CACHE_HOME: path.join(tmp, 'cache-a') });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    const fromModules = r.loaded.filter((f) => /node_modules[\\/](@grpc|protobufjs|@protobufjs|ssh2|tar-fs|tar-stream|zod|commander|dockerode|docker-modem)[\\/]/.test(f));
    expect(fromModules).toEqual([]);
    // Dockerode and its modem come from the bundle: the chunk that holds them (named after whichever
    // module Rollup puts first in it) is among the files loaded.
    const chunks = path.join(__dirname, '../../../out/main/chunks');
    const bundled = fs.readdirSync(chunks).filter((f) => fs.readFileSync(path.join(chunks, f), 'utf8').includes('docker-modem/lib/'));
    expect(bundled.length).toBeGreaterThan(0);
    expect(r.loaded.some((f) => bundled.some((b) => f.endsWith(b)))).toBe(true);
  });

  it('workspace list on the local (Docker) hub does not load the fake engine, which --engine fake alone loads', () => {
    const r = run(['workspace', 'list', '--json'], { XDG_CACHE_HOME: path.join(tmp, 'cache-fake') });
    expect(r.code).toBe(0);
    expect(r.loaded.some((f) => /chunks[\\/]create-engine-/.test(f))).toBe(true);
    expect(r.loaded.filter((f) => /chunks[\\/]fake-engine-/.test(f))).toEqual([]);
    expect(chunkOf('fake-engine')).toMatch(FAKE_SOURCE);
  });

  it('writes the compile cache on the first run and reuses it unchanged on the next, with the same answers', () => {
    const home = path.join(tmp, 'cache-b');
    const first = run(['workspace', 'list', '--json'], { XDG_CACHE_HOME: home });
    const files = cacheFiles(home);
    expect(files.length).toBeGreaterThan(3);
    expect(files.some((f) => f.endsWith('-cli.js.bin'))).toBe(true);
    const stamps = files.map((f) => fs.statSync(f).mtimeMs);
    const second = run(['workspace', 'list', '--json'], { XDG_CACHE_HOME: home });
    expect([second.code, second.stdout, second.stderr]).toEqual([first.code, first.stdout, first.stderr]);
    // V8 took the cached data: nothing was compiled anew, so nothing was written again.
    expect(cacheFiles(home).map((f) => fs.statSync(f).mtimeMs)).toEqual(stamps);
  });

  it('runs the same without a usable cache folder, and writes none when NODE_DISABLE_COMPILE_CACHE is set', () => {
    const notADir = path.join(tmp, 'a-file');
    fs.writeFileSync(notADir, '');
    const blocked = run(['workspace', 'list', '--json'], { XDG_CACHE_HOME: notADir });
    expect([blocked.code, blocked.stdout, blocked.stderr]).toEqual([0, '[]\n', '']);
    const home = path.join(tmp, 'cache-c');
    const off = run(['workspace', 'list', '--json'], { XDG_CACHE_HOME: home, NODE_DISABLE_COMPILE_CACHE: '1' });
    expect([off.code, off.stdout, off.stderr]).toEqual([0, '[]\n', '']);
    expect(fs.existsSync(home)).toBe(false);
  });
});

// The bundle as built (test/support/docker-global-setup.ts builds it): the fake engine, a demo and
// test backend, lives in its own chunk that only a dynamic require in create-engine reaches.
const OUT = path.join(__dirname, '../../../out/main');
/** Bundled source files announce themselves by a path comment, as `// main/engine/fake/fake-io.ts`. */
const FAKE_SOURCE = /^\/\/(#region)? ?main\/engine\/fake\//m;
function chunkOf(prefix: string): string {
  const name = fs.readdirSync(path.join(OUT, 'chunks')).find((f) => f.startsWith(`${prefix}-`));
  if (!name) throw new Error(`no ${prefix} chunk in ${OUT}/chunks`);
  return fs.readFileSync(path.join(OUT, 'chunks', name), 'utf8');
}

/** The files `entry` loads at start: itself and its requires, transitively, but not the deferred ones. */
function loadedAtStart(entry: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    const code = fs.readFileSync(file, 'utf8');
    files.set(file, code);
    for (const m of code.matchAll(/(Promise\.resolve\(\)\.then\(\(\) => )?require\("(\.{1,2}\/[^"]+)"\)/g)) {
      if (!m[1]) visit(path.resolve(path.dirname(file), m[2]!));
    }
  };
  visit(entry);
  return files;
}

describe('the fake engine stays out of what the desktop app and the CLI load', () => {
  it.each(['index.js', 'cli.js'])('%s and what it requires at start hold no fake engine code', (entry) => {
    const files = loadedAtStart(path.join(OUT, entry));
    expect(files.size).toBeGreaterThan(entry === 'index.js' ? 5 : 1);
    expect([...files].filter(([, code]) => FAKE_SOURCE.test(code)).map(([f]) => f)).toEqual([]);
  });

  it('is its own chunk, required by create-engine only when asked for', () => {
    expect(chunkOf('fake-engine')).toMatch(FAKE_SOURCE);
    expect(chunkOf('create-engine')).toMatch(/Promise\.resolve\(\)\.then\(\(\) => require\("\.\/fake-engine-[^"]+"\)\)/);
    expect(FAKE_SOURCE.test(chunkOf('create-engine'))).toBe(false);
  });
});

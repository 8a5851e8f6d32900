/**
 * A throwaway image registry on 127.0.0.1 for integration tests that push and pull images.
 * It runs Debian's `docker-registry` (distribution v2) with storage in a temp dir. Docker treats
 * 127.0.0.0/8 registries as insecure by default, so plain HTTP works without daemon configuration.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REGISTRY = 'docker-registry';
const START_TIMEOUT_MS = 10_000;
const STDERR_LIMIT = 64 * 1024;

export interface TestRegistry {
  /** "127.0.0.1:PORT", ready to prefix an image name. */
  address: string;
  stop(): Promise<void>;
}

export async function startRegistry(): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'hubdeck-registry-'));
  try {
    return await startIn(dir);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function startIn(dir: string): Promise<TestRegistry> {
  const address = `127.0.0.1:${await freeLoopbackPort()}`;
  const configPath = join(dir, 'config.yml');
  await writeFile(configPath, registryConfig(join(dir, 'storage'), address));
  const child = await launch(['serve', configPath], `http://${address}/v2/`);
  // The registry outlives its parent; if a test run dies without stop(), do not leave it behind.
  const reap = (): void => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true }); // 'exit' handlers cannot await
  };
  process.once('exit', reap);
  return {
    address,
    stop: async () => {
      process.off('exit', reap);
      await kill(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// Written from scratch: the packaged /etc/docker/registry/config.yml listens on :5000 on all interfaces
// and demands htpasswd auth, neither of which a test wants.
function registryConfig(rootDirectory: string, address: string): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${rootDirectory}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${address}`,
    '',
  ].join('\n');
}

/** Starts the registry and resolves once /v2/ answers 200; rejects with its stderr if it dies first. */
function launch(args: string[], probeUrl: string): Promise<ChildProcess> {
  const child = spawn(REGISTRY, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_LIMIT);
  });
  return new Promise((resolve, reject) => {
    let failed = false;
    const fail = (why: string): void => {
      failed = true;
      child.kill('SIGKILL');
      reject(new Error(`docker-registry ${why}:\n${stderr.trim()}`));
    };
    // 'close' rather than 'exit': it fires after stderr is drained, so the message holds the registry's last words.
    const onClose = (code: number | null, signal: string | null): void => fail(`exited early (code ${code}, signal ${signal})`);
    child.once('error', (err) => fail(`could not start (${err.message})`));
    child.once('close', onClose);
    waitForOk(probeUrl, START_TIMEOUT_MS, () => failed || hasExited(child)).then((up) => {
      // After an exit, onClose rejects with the full stderr once the pipe is drained.
      if (failed || hasExited(child)) return;
      if (!up) return fail(`did not answer ${probeUrl} within ${START_TIMEOUT_MS} ms`);
      child.off('close', onClose);
      resolve(child);
    });
  });
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Polls until the URL answers 200; false on timeout or when `gaveUp` says so. */
async function waitForOk(url: string, timeoutMs: number, gaveUp: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gaveUp()) {
    if (await answersOk(url)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function answersOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false; // not listening yet
  }
}

/** Asks the kernel for a free port. Someone could grab it before the registry binds it; tests accept that race. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port from the kernel'))));
    });
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

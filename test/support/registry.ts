/**
 * A throwaway image registry on 127.0.0.1 for integration tests that push and pull images.
 * It runs Debian's `docker-registry` (distribution v2) with storage in a temp dir. Docker treats
 * 127.0.0.0/8 registries as insecure by default, so plain HTTP works without daemon configuration.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, kill, launchUntilReady } from './child-process';

const REGISTRY = 'docker-registry';
const START_TIMEOUT_MS = 10_000;

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
  return launchUntilReady('registry', REGISTRY, args, () => answersOk(probeUrl), START_TIMEOUT_MS, `answer ${probeUrl}`);
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


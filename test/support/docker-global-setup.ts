/**
 * Docker-backed tests never skip: without a reachable engine or the offline test images the run
 * fails here, loudly, with what to do. It also builds the CLI that the command-line tests run.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { TEST_IMAGES } from './test-images';

export default function setup(): void {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`Docker engine not reachable: start dockerd (scripts/start-dockerd.sh) before the tests. ${String(e)}`);
  }
  const missing = Object.values(TEST_IMAGES).filter((img) => {
    try {
      execFileSync('docker', ['image', 'inspect', img], { stdio: 'pipe' });
      return false;
    } catch {
      return true;
    }
  });
  // CLI tests run the built command, as users do: build it from the current sources.
  execFileSync('npx', ['electron-vite', 'build'], { cwd: path.join(__dirname, '../..'), stdio: 'pipe' });
  if (missing.length) {
    console.log(`building missing test images: ${missing.join(', ')}`);
    execFileSync('bash', [path.join(__dirname, '../../scripts/build-test-images.sh')], { stdio: 'inherit' });
  }
}

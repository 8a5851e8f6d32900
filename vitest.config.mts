// Three projects: fast pure tests in parallel; the desktop shell's wiring against the one Electron
// stub (*.electron.test.ts); and tests against the real Docker engine (plus sshd, a local registry)
// one file at a time so container start-up timings stay sane on 2 cores.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.docker.test.ts', 'test/**/*.electron.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        // The shell's wiring against the one Electron stub (test/support/electron-stub.ts), aliased
        // as `electron` here only: no other test can import the stub by accident.
        resolve: { alias: { electron: fileURLToPath(new URL('./test/support/electron-stub.ts', import.meta.url)) } },
        test: {
          name: 'shell',
          include: ['test/**/*.electron.test.ts'],
          // electron-store imports `electron` too: run it through the alias rather than from node_modules.
          server: { deps: { inline: ['electron-store'] } },
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'docker',
          include: ['test/**/*.docker.test.ts'],
          globalSetup: ['test/support/docker-global-setup.ts'],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});

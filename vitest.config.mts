// Three projects: fast pure tests in parallel; the desktop shell's wiring against the one Electron
// stub (*.electron.test.ts); and tests against the real Docker engine (plus sshd, a local registry)
// one file at a time so container start-up timings stay sane on 2 cores.
import { availableParallelism } from 'node:os';
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
          // At least two files at a time: Vitest's default (one less than the cores) is one on a
          // 2-core machine, and most of these files wait on sockets, timers and child processes.
          // Measured on 2 cores: test/main/server 238 s of test time, 166 s wall on 2 workers, all
          // green (on 3 workers under a load of 9, deadline tests in http-limits failed).
          maxWorkers: Math.max(2, availableParallelism() - 1),
          // Its own group (Vitest runs groups one after another): the other projects keep their
          // own worker counts, and no unit file runs beside a Docker one.
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The shell's wiring against the one Electron stub (test/support/electron-stub.ts), aliased
        // as `electron` here only: no other test can import the stub by accident.
        resolve: { alias: { electron: fileURLToPath(new URL('./test/support/electron-stub.ts', import.meta.url)) } },
        test: {
          name: 'shell',
          include: ['test/**/*.electron.test.ts'],
          sequence: { groupOrder: 1 },
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

// Five projects: fast tests with no outside service, in parallel (the everyday loop); the hub under
// load and attack, one file at a time; team sign-in against real directory services (slapd, an
// OpenID provider) and headless Chromium; the desktop
// shell's wiring against the one Electron stub (*.electron.test.ts); and tests against the real
// Docker engine (plus sshd, a local registry) one file at a time so container start-up timings stay
// sane on 2 cores. Groups run one after another: unit, load, sign-in, shell, Docker.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Team sign-in against real directory services: every file of test/main/server/auth but the pure escaping. */
const SIGN_IN = ['test/main/server/auth/{ldap,oidc}-{sign-in,security,flood}.test.ts', 'test/main/server/auth/directory-hang.test.ts'];

/** The hub under attack and under load, in process: floods, the 10,000-case fuzz, deadlines. */
const LOAD = [
  'test/main/server/{fuzz,http-limits,trust-sessions,create-flood,soak}.test.ts',
  'test/main/access/{workspace-socket-flood,ssh-limits}.test.ts',
];

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.docker.test.ts', 'test/**/*.electron.test.ts', ...SIGN_IN, ...LOAD],
          testTimeout: 30_000,
          // At least two files at a time: Vitest's default (one less than the cores) is one on a
          // 2-core machine, and most of these files wait on sockets, timers and child processes.
          maxWorkers: Math.max(2, availableParallelism() - 1),
          // Its own group (Vitest runs groups one after another): the other projects keep their
          // own worker counts, and no unit file runs beside a Docker one.
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Floods and deadlines measured in milliseconds: one file at a time, so no other test's CPU
        // decides whether a deadline holds (beside other files, http-limits' latency bound failed).
        test: { name: 'load', include: LOAD, testTimeout: 60_000, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
      {
        // Each file starts slapd or an OpenID provider (and Chromium) of its own: ~90 s of the unit
        // loop's time spent on other programs' start-up, so they are a project of their own. One
        // file at a time: directory-hang's deadlines failed beside an OpenID file starting Chromium.
        test: { name: 'sign-in', include: SIGN_IN, testTimeout: 30_000, fileParallelism: false, sequence: { groupOrder: 2 } },
      },
      {
        // The shell's wiring against the one Electron stub (test/support/electron-stub.ts), aliased
        // as `electron` here only: no other test can import the stub by accident.
        resolve: { alias: { electron: fileURLToPath(new URL('./test/support/electron-stub.ts', import.meta.url)) } },
        test: {
          name: 'shell',
          include: ['test/**/*.electron.test.ts'],
          sequence: { groupOrder: 3 },
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
          sequence: { groupOrder: 4 },
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});

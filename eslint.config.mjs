// ESLint flat config. Besides style, it enforces the layering rule of DESIGN.md §2: the folder a file
// sits in decides what it may import (as VS Code does), so a wrong import fails `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const NODE_BUILTINS = [
  'fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'tls', 'child_process', 'os', 'path', 'dgram',
  'dns', 'cluster', 'worker_threads', 'stream', 'crypto', 'zlib', 'readline', 'url', 'util', 'events',
];
const nodeBuiltins = (except = []) =>
  NODE_BUILTINS.filter((m) => !except.includes(m)).flatMap((m) => [m, `node:${m}`]);

const ELECTRON_ONLY = ['electron', 'electron-store', 'keytar'];
const msg = (why) => `layer rule (DESIGN.md §2): ${why}`;

/** One no-restricted-imports rule per layer: banned packages and banned sibling layers. */
function layer(files, { packages = [], folders = [], why }) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', {
        paths: packages.map((name) => ({ name, message: msg(why) })),
        patterns: folders.length ? [{ group: folders, message: msg(why) }] : [],
      }],
    },
  };
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test/fixtures/lint/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The CLI launcher is plain CommonJS so it runs before anything is compiled.
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  layer(['main/core/**'], {
    packages: [...ELECTRON_ONLY, 'dockerode', 'ssh2', 'ws', ...nodeBuiltins(['crypto'])],
    folders: ['**/engine/**', '**/hub/**', '**/access/**', '**/server/**', '**/client/**', '**/cli/**', '**/shell/**'],
    why: 'main/core is pure domain: zod and small libraries only, no I/O, no other layer',
  }),
  layer(['main/engine/**'], {
    packages: ELECTRON_ONLY,
    folders: ['**/hub/**', '**/access/**', '**/server/**', '**/client/**', '**/cli/**', '**/shell/**'],
    why: 'main/engine knows only core; nothing about users, HTTP or Electron',
  }),
  layer(['main/hub/**'], {
    packages: [...ELECTRON_ONLY, 'dockerode', 'ssh2', '@kubernetes/client-node'],
    folders: ['**/engine/docker/**', '**/engine/swarm/**', '**/engine/kubernetes/**', '**/access/**', '**/server/**', '**/client/**', '**/cli/**', '**/shell/**'],
    why: 'main/hub depends on core and the engine interface only',
  }),
  layer(['main/access/**'], {
    packages: ELECTRON_ONLY,
    folders: ['**/engine/docker/**', '**/engine/swarm/**', '**/engine/kubernetes/**', '**/server/**', '**/client/**', '**/cli/**', '**/shell/**'],
    why: 'main/access depends on core and hub',
  }),
  layer(['main/server/**', 'main/client/**'], {
    packages: ELECTRON_ONLY,
    folders: ['**/cli/**', '**/shell/**'],
    why: 'server and client never import the CLI or the Electron shell',
  }),
  layer(['main/cli/**'], {
    packages: ELECTRON_ONLY,
    folders: ['**/shell/**'],
    why: 'the CLI runs in plain Node, without Electron',
  }),
  layer(['preload/**'], {
    packages: ['electron-store', 'keytar', 'dockerode', 'ssh2'],
    folders: ['**/main/**', '**/renderer/**'],
    why: 'preload holds the IPC bridge and contract only',
  }),
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...ELECTRON_ONLY, 'dockerode', 'ssh2', 'ws', ...nodeBuiltins()].map((name) => ({
          name, message: msg('the renderer is a web page: no Node or Electron modules'),
        })),
        patterns: [{
          group: ['**/main/**', '**/preload/index*', '**/preload/bridge*'],
          message: msg('the renderer imports only the IPC contract types from preload/'),
        }],
      }],
    },
  },
);

// Builds the three Electron targets; the main build also emits the `hubdeck` CLI (out/main/cli.js)
// so the desktop app and the command line ship the same compiled hub code.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { lazyRequires } from './scripts/lazy-requires-plugin.mjs';

export default defineConfig({
  main: {
    plugins: [lazyRequires()],
    build: {
      // Pure-JS dependencies are bundled (tree-shaken, one file read instead of hundreds of module
      // resolutions: the CLI's start-up); native or Electron-bound ones stay external.
      externalizeDeps: { exclude: ['zod', 'commander', 'dockerode', 'ws', 'selfsigned'] },
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'main/shell/index.ts'), cli: resolve(import.meta.dirname, 'main/cli/index.ts') },
      },
    },
  },
  preload: {
    // A sandboxed preload can require nothing but electron: zod (the desktop API's table) is bundled in, minified (~100 kB).
    build: { externalizeDeps: { exclude: ['zod'] }, minify: true, rollupOptions: { input: { index: resolve(import.meta.dirname, 'preload/index.ts') } } },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    // Minified: the same bundle is what a hub sends to browsers (first page goal ≤ 300 kB gzip).
    build: { minify: true, rollupOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } } },
    plugins: [react()],
  },
});

// ESLint flat config. Besides style, it enforces the layering rule of docs/architecture.md: the folder a file
// sits in decides what it may import (as VS Code does), so a wrong import fails `npm test`. The rule is
// an allow-list per layer, kept as one table in scripts/eslint-layers.mjs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import layers from './scripts/eslint-layers.mjs';

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
    // The CLI launcher is plain CommonJS so it runs before anything is compiled; so is the hub
    // image's health check, run by the image's bare Node.
    files: ['bin/**/*.js', 'deploy/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    plugins: { layers },
    rules: { 'layers/imports': 'error' },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
);

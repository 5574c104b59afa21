import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { boundaries } from './eslint-rules/boundaries.js';
import { BOUNDARY_EXCEPTIONS } from './eslint-rules/boundary-exceptions.js';

export default tseslint.config(
  { ignores: ['dist/', '.tsbuild/', 'node_modules/', 'test-results/', 'release/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // Issue #12: core domains only through their index.ts; views never import each other.
    files: ['electron/**/*.{ts,tsx}', 'renderer/**/*.{ts,tsx}'],
    plugins: { flightdeck: { rules: { boundaries } } },
    rules: { 'flightdeck/boundaries': ['error', { allow: BOUNDARY_EXCEPTIONS }] },
  },
);

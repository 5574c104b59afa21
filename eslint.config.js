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
      // An arrow effect's value is its cleanup. Chromium's scroll methods return a Promise, which
      // React called on unmount ("l is not a function") and blanked the page: use a block body.
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name=/^use(Layout|Insertion)?Effect$/] > ArrowFunctionExpression[expression=true]:matches([body.type='ChainExpression'], [body.callee.property.name=/^scroll/])",
          message: 'Give this effect a block body: its value is taken as the cleanup, and an optional call or a scroll method (a Promise in Chromium) is not one.',
        },
      ],
    },
  },
  {
    // Issue #12: core domains only through their index.ts; views never import each other.
    files: ['electron/**/*.{ts,tsx}', 'renderer/**/*.{ts,tsx}'],
    plugins: { flightdeck: { rules: { boundaries } } },
    rules: { 'flightdeck/boundaries': ['error', { allow: BOUNDARY_EXCEPTIONS }] },
  },
);

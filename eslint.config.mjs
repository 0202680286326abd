// ESLint's flat config, run by `npm run lint` (part of `npm test`): ESLint's recommended rules, plus
// typescript-eslint's recommended rules for TypeScript. Its type-checked presets are left out: they take
// about four times as long and report some 1,300 findings, mostly no-unsafe-* on untyped JSON in the specs.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'test/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: {
      // `_`-prefixed parameters keep an arity (Express tells error handlers by their four parameters);
      // a rest sibling is how a field is left out of a copy (`const { metadata: _, ...rest } = ...`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['scripts/**/*.{js,mjs}', 'bench/**/*.{js,mjs}', 'bin/**/*.js', 'jest.config.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: {
      // `catch {}` deliberately ignores a failed probe (a server not up yet, a process already gone).
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // e2e specs read untyped JSON bodies and seed rows of foreign schemas; `any` there is the honest type.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: [
      'libs/core/src/clients/client-uri.rules.ts',
      'libs/core/src/clients/client-uri.rules.spec.ts',
      'libs/core/src/scopes/scope.strategy.ts',
      'libs/core/src/validation/no-nul.decorator.ts',
    ],
    rules: {
      // These files refuse (or check the refusal of) NUL and other control characters: matching them is the point.
      'no-control-regex': 'off',
    },
  },
);

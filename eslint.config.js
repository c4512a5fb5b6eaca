// Lint config (flat, ESM): typescript-eslint's recommended-type-checked rules over the TypeScript
// sources and tests; the plain JavaScript scripts get eslint's recommended rules without type information.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node's globals, for the plain .js/.mjs scripts (TypeScript files get them from @types/node). */
const nodeGlobals = {
  process: 'readonly',
  console: 'readonly',
  Buffer: 'readonly',
  URL: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  setInterval: 'readonly',
  clearInterval: 'readonly',
  setImmediate: 'readonly',
  performance: 'readonly',
  fetch: 'readonly',
  AbortController: 'readonly',
  AbortSignal: 'readonly',
  TextDecoder: 'readonly',
  TextEncoder: 'readonly',
  structuredClone: 'readonly',
};

export default tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', 'bench/.tmp/', 'coverage/', '**/.msdev/'],
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [js.configs.recommended, tseslint.configs.disableTypeChecked],
    languageOptions: {
      sourceType: 'module',
      globals: nodeGlobals,
    },
  },
  {
    rules: {
      // msdev escapes control characters in untrusted text before printing it: regexes over them are the point.
      'no-control-regex': 'off',
      // `l` is V8's linear-time engine flag; log-matcher compiles with it on purpose to ask whether V8 has it.
      'no-invalid-regexp': ['error', { allowConstructorFlags: ['l'] }],
    },
  },
);

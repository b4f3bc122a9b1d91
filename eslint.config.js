// Lint: typescript-eslint's type-aware rules over the TypeScript. They read the compiler's types,
// so a promise left floating, awaited where nothing is a promise, or handed to a callback that
// drops its rejection (an event listener: an unhandled rejection ends a Node process) is found
// wherever it comes from. ESLint's recommended rules cover the plain JavaScript.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'dist.*/', 'node_modules/', 'coverage/', '.test-results/', 'data/', 'scratch/'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // The storage ports and the engine are async interfaces; an implementation that finishes at
      // once stays `async` so that what it throws reaches the caller as a rejection, as it would
      // from the database.
      '@typescript-eslint/require-await': 'off',
      // `_name` is how a destructuring leaves a field out of the rest (`const { etag: _etag, ...rest }`).
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Tests read JSON a command printed and payloads a fake platform received: untyped by nature,
    // and what the test checks is their shape.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
);

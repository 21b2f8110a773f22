// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';

/** Imports flow one way: files → etl → server/db → server → web (through GraphQL only). */
function forbid(files, patterns, message) {
  return {
    files,
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] },
  };
}

export default tseslint.config(
  {
    ignores: ['node_modules/', 'data/', 'web/dist/', 'test-results/', '.tmp/', '**/__generated__/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'].map((config) => ({
    ...config,
    files: ['web/**/*.vue'],
  })),
  {
    files: ['web/**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, sourceType: 'module' } },
    rules: {
      // TypeScript checks names (vue-tsc); the rule does not know browser globals.
      'no-undef': 'off',
      // Views are named for what they show (OverviewView.vue), one word is fine for a few.
      'vue/multi-word-component-names': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  forbid(
    ['etl/**/*.ts'],
    ['**/server/graphql/**', '**/server/http/**', '**/web/**'],
    'etl/ may import only server/db/**.',
  ),
  // The demo runner alone ends by serving the dashboard (cli-contract.md: `npm run demo`).
  forbid(
    ['etl/demo/run-demo.ts'],
    [
      '**/server/graphql/**',
      '**/server/http/**',
      '!**/server/http/serve.ts',
      '**/server/auth/**',
      '!**/server/auth/demo-users.ts',
      '**/web/**',
    ],
    'run-demo.ts may import server/db/**, server/log.ts, server/http/serve.ts and server/auth/demo-users.ts.',
  ),
  // The demo's casework is played through the server's own visit and flag services.
  forbid(
    ['etl/demo/play-casework.ts'],
    [
      // Files, not folders: a folder left out cannot have a file let back in.
      '**/server/graphql/**/*.ts',
      '!**/server/graphql/context.ts',
      '!**/server/graphql/flags/flag-lifecycle.service.ts',
      '!**/server/graphql/inspections/record-visit.service.ts',
      '**/server/http/**',
      '**/web/**',
    ],
    'play-casework.ts may import server/db/** and the flag and visit services.',
  ),
  forbid(
    ['server/db/**/*.ts'],
    ['**/etl/**', '**/server/graphql/**', '**/web/**'],
    'server/db/ is the bottom layer.',
  ),
  forbid(
    ['server/graphql/**/*.ts'],
    ['**/etl/**', '**/web/**'],
    'GraphQL code never imports the ETL.',
  ),
  forbid(
    ['web/**/*.ts', 'web/**/*.vue'],
    ['**/etl/**', '**/server/**'],
    'web/ talks to the server through GraphQL only.',
  ),
  { files: ['test/**/*.ts', '**/cli.ts', 'etl/demo/run-demo.ts'], rules: { 'no-console': 'off' } },
  prettier,
);

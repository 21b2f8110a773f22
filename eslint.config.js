// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';

import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Which code may import which: an allowlist of layers. Data flows one way, files → etl/ →
 * DuckDB → server/ → GraphQL → web/, and every domain fact lives once in the shared kernel.
 *
 * MODULES names groups of files ("dir/**" is a folder, anything else one file). LAYERS
 * lists, first match wins, which files form a layer and which groups (or single files)
 * its relative imports may reach; packages (npm, node:) are not restricted here. Adding a
 * layer or widening one is a change to this table, reviewed like any other.
 */
const MODULES = {
  /**
   * The shared kernel: the warehouse's typed schema, the clock and school calendar
   * (server/db/calendar.ts), the policy and the flag catalogue. etl, server and (for its
   * pure modules) web build on it; it imports nothing above it.
   */
  kernel: ['server/db/**', 'server/policy/**', 'server/os-user.ts'],
  /**
   * Kernel modules the web app may import: pure TypeScript (no Node APIs), compiled into
   * the bundle. Everything else reaches web/ through the GraphQL schema and its generated
   * types (web/src/api/__generated__).
   */
  webKernel: ['server/db/calendar.ts'],
  etl: ['etl/**'],
  server: ['server/**'],
  web: ['web/**'],
};

/** @type {Array<{ name: string, files: string[], may: string[] | '*', why: string }>} */
const LAYERS = [
  {
    name: 'the demo runner',
    files: ['etl/demo/run-demo.ts'],
    may: ['etl', 'kernel', 'server/log.ts', 'server/http/serve.ts', 'server/auth/demo-users.ts'],
    why: 'It alone ends by serving the dashboard (cli-contract.md: `npm run demo`).',
  },
  {
    name: 'the demo casework plan',
    files: ['etl/demo/plan-casework.ts'],
    may: ['etl', 'kernel', 'server/auth/demo-users.ts'],
    why: 'The casework is done under the demo accounts, named once in demo-users.ts.',
  },
  {
    name: 'the demo casework',
    files: ['etl/demo/play-casework.ts'],
    may: [
      'etl',
      'kernel',
      'server/auth/viewer.ts',
      'server/log.ts',
      'server/graphql/context.ts',
      'server/graphql/flags/flag-lifecycle.service.ts',
      'server/graphql/inspections/record-visit.service.ts',
      'server/graphql/complaints/complaints.service.ts',
      'server/reminders/fire-reminders.ts',
    ],
    why: "The demo's 整改 steps, visits and complaints go through the server's own flag, visit and complaint services, and its inboxes through the reminders' own judging.",
  },
  {
    name: 'the demo reviews',
    files: ['etl/demo/play-reviews.ts'],
    may: [
      'etl',
      'kernel',
      'server/auth/demo-users.ts',
      'server/graphql/reviews/reviews.service.ts',
    ],
    why: "The demo's submissions, approvals and returns go through the server's own review service, as the demo users.",
  },
  {
    name: 'the demo publication',
    files: ['etl/demo/publish-evaluation.ts'],
    may: [
      'etl',
      'kernel',
      'server/auth/viewer.ts',
      'server/auth/demo-users.ts',
      'server/log.ts',
      'server/graphql/evaluation/evaluation-publication.repository.ts',
      'server/graphql/evaluation/evaluation-publication.service.ts',
    ],
    why: "The demo publishes its evaluation through the server's own publishing service.",
  },
  {
    name: 'the warehouse CLI',
    files: ['server/db/warehouse-cli.ts'],
    may: ['kernel', 'server/http/admin-socket.ts', 'server/reminders/channel-cli.ts'],
    why: 'It asks a running server for a backup through its admin socket, and manages the push channels.',
  },
  {
    name: 'the kernel',
    files: MODULES.kernel,
    may: ['kernel'],
    why: 'The kernel is the bottom layer.',
  },
  {
    name: 'etl',
    files: ['etl/**'],
    may: ['etl', 'kernel'],
    why: 'The ETL writes the warehouse through the kernel only.',
  },
  {
    name: 'the server that runs loads',
    files: ['server/http/**', 'server/jobs/**'],
    may: ['server', 'etl'],
    why: 'Uploads and the deadline sweep run the ETL; nothing else in the server does.',
  },
  {
    name: 'the lineage column labels',
    files: ['server/graphql/lineage/column-labels.ts'],
    may: ['server', 'etl/reports/**'],
    why: "Lineage labels a source row's columns with the contract's headers, which live in the report kinds.",
  },
  {
    name: 'the server',
    files: ['server/**'],
    may: ['server'],
    why: 'GraphQL and auth never import the ETL or the web app.',
  },
  {
    name: 'web',
    files: ['web/**'],
    may: ['web', 'webKernel'],
    why: 'web/ talks to the server through GraphQL; it imports only the pure kernel modules.',
  },
  { name: 'tests and tooling', files: ['test/**', '*.ts', '*.js'], may: '*', why: '' },
];

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const fromRoot = (file) => path.relative(ROOT, file).split(path.sep).join('/');
const matches = (pattern, file) =>
  pattern === '*.ts' || pattern === '*.js'
    ? !file.includes('/') && file.endsWith(pattern.slice(1))
    : pattern.endsWith('/**')
      ? file.startsWith(pattern.slice(0, -2))
      : file === pattern;

/** kehou/layers: every relative import must be allowed by the importing file's layer. */
const layersRule = {
  meta: {
    type: 'problem',
    schema: [],
    messages: { denied: '{{file}} ({{layer}}) may import only {{may}}, not {{target}}. {{why}}' },
  },
  create(context) {
    const file = fromRoot(context.filename);
    const layer = LAYERS.find((l) => l.files.some((p) => matches(p, file)));
    if (layer === undefined || layer.may === '*') return {};
    const may = layer.may;
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = fromRoot(path.resolve(path.dirname(context.filename), spec));
      const allowed = may.some((group) =>
        (MODULES[group] ?? [group]).some((p) => matches(p, target)),
      );
      if (!allowed)
        context.report({
          node: node.source,
          messageId: 'denied',
          data: { file, layer: layer.name, may: may.join(', '), target, why: layer.why },
        });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'data/',
      'dist/',
      'web/dist/',
      'test-results/',
      '.tmp/',
      '**/__generated__/',
    ],
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
  {
    files: ['**/*.ts', '**/*.vue', '**/*.js'],
    plugins: { kehou: { rules: { layers: layersRule } } },
    rules: { 'kehou/layers': 'error' },
  },
  { files: ['test/**/*.ts', '**/cli.ts', 'etl/demo/run-demo.ts'], rules: { 'no-console': 'off' } },
  prettier,
);

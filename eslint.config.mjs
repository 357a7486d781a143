// ESLint: recommended JS and TypeScript rules, sorted imports, no unused code, and the layering
// of lib/ (see ARCHITECTURE.md) enforced per folder. Formatting is Prettier's (npm run lint runs both).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import tseslint from 'typescript-eslint';

/** Folders a layer must not import from: dependencies point one way. */
const LAYERS = {
  model: ['config', 'tls', 'constructs', 'output', 'doctor', 'cli'],
  tls: ['config', 'constructs', 'output', 'doctor', 'cli'],
  config: ['constructs', 'output', 'doctor', 'cli'],
  constructs: ['config', 'output', 'doctor', 'cli'],
  output: ['doctor', 'cli'],
  // The doctor sits beside cli: it probes the network and the cluster, and may read config, model, tls, output.
  doctor: ['constructs', 'cli'],
};

/**
 * Only doctor connects anywhere: build/runai-access starts the other commands without
 * NODE_EXTRA_CA_CERTS (ARCHITECTURE.md "How the CLI starts"), so they must not load these.
 */
const NETWORK = ['tls', 'https', 'http', 'http2']
  .flatMap((m) => [m, `node:${m}`])
  .map((name) => ({
    name,
    message: 'only doctor makes network connections (ARCHITECTURE.md "How the CLI starts")',
  }));

export default tseslint.config(
  { ignores: ['build/', 'dist/', 'imports/', 'coverage/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: {
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-unused-private-class-members': 'error',
      'max-len': ['error', { code: 150, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        exports: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // In lib/ long strings are wrapped too (split into concatenated parts), so every line of the code fits; tests may keep long strings.
    files: ['lib/**/*.ts'],
    rules: { 'max-len': ['error', { code: 150, ignoreRegExpLiterals: true, ignoreUrls: true }] },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      // Each call leaves a cdk8s.outdir.* folder in the temporary folder: use test/chart-scope.ts.
      'no-restricted-properties': [
        'error',
        ...['app', 'chart'].map((property) => ({
          object: 'Testing',
          property,
          message: 'use testChart() or new App(): see test/chart-scope.ts',
        })),
      ],
    },
  },
  ...Object.entries(LAYERS).map(([layer, forbidden]) => ({
    files: [`lib/${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden.map((f) => ({
            group: [`../${f}/*`, `../${f}`],
            message: `lib/${layer} must not import lib/${f}: see ARCHITECTURE.md`,
          })),
          paths: layer === 'doctor' ? [] : NETWORK,
        },
      ],
    },
  })),
  {
    files: ['lib/cli/**/*.ts', 'lib/*.ts', 'main.ts', 'snapshot.ts'],
    ignores: ['lib/cli/doctor.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: NETWORK }] },
  },
);

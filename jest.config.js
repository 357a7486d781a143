const fs = require('node:fs');
const path = require('node:path');

/** The version of a package.json under node_modules, or undefined when there is none. */
function versionOf(...packagePath) {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules', ...packagePath, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/**
 * One copy of `yaml`, as in the bundle the CLI runs (scripts/bundle.js): cdk8s nests its own copy,
 * of the same version, and jest loads modules afresh for each suite (a second yaml is 16 ms a
 * suite). Only while the versions are the same: another version would be other code.
 */
const nestedYaml = versionOf('cdk8s', 'node_modules', 'yaml');
const oneYaml = nestedYaml === undefined || nestedYaml === versionOf('yaml') ? { '^yaml$': '<rootDir>/node_modules/yaml' } : {};

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Two workers on these 2-core machines: most suites wait on the CLI, kubectl or openssl, so two
  // run side by side without slowing each other much (jest's default is one fewer than the cores).
  maxWorkers: 2,
  // A test's limit, for one that starts real tools (the CLI, kubectl, openssl, doctor's probes):
  // jest's 5 s is a timing, and on a loaded 2-core machine a healthy doctor run took more (a suite
  // failed, nothing wrong). A test that hangs still fails, named, after this.
  testTimeout: 30_000,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // zod's message locales, English only, as in the bundle the CLI runs (scripts/bundle.js): zod
  // loads all 63 of them with itself, and jest loads modules afresh for each of the 90 suites
  // (22 ms a suite, 2 s of CPU a run). runai-access prints its own messages, never zod's. Only
  // zod's modules ask for ../locales/index.cjs (jest cannot match on who asks, as esbuild does).
  moduleNameMapper: { ...oneYaml, '^\\.\\./locales/index\\.cjs$': '<rootDir>/scripts/zod-locales-en.cjs' },
  // Each module compiled once per worker, not once per suite (see test/runtime.js).
  runtime: '<rootDir>/test/runtime.js',
  // TypeScript through esbuild; types are checked by tsc in npm test (see test/transform.js).
  transform: { '^.+\\.ts$': '<rootDir>/test/transform.js' },
  // A folder for fixtures the suites of one run share (the certificate corpus, RSA keys), removed at the end.
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
  // Longest suites first, also in a fresh clone (see test/sequencer.js).
  testSequencer: '<rootDir>/test/sequencer.js',
  // One folder of golden snapshots at the top level, reviewed in pull requests.
  snapshotResolver: '<rootDir>/test/snapshot-resolver.js',
};

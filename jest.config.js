/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] },
  // One folder of golden snapshots at the top level, reviewed in pull requests.
  snapshotResolver: '<rootDir>/test/snapshot-resolver.js',
};

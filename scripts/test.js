#!/usr/bin/env node
// npm test: build (tsc, then the bundle), type-check the tests, lint, and run jest, keeping both
// cores of these machines busy. The build is skipped when build/ was made from the same inputs
// (scripts/build-inputs.js): after `npm ci`, which builds, it is not made twice. Jest starts as
// soon as the build it tests is written; the type-check and the lint, which nothing waits for, start at once beside the build and go on
// beside jest at the lowest priority (nice 19), so they take the time jest leaves a core idle
// (start-up, suites waiting on a server or a timeout, the last suite) rather than slow its suites.
// Arguments go to jest: `npm test -- test/cli.test.ts`. Jest's output streams as it runs; the other
// steps print only when they fail. Exits non-zero when any step fails.
'use strict';
const { spawn, spawnSync } = require('node:child_process');

const { buildIsCurrent } = require('./build-inputs');

const BUILD = ['build', 'npm run -s build'];
const CHECKS = [
  ['type-check the tests', 'npx tsc -p test/tsconfig.json'],
  ['lint', 'npm run -s lint'],
];

/** Runs one shell command, collecting its output; resolves with its exit code. */
function run([name, command], nice = false) {
  return new Promise((resolve) => {
    const child = spawn(nice ? `nice -n 19 ${command}` : command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ name, command, code, output }));
  });
}

/**
 * The environment of jest: without NODE_EXTRA_CA_CERTS, which Node reads at every start (25 ms
 * each here, with the machine's CA bundle, for some 200 node processes the suites start), while
 * the tests connect only to loopback servers with their own CAs. npm, in the package test, may
 * reach the registry: it gets the bundle back from NPM_CA_ENV.
 */
const NPM_CA_ENV = 'RUNAI_ACCESS_TEST_NPM_CA_CERTS';
function jestEnv() {
  const env = { ...process.env };
  if (env.NODE_EXTRA_CA_CERTS !== undefined) env[NPM_CA_ENV] = env.NODE_EXTRA_CA_CERTS;
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/**
 * V8's budget before it optimizes a function, about four times Node 20's default (67584), for
 * jest and its workers (jest-worker starts them with this node's flags; the CLI processes the
 * tests start get none). Jest loads every module afresh for each of the 90 suites, so V8 would
 * optimize the same functions of lib/, zod and yaml again in each suite, most of them to run a
 * few more times: with the budget, about 8 s less CPU in a run (interleaved runs, 113 -> 104 s),
 * the same tests. Left out if this node refuses the flag.
 */
const V8_FLAGS = ['--interrupt-budget=262144'];
function v8Flags() {
  return spawnSync(process.execPath, [...V8_FLAGS, '-e', '0']).status === 0 ? V8_FLAGS : [];
}

/** Runs jest with this script's arguments, its output on this terminal; resolves with its exit code. */
function jest() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...v8Flags(), require.resolve('jest/bin/jest'), '--ci', ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: jestEnv(),
    });
    child.on('close', (code) => resolve({ name: 'jest', command: 'jest --ci', code, output: '' }));
  });
}

async function main() {
  // Said first, so that their failures are not a surprise: every test runs, and these need root.
  if (process.getuid?.() !== 0) {
    process.stderr.write(
      `npm test: run as uid ${process.getuid?.()}, not root: the tests that run the CLI as another user (setpriv) or mount a ` +
        'folder (unshare) fail as another user; run npm test as root, as CI does\n',
    );
  }
  const checks = Promise.all(CHECKS.map((step) => run(step, true)));
  const current = buildIsCurrent();
  if (current) process.stderr.write('npm test: build/ is current (scripts/build-inputs.js), not rebuilt\n');
  const build = current ? { name: 'build', code: 0 } : await run(BUILD);
  const tested = build.code === 0 ? await jest() : { name: 'jest', code: 0, skipped: true };
  const results = [build, ...(await checks)];
  for (const r of results.filter((x) => x.code !== 0)) {
    process.stderr.write(`npm test: ${r.name} (${r.command}) failed with exit code ${r.code}:\n${r.output}\n`);
  }
  if (tested.skipped) process.stderr.write('npm test: jest did not run: the build failed\n');

  process.exitCode = [...results, tested].some((r) => r.code !== 0) ? 1 : 0;
}

void main();

#!/usr/bin/env node
// npm test's first step: build (tsc, then the bundle), type-check the tests, and lint, with the
// three side by side: each is one single-threaded process, and these machines have two cores.
// Exits non-zero, with each failing step's output, when any step fails.
'use strict';
const { spawn } = require('node:child_process');

const steps = [
  ['build', 'npm run -s build'],
  ['type-check the tests', 'npx tsc -p test/tsconfig.json'],
  ['lint', 'npm run -s lint'],
];

/** Runs one shell command, collecting its output; resolves with its exit code. */
function run([name, command]) {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ name, command, code, output }));
  });
}

Promise.all(steps.map(run)).then((results) => {
  for (const r of results.filter((x) => x.code !== 0)) {
    process.stderr.write(`pretest: ${r.name} (${r.command}) failed with exit code ${r.code}:\n${r.output}\n`);
  }
  process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
});

#!/usr/bin/env node
// npm run build: tsc into build/, then scripts/bundle.js (the bundle, its code cache and the
// start-up snapshot), then the stamp of the inputs it was made from (scripts/build-inputs.js).
// The digest is taken before tsc starts, so a file changed during the build makes the stamp stale.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { buildInputsDigest, stampFile } = require('./build-inputs');

const ROOT = path.join(__dirname, '..');
const STEPS = [
  [path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json']],
  [process.execPath, [path.join(__dirname, 'bundle.js')]],
];

/** Runs the steps in order; the stamp is written only when every one succeeded. */
function build() {
  const digest = buildInputsDigest();
  fs.rmSync(stampFile(), { force: true });
  for (const [command, args] of STEPS) {
    const r = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) return r.status ?? 1;
  }
  fs.writeFileSync(stampFile(), digest);
  return 0;
}

process.exitCode = build();

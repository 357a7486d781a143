#!/usr/bin/env node
// Makes build/runai-access.bundle.js.cache: compiles the bundle as the loader does, runs
// `synth` on the bundled example into a temporary folder (so the functions a synth needs are
// compiled), and saves V8's code cache. Run by scripts/bundle.js.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

const ROOT = path.join(__dirname, '..');
const file = path.join(ROOT, 'build', 'runai-access.bundle.js');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'runai-access-cache-'));
const source = '(function (exports, require, module, __filename, __dirname) {' + fs.readFileSync(file, 'utf8') + '\n})';
const script = new vm.Script(source, { filename: file });
process.argv = [
  process.argv[0],
  file,
  'synth',
  '--quiet',
  '--config',
  path.join(ROOT, 'examples', 'runai-access.yaml'),
  '--out',
  path.join(out, 'dist'),
];
script.runInThisContext()(module.exports, require, module, file, path.dirname(file));
process.on('exit', (code) => {
  fs.rmSync(out, { recursive: true, force: true });
  if (code === 0 && !process.exitCode) fs.writeFileSync(`${file}.cache`, script.createCachedData());
});

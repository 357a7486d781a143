#!/usr/bin/env node
// npm run build's second step: bundles build/main.js (tsc output) into one file that starts
// fast, then a V8 code cache for it. Measured with npm run bench; each step here paid:
//   - one copy of `yaml`: cdk8s nests its own copy of the same version (2.9.x);
//   - no zod locales but English: zod imports all of them (63), we print our own messages;
//   - of cdk8s-plus-27's 136 Kubernetes L1 classes only those lib/ uses (scripts/shake-k8s.js);
//   - build/runai-access.js is a small loader that compiles the bundle with the code cache
//     (vm.Script cachedData), so V8 does not parse and compile 1 MB of JS on every start. A
//     cache made by another Node version is rejected by V8 and the bundle compiles as usual;
//   - build/runai-access (scripts/launcher.sh, run by the npm scripts) starts Node from a V8 start-up
//     snapshot of the CLI (scripts/snapshot.js), already loaded and warmed up, when this Node
//     made it, and runai-access.js otherwise.
'use strict';
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const { shakeK8s } = require('./shake-k8s');

const ROOT = path.join(__dirname, '..');
const BUILD = path.join(ROOT, 'build');
const BUNDLE = path.join(BUILD, 'runai-access.bundle.js');
const SNAPSHOT_ENTRY = path.join(BUILD, 'runai-access.snapshot-entry.js');

/** Resolves every `yaml` import to the top-level copy, and zod's locale index to English only. */
const slim = {
  name: 'slim',
  setup(build) {
    const topYaml = require.resolve('yaml', { paths: [ROOT] });
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: topYaml }));
    build.onResolve({ filter: /locales\/index\.cjs$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`) ? { path: path.join(__dirname, 'zod-locales-en.cjs') } : undefined,
    );
  },
};

const options = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  charset: 'ascii', // a one-byte source string: half the memory in the snapshot, a faster read
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [slim, shakeK8s(path.join(BUILD, 'lib'))],
};

Promise.all([
  esbuild.build({ ...options, entryPoints: [path.join(BUILD, 'main.js')], outfile: BUNDLE }),
  // A snapshot's entry runs with only require, __filename and __dirname: no CommonJS exports.
  esbuild.build({ ...options, entryPoints: [path.join(BUILD, 'snapshot.js')], outfile: SNAPSHOT_ENTRY, format: 'iife' }),
])
  .then(() => {
    // The loader wraps the bundle in a function, where main.ts's #! line would be a syntax error.
    fs.writeFileSync(BUNDLE, fs.readFileSync(BUNDLE, 'utf8').replace(/^#!.*\n/, ''));
    fs.writeFileSync(path.join(BUILD, 'runai-access.js'), LOADER, { mode: 0o755 });
    fs.copyFileSync(path.join(__dirname, 'launcher.sh'), path.join(BUILD, 'runai-access'));
    fs.chmodSync(path.join(BUILD, 'runai-access'), 0o755);
    // Compile once, run the bundled example, and keep what V8 compiled on the way.
    const r = spawnSync(process.execPath, [path.join(__dirname, 'code-cache.js')], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) {
      console.error(`bundle: the code cache was not made (the CLI still works, slower to start):\n${r.stderr}`);
    }
    require('./snapshot');
  })
  .catch((e) => {
    // esbuild has printed its own errors (logLevel warning); anything else is said here.
    if (!e?.errors?.length) console.error(`bundle: ${e?.stack ?? e}`);
    process.exitCode = 1;
  });

const LOADER = `#!/usr/bin/env node
// runai-access: compiles runai-access.bundle.js with its V8 code cache (made by npm run build),
// then runs it as this module. Without the cache, or with one V8 rejects, it compiles as usual.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const file = path.join(__dirname, 'runai-access.bundle.js');
let cachedData;
try {
  cachedData = fs.readFileSync(file + '.cache');
} catch {
  cachedData = undefined;
}
const source = '(function (exports, require, module, __filename, __dirname) {' + fs.readFileSync(file, 'utf8') + '\\n})';
const script = new vm.Script(source, { filename: file, cachedData, importModuleDynamically: undefined });
script.runInThisContext()(module.exports, require, module, file, __dirname);
`;

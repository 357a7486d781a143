#!/usr/bin/env node
// npm run bench [-- --runs N --dir D]: whole-process medians of runai-access against floors
// measured in the same interleaved run, so the figures are ratios that hold on any machine.
// Build first (npm ci does, via prepare).
//
// Floors:
//   node           node -e 0                                   (a bare node start)
//   kustomize      kubectl kustomize of the equivalent kustomization (secretGenerator + 2 objects)
//   npm            npm run -s bench:noop                        (npm run's own start-up around node -e 0)
//   fs             bare node writing the same files synth writes (for the fleets)
// Reference, not a target: node -e "require('cdk8s-plus-27')" (stock cdk8s's start-up).
// Every process runs without NODE_EXTRA_CA_CERTS: set to anything, it makes Node 20 build its root
// store at every start (its own bundled roots, then the file's), a cost that would sit in the floor
// and in our figures alike. When it is set, node -e 0 with it, with an empty file and the seed's
// synth with it are also timed, and shown apart.
//
// What is measured is the command admins run: build/runai-access (what npm run synth and the
// other npm scripts run), which starts Node from the V8 start-up snapshot npm run build made.
// node build/runai-access.js (no snapshot: another Node, an installed package) is shown beside it.
// Every synth that is a target writes: before each run (untimed) one byte of its previous
// output is changed, so the writer replaces the folder. A re-run with nothing changed (the
// writer then writes nothing) is shown apart.
//
// Targets (issue "Start like a Go tool"): the seed's three objects (Secret from PEM files,
// wildcard Ingress, RunaiConfig) within 1.5x of node and no slower than kustomize;
// npm run synth within npm's overhead plus that; 1,000 clusters within 2x of the fs floor,
// our own cost (above that floor) growing linearly; peak RSS of the example synth under
// 80 MiB. Exit 1 when a target is missed.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');

const ROOT = path.join(__dirname, '..');
const MAIN = path.join(ROOT, 'build', 'runai-access.js');
const CLI = path.join(ROOT, 'build', 'runai-access');
const BLOB = path.join(ROOT, 'build', 'runai-access.snapshot.blob');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' }, dir: { type: 'string', default: os.tmpdir() } } });
const RUNS = Number(values.runs);
function isFolder(dir) {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
/** Whether build/runai-access would start node from its snapshot here: its `exec` line, from `sh -x`. */
function startsFromSnapshot() {
  const r = spawnSync('sh', ['-x', CLI, '--help'], { encoding: 'utf8' });
  return r.status === 0 && r.stderr.split('\n').some((l) => l.startsWith('+ exec ') && l.includes(' --snapshot-blob '));
}
const problem =
  !Number.isInteger(RUNS) || RUNS < 1
    ? 'bench: --runs: must be a whole number of at least 1'
    : !isFolder(values.dir)
      ? `bench: --dir: ${values.dir} is not a folder; give an existing folder for the work files`
      : !fs.existsSync(MAIN) || !fs.existsSync(CLI) || !fs.existsSync(BLOB)
        ? 'bench: build/runai-access or its start-up snapshot is missing; run npm run build first'
        : spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status !== 0
          ? 'bench: kubectl is required on PATH (its kustomize is a floor)'
          : !startsFromSnapshot()
            ? 'bench: build/runai-access would not start node from its snapshot here (NODE_OPTIONS is set, or the node on PATH ' +
              "is not the one npm run build used, or it changed since), so its figures would not be the launcher's: " +
              'unset NODE_OPTIONS, or run npm run build with this node'
            : undefined;
if (problem) {
  console.error(problem);
  process.exitCode = 2;
  return; // top level of a CommonJS module: nothing below runs
}

const work = fs.mkdtempSync(path.join(values.dir, 'runai-access-bench-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));

// A preload that records the process's peak RSS when it exits.
const PRELOAD = path.join(work, 'rss.js');
fs.writeFileSync(
  PRELOAD,
  `process.on('exit', () => require('fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n`,
);

// Every timed process gets this environment: no NODE_EXTRA_CA_CERTS (see above), and no
// NODE_OPTIONS, which would also send build/runai-access to runai-access.js.
const EXTRA_CA = process.env.NODE_EXTRA_CA_CERTS;
const CLEAN_ENV = { ...process.env };
delete CLEAN_ENV.NODE_EXTRA_CA_CERTS;
delete CLEAN_ENV.NODE_OPTIONS;

/**
 * Runs one command once, bare, and returns its wall ms; with `rss`, also its peak RSS in MiB, read
 * from a second, untimed run of the same node process with the preload on its command line (for
 * the launcher, of what it execs: node from the snapshot), so that no timed run carries it.
 */
function runOnce(cmd, args, rss, i, extraEnv = {}) {
  const env = { ...CLEAN_ENV, ...extraEnv };
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  if (!rss) return { ms, rssMiB: 0 };
  if (cmd !== CLI && cmd !== process.execPath) throw new Error(`bench: peak RSS is read for node processes only, not ${cmd}`);
  const rssFile = path.join(work, `rss-${i}`);
  const preloaded = cmd === CLI ? ['--snapshot-blob', BLOB, '--require', PRELOAD, '--', ...args] : ['--require', PRELOAD, ...args];
  // As the launcher starts node from the snapshot: with glibc's huge pages unless the caller set
  // that tunable (hugepages in scripts/launcher.sh; bench runs no doctor).
  const own = /(^|:)glibc\.malloc\.hugetlb=/.test(env.GLIBC_TUNABLES ?? '');
  const tunables = cmd === CLI && !own ? { GLIBC_TUNABLES: [env.GLIBC_TUNABLES, 'glibc.malloc.hugetlb=1'].filter(Boolean).join(':') } : {};
  const again = spawnSync(process.execPath, preloaded, { cwd: ROOT, env: { ...env, ...tunables, BENCH_RSS_FILE: rssFile } });
  if (again.status !== 0) throw new Error(`the peak RSS run of ${cmd} ${args.join(' ')} exited ${again.status}`);
  return { ms, rssMiB: Number(fs.readFileSync(rssFile, 'utf8')) / 1024 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Runs the commands round-robin RUNS times after one warm-up each, so that every command of a
 * comparison sees the same machine (a shared machine drifts); returns each one's median wall ms
 * and peak RSS. `opts.before` runs, untimed, before each run of its command; `opts.env` is added
 * to its environment.
 */
function measureTogether(commands) {
  const samples = commands.map(() => ({ times: [], peak: 0 }));
  for (let i = 0; i <= RUNS; i++) {
    commands.forEach(([cmd, args, opts = {}], j) => {
      opts.before?.(); // untimed
      const r = runOnce(cmd, args, opts.rss, `${i}-${j}`, opts.env);
      if (i === 0) return; // warm-up: file cache, JIT of npm itself
      samples[j].times.push(r.ms);
      samples[j].peak = Math.max(samples[j].peak, r.rssMiB);
    });
  }
  return samples.map((s, j) => ({ ms: median(s.times), rssMiB: commands[j][2]?.rss ? s.peak : undefined }));
}

const { fleet, manifestOf, writeFsFloor } = require('./bench-fleet');
const FS_FLOOR = writeFsFloor(work);

const fmt = (ms) => `${ms.toFixed(0).padStart(6)} ms`;
const x = (a, b) => `${(a / b).toFixed(2)}x`;
console.log(`runai-access bench: median of ${RUNS} interleaved runs after a warm-up; node ${process.version}, ${os.cpus().length} cpus\n`);

// The seed: one cluster, Secret from the demo PEM files, the dedicated Ingress and the overlay.
const seed = path.join(work, 'seed');
fs.mkdirSync(seed);
const CERT = path.join(ROOT, 'examples', 'certs', 'fullchain.pem');
const KEY = path.join(ROOT, 'examples', 'certs', 'private.pem');
fs.writeFileSync(
  path.join(seed, 'runai-access.yaml'),
  `clusters:\n  - name: seed\n    clusterUrl: runai.example.com\n    runaiVersion: "2.20"\n    tls: {source: files, certFile: ${CERT}, keyFile: ${KEY}}\n`,
);
runOnce(CLI, ['synth', '--quiet', '--config', path.join(seed, 'runai-access.yaml'), '--out', path.join(seed, 'dist')], false, 'seed');
// The equivalent kustomization: kustomize's secretGenerator makes the Secret from the same files.
const kust = path.join(work, 'kustomize');
fs.mkdirSync(kust);
const seedObjects = fs.readdirSync(path.join(seed, 'dist', 'seed')).filter((f) => /^(10|20)-.*\.yaml$/.test(f));
for (const f of seedObjects) fs.copyFileSync(path.join(seed, 'dist', 'seed', f), path.join(kust, f));
fs.copyFileSync(CERT, path.join(kust, 'tls.crt'));
fs.copyFileSync(KEY, path.join(kust, 'tls.key'));
fs.writeFileSync(
  path.join(kust, 'kustomization.yaml'),
  `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
generatorOptions: {disableNameSuffixHash: true}
secretGenerator:
  - {name: runai-cluster-domain-star-tls-secret, namespace: runai, type: kubernetes.io/tls, files: [tls.crt, tls.key]}
resources: [${seedObjects.join(', ')}]
`,
);
fs.mkdirSync(path.join(work, 'kustomize-out'));

/** Changes one byte of an output folder synth wrote (if any), so that the next synth replaces it. */
const changed = (out) => () => {
  if (!fs.existsSync(out)) return;
  const cluster = fs.readdirSync(out).find((e) => !e.startsWith('.'));
  const file = path.join(
    out,
    cluster,
    fs.readdirSync(path.join(out, cluster)).find((f) => f.endsWith('.yaml')),
  );
  fs.appendFileSync(file, '#');
};
const seedConfig = path.join(seed, 'runai-access.yaml');
const synthArgs = (config, out) => ['synth', '--quiet', '--config', config, '--out', out];
const seedOut = (name) => path.join(seed, name);
const exampleConfig = path.join(ROOT, 'examples', 'runai-access.yaml');

const EMPTY_CA = path.join(work, 'empty-ca.pem');
fs.writeFileSync(EMPTY_CA, '');
const withExtraCa = EXTRA_CA
  ? [
      [process.execPath, ['-e', '0'], { env: { NODE_EXTRA_CA_CERTS: EXTRA_CA } }],
      [process.execPath, ['-e', '0'], { env: { NODE_EXTRA_CA_CERTS: EMPTY_CA } }],
      [CLI, synthArgs(seedConfig, seedOut('dist-ca')), { env: { NODE_EXTRA_CA_CERTS: EXTRA_CA }, before: changed(seedOut('dist-ca')) }],
    ]
  : [];
const [
  node,
  kustomize,
  npmNoop,
  seedCli,
  seedJs,
  seedNpm,
  seedUnchanged,
  example,
  exampleJs,
  reference,
  help,
  nodeCa,
  nodeEmptyCa,
  seedCa,
] = measureTogether([
  [process.execPath, ['-e', '0'], { rss: true }],
  ['kubectl', ['kustomize', kust, '-o', path.join(work, 'kustomize-out')]],
  ['npm', ['run', '-s', 'bench:noop']],
  [CLI, synthArgs(seedConfig, seedOut('dist-cli')), { rss: true, before: changed(seedOut('dist-cli')) }],
  [process.execPath, [MAIN, ...synthArgs(seedConfig, seedOut('dist-js'))], { rss: true, before: changed(seedOut('dist-js')) }],
  [
    'npm',
    ['run', '-s', ...synthArgs(seedConfig, seedOut('dist-npm')).flatMap((a, i) => (i === 1 ? ['--', a] : [a]))],
    { before: changed(seedOut('dist-npm')) },
  ],
  [CLI, synthArgs(seedConfig, seedOut('dist'))],
  [CLI, synthArgs(exampleConfig, path.join(work, 'example')), { rss: true, before: changed(path.join(work, 'example')) }],
  [
    process.execPath,
    [MAIN, ...synthArgs(exampleConfig, path.join(work, 'example-js'))],
    { rss: true, before: changed(path.join(work, 'example-js')) },
  ],
  [process.execPath, ['-e', "require('cdk8s-plus-27')"]],
  [CLI, ['--help']],
  ...withExtraCa,
]);
const npmOverhead = npmNoop.ms - node.ms;

console.log(`floors${EXTRA_CA ? ' (every process runs without NODE_EXTRA_CA_CERTS: see the end)' : ''}`);
console.log(`  node -e 0                                    ${fmt(node.ms)}  peak RSS ${node.rssMiB.toFixed(0)} MiB`);
console.log(`  kubectl kustomize (seed equivalent)          ${fmt(kustomize.ms)}  ${x(kustomize.ms, node.ms)} node`);
console.log(`  npm run -s bench:noop                        ${fmt(npmNoop.ms)}  (npm run adds ${npmOverhead.toFixed(0)} ms)`);
console.log(
  `  reference: node -e "require('cdk8s-plus-27')" ${fmt(reference.ms)}  ${x(reference.ms, node.ms)} node (stock cdk8s start-up)`,
);
const line = (label, r, extra = '') =>
  console.log(
    `  ${label.padEnd(44)} ${fmt(r.ms)}  ${x(r.ms, node.ms)} node${extra}${r.rssMiB ? `, peak RSS ${r.rssMiB.toFixed(0)} MiB` : ''}`,
  );
console.log('start-up alone');
line('runai-access --help', help);
console.log("the seed's three objects (Secret from PEM files, wildcard Ingress, RunaiConfig), written");
line('runai-access synth (build/runai-access)', seedCli, `, ${x(seedCli.ms, kustomize.ms)} kustomize`);
line('node build/runai-access.js synth (no snapshot)', seedJs, `, ${x(seedJs.ms, kustomize.ms)} kustomize`);
console.log(
  `  npm run -s synth                             ${fmt(seedNpm.ms)}  ${x(seedNpm.ms - npmOverhead, node.ms)} node after npm's overhead`,
);
line('runai-access synth, output already up to date', seedUnchanged, ', nothing written');
console.log('the bundled example (examples/runai-access.yaml: 1 cluster, 8 objects), written');
line('runai-access synth (build/runai-access)', example);
line('node build/runai-access.js synth (no snapshot)', exampleJs);

if (EXTRA_CA) {
  let certs = 'unreadable';
  try {
    certs = `${(fs.readFileSync(EXTRA_CA, 'utf8').match(/-----BEGIN CERTIFICATE-----/g) ?? []).length} certificates`;
  } catch {
    // Node warns and goes on; so does the bench
  }
  console.log(`this environment sets NODE_EXTRA_CA_CERTS=${EXTRA_CA} (${certs}): Node 20 then builds its root store at every start`);
  console.log(
    `  node -e 0 with it                            ${fmt(nodeCa.ms)}  ${x(nodeCa.ms, node.ms)} node (+${(nodeCa.ms - node.ms).toFixed(0)} ms)`,
  );
  console.log(
    `  node -e 0 with an empty file in it           ${fmt(nodeEmptyCa.ms)}  ${x(nodeEmptyCa.ms, node.ms)} node (+${(nodeEmptyCa.ms - node.ms).toFixed(0)} ms: Node's own roots)`,
  );
  console.log(
    `  runai-access synth of the seed with it       ${fmt(seedCa.ms)}  ${x(seedCa.ms, nodeCa.ms)} node -e 0 with it (the launcher leaves it out: synth makes no TLS connection)`,
  );
}

console.log(
  'fleets (runai-access synth, own PEM files per cluster, 6 modes mixed; one byte of the previous output changed before each run)',
);
console.log(`  in ${work} (--dir to choose); fs floor = bare node writing the same files (see above)`);
console.log('  clusters  files       wall   per cluster  peak RSS    fs floor  wall / fs floor');
const results = {};
for (const n of [1, 10, 100, 1000]) {
  const dir = fleet(work, n);
  const out = path.join(dir, 'dist');
  // One synth first, so that the fs floor can copy the tree it writes; then both, interleaved.
  runOnce(CLI, synthArgs(path.join(dir, 'runai-access.yaml'), out), false, 'seed');
  const manifest = manifestOf(work, out);
  const [r, floorFs] = measureTogether([
    [CLI, synthArgs(path.join(dir, 'runai-access.yaml'), out), { rss: true, before: changed(out) }],
    [process.execPath, [FS_FLOOR, manifest.file, path.join(dir, 'floor')]],
  ]);
  r.floor = floorFs.ms;
  results[n] = r;
  console.log(
    `  ${String(n).padStart(8)} ${String(manifest.count).padStart(6)} ${fmt(r.ms)}  ${(r.ms / n).toFixed(2).padStart(8)} ms  ${r.rssMiB.toFixed(0).padStart(4)} MiB ${fmt(floorFs.ms)}  ${x(r.ms, floorFs.ms).padStart(8)}`,
  );
}

// Linear growth: runai-access's own marginal cost per cluster (its wall above the fs floor) from
// 100 to 1000 should not exceed 1.5x the one from 1 to 100. The disk's own growth is not ours: on
// these machines the fs floor itself costs about twice as much per file at 1000 as at 100.
const above = (n) => results[n].ms - results[n].floor;
const marginal = (from, to, of) => (of(to) - of(from)) / (to - from);
const marginalLow = marginal(1, 100, above);
const marginalHigh = marginal(100, 1000, above);
const wall = (n) => results[n].ms;
const floorOf = (n) => results[n].floor;
console.log(
  `  marginal ms per cluster, 1->100 and 100->1000: wall ${marginal(1, 100, wall).toFixed(2)} -> ${marginal(100, 1000, wall).toFixed(2)}, ` +
    `fs floor ${marginal(1, 100, floorOf).toFixed(2)} -> ${marginal(100, 1000, floorOf).toFixed(2)}, ` +
    `runai-access's own (wall - fs floor) ${marginalLow.toFixed(2)} -> ${marginalHigh.toFixed(2)}`,
);
const checks = [
  ["the seed's three objects within 1.5x of node -e 0", seedCli.ms <= 1.5 * node.ms, x(seedCli.ms, node.ms)],
  ["the seed's three objects no slower than kubectl kustomize", seedCli.ms <= kustomize.ms, x(seedCli.ms, kustomize.ms)],
  [
    "npm run synth within npm's overhead plus 1.5x node -e 0",
    seedNpm.ms <= npmOverhead + 1.5 * node.ms,
    `${fmt(seedNpm.ms).trim()} against ${(npmOverhead + 1.5 * node.ms).toFixed(0)} ms`,
  ],
  ['1,000 clusters within 2x of the fs floor', results[1000].ms <= 2 * results[1000].floor, x(results[1000].ms, results[1000].floor)],
  [
    "linear growth (runai-access's own marginal ms/cluster 100->1000 <= 1.5x that of 1->100)",
    marginalHigh <= 1.5 * Math.max(marginalLow, 0.1),
    `${marginalLow.toFixed(2)} -> ${marginalHigh.toFixed(2)} ms/cluster above the fs floor`,
  ],
  ['peak RSS of the example synth under 80 MiB', example.rssMiB < 80, `${example.rssMiB.toFixed(0)} MiB`],
];
console.log('\ntargets');
for (const [name, ok, figure] of checks) console.log(`  ${ok ? 'met   ' : 'MISSED'} ${name}: ${figure}`);
process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;

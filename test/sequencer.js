// Longest suites first, so neither of the two workers is left with a long suite at the end.
// Jest orders by the durations it recorded in its cache; a fresh clone has none, and jest's
// fallback, the file's size, would start package.test.ts (a small file that packs and installs
// the package, one of the longest) last. These estimates (ms, measured on the 2-core machines)
// stand in until jest has its own; suites not listed count by file size, about 1 s per 20 kB.
const Sequencer = require('@jest/test-sequencer').default;
const path = require('node:path');

const ESTIMATES = {
  'doctor-cli.test.ts': 8800,
  'package.test.ts': 7500,
  'launcher.test.ts': 6600,
  'reliability.test.ts': 6600,
  'key-leaks.test.ts': 6200,
  'kubectl-parity.test.ts': 6000,
  'doctor-cluster.test.ts': 5800,
  'process-main.test.ts': 5000,
  'admin-config-snapshot.test.ts': 4000,
  'cert-fuzz.test.ts': 3400,
  'lock.test.ts': 2900,
  'gitops-loop.test.ts': 2800,
  'fuzz.test.ts': 2200,
  'doctor-probes.test.ts': 1900,
  'chain-authority.test.ts': 1800,
  'migration.test.ts': 1800,
};

module.exports = class extends Sequencer {
  time(test) {
    const recorded = super.time(test);
    if (recorded !== undefined) return recorded;
    return ESTIMATES[path.basename(test.path)] ?? (test.context.hasteFS.getSize(test.path) ?? 0) / 20;
  }
};

// Longest suites first, so neither of the two workers is left with a long suite at the end.
// Jest orders by the durations it recorded in its cache; a fresh clone has none, and jest's
// fallback, the file's size, would start package.test.ts (a small file that packs and installs
// the package, one of the longest) last. These estimates (ms, measured on the 2-core machines)
// stand in until jest has its own; suites not listed count by file size, about 1 s per 20 kB.
const Sequencer = require('@jest/test-sequencer').default;
const path = require('node:path');

const ESTIMATES = {
  'package.test.ts': 13000,
  'key-leaks.test.ts': 11000,
  'cert-fuzz.test.ts': 10000,
  'kubectl-parity.test.ts': 9000,
  'doctor-cli.test.ts': 8000,
  'admin-config-snapshot.test.ts': 7000,
  'migration.test.ts': 6500,
  'reliability.test.ts': 6000,
  'cli.test.ts': 5000,
  'doctor-cluster.test.ts': 5000,
  'cli-init-stdout.test.ts': 4500,
  'gitops-loop.test.ts': 4500,
  'launcher.test.ts': 4500,
  'pem.test.ts': 3000,
};

module.exports = class extends Sequencer {
  time(test) {
    const recorded = super.time(test);
    if (recorded !== undefined) return recorded;
    return ESTIMATES[path.basename(test.path)] ?? (test.context.hasteFS.getSize(test.path) ?? 0) / 20;
  }
};

// Longest suites first, so neither of the two workers is left with a long suite at the end.
// Jest orders by the durations it recorded in its cache; a fresh clone has none, and jest's
// fallback, the file's size, would start package.test.ts (a small file that packs and installs
// the package, one of the longest) last. These estimates (ms, measured on the 2-core machines)
// stand in until jest has its own; suites not listed count by file size, about 1 s per 20 kB.
const Sequencer = require('@jest/test-sequencer').default;
const path = require('node:path');

const ESTIMATES = {
  'package.test.ts': 9000,
  'key-leaks.test.ts': 8700,
  'doctor-cli.test.ts': 7400,
  'launcher.test.ts': 7700,
  'kubectl-parity.test.ts': 6600,
  'reliability.test.ts': 6000,
  'process-main.test.ts': 2800,
  'doctor-cluster.test.ts': 5100,
  'admin-config-snapshot.test.ts': 4500,
  'cert-fuzz.test.ts': 3400,
  'migration.test.ts': 3100,
  'lock.test.ts': 3000,
  'gitops-loop.test.ts': 2700,
  'chain-authority.test.ts': 2400,
  'fuzz.test.ts': 2000,
  'cli.test.ts': 1900,
  'doctor-probes.test.ts': 1900,
  'doctor-gateway.test.ts': 1800,
  'readme-doctor.test.ts': 1700,
};

module.exports = class extends Sequencer {
  time(test) {
    const recorded = super.time(test);
    if (recorded !== undefined) return recorded;
    return ESTIMATES[path.basename(test.path)] ?? (test.context.hasteFS.getSize(test.path) ?? 0) / 20;
  }
};

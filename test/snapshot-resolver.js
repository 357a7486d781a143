// Keeps snapshots in the top-level __snapshots__/ folder, where users review them.
const path = require('node:path');

const dir = path.join(__dirname, '..', '__snapshots__');

module.exports = {
  resolveSnapshotPath: (testPath, ext) => path.join(dir, path.basename(testPath) + ext),
  resolveTestPath: (snapshotPath, ext) => path.join(__dirname, path.basename(snapshotPath, ext)),
  testPathForConsistencyCheck: path.join(__dirname, 'example.test.ts'),
};

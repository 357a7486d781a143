// Before any suite: a folder for the fixtures this jest run shares between suites (see
// sharedCorpus in test/cert-corpus.ts, and test/key-pool.ts). Workers start after this and
// inherit the variable; test/global-teardown.js removes the folder.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = () => {
  process.env.RUNAI_ACCESS_TEST_SHARED = fs.mkdtempSync(path.join(os.tmpdir(), 'runai-access-test-shared-'));
};

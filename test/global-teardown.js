// After every suite: removes the shared fixtures folder test/global-setup.js made.
const fs = require('node:fs');

module.exports = () => {
  const dir = process.env.RUNAI_ACCESS_TEST_SHARED;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};

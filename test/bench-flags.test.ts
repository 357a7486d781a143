/** `npm run bench`'s flags: bad ones get one line and exit 2 before any work (the bench itself is not a test). */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

import { ROOT } from './helpers';

const bench = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'bench.js'), ...args], { encoding: 'utf8' });

test.each([
  [['--runs', '0'], 'bench: --runs: must be a whole number of at least 1'],
  [
    ['--dir', '/nonexistent-runai-access'],
    'bench: --dir: /nonexistent-runai-access is not a folder; give an existing folder for the work files',
  ],
  [
    ['--dir', path.join(ROOT, 'package.json')],
    `bench: --dir: ${path.join(ROOT, 'package.json')} is not a folder; give an existing folder for the work files`,
  ],
])('fails when given %j: one line, exit 2, no stack', (args, line) => {
  const r = bench(...args);
  expect([r.status, r.stderr, r.stdout]).toEqual([2, `${line}\n`, '']);
});

/**
 * `npm run bench`'s flags and preconditions: bad ones get one line and exit 2 before any work (the
 * bench itself is not a test).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

import { ROOT } from './helpers';

const bench = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'bench.js'), ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

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
  const r = bench(args);
  expect([r.status, r.stderr, r.stdout]).toEqual([2, `${line}\n`, '']);
});

test("fails when the launcher would not start from its snapshot (here NODE_OPTIONS set): its figures would not be the launcher's", () => {
  const r = bench(['--runs', '1'], { NODE_OPTIONS: '--max-old-space-size=300' });
  expect([r.status, r.stdout]).toEqual([2, '']);
  expect(r.stderr).toBe(
    'bench: build/runai-access would not start node from its snapshot here (NODE_OPTIONS is set, or the node on PATH is not the one ' +
      "npm run build used, or it changed since), so its figures would not be the launcher's: unset NODE_OPTIONS, or run npm run build " +
      'with this node\n',
  );
});

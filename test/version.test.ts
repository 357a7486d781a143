/** `runai-access --version`: the version package.json gives, through every way the CLI starts. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { VERSION } from '../lib/model/version';
import { LAUNCHER, MAIN, ROOT, runInProcess, tempDir } from './helpers';

const PACKAGE_VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

test("the version is package.json's (after `npm version`, set lib/model/version.ts to the same)", () => {
  expect(VERSION).toBe(PACKAGE_VERSION);
});

test.each([
  ['the launcher (snapshot)', [LAUNCHER]],
  ['runai-access.js, the package bin', [process.execPath, MAIN]],
])('--version through %s prints "runai-access VERSION" on stdout, runs nothing and exits 0', (_name, cli) => {
  const dir = tempDir();
  const r = spawnSync(cli[0], [...cli.slice(1), '--version'], { cwd: dir, encoding: 'utf8' });
  expect([r.status, r.stdout, r.stderr]).toEqual([0, `runai-access ${PACKAGE_VERSION}\n`, '']);
  expect(fs.readdirSync(dir)).toEqual([]);
});

test("--help names --version; a command's --help does not, as no command takes it", () => {
  expect(runInProcess(['--help']).stdout).toContain('--version');
  expect(runInProcess(['synth', '--help']).stdout).not.toContain('--version');
});

test.each([
  [
    ['synth', '--version'],
    'runai-access: --version: not an option of synth; allowed: --config, --out, --strict, --warn-days, --at, --quiet, --stdout, --include-secrets, --cluster, --help',
  ],
  [['--version', 'synht'], 'runai-access: synht: unknown command; did you mean synth? allowed: synth, check, validate, url, init, doctor'],
  [['--version=yes'], 'runai-access: --version: takes no value'],
])('fails for %j: --version with a command, a command it is not, or a value (exit 2, one line, nothing run)', (args, line) => {
  const dir = tempDir();
  expect(runInProcess(args, { cwd: dir })).toEqual({ status: 2, stdout: '', stderr: `${line}\n` });
  expect(fs.readdirSync(dir)).toEqual([]);
});

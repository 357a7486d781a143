/** `makeFolders`: mkdir -p for init and the writer, which always ends (Node's recursive mkdir spins under /proc). */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { makeFolders } from '../lib/output/make-folders';
import { demoConfig, MAIN, runInProcess, tempDir, writeConfig } from './helpers';

test('makes the missing folders, outermost first, and returns them', () => {
  const dir = tempDir();
  expect(makeFolders(path.join(dir, 'a', 'b', 'c'))).toEqual([
    path.join(dir, 'a'),
    path.join(dir, 'a', 'b'),
    path.join(dir, 'a', 'b', 'c'),
  ]);
  expect(fs.statSync(path.join(dir, 'a', 'b', 'c')).isDirectory()).toBe(true);
});

test('makes nothing when the folder is there, or is a link to a folder', () => {
  const dir = tempDir();
  fs.symlinkSync(dir, path.join(dir, 'link'));
  expect(makeFolders(dir)).toEqual([]);
  expect(makeFolders(path.join(dir, 'link'))).toEqual([]);
  expect(makeFolders(path.join(dir, 'link', 'new'))).toEqual([path.join(dir, 'link', 'new')]);
});

test('fails when a file is in the way: ENOTDIR, naming the file', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'file'), '');
  expect(() => makeFolders(path.join(dir, 'file', 'x'))).toThrow(
    expect.objectContaining({ code: 'ENOTDIR', path: path.join(dir, 'file') }),
  );
});

test('fails when a link to nothing is in the way: ENOENT, naming the link', () => {
  const dir = tempDir();
  fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'));
  expect(() => makeFolders(path.join(dir, 'dangling', 'dist'))).toThrow(
    expect.objectContaining({ code: 'ENOENT', path: path.join(dir, 'dangling') }),
  );
});

test('fails when links that lead to each other are in the way: ELOOP, naming the first, not a missing folder', () => {
  const dir = tempDir();
  fs.symlinkSync('lp2', path.join(dir, 'lp1'));
  fs.symlinkSync('lp1', path.join(dir, 'lp2'));
  expect(() => makeFolders(path.join(dir, 'lp1', 'dist'))).toThrow(expect.objectContaining({ code: 'ELOOP', path: path.join(dir, 'lp1') }));
});

test('synth --out through a loop of links: one line naming the loop (exit 2)', () => {
  const dir = tempDir();
  writeConfig(dir, demoConfig(''));
  fs.symlinkSync('lp2', path.join(dir, 'lp1'));
  fs.symlinkSync('lp1', path.join(dir, 'lp2'));
  const r = runInProcess(['synth', '-q', '--out', 'lp1/x'], { cwd: dir });
  expect([r.status, r.stdout, r.stderr]).toEqual([
    2,
    '',
    '--out: cannot write lp1/x: its symbolic links form a loop (ELOOP); no output was written\n',
  ]);
});

test('takes a folder another run made between the look and the mkdir (a stand-in fs makes it first)', () => {
  const dir = tempDir();
  const racing = {
    statSync: fs.statSync,
    mkdirSync: ((p: string) => {
      fs.mkdirSync(p); // the other run
      return fs.mkdirSync(p); // ours: EEXIST
    }) as typeof fs.mkdirSync,
  };
  // Made by the other run, so not ours to take back.
  expect(makeFolders(path.join(dir, 'a', 'b'), racing)).toEqual([]);
  expect(fs.statSync(path.join(dir, 'a', 'b')).isDirectory()).toBe(true);
});

test('tells of each folder as it is made, so a caller can take them back when a later one fails', () => {
  const dir = tempDir();
  const made: string[] = [];
  expect(() => makeFolders(path.join(dir, 'a', 'b', 'x'.repeat(300)), fs, (f) => made.push(f))).toThrow(
    expect.objectContaining({ code: 'ENAMETOOLONG' }),
  );
  expect(made).toEqual([path.join(dir, 'a'), path.join(dir, 'a', 'b')]);
});

test('fails when init cannot make a folder deep in DIR, and takes back the folders it made (it said it wrote nothing)', () => {
  const dir = tempDir();
  const r = spawnSync(process.execPath, [MAIN, 'init', path.join(dir, 'a', 'b', 'x'.repeat(300))], { encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/^init: cannot write .*: .*\(ENAMETOOLONG\); init wrote nothing\n$/);
  expect(fs.readdirSync(dir)).toEqual([]);
});

test('fails under /proc at once, where mkdir keeps saying ENOENT', () => {
  expect(() => makeFolders('/proc/runai-access-test/x')).toThrow(
    expect.objectContaining({ code: 'ENOENT', path: '/proc/runai-access-test' }),
  );
});

test.each([
  [
    'init',
    ['init', '/proc/runai-access-test'],
    'init: cannot write /proc/runai-access-test: a folder on the path is missing, or this file system cannot make one there (ENOENT); init wrote nothing\n',
  ],
  [
    'synth',
    ['synth', '--config', path.join(__dirname, '..', 'examples', 'runai-access.yaml'), '--out', '/proc/runai-access-test/dist', '-q'],
    '--out: cannot write /proc/runai-access-test/dist: a folder on the path is missing, or this file system cannot make one there (ENOENT); no output was written\n',
  ],
])('fails when %s writes under /proc: one line and exit 2, not a process that never ends', (_, args, line) => {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
  expect(r.signal).toBeNull();
  expect(r.status).toBe(2);
  expect(
    r.stderr
      .split('\n')
      .filter((l) => !l.startsWith('warning:'))
      .join('\n'),
  ).toBe(line);
});

/**
 * An --out that synth cannot write as the path says (lib/output/out-path.ts): refused with one line
 * and exit 2 before anything is written.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { MAX_OUT_NAME_BYTES } from '../lib/output/out-path';
import { demoConfig, runInProcess, tempDir, treeOf, writeConfig } from './helpers';

function project() {
  const dir = tempDir();
  writeConfig(dir, demoConfig());
  const synth = (...flags: string[]) => runInProcess(['synth', '-q', ...flags], { cwd: dir });
  return { dir, synth };
}

test('fails when --out is inside another output folder (a cluster folder too), which a synth into that folder would replace whole', () => {
  const { dir, synth } = project();
  expect(synth().status).toBe(0);
  const before = treeOf(path.join(dir, 'dist'));
  for (const out of ['dist/staging', 'dist/demo/sub', path.join(dir, 'dist', 'x')]) {
    expect(synth('--out', out)).toEqual({
      status: 2,
      stdout: '',
      stderr:
        `--out: ${out} is inside dist, an output folder of runai-access (it carries .runai-access), which a synth into it replaces ` +
        'whole, this one with it; give an --out outside it\n',
    });
  }
  // Through a link to the output folder: the folder it leads to is what holds it.
  fs.symlinkSync('dist', path.join(dir, 'linked'));
  expect(synth('--out', 'linked/x').stderr).toMatch(/^--out: linked\/x is inside dist, an output folder/);
  // An --out that is itself a link into it (to an output nested there before this was refused) is
  // replaced by a folder where the link was, beside it: written, and the folder it led to left as it was.
  fs.mkdirSync(path.join(dir, 'dist', 'nested'));
  fs.copyFileSync(path.join(dir, 'dist', '.runai-access'), path.join(dir, 'dist', 'nested', '.runai-access'));
  const withNested = treeOf(path.join(dir, 'dist'));
  fs.symlinkSync('dist/nested', path.join(dir, 'into'));
  expect(synth('--out', 'into').status).toBe(0);
  expect(fs.lstatSync(path.join(dir, 'into')).isDirectory()).toBe(true);
  expect(treeOf(path.join(dir, 'dist'))).toEqual(withNested);
  fs.rmSync(path.join(dir, 'dist', 'nested'), { recursive: true });
  expect(treeOf(path.join(dir, 'dist'))).toEqual(before);
  // Beside it, or in a folder beside it: written.
  expect(synth('--out', 'dist2').status).toBe(0);
  expect(synth('--out', 'deploy/prod').status).toBe(0);
});

test('fails when --out has ".." after a link, a file or nothing, where the file system and the writer would name different folders', () => {
  const { dir, synth } = project();
  fs.mkdirSync(path.join(dir, 'elsewhere', 'deep'), { recursive: true });
  fs.symlinkSync(path.join(dir, 'elsewhere', 'deep'), path.join(dir, 'link'));
  fs.writeFileSync(path.join(dir, 'file'), 'x\n');
  for (const [out, before] of [
    ['link/../out', 'link'],
    ['missing/../out', 'missing'],
    ['file/../out', 'file'],
    [`${dir}/link/../out`, `${dir}/link`],
    ['elsewhere/link2/../../out', 'elsewhere/link2'],
  ]) {
    if (out.includes('link2')) fs.symlinkSync('deep', path.join(dir, 'elsewhere', 'link2'));
    const r = synth('--out', out);
    expect([r.status, r.stderr]).toEqual([
      2,
      `--out: ${out} has ".." after ${before}, which is a link or no folder: the file system takes ".." from where it leads (or ` +
        "finds no path), synth's path arithmetic would not, and the two would name different folders; give the path without it\n",
    ]);
  }
  expect(fs.readdirSync(dir).sort()).toEqual(['elsewhere', 'file', 'link', 'runai-access.yaml']);
  // ".." after real folders (the current folder's parent, a path a CI job builds from its own folder) is where both say.
  fs.mkdirSync(path.join(dir, 'sub'));
  expect(synth('--out', `${dir}/sub/../deploy/dist`).status).toBe(0);
  expect(fs.existsSync(path.join(dir, 'deploy', 'dist', '.runai-access'))).toBe(true);
  expect(synth('--out', 'sub/./../elsewhere/../dist2').status).toBe(0);
  expect(fs.existsSync(path.join(dir, 'dist2', '.runai-access'))).toBe(true);
  expect(runInProcess(['synth', '-q', '-c', '../runai-access.yaml', '--out', '../out'], { cwd: path.join(dir, 'sub') }).status).toBe(0);
  expect(fs.existsSync(path.join(dir, 'out', '.runai-access'))).toBe(true);
});

test('fails when the name of --out leaves no room for what synth writes beside it (.<name>.lock.stale-<pid>-<hex>); the longest that does is written', () => {
  const { dir, synth } = project();
  expect(MAX_OUT_NAME_BYTES).toBe(226);
  const long = 'e'.repeat(MAX_OUT_NAME_BYTES + 1);
  expect(synth('--out', long)).toEqual({
    status: 2,
    stdout: '',
    stderr:
      `--out: ${long} has a name of 227 bytes; synth gives what it writes beside it longer names (a stale lock it sets aside: ` +
      '.<name>.lock.stale-<pid>-<8 hex>), which must fit in the 255 bytes a file name may have: give a name of at most 226 bytes\n',
  });
  // Bytes, not characters: 114 two-byte letters are 228 bytes.
  expect(synth('--out', 'é'.repeat(114)).stderr).toContain('has a name of 228 bytes');
  // The longest: written, and written again after a synth killed while it held the lock (a stale lock, set aside under the longest name).
  const longest = 'e'.repeat(MAX_OUT_NAME_BYTES);
  expect(synth('--out', longest).status).toBe(0);
  fs.writeFileSync(
    path.join(dir, `.${longest}.lock`),
    JSON.stringify({ pid: 4_194_303, host: os.hostname(), started: '2020-01-01T00:00:00.000Z', nonce: '0123456789abcdef' }),
  );
  expect(synth('--out', longest).status).toBe(0);
  expect(fs.readdirSync(dir).sort()).toEqual([longest, 'runai-access.yaml']);
});

test('check fails with one line, not an internal error, when the folder that would hold the lock cannot be reached; a long name is compared', () => {
  const { dir, synth } = project();
  fs.writeFileSync(path.join(dir, 'file'), 'x\n');
  fs.symlinkSync('loop2', path.join(dir, 'loop1'));
  fs.symlinkSync('loop1', path.join(dir, 'loop2'));
  const check = (out: string) => runInProcess(['check', '-q', '--out', out], { cwd: dir });
  expect(check('file/dist')).toEqual({
    status: 2,
    stdout: '',
    stderr: '--out: cannot compare file/dist: it does not exist: a part of its path is a file, not a folder\n',
  });
  expect(check('loop1/dist')).toEqual({
    status: 2,
    stdout: '',
    stderr: '--out: cannot compare loop1/dist: it cannot be read: its symbolic links form a loop\n',
  });
  // Its lock's name (.<name>.lock) is too long for the file system, so no lock can be there: compared,
  // and the synth that would mend it is not advised, since it refuses the name.
  const long = 'e'.repeat(250);
  fs.mkdirSync(path.join(dir, long));
  const r = check(long);
  expect(r.status).toBe(2);
  expect(r.stdout).toMatch(new RegExp(`^missing ${long}/\\.runai-access$`, 'm'));
  expect(r.stderr).toBe(synth('--out', long).stderr);
  expect(r.stderr).toMatch(/^--out: e+ has a name of 250 bytes;/);
});

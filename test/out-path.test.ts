/**
 * An --out that synth cannot write as the path says (lib/output/out-path.ts): refused with one line
 * and exit 2 before anything is written.
 */
import * as fs from 'node:fs';
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
  expect(treeOf(path.join(dir, 'dist'))).toEqual(before);
  // Beside it, or in a folder beside it: written.
  expect(synth('--out', 'dist2').status).toBe(0);
  expect(synth('--out', 'deploy/prod').status).toBe(0);
});

test('fails when --out has ".." after a folder name, which the file system takes from where a link leads and the writer would not', () => {
  const { dir, synth } = project();
  fs.mkdirSync(path.join(dir, 'elsewhere', 'deep'), { recursive: true });
  fs.symlinkSync(path.join(dir, 'elsewhere', 'deep'), path.join(dir, 'link'));
  for (const out of ['link/../out', 'missing/../out', `${dir}/../x`]) {
    const r = synth('--out', out);
    expect([r.status, r.stderr]).toEqual([
      2,
      `--out: ${out} has ".." after a folder name: the file system takes it from where that folder leads (elsewhere, when it ` +
        "is a link), synth's path arithmetic would not, and the two would name different folders; give the path without it\n",
    ]);
  }
  expect(fs.readdirSync(dir).sort()).toEqual(['elsewhere', 'link', 'runai-access.yaml']);
  expect(fs.readdirSync(path.join(dir, 'elsewhere'))).toEqual(['deep']);
  // ".." before any folder name is where the current folder's parent is, as the file system says too.
  fs.mkdirSync(path.join(dir, 'sub'));
  expect(runInProcess(['synth', '-q', '-c', '../runai-access.yaml', '--out', '../out'], { cwd: path.join(dir, 'sub') }).status).toBe(0);
  expect(fs.existsSync(path.join(dir, 'out', '.runai-access'))).toBe(true);
});

test('fails when the name of --out leaves no room for the folder synth writes beside it (.<name>.tmp-<pid>-<hex>); the longest that does is written', () => {
  const { dir, synth } = project();
  expect(MAX_OUT_NAME_BYTES).toBe(233);
  const long = 'e'.repeat(MAX_OUT_NAME_BYTES + 1);
  expect(synth('--out', long)).toEqual({
    status: 2,
    stdout: '',
    stderr:
      `--out: ${long} has a name of 234 bytes; synth writes the new output beside it first, in .<name>.tmp-<pid>-<8 hex>, whose ` +
      'name must fit in the 255 bytes a file name may have: give a name of at most 233 bytes\n',
  });
  // Bytes, not characters: 117 two-byte letters are 234 bytes.
  expect(synth('--out', 'é'.repeat(117)).stderr).toContain('has a name of 234 bytes');
  expect(synth('--out', 'e'.repeat(MAX_OUT_NAME_BYTES)).status).toBe(0);
  expect(fs.readdirSync(dir).sort()).toEqual(['e'.repeat(MAX_OUT_NAME_BYTES), 'runai-access.yaml']);
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

/**
 * Output folders synth cannot rename into place, on real file systems: a mount point (a tmpfs
 * or a bind mount, in a mount namespace of this test's own, `unshare -rm`) and a folder of
 * another user in a sticky folder (`setpriv` runs synth as uid 65534). Each fails with one line
 * that says why and what to do, and nothing written; a folder inside the mount point works, and
 * so does a folder on another file system reached through a link (no false refusal).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { MAIN, tempDir, writeConfig } from './helpers';

const CONFIG = 'clusters:\n  - {name: a, clusterUrl: runai.example.com, tls: {source: existing}}\n';

/**
 * Mounts `mount` (a tmpfs, or the folder on itself with `--bind`) on `mountPoint` in a private
 * mount namespace, runs `synth -q --out OUT` there (twice with `twice`), then lists the mount.
 */
function synthOnMount(mountPoint: string, out: string, config: string, mount = 'tmpfs', twice = false) {
  const how = mount === 'bind' ? 'mount --bind "$1" "$1"' : 'mount -t tmpfs tmpfs "$1"';
  const synth = '"$2" "$3" synth -q --config "$4" --out "$5"; echo "rc=$?"; ';
  const script = `${how} || exit 99; ${synth}${twice ? `sed -i s/runai.example/runai2.example/ "$4"; ${synth}` : ''}ls -A "$1"`;
  return spawnSync('unshare', ['-rm', 'sh', '-c', script, 'sh', mountPoint, process.execPath, MAIN, config, out], { encoding: 'utf8' });
}

const busy = (mount: string) =>
  `--out: cannot write ${mount}: the folder is busy (EBUSY): it is a mount point (a volume, an emptyDir or a bind mount), or in use ` +
  `as one, and synth writes the new output beside it and renames it into place; give a folder inside it, such as --out ${path.join(mount, 'dist')}; `;

test('fails when --out is a mount point: one line that says so and where to write instead, and nothing written in it', () => {
  const dir = tempDir();
  const config = writeConfig(dir, CONFIG);
  const mount = path.join(dir, 'dist');
  fs.mkdirSync(mount);
  const r = synthOnMount(mount, mount, config);
  expect(r.status).toBe(0);
  expect(r.stderr).toBe(`${busy(mount)}no output was written\n`);
  expect(r.stdout).toBe('rc=2\n');
});

test('fails when --out is a bind mount (same device as its parent): the same line, the previous output unchanged', () => {
  const dir = tempDir();
  const config = writeConfig(dir, CONFIG);
  const out = path.join(dir, 'dist');
  expect(spawnSync(process.execPath, [MAIN, 'synth', '-q', '--config', config, '--out', out]).status).toBe(0);
  const before = fs.readdirSync(path.join(out, 'a'));
  // Up to date first (nothing to rename), then a change to write: the rename is refused.
  const r = synthOnMount(out, out, config, 'bind', true);
  expect(r.stderr).toBe(`${busy(out)}the previous output is unchanged\n`);
  expect(r.stdout).toBe('rc=0\nrc=2\n.runai-access\na\n');
  expect(fs.readdirSync(path.join(out, 'a'))).toEqual(before);
});

test('a folder on another file system, reached through a link in --out, is written and rewritten (no false refusal)', () => {
  const dir = tempDir();
  const config = writeConfig(dir, CONFIG);
  const elsewhere = path.join(dir, 'elsewhere');
  fs.mkdirSync(elsewhere);
  fs.symlinkSync(elsewhere, path.join(dir, 'link'));
  const r = synthOnMount(elsewhere, path.join(dir, 'link', 'dist'), config, 'tmpfs', true);
  expect([r.stderr, r.stdout]).toEqual(['', 'rc=0\nrc=0\ndist\n']);
});

test('a folder inside the mount point, as that line advises, is written', () => {
  const dir = tempDir();
  const config = writeConfig(dir, CONFIG);
  const mount = path.join(dir, 'dist');
  fs.mkdirSync(mount);
  const r = synthOnMount(mount, path.join(mount, 'dist'), config);
  expect([r.stderr, r.stdout]).toEqual(['', 'rc=0\ndist\n']);
});

test("fails when --out is another user's folder in a sticky folder, naming why (synth as uid 65534)", () => {
  const sticky = tempDir();
  fs.chmodSync(sticky, 0o1777);
  const config = writeConfig(sticky, CONFIG);
  const out = path.join(sticky, 'dist');
  fs.mkdirSync(out, { mode: 0o777 });
  fs.chmodSync(out, 0o777);
  const r = spawnSync(
    'setpriv',
    ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, MAIN, 'synth', '-q', '--config', config, '--out', out],
    { encoding: 'utf8' },
  );
  expect([r.status, r.stderr]).toEqual([
    2,
    `--out: cannot write ${out}: operation not permitted (EPERM): it belongs to another user (uid 0) in ${sticky}, a sticky folder ` +
      '(like /tmp) where only its owner may rename it, as synth does to replace its output; give a folder of your own; no output was written\n',
  ]);
  expect(fs.readdirSync(out)).toEqual([]);
});

/**
 * Output folders synth cannot rename into place, on real file systems: a mount point (a tmpfs
 * mounted in a mount namespace of this test's own, `unshare -rm`) and a folder of another user
 * in a sticky folder (`setpriv` runs synth as uid 65534). Each is refused before any work, with
 * what to do; a folder inside the mount point works.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { MAIN, tempDir, writeConfig } from './helpers';

const CONFIG = 'clusters:\n  - {name: a, clusterUrl: runai.example.com, tls: {source: existing}}\n';

/** Mounts a tmpfs on `mountPoint` in a private mount namespace and runs `synth -q --out OUT` in it; then lists the mount. */
function synthOnMount(mountPoint: string, out: string, config: string) {
  const script = 'mount -t tmpfs tmpfs "$1" || exit 99; "$2" "$3" synth -q --config "$4" --out "$5"; echo "rc=$?"; ls -A "$1"';
  return spawnSync('unshare', ['-rm', 'sh', '-c', script, 'sh', mountPoint, process.execPath, MAIN, config, out], { encoding: 'utf8' });
}

test('fails when --out is a mount point: one line that says so and where to write instead, and nothing written in it', () => {
  const dir = tempDir();
  const config = writeConfig(dir, CONFIG);
  const mount = path.join(dir, 'dist');
  fs.mkdirSync(mount);
  const r = synthOnMount(mount, mount, config);
  expect(r.status).toBe(0);
  expect(r.stderr).toBe(
    `--out: ${mount} is a mount point (a volume or an emptyDir, say): synth writes the new output beside the folder and renames ` +
      `it into place, which a mount point refuses; give a folder inside it, such as --out ${path.join(mount, 'dist')}; nothing was written\n`,
  );
  expect(r.stdout).toBe('rc=2\n');
});

test('a folder inside the mount point, as that line advises, is written', () => {
  const dir = tempDir();
  const config = writeConfig(dir, CONFIG);
  const mount = path.join(dir, 'dist');
  fs.mkdirSync(mount);
  const r = synthOnMount(mount, path.join(mount, 'dist'), config);
  expect([r.stderr, r.stdout]).toEqual(['', 'rc=0\ndist\n']);
});

test("fails when --out is another user's folder in a sticky folder, before any work, naming why (synth as uid 65534)", () => {
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
    `--out: ${out} belongs to another user (uid 0) in ${sticky}, a sticky folder (like /tmp) where only its owner may rename it, ` +
      'as synth does to replace its output; give a folder of your own; nothing was written\n',
  ]);
  expect(fs.readdirSync(out)).toEqual([]);
});

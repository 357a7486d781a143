/**
 * scripts/snapshot.js, npm run build's last step, run in a copy of the repository's layout with a
 * small snapshot entry: it leaves the blob and the record of the node that made it, with that
 * node's file time; when the snapshot or the record cannot be made, neither file, and one message.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ROOT, tempDir } from './helpers';

/** A folder laid out like the repository (scripts/snapshot.js, build/…snapshot-entry.js) around `entry`. */
function layout(entry: string): { root: string; blob: string; record: string } {
  const root = tempDir();
  fs.mkdirSync(path.join(root, 'scripts'));
  fs.mkdirSync(path.join(root, 'build'));
  fs.copyFileSync(path.join(ROOT, 'scripts', 'snapshot.js'), path.join(root, 'scripts', 'snapshot.js'));
  fs.writeFileSync(path.join(root, 'build', 'runai-access.snapshot-entry.js'), entry);
  return {
    root,
    blob: path.join(root, 'build', 'runai-access.snapshot.blob'),
    record: path.join(root, 'build', 'runai-access.snapshot.node'),
  };
}

const ENTRY = "require('node:v8').startupSnapshot.setDeserializeMainFunction(() => process.stdout.write('from the snapshot\\n'));\n";

function build(root: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [path.join(root, 'scripts', 'snapshot.js')], { encoding: 'utf8', env: { ...process.env, ...env } });
}

test("makes the blob and records the node that made it, with that node's file time to the nanosecond", () => {
  const { root, blob, record } = layout(ENTRY);
  const r = build(root);
  expect([r.status, r.stderr]).toEqual([0, '']);
  expect(fs.readFileSync(record, 'utf8')).toBe(`${process.execPath}\n`);
  expect(fs.statSync(record, { bigint: true }).mtimeNs).toBe(fs.statSync(process.execPath, { bigint: true }).mtimeNs);
  const started = spawnSync(process.execPath, ['--snapshot-blob', blob], { encoding: 'utf8' });
  expect([started.status, started.stdout]).toEqual([0, 'from the snapshot\n']);
});

test('fails when the record cannot take the file time (no touch on PATH): neither file, and one message', () => {
  const { root, blob, record } = layout(ENTRY);
  const r = build(root, { PATH: tempDir() });
  expect(r.status).toBe(0); // the build goes on: runai-access works without a snapshot
  expect(r.stderr).toBe(
    'bundle: the start-up snapshot was not kept (runai-access still works, slower to start): touch -r: Error: spawnSync touch ENOENT\n',
  );
  expect([fs.existsSync(blob), fs.existsSync(record)]).toEqual([false, false]);
});

test('fails when the snapshot cannot be made (its entry throws): neither file, and what node said', () => {
  const { root, blob, record } = layout("throw new Error('the entry failed');\n");
  const r = build(root);
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(/^bundle: the start-up snapshot was not made \(runai-access still works, slower to start\):\n/);
  expect(r.stderr).toContain('Error: the entry failed');
  expect(fs.readdirSync(path.join(root, 'build')).sort()).toEqual(['runai-access.snapshot-entry.js']);
  expect([fs.existsSync(blob), fs.existsSync(record)]).toEqual([false, false]);
});

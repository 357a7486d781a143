#!/usr/bin/env node
// Makes build/runai-access.snapshot.blob, the V8 start-up snapshot that build/runai-access
// starts Node from (scripts/launcher.sh), and build/runai-access.snapshot.node, the path of the
// Node binary that made it, with that binary's file time (a snapshot loads only into that
// binary). Run by scripts/bundle.js.
// The snapshot's entry (snapshot.ts) warms up on the bundled example. When no snapshot can be
// made, neither file is left: the launcher then runs runai-access.js, slower to start.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..');
const BUILD = path.join(ROOT, 'build');
const BLOB = path.join(BUILD, 'runai-access.snapshot.blob');
const MADE_BY = path.join(BUILD, 'runai-access.snapshot.node');
const ENTRY = path.join(BUILD, 'runai-access.snapshot-entry.js');

fs.rmSync(MADE_BY, { force: true });
fs.rmSync(BLOB, { force: true });
const tmp = `${BLOB}.tmp-${process.pid}`;
// Without NODE_OPTIONS: a V8 flag in it would be built into the snapshot, which then loads only
// with that flag (the launcher uses the snapshot only when NODE_OPTIONS is empty).
const env = { ...process.env, RUNAI_ACCESS_SNAPSHOT_WARM_UP: path.join(ROOT, 'examples', 'runai-access.yaml') };
delete env.NODE_OPTIONS;
const r = spawnSync(process.execPath, ['--snapshot-blob', tmp, '--build-snapshot', ENTRY], { cwd: ROOT, env, encoding: 'utf8' });
if (r.status === 0 && fs.existsSync(tmp)) {
  fs.renameSync(tmp, BLOB);
  // The record of the binary carries that binary's own file time, to the nanosecond (touch -r):
  // the launcher uses the snapshot only while node's file time is still that one.
  fs.writeFileSync(MADE_BY, `${process.execPath}\n`);
  const touch = spawnSync('touch', ['-r', process.execPath, MADE_BY], { encoding: 'utf8' });
  if (touch.status !== 0) {
    fs.rmSync(MADE_BY, { force: true });
    fs.rmSync(BLOB, { force: true });
    const why = touch.error ? String(touch.error) : touch.stderr.trim();
    console.error(`bundle: the start-up snapshot was not kept (runai-access still works, slower to start): touch -r: ${why}`);
  }
} else {
  fs.rmSync(tmp, { force: true });
  const why = (r.error ? String(r.error) : r.stderr)
    .split('\n')
    .filter((l) => l && !/^\(node:\d+\) Warning|may still work|issue tracker|trace-warnings/.test(l));
  console.error(`bundle: the start-up snapshot was not made (runai-access still works, slower to start):\n${why.slice(0, 20).join('\n')}`);
}

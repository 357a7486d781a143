/**
 * Entry of the V8 start-up snapshot that `npm run build` makes (scripts/snapshot.js): it loads
 * the whole CLI, runs `synth` once on the bundled example so the snapshot keeps its compiled
 * code, and names what runs when `build/runai-access` starts Node from the snapshot. Only synth:
 * a snapshot also warmed up by `check` and `validate` started all three about 1.5 ms slower
 * (npm run bench's way, both orders; `check` and `validate` share most of synth's code). Thin,
 * like main.ts: the CLI itself lives in lib/cli/.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startupSnapshot } from 'node:v8';

import { runProcess } from './lib/cli/process-main';
import { run } from './lib/cli/run';

/** The config of the warm-up run, set by scripts/snapshot.js. */
export const WARM_UP_CONFIG_ENV = 'RUNAI_ACCESS_SNAPSHOT_WARM_UP';

if (startupSnapshot.isBuildingSnapshot()) {
  const config = process.env[WARM_UP_CONFIG_ENV];
  if (config) warmUp(config);
  // Started as `node --snapshot-blob BLOB -- ARGS`, process.argv is [node, ...ARGS].
  startupSnapshot.setDeserializeMainFunction(() => runProcess(process.argv.slice(1)));
}

function warmUp(config: string): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runai-access-snapshot-'));
  const out = path.join(dir, 'dist');
  const silent = { write: () => true };
  try {
    const code = run(['synth', '--out', out, '--quiet', '--config', config], { stdout: silent, stderr: silent });
    if (code !== 0) throw new Error(`the warm-up run \`synth --config ${config}\` exited ${code}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

import * as fs from 'node:fs';
import * as path from 'node:path';

import { demoConfig, runInProcess, tempDir, writeConfig } from './helpers';

test('fails when --out is the current folder or holds it: the shell would be left in a removed folder', () => {
  const dir = tempDir();
  const config = writeConfig(dir, demoConfig());
  const out = path.join(dir, 'dist');
  fs.mkdirSync(path.join(out, 'sub'), { recursive: true });
  const advice = (given: string) =>
    `which synth replaces whole, so the shell would be left in a removed folder; cd out of ${given} (to the folder above it, say) and run synth there`;
  for (const [cwd, given, verb] of [
    [out, '.', 'is'],
    [path.join(out, 'sub'), '..', 'holds'],
  ]) {
    const r = runInProcess(['synth', '--quiet', '--config', config, '--out', given], { cwd });
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 2,
      stderr: `--out: ${given} ${verb} the current folder, ${advice(given)}\n`,
    });
  }
  expect(fs.readdirSync(out)).toEqual(['sub']);
});

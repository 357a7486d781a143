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

test('fails when --out is the root and the current folder: no folder above it to cd to, so the advice is a folder of its own', () => {
  const config = writeConfig(tempDir(), demoConfig());
  const r = runInProcess(['synth', '--quiet', '--config', config, '--out', '/'], { cwd: '/' });
  expect({ status: r.status, stderr: r.stderr }).toEqual({
    status: 2,
    stderr:
      '--out: / is the current folder, which synth replaces whole, so the shell would be left in a removed folder; ' +
      'give --out a folder of its own, such as dist\n',
  });
});

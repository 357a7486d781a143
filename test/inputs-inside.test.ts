import * as fs from 'node:fs';
import * as path from 'node:path';

import { inputsInside } from '../lib/output/inputs-inside';
import { MARKER_FILE, MARKER_TEXT } from '../lib/output/leftovers';
import { DEMO_CERT, DEMO_KEY, demoConfig, runInProcess, tempDir, treeOf, writeConfig } from './helpers';

/** A folder synth wrote: it carries the marker file. */
function ours(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, MARKER_FILE), MARKER_TEXT);
  return dir;
}
const input = (file: string, field = 'clusters[0].tls.keyFile') => ({ file, source: 'c.yaml', path: field, given: file });

describe('inputsInside', () => {
  test('fails when the config or a file it names is inside the output folder, naming the field', () => {
    const out = ours(path.join(tempDir(), 'dist'));
    expect(inputsInside(out, '--out', [{ file: path.join(out, 'c.yaml'), source: '--config', path: '', given: 'dist/c.yaml' }])).toEqual([
      {
        source: '--config',
        path: '',
        message: `dist/c.yaml is inside --out ${out}, which synth replaces whole, so the run would delete it; keep the config outside ${out}, or write to another folder`,
        code: 'input-in-output',
      },
    ]);
    expect(inputsInside(out, '--out', [input(path.join(out, 'a', 'key.pem'))]).map((p) => p.path)).toEqual(['clusters[0].tls.keyFile']);
  });

  test('an output folder that is a link: the writer replaces the link, so only paths through it are inside', () => {
    const dir = tempDir();
    ours(path.join(dir, 'real'));
    fs.writeFileSync(path.join(dir, 'real', 'key.pem'), 'k');
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'dist'));
    const out = path.join(dir, 'dist');
    expect(inputsInside(out, '--out', [input(path.join(dir, 'real', 'key.pem'))])).toEqual([]);
    expect(inputsInside(out, '--out', [input(path.join(out, 'key.pem'))])).toHaveLength(1);
  });

  test('fails when an input is a link inside the output folder (it goes with the folder) or leads into it', () => {
    const dir = tempDir();
    const out = ours(path.join(dir, 'dist'));
    fs.mkdirSync(path.join(dir, 'keys'));
    fs.writeFileSync(path.join(dir, 'keys', 'key.pem'), 'k');
    fs.writeFileSync(path.join(out, 'cert.pem'), 'c');
    fs.symlinkSync(path.join(dir, 'keys', 'key.pem'), path.join(out, 'key-link.pem'));
    fs.symlinkSync(path.join(out, 'cert.pem'), path.join(dir, 'cert-link.pem'));
    const found = inputsInside(out, '--out', [
      input(path.join(out, 'key-link.pem')),
      input(path.join(dir, 'cert-link.pem'), 'clusters[0].tls.certFile'),
      input(path.join(dir, 'keys', 'key.pem'), 'clusters[1].tls.keyFile'),
    ]);
    expect(found.map((p) => p.path)).toEqual(['clusters[0].tls.keyFile', 'clusters[0].tls.certFile']);
  });

  test('passes files beside the folder and in a folder whose name starts alike', () => {
    const dir = tempDir();
    const out = ours(path.join(dir, 'dist'));
    const files = [input(path.join(dir, 'key.pem')), input(path.join(dir, 'dist2', 'key.pem')), input(path.join(dir, 'dist.pem'))];
    expect(inputsInside(out, '--out', files)).toEqual([]);
  });

  test('leaves a folder without the marker to the writer, which refuses to replace it', () => {
    const dir = tempDir();
    expect(inputsInside(dir, '--out', [input(path.join(dir, 'key.pem'))])).toEqual([]);
  });
});

test('fails when synth would delete its own config and key files kept in dist/, and leaves dist/ as it was', () => {
  const dir = tempDir();
  const out = path.join(dir, 'dist');
  const first = runInProcess(['synth', '--quiet', '--config', writeConfig(dir, demoConfig()), '--out', out]);
  expect(first.status).toBe(0);
  fs.copyFileSync(DEMO_CERT, path.join(out, 'fullchain.pem'));
  fs.copyFileSync(DEMO_KEY, path.join(out, 'private.pem'));
  const config = writeConfig(out, demoConfig('', 'fullchain.pem', 'private.pem'), 'c.yaml');
  const before = treeOf(out);
  const r = runInProcess(['synth', '--quiet', '--config', config, '--out', out]);
  expect(r.status).toBe(2);
  const hint = `which synth replaces whole, so the run would delete it`;
  expect(r.stderr.split('\n').filter(Boolean)).toEqual([
    `--config: ${config} is inside --out ${out}, ${hint}; keep the config outside ${out}, or write to another folder [input-in-output]`,
    `${config}: clusters[0].tls.certFile: fullchain.pem is inside --out ${out}, ${hint}; keep the file outside ${out}, or write to another folder [input-in-output]`,
    `${config}: clusters[0].tls.keyFile: private.pem is inside --out ${out}, ${hint}; keep the file outside ${out}, or write to another folder [input-in-output]`,
  ]);
  expect(treeOf(out)).toEqual(before);
});

test('check fails the same way when the output differs, instead of advising the synth that would be refused', () => {
  const dir = tempDir();
  const out = path.join(dir, 'dist');
  expect(runInProcess(['synth', '--quiet', '--config', writeConfig(dir, demoConfig()), '--out', out]).status).toBe(0);
  const config = writeConfig(out, demoConfig(), 'c.yaml');
  const r = runInProcess(['check', '--config', config, '--out', out]);
  expect(r.status).toBe(2);
  expect(r.stderr.split('\n').filter(Boolean)).toEqual([
    `--config: ${config} is inside --out ${out}, which synth replaces whole, so the run would delete it; ` +
      `keep the config outside ${out}, or write to another folder [input-in-output]`,
  ]);
  expect(r.stdout).not.toBe('');
});

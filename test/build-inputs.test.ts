/**
 * npm test skips the build when build/ was made from the same inputs (scripts/build-inputs.js):
 * the digest moves with every input the build reads, and a stamp counts only beside the outputs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { tempDir } from './helpers';

const { buildInputsDigest, buildIsCurrent, stampFile } = require('../scripts/build-inputs') as {
  buildInputsDigest: (root?: string) => string;
  buildIsCurrent: (root?: string) => boolean;
  stampFile: (root?: string) => string;
};

/** Writes `text` to `file` under `root`, making its folders. */
function write(root: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
}

/** A small project root: sources, scripts, an example, a lock file and a complete build/. */
function project(): string {
  const root = tempDir();
  const files: Record<string, string> = {
    'main.ts': 'run();\n',
    'lib/cli/run.ts': 'export const run = () => 0;\n',
    'scripts/bundle.js': '// bundle\n',
    'examples/runai-access.yaml': 'clusters: []\n',
    'package-lock.json': '{}\n',
    'build/main.js': '',
    'build/runai-access': '',
    'build/runai-access.js': '',
    'build/runai-access.bundle.js': '',
  };
  for (const [file, text] of Object.entries(files)) write(root, file, text);
  fs.writeFileSync(stampFile(root), buildInputsDigest(root));
  return root;
}

test('a build stamped with its inputs is current', () => {
  expect(buildIsCurrent(project())).toBe(true);
});

test.each([
  ['a source changes', (root: string) => fs.appendFileSync(path.join(root, 'lib/cli/run.ts'), '// edited\n')],
  ['a source is added', (root: string) => fs.writeFileSync(path.join(root, 'lib/cli/new.ts'), '')],
  ['a source is renamed', (root: string) => fs.renameSync(path.join(root, 'lib/cli/run.ts'), path.join(root, 'lib/cli/run2.ts'))],
  ['a build script changes', (root: string) => fs.appendFileSync(path.join(root, 'scripts/bundle.js'), '//\n')],
  ['the warm-up example changes', (root: string) => fs.writeFileSync(path.join(root, 'examples/runai-access.yaml'), 'clusters: [ ]\n')],
  ['the lock file changes', (root: string) => fs.writeFileSync(path.join(root, 'package-lock.json'), '{"x":1}\n')],
  [
    'the installed packages change',
    (root: string) =>
      fs.mkdirSync(path.join(root, 'node_modules')) ?? fs.writeFileSync(path.join(root, 'node_modules/.package-lock.json'), '{}'),
  ],
  ['tsconfig.json appears', (root: string) => fs.writeFileSync(path.join(root, 'tsconfig.json'), '{}')],
  [
    'a link in a source folder changes where it points',
    (root: string) => {
      fs.symlinkSync('cli', path.join(root, 'lib/linked'));
      fs.writeFileSync(stampFile(root), buildInputsDigest(root));
      fs.rmSync(path.join(root, 'lib/linked'));
      fs.symlinkSync('..', path.join(root, 'lib/linked'));
    },
  ],
  [
    'a source linked from outside changes',
    (root: string) => {
      const outside = path.join(tempDir(), 'a.ts');
      fs.writeFileSync(outside, 'export const a = 1;\n');
      fs.symlinkSync(outside, path.join(root, 'lib/a.ts'));
      fs.writeFileSync(stampFile(root), buildInputsDigest(root));
      fs.writeFileSync(outside, 'export const a = 2;\n');
    },
  ],
  [
    'a source in a folder linked from outside changes',
    (root: string) => {
      const outside = tempDir();
      fs.writeFileSync(path.join(outside, 'x.ts'), 'export const x = 1;\n');
      fs.symlinkSync(outside, path.join(root, 'lib/shared'));
      fs.writeFileSync(stampFile(root), buildInputsDigest(root));
      fs.writeFileSync(path.join(outside, 'x.ts'), 'export const x = 2;\n');
    },
  ],
  ['an output is missing', (root: string) => fs.rmSync(path.join(root, 'build/runai-access.bundle.js'))],
  ['the stamp is missing (a build that failed)', (root: string) => fs.rmSync(stampFile(root))],
])('fails to count as current when %s', (_name, change) => {
  const root = project();
  change(root);
  expect(buildIsCurrent(root)).toBe(false);
});

test.each([
  ['the repository', '..'],
  ['a folder above it', '../..'],
  ['build/, which holds the stamp', '../build'],
])('a build stays current beside a link in a source folder to %s, which is not walked (it would take in the stamp)', (_name, target) => {
  const root = project();
  fs.symlinkSync(target, path.join(root, 'lib/up'));
  fs.writeFileSync(stampFile(root), buildInputsDigest(root));
  expect(buildIsCurrent(root)).toBe(true);
});

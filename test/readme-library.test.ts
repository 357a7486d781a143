/**
 * The README's "As a library" sample, as written: bundled with esbuild (its `runai-access`
 * import is this repository's lib/index.ts, its other imports the installed packages), run by
 * node in a folder of its own, and what it writes read back.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { buildSync } from 'esbuild';

import { ROOT, tempDir, yamlDocs } from './helpers';

/** The first ```ts block after a heading. */
function sampleAfter(heading: string): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(`\n${heading}\n`));
  const m = /```ts\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error(`no ts sample after ${heading}`);
  return m[1];
}

test("the README's library sample runs as written and writes the chart's objects", () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'app.ts'), sampleAfter('## As a library'));
  buildSync({
    entryPoints: [path.join(dir, 'app.ts')],
    outfile: path.join(dir, 'app.js'),
    bundle: true,
    platform: 'node',
    alias: { 'runai-access': path.join(ROOT, 'lib', 'index.ts') },
    packages: 'external',
    logLevel: 'silent',
  });
  const r = spawnSync(process.execPath, [path.join(dir, 'app.js')], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
  });
  expect([r.status, r.stderr, r.stdout]).toEqual([0, '', 'helm/runai-cluster-values.yaml\n']);
  const docs = yamlDocs(fs.readFileSync(path.join(dir, 'dist', 'prod.k8s.yaml'), 'utf8'));
  expect(docs.map((d) => `${d.kind} ${d.metadata.namespace}/${d.metadata.name}`)).toEqual(
    expect.arrayContaining(['Ingress runai/runai-cluster-domain-star-ingress', 'Service runai-team-a/nb']),
  );
  expect(docs.find((d) => d.kind === 'Service').spec).toMatchObject({ type: 'NodePort', ports: [expect.objectContaining({ port: 8888 })] });
});

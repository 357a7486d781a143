import * as fs from 'node:fs';
import * as path from 'node:path';

import { summary, validateReport } from '../lib/cli/report';
import { parseConfig } from '../lib/config/load';
import { formatProblem, Problem } from '../lib/model/errors';
import { synthesize } from '../lib/output/render';
import { DEMO_CERT, DEMO_KEY, demoConfig, kubectl, runInProcess, tempDir, writeConfig } from './helpers';

test('validate counts every warning and shows every one it counts, those of no cluster or of one not listed too', () => {
  const { clusters } = parseConfig('clusters:\n  - {name: a, clusterUrl: runai.test.com, routing: path}\n', 'c.yaml', '/');
  const own: Problem = { source: 'c.yaml', path: 'clusters[0]', message: 'of the cluster', severity: 'warning', cluster: 'a' };
  const global: Problem = { source: 'c.yaml', path: 'delivery', message: 'of no cluster', severity: 'warning' };
  const unlisted: Problem = { source: 'c.yaml', path: 'clusters[1]', message: 'of another cluster', severity: 'warning', cluster: 'b' };
  const lines = validateReport('c.yaml', clusters, [global, own, unlisted], new Date('2026-01-01T00:00:00Z')).split('\n');
  expect(lines[0]).toBe('c.yaml: 1 cluster valid, 3 warnings');
  expect(lines.filter((l) => l === `  ${formatProblem(own)}`)).toHaveLength(1);
  expect(lines.slice(-3)).toEqual([formatProblem(global), formatProblem(unlisted), '']);
});

describe('the synth summary reads the URL style from the mode, on every platform', () => {
  const summaryOf = (cluster: string) => {
    const { clusters } = parseConfig(`clusters:\n  - {name: a, clusterUrl: runai.test.com, ${cluster}}\n`, 'c.yaml', '/');
    return summary('c.yaml', 'dist', synthesize(clusters, { source: 'c.yaml' }));
  };

  test.each([
    ['platform: openshift, routing: path', 'OpenShift router'],
    ['routing: path', 'path routing'],
  ])('%s: path URLs, and no wildcard DNS record asked for', (cluster, how) => {
    const text = summaryOf(cluster);
    expect(text).toContain(`a: workspaces at https://runai.test.com/<project>/<workload> (${how})`);
    expect(text).not.toContain('*.runai.test.com');
  });

  test('platform: openshift, routing: host: host URLs and the wildcard DNS record', () => {
    const text = summaryOf('platform: openshift');
    expect(text).toContain('a: workspaces at https://<project>-<workload>.runai.test.com/ (OpenShift router)');
    expect(text).toContain('  DNS: *.runai.test.com must resolve to the same address as runai.test.com.');
  });
});

test('a folder without objects (path routing, settings in Helm values) gets no kubectl apply step, which would fail on it', () => {
  const { clusters } = parseConfig('clusters:\n  - {name: a, clusterUrl: runai.test.com, routing: path}\n', 'c.yaml', '/');
  const [out] = synthesize(clusters, { source: 'c.yaml' });
  expect(out.files.map((f) => f.path)).toEqual(['helm/runai-cluster-values.yaml']);
  expect(out.applySteps).toEqual([]);
  const text = summary('c.yaml', 'dist', [out]);
  expect(text).toContain('\n  no Kubernetes objects to apply\n');
  expect(text).not.toContain('kubectl apply');
});

test('the commands the summary prints quote a folder with a space, so they paste into a shell', () => {
  const { clusters } = parseConfig('clusters:\n  - {name: a, clusterUrl: runai.test.com, tls: {source: existing}}\n', 'c.yaml', '/');
  const text = summary('c.yaml', 'o u t', synthesize(clusters, { source: 'c.yaml' }));
  expect(text).toContain("    kubectl apply --server-side --field-manager=runai-access -f 'o u t/a'/\n");
  expect(text).toContain("--reuse-values -f 'o u t/a'/helm/runai-cluster-values.yaml");
  // The list of files is for reading, not pasting: as it is.
  expect(text).toContain('  o u t/a/10-ingress-runai-cluster-domain-star-ingress.yaml  ');
});

/** A files TLS setting with the demo pair, its key committed or not. */
const keyFiles = (commit: boolean) => `{source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}, commitPlaintextKey: ${commit}}`;

/** The summary's notes on plaintext keys, for a self-hosted cluster with `settings` (lines of its entry). */
function keyNotes(settings: string): string[] {
  const { clusters } = parseConfig(
    `clusters:\n  - name: a\n    clusterUrl: runai.example.com\n    deployment: self-hosted\n${settings}`,
    'c.yaml',
    '/',
  );
  return summary('c.yaml', 'dist', synthesize(clusters, { source: 'c.yaml' }))
    .split('\n')
    .filter((l) => l.startsWith('  note:') && l.includes('plaintext private key'));
}
const COMMITTED_NOTE =
  '  note: dist/a/00-secret-runai-cluster-domain-star-tls-secret.yaml holds a plaintext private key and commitPlaintextKey is true: it will be committed.';

test('with one key committed and another git-ignored, each note names its own files', () => {
  expect(keyNotes(`    tls: ${keyFiles(true)}\n    clusterTls: ${keyFiles(false)}\n`)).toEqual([
    '  note: dist/a/00-secret-runai-cluster-domain-tls-secret.yaml holds a plaintext private key; its .gitignore keeps it out of git ' +
      '(commitPlaintextKey: true in its TLS setting commits it). For GitOps use tls.source sealed-secret, external-secret or cert-manager.',
    COMMITTED_NOTE,
  ]);
});

test('with one key committed and two git-ignored, the note on the two reads in the plural', () => {
  const settings = `    tls: ${keyFiles(true)}\n    clusterTls: ${keyFiles(false)}\n    inference: {domain: runai.example.com, tls: ${keyFiles(false)}}\n`;
  expect(keyNotes(settings)).toEqual([
    '  note: dist/a/00-secret-runai-cluster-domain-tls-secret.yaml, dist/a/00-secret-runai-cluster-inference-tls-secret.yaml hold plaintext ' +
      'private keys; the .gitignore beside them keeps them out of git (commitPlaintextKey: true in a TLS setting commits its key). ' +
      'For GitOps use tls.source sealed-secret, external-secret or cert-manager.',
    COMMITTED_NOTE,
  ]);
});

test('validate --json carries the notes of what was not checked (a key file missing in a clone), as stderr does', () => {
  const dir = tempDir();
  const config = writeConfig(dir, demoConfig('', DEMO_CERT, path.join(dir, 'missing.key')));
  const r = runInProcess(['validate', '--json', '--config', config]);
  expect(r.status).toBe(0);
  const json = JSON.parse(r.stdout);
  const note = `${config}: clusters[0].tls.keyFile: ${path.join(dir, 'missing.key')} is missing; its certificate was checked without it`;
  expect(json).toMatchObject({ ok: true, notes: [note] });
  expect(r.stderr).toContain(`note: ${note}\n`);
});

test('a kustomization of a folder without objects lists none, and kubectl kustomize builds it (it refused "kustomization.yaml is empty")', () => {
  const { clusters } = parseConfig(
    'clusters:\n  - {name: a, clusterUrl: runai.test.com, routing: path, output: {kustomization: true}}\n',
    'c.yaml',
    '/',
  );
  const [out] = synthesize(clusters, { source: 'c.yaml' });
  const dir = tempDir();
  for (const f of out.files) {
    fs.mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    fs.writeFileSync(path.join(dir, f.path), f.content);
  }
  expect(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')).toContain('\nresources: []\n');
  expect(kubectl(['kustomize', dir])).toBe('');
});

/**
 * Where the merged features meet: the GitOps clone without keys (issue 10) with redaction
 * (issue 12), Flux delivery (10) with the release profile's defaults (15), and the doctor (13)
 * in a clone without keys. Through the CLI's run() in this process (exit code and output are
 * what is judged); the doctor through the real CLI, which takes its test-only timeouts from the
 * environment.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { TEST_TIMEOUTS_ENV } from '../lib/cli/doctor-command';
import { DEMO_CERT, KEY_BODY_LINES, runCli, runInProcess, tempDir } from './helpers';

/** A config whose key file is given as a line of the demo key: pasted into the wrong field. */
function pastedKeyConfig(dir: string): void {
  fs.writeFileSync(
    path.join(dir, 'runai-access.yaml'),
    `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n    tls: {source: files, certFile: ${DEMO_CERT}, keyFile: "${KEY_BODY_LINES[1]}"}\n`,
  );
}

describe('a missing key file named by a pasted key line', () => {
  test.each([['validate'], ['validate', '--json'], ['check']])('%s never prints the key text', (...args) => {
    const dir = tempDir();
    pastedKeyConfig(dir);
    const r = runInProcess(args, { cwd: dir });
    const output = r.stdout + r.stderr;
    for (const line of KEY_BODY_LINES) expect(output).not.toContain(line);
    expect(output).toMatch(/characters of base64-like text, not shown/);
  });
});

test('fails when Flux delivery meets Helm values the 2.25 profile writes by default (no runaiConfig, no kustomization): exit 2, one line', () => {
  const dir = tempDir();
  fs.writeFileSync(
    path.join(dir, 'runai-access.yaml'),
    `clusters:
  - name: lab
    clusterUrl: runai.example.com
    tls: {source: existing}
delivery:
  repoURL: https://git.example.com/platform/gitops.git
  path: clusters
  flux: {sourceRef: {name: platform}}
`,
  );
  const r = runInProcess(['synth', '-q'], { cwd: dir });
  expect([r.status, r.stderr]).toEqual([
    2,
    // No overlay suggested: Run:ai 2.25 is managed through Helm values alone (a helm upgrade would undo it).
    'runai-access.yaml: clusters[0].output: writes helm/runai-cluster-values.yaml, which Flux would read as a manifest under a folder without a kustomization.yaml, and fail; set output: {kustomization: true} for this cluster (with a TLS source other than files, or commitPlaintextKey: true)\n',
  ]);
  expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  const fixed = fs
    .readFileSync(path.join(dir, 'runai-access.yaml'), 'utf8')
    .replace('tls: {source: existing}', 'tls: {source: existing}\n    output: {kustomization: true}');
  fs.writeFileSync(path.join(dir, 'runai-access.yaml'), fixed);
  expect(runInProcess(['synth', '-q'], { cwd: dir }).status).toBe(0);
  expect(fs.existsSync(path.join(dir, 'dist', '_delivery', 'flux-kustomizations.yaml'))).toBe(true);
});

test('the doctor runs in a clone without the private key: its checks run (exit 1 here, nothing answers), not a file-missing refusal (exit 2)', () => {
  const dir = tempDir();
  fs.writeFileSync(
    path.join(dir, 'runai-access.yaml'),
    `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n    tls: {source: files, certFile: ${DEMO_CERT}, keyFile: certs/missing.key}\n`,
  );
  const r = runCli(['doctor', '--no-kube', '--dns', '127.0.0.1:9', '--address', '127.0.0.1', '--port', '9'], {
    cwd: dir,
    env: { [TEST_TIMEOUTS_ENV]: 'dns=200,tls=300,kube=500,total=3000' },
  });
  expect(r.stderr).not.toContain('file-missing');
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(/^runai-access doctor: cluster prod/);
});

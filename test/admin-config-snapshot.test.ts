/**
 * An admin replaces runai-access.yaml with their own config — every TLS source, a private CA,
 * sealed secrets — runs `npm run test:update-snapshot`, and the snapshot test is then green,
 * again and again (sealing is random), and in a clone without the private keys. Run in a
 * temporary copy of this repository (its files as git lists them, node_modules linked), so
 * the repository's own snapshot is never touched.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DEMO_CERT, DEMO_KEY, DEMO_ROOT_CA, ROOT, tempDir } from './helpers';

const CONTROLLER_CERT = path.join(ROOT, 'test', 'fixtures', 'corpus', 'sealed-secrets-controller.pem');

const ADMIN_CONFIG = `# yaml-language-server: $schema=./schema/runai-access.schema.json
clusters:
  - name: files-ca
    clusterUrl: runai.example.com
    deployment: self-hosted
    tls: {source: files, certFile: certs/fullchain.pem, keyFile: certs/private.key}
    clusterTls: {source: files, certFile: certs/fullchain.pem, keyFile: certs/private.key}
    privateCa: {caFile: certs/ca.pem}
  - name: sealed
    clusterUrl: runai.example.com
    tls: {source: sealed-secret, certFile: certs/fullchain.pem, keyFile: certs/private.key, controllerCertFile: certs/controller.pem}
    output: {kustomization: true}
  - name: sealed-legacy
    clusterUrl: runai.example.com
    runaiVersion: "2.11"
    tls: {source: sealed-secret, certFile: certs/fullchain.pem, keyFile: certs/private.key, controllerCertFile: certs/controller.pem, scope: cluster-wide}
  - name: issued
    clusterUrl: runai.example.com
    tls: {source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}}
  - name: external
    clusterUrl: runai.example.com
    tls: {source: external-secret, secretStoreRef: {name: vault, kind: ClusterSecretStore}, remoteRef: {certificate: a, privateKey: b}}
  - name: existing
    clusterUrl: runai.example.com
    tls: {source: existing}
`;

function run(cwd: string, command: string, args: string[]) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true', FORCE_COLOR: '0' } });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

/** The snapshot test in `copy`, run by jest's own bin in the copy (npx would only find the same file, in about 0.4 s more). */
const snapshotTest = (copy: string) =>
  run(copy, process.execPath, [path.join(copy, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', 'test/example.test.ts']);

test('npm run test:update-snapshot, then the snapshot test passes for an admin config with every TLS source, a private CA and sealed secrets', () => {
  const copy = path.join(tempDir(), 'repo');
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const f of files) {
    if (!fs.existsSync(path.join(ROOT, f))) continue;
    fs.mkdirSync(path.dirname(path.join(copy, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(copy, f));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  // An admin's own certs/ (not ignored by git) was copied above: this test's files go beside or over it.
  fs.mkdirSync(path.join(copy, 'certs'), { recursive: true });
  for (const [from, to] of [
    [DEMO_CERT, 'fullchain.pem'],
    [DEMO_KEY, 'private.key'],
    [DEMO_ROOT_CA, 'ca.pem'],
    [CONTROLLER_CERT, 'controller.pem'],
  ])
    fs.copyFileSync(from, path.join(copy, 'certs', to));
  fs.writeFileSync(path.join(copy, 'runai-access.yaml'), ADMIN_CONFIG);

  // "1 snapshot updated": the config really changed, and the snapshot before the update would have failed.
  const update = run(copy, 'npm', ['run', 'test:update-snapshot']);
  expect(update).toEqual({ status: 0, output: expect.stringContaining('1 snapshot updated') });
  const snap = fs.readFileSync(path.join(copy, '__snapshots__', 'example.test.ts.snap'), 'utf8');
  for (const expected of [
    '=== files-ca/00-secret-runai-ca-cert-runai-backend.yaml',
    'runai-ca.pem: <sha256:',
    '=== sealed/00-sealedsecret-runai-cluster-domain-star-tls-secret.yaml',
    'runai-access/sealed-from: <fingerprint of the sealed inputs>',
    'tls.crt: <sealed>',
    '=== issued/00-certificate-runai-cluster-domain-star-tls.yaml',
    '=== external/00-externalsecret-runai-cluster-domain-star-tls-secret.yaml',
    'tls.key: <private key>',
  ])
    expect(snap).toContain(expected);
  expect(snap).not.toMatch(/PRIVATE KEY/);

  // Green now, and again: a fresh sealing does not change the snapshot.
  expect(snapshotTest(copy)).toEqual({ status: 0, output: expect.stringContaining('2 passed') });
  // A clone has no private key: still green.
  fs.rmSync(path.join(copy, 'certs', 'private.key'));
  expect(snapshotTest(copy)).toEqual({ status: 0, output: expect.stringContaining('2 passed') });
}, 180_000);

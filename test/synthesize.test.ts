import * as fs from 'node:fs';
import * as path from 'node:path';

import { parseConfig } from '../lib/config/load';
import { OutputFile } from '../lib/constructs/output-file';
import { synthesize } from '../lib/output/render';
import { DEMO_CERT, DEMO_KEY, kubectl, tempDir, yamlDocs } from './helpers';

/** The Kubernetes object files of an output, without .gitignore and other helpers. */
const objectFiles = (files: readonly OutputFile[]) => files.filter((f) => /^\d\d-.*\.yaml$/.test(f.path) || f.path.startsWith('patches/'));

const config = (extra = '', tls = `{source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}`) =>
  parseConfig(
    `clusters:
  - name: prod
    clusterUrl: runai.example.com
    tls: ${tls}
${extra}`,
    'runai-access.yaml',
    '/',
  ).clusters;

describe('synthesize', () => {
  test('one object per file, named in apply order: Secret, Ingress, RunaiConfig', () => {
    const [out] = synthesize(config('    runaiConfig: {via: overlay}'));
    expect(out.files.map((f) => f.path)).toEqual([
      '00-secret-runai-cluster-domain-star-tls-secret.yaml',
      '10-ingress-runai-cluster-domain-star-ingress.yaml',
      '20-runaiconfig-runai.yaml',
      '.gitignore',
      'certificates.sha256',
    ]);
    for (const f of objectFiles(out.files)) expect(yamlDocs(f.content)).toHaveLength(1);
    expect(out.applySteps).toEqual([{ run: 'kubectl-apply', path: '' }]);
  });

  test('only the file with the private key is mode 0600 and marked secret', () => {
    const [out] = synthesize(config());
    expect(out.files.map((f) => [f.mode, f.secret])).toEqual([
      [0o600, true],
      [0o644, false],
      [0o644, false],
      [0o644, false],
      [0o644, false],
    ]);
  });

  test('no kustomization.yaml in the cluster folder, and every .yaml/.json directly in it is a Kubernetes object', () => {
    for (const extra of ['', '    runaiVersion: "2.11"']) {
      const [out] = synthesize(config(extra));
      const top = out.files.filter((f) => !f.path.includes('/'));
      expect(top.map((f) => f.path)).not.toContain('kustomization.yaml');
      for (const f of top.filter((x) => /\.(ya?ml|json)$/.test(x.path))) {
        const [doc] = yamlDocs(f.content);
        expect(doc).toEqual(expect.objectContaining({ apiVersion: expect.any(String), kind: expect.any(String) }));
      }
    }
  });

  test('legacy output puts the patch and its script in patches/ and applies them between Secret and RunaiConfig', () => {
    const [out] = synthesize(config('    runaiVersion: "2.11"\n    deployment: self-hosted'));
    expect(out.files.map((f) => f.path)).toEqual([
      '00-secret-runai-cluster-domain-star-tls-secret.yaml',
      '20-runaiconfig-runai.yaml',
      'patches/runai-backend-ingress-tls.json',
      'patches/runai-backend-ingress-tls-create.json',
      'patches/apply-runai-backend-ingress-tls.sh',
      '.gitignore',
      '.gitattributes',
      'certificates.sha256',
    ]);
    expect(out.applySteps).toEqual([
      { run: 'kubectl-apply', path: '00-secret-runai-cluster-domain-star-tls-secret.yaml' },
      { run: 'script', path: 'patches/apply-runai-backend-ingress-tls.sh' },
      { run: 'kubectl-apply', path: '20-runaiconfig-runai.yaml' },
    ]);
    expect(out.mode.wiring).toBe('legacy-patch');
  });

  test('the wildcard host is quoted in single quotes, as in the Run:ai docs', () => {
    const [out] = synthesize(config());
    expect(out.files[1].content).toContain("- host: '*.runai.example.com'");
  });

  test('the same input gives byte-identical output', () => {
    expect(synthesize(config())).toEqual(synthesize(config()));
  });

  test('kubectl kustomize over the synthesized files returns the same objects', () => {
    const dir = tempDir();
    const [out] = synthesize(config());
    const objects = objectFiles(out.files);
    for (const f of objects) fs.writeFileSync(path.join(dir, f.path), f.content);
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), `resources:\n${objects.map((f) => `  - ${f.path}`).join('\n')}\n`);
    const built = yamlDocs(kubectl(['kustomize', dir]));
    const ours = objects.map((f) => yamlDocs(f.content)[0]);
    const key = (o: any) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
    expect(built.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(ours.sort((a, b) => key(a).localeCompare(key(b))));
  });
});

describe('commitPlaintextKey, per TLS setting', () => {
  const files = (commit: boolean) => `{source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}, commitPlaintextKey: ${commit}}`;
  const ignored = (tls: string, clusterTls: string) => {
    const [out] = synthesize(config(`    deployment: self-hosted\n    clusterTls: ${clusterTls}`, tls));
    return (out.files.find((f) => f.path === '.gitignore')?.content ?? '').split('\n').filter((l) => l.startsWith('/'));
  };

  test("commits only the setting's own Secret: tls's commit no longer drops the .gitignore of clusterTls's key", () => {
    expect(ignored(files(true), files(false))).toEqual(['/00-secret-runai-cluster-domain-tls-secret.yaml']);
  });

  test('clusterTls takes commitPlaintextKey too (it was accepted and ignored)', () => {
    expect(ignored(files(false), files(true))).toEqual(['/00-secret-runai-cluster-domain-star-tls-secret.yaml']);
    expect(ignored(files(true), files(true))).toEqual([]);
  });
});

/** The GitOps settings of the config, and SealedSecrets through the CLI's run() (in this process). */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parseConfig } from '../lib/config/load';
import { withPublicKey } from './cert-corpus';
import { DEMO_CERT, DEMO_KEY, loadOne, problemLines, runInProcess, tempDir, treeOf, writeConfig, yamlDocs } from './helpers';
import { CHECK_AT, Pki } from './pki';

let pki: Pki;
beforeAll(() => {
  pki = new Pki(tempDir());
  pki.issue('controller', { cn: 'sealed-secret', key: 2048, eku: null });
  pki.issue('ec-controller', { cn: 'sealed-secret' });
  pki.issue('ed25519-controller', { cn: 'sealed-secret', key: 'ed25519', eku: null });
  pki.issue('rsa-pss-controller', { cn: 'sealed-secret', key: 'rsa-pss', eku: null });
  pki.issue('sm2-controller', { cn: 'sealed-secret', key: 'sm2', eku: null, md: 'sm3' }); // SM2 signs with SM3 only
  pki.issue('old-controller', { cn: 'sealed-secret', key: 2048, eku: null, end: '20210101000000Z' });
  fs.writeFileSync(path.join(pki.dir, 'garbage.pem'), 'not a certificate\n');
});

const problems = (lines: string) => problemLines(() => loadOne(lines, { now: CHECK_AT }));
const sealed = (controller: string, extra = '') =>
  `    tls: {source: sealed-secret, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}, controllerCertFile: ${controller}${extra}}\n`;

describe('accepted', () => {
  test('each source with its defaults', () => {
    const load = (tls: string) =>
      parseConfig(`clusters:\n  - name: p\n    clusterUrl: runai.example.com\n    tls: ${tls}\n`, 'c.yaml', '/', { now: CHECK_AT })
        .clusters[0];
    expect(load('{source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}}').tls).toEqual({
      source: 'cert-manager',
      issuerRef: { name: 'le', kind: 'ClusterIssuer' },
      includeApex: true,
      secretTemplate: undefined,
    });
    expect(load('{source: external-secret, secretStoreRef: {name: vault}, remoteRef: {certificate: a, privateKey: b}}').tls).toEqual({
      source: 'external-secret',
      secretStoreRef: { name: 'vault', kind: 'SecretStore' },
      remoteRef: { certificate: 'a', privateKey: 'b' },
      apiVersion: 'external-secrets.io/v1',
      refreshInterval: '1h',
    });
    expect(
      load(`{source: sealed-secret, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}, controllerCertFile: ${pki.file('controller')}}`).tls,
    ).toMatchObject({
      source: 'sealed-secret',
      scope: 'strict',
      controllerFingerprint: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
    });
  });
  test('cluster settings with their defaults (runaiConfig.via from the 2.25 profile)', () => {
    const [c] = parseConfig('clusters:\n  - {name: p, clusterUrl: runai.example.com, tls: {source: existing}}\n', 'c.yaml', '/').clusters;
    expect([c.mode.runaiConfigVia, c.gitops, c.output]).toEqual(['helm-values', { argocd: true, flux: true }, { kustomization: false }]);
  });
});

test('the summary says where a namespaced Issuer must be, once per namespace; not for a ClusterIssuer', () => {
  const dir = tempDir();
  const issuer = (kind: string) =>
    writeConfig(
      dir,
      `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n    tls: {source: cert-manager, issuerRef: {name: ca, kind: ${kind}}}\n` +
        `    clusterTls: {source: cert-manager, issuerRef: {name: ca, kind: ${kind}}}\n` +
        `    inference: {domain: runai-inference.example.com, tls: {source: cert-manager, issuerRef: {name: ca, kind: ${kind}}}}\n`,
    );
  const notes = (kind: string) =>
    runInProcess(['synth', '--config', issuer(kind), '--out', path.join(dir, 'dist')])
      .stderr.split('\n')
      .filter((l) => l.includes('an Issuer serves only'));
  expect(notes('Issuer')).toEqual([
    '  note: cert-manager: the Issuer ca must be in runai, the Issuer ca must be in knative-serving: an Issuer serves only its own namespace (a ClusterIssuer serves all).',
  ]);
  expect(notes('ClusterIssuer')).toEqual([]);
});

describe('cert-manager with an external issuer (issuerRef.group)', () => {
  test('writes the issuer group and kind as given; without group, cert-manager.io', () => {
    const certificate = (issuerRef: string) => {
      const dir = tempDir();
      const config = writeConfig(
        dir,
        `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n    tls: {source: cert-manager, issuerRef: ${issuerRef}}\n`,
      );
      expect(runInProcess(['synth', '-q', '--config', config, '--out', path.join(dir, 'dist')]).status).toBe(0);
      return yamlDocs(fs.readFileSync(path.join(dir, 'dist', 'prod', '00-certificate-runai-cluster-domain-star-tls.yaml'), 'utf8'))[0];
    };
    expect(certificate('{name: pca, kind: AWSPCAClusterIssuer, group: awspca.cert-manager.io}').spec.issuerRef).toEqual({
      name: 'pca',
      kind: 'AWSPCAClusterIssuer',
      group: 'awspca.cert-manager.io',
    });
    expect(certificate('{name: le, kind: ClusterIssuer}').spec.issuerRef).toEqual({
      name: 'le',
      kind: 'ClusterIssuer',
      group: 'cert-manager.io',
    });
  });
});

describe('config rules', () => {
  test('fails when cert-manager has no issuerRef, or a wrong kind', () => {
    expect(problems('    tls: {source: cert-manager}\n')).toEqual(['clusters[0].tls.issuerRef: is required']);
    expect(problems('    tls: {source: cert-manager, issuerRef: {name: le, kind: Issuers}}\n')).toEqual([
      "clusters[0].tls.issuerRef.kind: must be one of: Issuer, ClusterIssuer; an external issuer's kind also needs its group",
    ]);
    expect(problems('    tls: {source: cert-manager, issuerRef: {name: pca, kind: aws-pca, group: "AWSPCA"}}\n')).toEqual([
      "clusters[0].tls.issuerRef.kind: must be the external issuer's kind, such as AWSPCAClusterIssuer",
      "clusters[0].tls.issuerRef.group: must be the external issuer's API group, such as awspca.cert-manager.io",
    ]);
    expect(problems('    tls: {source: cert-manager, issuerRef: {kind: Issuer}}\n')).toEqual([
      'clusters[0].tls.issuerRef.name: is required',
    ]);
  });
  test('fails when includeApex is not a boolean or secretTemplate has a bad key', () => {
    expect(problems('    tls: {source: cert-manager, issuerRef: {name: le, kind: Issuer}, includeApex: "yes"}\n')).toEqual([
      'clusters[0].tls.includeApex: must be true or false, got a string',
    ]);
    expect(
      problems('    tls: {source: cert-manager, issuerRef: {name: le, kind: Issuer}, secretTemplate: {labels: {"a b": x}}}\n'),
    ).toEqual([
      'clusters[0].tls.secretTemplate.labels."a b": must be a label key such as app.kubernetes.io/part-of' +
        ': its name may hold alphanumerics, "-", "_" and ".", and must start and end with an alphanumeric',
    ]);
  });
  test('fails when a sealed-secret has no controllerCertFile, or a wrong scope', () => {
    expect(problems(`    tls: {source: sealed-secret, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}\n`)).toEqual([
      'clusters[0].tls.controllerCertFile: is required',
    ]);
    expect(problems(sealed(pki.file('controller'), ', scope: global'))).toEqual([
      'clusters[0].tls.scope: must be one of: strict, namespace-wide, cluster-wide',
    ]);
  });
  test.each([
    ['ed25519-controller', 'an Ed25519'],
    ['rsa-pss-controller', 'an RSA-PSS'],
    ['sm2-controller', 'an SM2'],
  ])('fails when the controller certificate (%s) is not RSA, naming its key type with the right article', (name, type) => {
    expect(problems(sealed(pki.file(name)))).toEqual([
      `clusters[0].tls.controllerCertFile: ${pki.file(name)} has ${type} key; the Sealed Secrets controller certificate is RSA [controller-cert-not-rsa]`,
    ]);
  });
  test('fails when the controller certificate is not a certificate, not RSA, or expired', () => {
    expect(problems(sealed(path.join(pki.dir, 'garbage.pem')))).toEqual([
      `clusters[0].tls.controllerCertFile: ${path.join(pki.dir, 'garbage.pem')} holds no PEM certificate; save what \`kubeseal --fetch-cert\` prints [controller-cert-invalid]`,
    ]);
    expect(problems(sealed(pki.file('ec-controller')))).toEqual([
      `clusters[0].tls.controllerCertFile: ${pki.file('ec-controller')} has an EC key; the Sealed Secrets controller certificate is RSA [controller-cert-not-rsa]`,
    ]);
    expect(problems(sealed(pki.file('old-controller')))).toEqual([
      `clusters[0].tls.controllerCertFile: ${pki.file('old-controller')} expired on 2021-01-01T00:00:00.000Z; the controller has renewed its key: fetch it again with kubeseal --fetch-cert [controller-cert-expired]`,
    ]);
    expect(problems(sealed('missing.pem'))).toEqual([
      'clusters[0].tls.controllerCertFile: missing.pem does not exist (looked for /missing.pem) [file-missing]',
    ]);
  });
  test('with tolerated certificate problems (url, doctor), the cluster keeps its certificate and its CA: said as warnings', () => {
    const tolerated = (lines: string) => loadOne(lines, { now: CHECK_AT, tolerateCertificateProblems: true });
    // An expired controller certificate or one not RSA, or a CA file Go cannot read, took the TLS setting or the CA away.
    for (const controller of ['old-controller', 'ec-controller']) {
      const loaded = tolerated(sealed(pki.file(controller)));
      expect(loaded.tolerated.map((p) => p.code)).toEqual([
        controller === 'ec-controller' ? 'controller-cert-not-rsa' : 'controller-cert-expired',
      ]);
      expect(loaded.tolerated[0].severity).toBe('warning');
      expect(loaded.clusters[0].tls).toMatchObject({
        source: 'sealed-secret',
        certificate: { dnsNames: ['*.runai.example.com', 'runai.example.com'] },
      });
    }
    const bomCa = path.join(tempDir(), 'ca.pem');
    fs.writeFileSync(bomCa, Buffer.concat([Buffer.from('\ufeff'), fs.readFileSync(DEMO_CERT)]));
    const ca = tolerated(`    tls: {source: existing}\n    privateCa: {caFile: ${bomCa}}\n`);
    expect([ca.tolerated.map((p) => p.code), ca.clusters[0].privateCa?.caPem.equals(fs.readFileSync(bomCa))]).toEqual([['ca-bom'], true]);
    // Without the option, each is an error and nothing is kept.
    expect(problems(sealed(pki.file('old-controller')))).toHaveLength(1);
  });
  test("fails when OpenSSL cannot read the controller certificate's key (an unknown algorithm), without an internal error", () => {
    const odd = path.join(pki.dir, 'odd-key-controller.pem');
    // SubjectPublicKeyInfo of algorithm 1.2.3.4 and key ffff: a certificate OpenSSL reads, a key it cannot.
    const spki = Buffer.from('300b300506032a0304030200ff', 'hex');
    fs.writeFileSync(odd, withPublicKey(pki.file('controller'), pki.file('controller', 'key'), spki));
    expect(problems(sealed(odd))).toEqual([
      `clusters[0].tls.controllerCertFile: ${odd} has a public key OpenSSL cannot read; save what \`kubeseal --fetch-cert\` prints [controller-cert-invalid]`,
    ]);
  });
  test('fails when the controller certificate file also holds a private key, which would be committed with it', () => {
    const combined = path.join(pki.dir, 'controller-and-key.pem');
    fs.writeFileSync(combined, Buffer.concat([fs.readFileSync(pki.file('controller')), fs.readFileSync(pki.file('controller', 'key'))]));
    expect(problems(sealed(combined))).toEqual([
      `clusters[0].tls.controllerCertFile: ${combined} also holds a private key, which must not be committed (the controller's opens every ` +
        'SealedSecret); keep only the certificate `kubeseal --fetch-cert` prints [controller-cert-has-key]',
    ]);
  });
  test('fails when the sealed certificate itself is bad, as for files', () => {
    expect(
      problems(
        `    tls: {source: sealed-secret, certFile: ${DEMO_KEY}, keyFile: ${DEMO_KEY}, controllerCertFile: ${pki.file('controller')}}\n`,
      )[0],
    ).toMatch(/tls\.certFile: .* holds a private key, not a certificate.*\[cert-no-pem\]$/);
  });
  test('fails when an external-secret lacks its store or remote keys, or has a wrong version or interval', () => {
    expect(problems('    tls: {source: external-secret, remoteRef: {certificate: a, privateKey: b}}\n')).toEqual([
      'clusters[0].tls.secretStoreRef: is required',
    ]);
    expect(problems('    tls: {source: external-secret, secretStoreRef: {name: v}, remoteRef: {certificate: a}}\n')).toEqual([
      'clusters[0].tls.remoteRef.privateKey: is required',
    ]);
    expect(
      problems('    tls: {source: external-secret, secretStoreRef: {name: v, kind: Vault}, remoteRef: {certificate: a, privateKey: ""}}\n'),
    ).toEqual([
      'clusters[0].tls.secretStoreRef.kind: must be one of: SecretStore, ClusterSecretStore',
      'clusters[0].tls.remoteRef.privateKey: must be the remote key of the PEM private key',
    ]);
    expect(
      problems(
        '    tls: {source: external-secret, secretStoreRef: {name: v}, remoteRef: {certificate: a, privateKey: b}, apiVersion: v1, refreshInterval: hourly}\n',
      ),
    ).toEqual([
      'clusters[0].tls.apiVersion: must be one of: external-secrets.io/v1, external-secrets.io/v1beta1',
      'clusters[0].tls.refreshInterval: must be a duration such as 1h or 30m',
    ]);
  });
  test('fails when a remote key has blanks around it, or the refresh interval is longer than Go reads', () => {
    const es = (ref: string, extra = '') => `    tls: {source: external-secret, secretStoreRef: {name: v}, remoteRef: {${ref}}${extra}}\n`;
    expect(problems(es('certificate: " runai/crt", privateKey: "runai/key "'))).toEqual([
      'clusters[0].tls.remoteRef.certificate: has blanks around it or a line break in it: must be the remote key of the PEM certificate chain alone',
      'clusters[0].tls.remoteRef.privateKey: has blanks around it or a line break in it: must be the remote key of the PEM private key alone',
    ]);
    expect(problems(es('certificate: "a\\nb", privateKey: "runai key"'))).toEqual([
      'clusters[0].tls.remoteRef.certificate: has blanks around it or a line break in it: must be the remote key of the PEM certificate chain alone',
    ]);
    expect(problems(es('certificate: a, privateKey: b', ', refreshInterval: 2562047h47m16.854775808s'))).toEqual([
      'clusters[0].tls.refreshInterval: is longer than a Go duration can be (2562047h47m16.854775807s): the External Secrets Operator could not read the ExternalSecret',
    ]);
    expect(problems(es('certificate: a, privateKey: b', ', refreshInterval: 2562047h47m16.854775807s'))).toEqual([]);
  });
  test('warns when an ExternalSecret asks for external-secrets.io/v1beta1, which the operator stopped serving in 0.17.0; not for v1', () => {
    const warnings = (extra: string) =>
      loadOne(`    tls: {source: external-secret, secretStoreRef: {name: v}, remoteRef: {certificate: a, privateKey: b}${extra}}\n`, {
        now: CHECK_AT,
      }).warnings.filter((w) => w.code === 'external-secrets-v1beta1');
    expect(warnings(', apiVersion: external-secrets.io/v1beta1')).toEqual([
      expect.objectContaining({
        path: 'clusters[0].tls.apiVersion',
        message: expect.stringMatching(/^external-secrets\.io\/v1beta1 is served only by the External Secrets Operator 0\.16 and earlier/),
      }),
    ]);
    expect(warnings('')).toEqual([]);
    expect(warnings(', apiVersion: external-secrets.io/v1')).toEqual([]);
  });
  test('fails when an external-secret remote key is blank', () => {
    expect(
      problems('    tls: {source: external-secret, secretStoreRef: {name: v}, remoteRef: {certificate: runai/crt, privateKey: "  "}}\n'),
    ).toEqual(['clusters[0].tls.remoteRef.privateKey: must be the remote key of the PEM private key']);
  });
  test('fails when an external-secret names one remote key for both the certificate and the private key', () => {
    expect(
      problems(
        '    tls: {source: existing}\n    inference: {domain: i.example.com, tls: {source: external-secret, secretStoreRef: {name: v}, remoteRef: {certificate: runai/star, privateKey: runai/star}}}\n',
      ),
    ).toEqual([
      'clusters[0].inference.tls.remoteRef.privateKey: is the same remote key as certificate: the ExternalSecret would put one value in ' +
        'both tls.crt and tls.key; name the key that holds the PEM private key',
    ]);
  });
  test('fails when commitPlaintextKey is not a boolean or is given for another source', () => {
    expect(problems(`    tls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}, commitPlaintextKey: 1}\n`)).toEqual([
      'clusters[0].tls.commitPlaintextKey: must be true or false, got the number 1',
    ]);
    expect(problems('    tls: {source: existing, commitPlaintextKey: true}\n')).toEqual([
      'clusters[0].tls.commitPlaintextKey: unknown key; allowed keys here: source',
    ]);
  });
  test('fails when runaiConfig, gitops or output are wrong', () => {
    expect(problems('    tls: {source: existing}\n    runaiConfig: {via: kubectl}\n')).toEqual([
      'clusters[0].runaiConfig.via: must be one of: overlay, helm-values, both',
    ]);
    expect(problems('    tls: {source: existing}\n    gitops: {argocd: yes, fluxcd: true}\n')).toEqual([
      'clusters[0].gitops.argocd: must be true or false, got a string',
      'clusters[0].gitops.fluxcd: unknown key; did you mean flux? allowed keys here: argocd, flux',
    ]);
    expect(problems('    tls: {source: existing}\n    output: {kustomization: "no"}\n')).toEqual([
      'clusters[0].output.kustomization: must be true or false, got a string',
    ]);
  });
  test('fails when the tls source is unknown, listing every source', () => {
    expect(problems('    tls: {source: vault}\n')).toEqual([
      'clusters[0].tls.source: must be one of: files, existing, cert-manager, sealed-secret, external-secret',
    ]);
  });
});

describe('SealedSecret output through the CLI', () => {
  let dir: string;
  let config: string;
  const write = (certFile: string) =>
    writeConfig(
      dir,
      `clusters:
  - name: prod
    clusterUrl: runai.example.com
    tls: {source: sealed-secret, certFile: ${certFile}, keyFile: ${DEMO_KEY}, controllerCertFile: ${pki.file('controller')}}
`,
    );
  beforeAll(() => {
    dir = tempDir();
    config = write(DEMO_CERT);
  });
  const out = () => path.join(dir, 'dist');

  test('writes a SealedSecret, no plaintext key, no .gitignore', () => {
    const r = runInProcess(['synth', '--config', config, '--out', out()]);
    expect(r.status).toBe(0);
    const files = fs.readdirSync(path.join(out(), 'prod'));
    expect(files).toEqual([
      '00-sealedsecret-runai-cluster-domain-star-tls-secret.yaml',
      '10-ingress-runai-cluster-domain-star-ingress.yaml',
      'certificates.sha256',
      'helm',
    ]);
    const text = fs.readFileSync(path.join(out(), 'prod', files[0]), 'utf8');
    expect(text).not.toContain(fs.readFileSync(DEMO_KEY).toString('base64').slice(0, 40));
    expect(r.stderr).toContain('note: the SealedSecret was sealed afresh for the controller certificate given.');
  });

  test('is stable: a second synth writes the same bytes, and check sees no drift', () => {
    const before = treeOf(out());
    const r = runInProcess(['synth', '--config', config, '--out', out()]);
    expect(r.stderr).toContain('note: the SealedSecret keeps its ciphertexts: its inputs match the previous sealing.');
    expect(treeOf(out())).toEqual(before);
    expect(runInProcess(['check', '--config', config, '--out', out()]).status).toBe(0);
  });

  test('changes when the certificate changes, and check reports it first', () => {
    const before = yamlDocs(
      fs.readFileSync(path.join(out(), 'prod', '00-sealedsecret-runai-cluster-domain-star-tls-secret.yaml'), 'utf8'),
    )[0];
    const changed = path.join(dir, 'fullchain-2.pem');
    fs.writeFileSync(changed, `${fs.readFileSync(DEMO_CERT, 'utf8')}\n`);
    write(changed);
    const check = runInProcess(['check', '--config', config, '--out', out()]);
    expect(check.status).toBe(1);
    expect(check.stdout).toBe(
      [
        `changed ${path.join(out(), 'prod', '00-sealedsecret-runai-cluster-domain-star-tls-secret.yaml')}`,
        `changed ${path.join(out(), 'prod', 'certificates.sha256')}`,
        '',
      ].join('\n'),
    );
    expect(runInProcess(['synth', '-q', '--config', config, '--out', out()]).status).toBe(0);
    const after = yamlDocs(
      fs.readFileSync(path.join(out(), 'prod', '00-sealedsecret-runai-cluster-domain-star-tls-secret.yaml'), 'utf8'),
    )[0];
    expect(after.metadata.annotations['runai-access/sealed-from']).not.toBe(before.metadata.annotations['runai-access/sealed-from']);
    expect(after.spec.encryptedData['tls.crt']).not.toBe(before.spec.encryptedData['tls.crt']);
  });
});

test('SealedSecrets for the cluster and inference certificates are stable too, each under its own name', () => {
  const dir = tempDir();
  const config = writeConfig(
    dir,
    `clusters:
  - name: prod
    clusterUrl: runai.example.com
    tls: {source: existing}
    clusterTls: {source: sealed-secret, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}, controllerCertFile: ${pki.file('controller')}}
    inference: {domain: runai.example.com, tls: {source: sealed-secret, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}, controllerCertFile: ${pki.file('controller')}}}
`,
  );
  const out = path.join(dir, 'dist');
  expect(runInProcess(['synth', '-q', '--config', config, '--out', out]).status).toBe(0);
  expect(
    fs
      .readdirSync(path.join(out, 'prod'))
      .filter((f) => f.includes('sealedsecret'))
      .sort(),
  ).toEqual(['00-sealedsecret-runai-cluster-domain-tls-secret.yaml', '00-sealedsecret-runai-cluster-inference-tls-secret.yaml']);
  const before = treeOf(out);
  expect(runInProcess(['synth', '-q', '--config', config, '--out', out]).status).toBe(0);
  expect(treeOf(out)).toEqual(before);
  expect(runInProcess(['check', '-q', '--config', config, '--out', out]).status).toBe(0);
});

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import * as fs from 'node:fs';

import { App, Chart, Testing } from 'cdk8s';

import { ExternalTlsSecret, SealedTlsSecret, SealedTlsSecretProps, WildcardCertificate } from '../lib/constructs/gitops-tls';
import { RunaiAccessChart, RunaiAccessChartProps } from '../lib/constructs/runai-access-chart';
import { TlsSource } from '../lib/constructs/tls-source';
import { ControlPlane } from '../lib/model/control-plane';
import { ValidationError } from '../lib/model/errors';
import { RunaiVersion } from '../lib/model/runai-version';
import { renderChart } from '../lib/output/render';
import { ciphertextDigest, sealingLabel } from '../lib/tls/sealing';
import { testChart } from './chart-scope';
import { DEMO_CERT, DEMO_KEY, kubectl, tempDir, yamlDocs } from './helpers';
import { rsaKey } from './key-pool';
import { unsealValue } from './unseal';

const cert = fs.readFileSync(DEMO_CERT);
const key = fs.readFileSync(DEMO_KEY);
let controller: { publicKey: KeyObject; privateKey: KeyObject };
beforeAll(() => {
  const privateKey = createPrivateKey(rsaKey(2048));
  controller = { privateKey, publicKey: createPublicKey(privateKey) };
});

function synth(build: (chart: Chart) => void) {
  const chart = testChart();
  build(chart);
  return Testing.synth(chart);
}

describe('WildcardCertificate (cert-manager)', () => {
  test('asks for *.<url> and the apex, into the star Secret, rotating the key on renewal', () => {
    const [c] = synth(
      (chart) =>
        new WildcardCertificate(chart, 'C', {
          namespace: 'runai',
          clusterUrl: 'runai.example.com',
          issuerRef: { name: 'letsencrypt-dns01', kind: 'ClusterIssuer' },
        }),
    );
    expect(c).toEqual({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'runai-cluster-domain-star-tls', namespace: 'runai' },
      spec: {
        secretName: 'runai-cluster-domain-star-tls-secret',
        dnsNames: ['*.runai.example.com', 'runai.example.com'],
        issuerRef: { name: 'letsencrypt-dns01', kind: 'ClusterIssuer', group: 'cert-manager.io' },
        privateKey: { rotationPolicy: 'Always' },
      },
    });
  });
  test('can leave the apex out and template the Secret', () => {
    const [c] = synth(
      (chart) =>
        new WildcardCertificate(chart, 'C', {
          namespace: 'runai',
          clusterUrl: 'runai.example.com',
          issuerRef: { name: 'i', kind: 'Issuer' },
          includeApex: false,
          secretTemplate: { labels: { team: 'platform' } },
        }),
    );
    expect(c.spec.dnsNames).toEqual(['*.runai.example.com']);
    expect(c.spec.secretTemplate).toEqual({ labels: { team: 'platform' } });
  });
  /** A WildcardCertificate of runai.example.com in runai, with `props` over the defaults. */
  const certificate = (props: Partial<ConstructorParameters<typeof WildcardCertificate>[2]>) =>
    synth(
      (chart) =>
        new WildcardCertificate(chart, 'C', {
          namespace: 'runai',
          clusterUrl: 'runai.example.com',
          issuerRef: { name: 'i', kind: 'Issuer' },
          ...props,
        }),
    );
  test("fails when the secretTemplate holds what cert-manager's webhook refuses: a bad label, a cert-manager.io annotation", () => {
    expect(() => certificate({ secretTemplate: { labels: { team: 'a b' }, annotations: { 'cert-manager.io/issuer-name': 'x' } } })).toThrow(
      /^secretTemplate\.labels\.team: must be a label value: .*; secretTemplate\.annotations\.cert-manager\.io\/issuer-name: cert-manager refuses /,
    );
  });
  test('fails when the issuer has no name', () => {
    expect(() => certificate({ issuerRef: { name: '', kind: 'Issuer' } })).toThrow(
      new ValidationError('issuerRef.name: must name a cert-manager issuer'),
    );
  });
});

describe('SealedTlsSecret', () => {
  const props = (over: Partial<SealedTlsSecretProps> = {}): SealedTlsSecretProps => ({
    namespace: 'runai',
    certificatePem: cert,
    privateKeyPem: key,
    controllerKey: controller.publicKey,
    controllerFingerprint: 'AA:BB',
    ...over,
  });
  const sealed = (over: Partial<SealedTlsSecretProps> = {}) => {
    const chart = testChart();
    const s = new SealedTlsSecret(chart, 'S', props(over));
    return { s, obj: Testing.synth(chart)[0] };
  };

  test("is a SealedSecret whose template is a kubernetes.io/tls Secret of the star name, with the inputs' fingerprint", () => {
    const { obj, s } = sealed();
    expect(obj.apiVersion).toBe('bitnami.com/v1alpha1');
    expect(obj.kind).toBe('SealedSecret');
    expect(obj.metadata).toEqual({
      name: 'runai-cluster-domain-star-tls-secret',
      namespace: 'runai',
      annotations: {
        'runai-access/sealed-from': s.fingerprint,
        'runai-access/sealed-as': ciphertextDigest(
          { namespace: 'runai', name: 'runai-cluster-domain-star-tls-secret', sealedFrom: s.fingerprint },
          obj.spec.encryptedData,
        ),
        // In the clear, for check in a clone without the key: whom it was sealed for, and which certificate it seals.
        'runai-access/sealed-for': 'AA:BB',
        'runai-access/sealed-certificate': `sha256:${createHash('sha256').update(props().certificatePem).digest('hex')}`,
      },
    });
    expect(obj.metadata.annotations['runai-access/sealed-as']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(obj.spec.template).toEqual({
      type: 'kubernetes.io/tls',
      metadata: { name: 'runai-cluster-domain-star-tls-secret', namespace: 'runai' },
    });
    expect(Object.keys(obj.spec.encryptedData).sort()).toEqual(['tls.crt', 'tls.key']);
  });

  test("the controller's private key opens each value with the strict label and gets the exact PEM bytes back", () => {
    const { obj } = sealed();
    const label = sealingLabel('strict', 'runai', 'runai-cluster-domain-star-tls-secret');
    expect(unsealValue(controller.privateKey, Buffer.from(obj.spec.encryptedData['tls.crt'], 'base64'), label)).toEqual(cert);
    expect(unsealValue(controller.privateKey, Buffer.from(obj.spec.encryptedData['tls.key'], 'base64'), label)).toEqual(key);
  });

  test('a sealing for runai cannot be opened as the Secret of another namespace or name', () => {
    const { obj } = sealed();
    const value = Buffer.from(obj.spec.encryptedData['tls.key'], 'base64');
    expect(() =>
      unsealValue(controller.privateKey, value, sealingLabel('strict', 'runai-backend', 'runai-cluster-domain-star-tls-secret')),
    ).toThrow();
    expect(() => unsealValue(controller.privateKey, value, sealingLabel('strict', 'runai', 'other'))).toThrow();
  });

  test.each([
    ['namespace-wide', { 'sealedsecrets.bitnami.com/namespace-wide': 'true' }, 'runai'],
    ['cluster-wide', { 'sealedsecrets.bitnami.com/cluster-wide': 'true' }, ''],
  ] as const)('scope %s: its annotations on the object and the template, and its label', (scope, annotations, label) => {
    const { obj } = sealed({ scope });
    expect(obj.metadata.annotations).toMatchObject(annotations);
    expect(obj.spec.template.metadata.annotations).toEqual(annotations);
    expect(unsealValue(controller.privateKey, Buffer.from(obj.spec.encryptedData['tls.crt'], 'base64'), Buffer.from(label))).toEqual(cert);
  });

  test('keeps the previous ciphertext when the fingerprint matches, and reseals when an input changed', () => {
    const first = sealed();
    const previous = {
      fingerprint: first.s.fingerprint,
      encryptedData: first.obj.spec.encryptedData,
      sealedAs: first.obj.metadata.annotations['runai-access/sealed-as'],
    };
    const again = sealed({ previous });
    expect(again.s.reused).toBe(true);
    expect(again.obj).toEqual(first.obj);
    const changed = sealed({ previous, certificatePem: Buffer.concat([cert, Buffer.from('\n')]) });
    expect(changed.s.reused).toBe(false);
    expect(changed.obj.spec.encryptedData['tls.crt']).not.toBe(first.obj.spec.encryptedData['tls.crt']);
    expect(sealed({ previous, scope: 'cluster-wide' }).s.reused).toBe(false);
  });

  test('reseals when the previous ciphertext was edited by hand, though its fingerprint matches', () => {
    const first = sealed();
    const edited = { ...first.obj.spec.encryptedData, 'tls.key': 'AAAA' };
    const again = sealed({ previous: { fingerprint: first.s.fingerprint, encryptedData: edited } });
    expect(again.s.reused).toBe(false);
    const label = sealingLabel('strict', 'runai', 'runai-cluster-domain-star-tls-secret');
    expect(unsealValue(controller.privateKey, Buffer.from(again.obj.spec.encryptedData['tls.key'], 'base64'), label)).toEqual(key);
  });

  test('reseals when a ciphertext was changed since it was sealed (its sealed-as digest differs), or has no digest (an older output)', () => {
    const first = sealed();
    const sealedAs = first.obj.metadata.annotations['runai-access/sealed-as'];
    const data = first.obj.spec.encryptedData;
    // One character of the base64 changed: same form and length, a value the controller cannot open.
    const damaged = {
      ...data,
      'tls.key': `${data['tls.key'].slice(0, 40)}${data['tls.key'][40] === 'A' ? 'B' : 'A'}${data['tls.key'].slice(41)}`,
    };
    expect(sealed({ previous: { fingerprint: first.s.fingerprint, encryptedData: damaged, sealedAs } }).s.reused).toBe(false);
    expect(sealed({ previous: { fingerprint: first.s.fingerprint, encryptedData: data } }).s.reused).toBe(false);
    expect(sealed({ previous: { fingerprint: first.s.fingerprint, encryptedData: data, sealedAs } }).s.reused).toBe(true);
  });

  test("reseals when the ciphertexts and their digest were moved in from another namespace's SealedSecret, which this one cannot open", () => {
    const first = sealed();
    const other = sealed({ namespace: 'runai-other' }).obj;
    const moved = { encryptedData: other.spec.encryptedData, sealedAs: other.metadata.annotations['runai-access/sealed-as'] };
    expect(sealed({ previous: { fingerprint: first.s.fingerprint, ...moved } }).s.reused).toBe(false);
  });

  test('fails when the controller key is not RSA', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    expect(() => sealed({ controllerKey: ec })).toThrow(
      new ValidationError('controllerKey: must be the RSA public key of the Sealed Secrets controller'),
    );
  });
});

describe('ExternalTlsSecret', () => {
  test('asks the store for both keys and templates a kubernetes.io/tls Secret', () => {
    const [e] = synth(
      (chart) =>
        new ExternalTlsSecret(chart, 'E', {
          namespace: 'runai',
          secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
          remoteRef: { certificate: 'runai/tls-crt', privateKey: 'runai/tls-key' },
        }),
    );
    expect(e).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'runai-cluster-domain-star-tls-secret', namespace: 'runai' },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
        target: { name: 'runai-cluster-domain-star-tls-secret', creationPolicy: 'Owner', template: { type: 'kubernetes.io/tls' } },
        data: [
          { secretKey: 'tls.crt', remoteRef: { key: 'runai/tls-crt' } },
          { secretKey: 'tls.key', remoteRef: { key: 'runai/tls-key' } },
        ],
      },
    });
  });
  test('takes another API version', () => {
    const [e] = synth(
      (chart) =>
        new ExternalTlsSecret(chart, 'E', {
          namespace: 'runai',
          secretStoreRef: { name: 'v', kind: 'SecretStore' },
          remoteRef: { certificate: 'a', privateKey: 'b' },
          apiVersion: 'external-secrets.io/v1beta1',
        }),
    );
    expect(e.apiVersion).toBe('external-secrets.io/v1beta1');
  });
  test('fails when a remote key is missing', () => {
    expect(() =>
      synth(
        (chart) =>
          new ExternalTlsSecret(chart, 'E', {
            namespace: 'runai',
            secretStoreRef: { name: 'v', kind: 'SecretStore' },
            remoteRef: { certificate: 'a', privateKey: '' },
          }),
      ),
    ).toThrow(new ValidationError('remoteRef: needs the remote keys of both certificate and privateKey'));
  });
});

describe('the chart with GitOps settings', () => {
  const render = (props: Partial<RunaiAccessChartProps>, options = {}) =>
    renderChart(
      new RunaiAccessChart(new App(), 'prod', {
        clusterUrl: 'runai.example.com',
        tls: TlsSource.fromPem({ certificatePem: cert, privateKeyPem: key }),
        // The overlay, as before Run:ai 2.25: these tests are about its GitOps annotations.
        runaiVersion: RunaiVersion.parse('2.20'),
        ...props,
      }),
      options,
    );
  const paths = (o: ReturnType<typeof render>) => o.files.map((f) => f.path);

  test('every source lands in the namespace of the ingress using it, legacy self-hosted included', () => {
    const sources = [
      TlsSource.certManager({ issuerRef: { name: 'i', kind: 'ClusterIssuer' } }),
      TlsSource.externalSecret({ secretStoreRef: { name: 'v', kind: 'SecretStore' }, remoteRef: { certificate: 'a', privateKey: 'b' } }),
      TlsSource.sealed({ certificatePem: cert, privateKeyPem: key, controllerKey: controller.publicKey, controllerFingerprint: 'AA' }),
    ];
    for (const tls of sources) {
      const dedicated = yamlDocs(render({ tls }).files[0].content)[0];
      expect(dedicated.metadata.namespace).toBe('runai');
      const legacy = yamlDocs(
        render({ tls, runaiVersion: RunaiVersion.parse('2.10'), deployment: ControlPlane.SELF_HOSTED }).files[0].content,
      )[0];
      expect(legacy.metadata.namespace).toBe('runai-backend');
    }
  });

  test('files with the GitOps sources: no plaintext key, so no .gitignore', () => {
    const out = render({ tls: TlsSource.certManager({ issuerRef: { name: 'i', kind: 'ClusterIssuer' } }) });
    expect(paths(out)).toEqual([
      '00-certificate-runai-cluster-domain-star-tls.yaml',
      '10-ingress-runai-cluster-domain-star-ingress.yaml',
      '20-runaiconfig-runai.yaml',
    ]);
    expect(out.notes).toEqual([
      'cert-manager issues *.runai.example.com: from an ACME issuer, a wildcard name needs a DNS-01 solver (HTTP-01 cannot issue it).',
    ]);
  });

  test('a plaintext key gets a .gitignore naming its file, unless it is to be committed', () => {
    const out = render({});
    const ignore = out.files.find((f) => f.path === '.gitignore');
    expect(ignore?.content.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([
      '/00-secret-runai-cluster-domain-star-tls-secret.yaml',
    ]);
    expect(paths(render({}, { gitignorePlaintextKeys: false }))).not.toContain('.gitignore');
  });

  test('the overlay carries Argo CD and Flux annotations by default; each family can be turned off', () => {
    const overlay = (gitops?: RunaiAccessChartProps['gitops']) =>
      yamlDocs(render({ gitops }).files.find((f) => f.path.startsWith('20-'))!.content)[0].metadata.annotations;
    expect(overlay()).toEqual({
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false,ServerSideApply=true',
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      'kustomize.toolkit.fluxcd.io/ssa': 'Merge',
    });
    expect(overlay({ argocd: false })).toEqual({
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      'kustomize.toolkit.fluxcd.io/ssa': 'Merge',
    });
    expect(overlay({ flux: false })).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false,ServerSideApply=true' });
    expect(overlay({ argocd: false, flux: false })).toBeUndefined();
  });

  test('runaiConfigVia chooses the overlay, the Helm values fragment, or both', () => {
    expect(paths(render({ runaiConfigVia: 'helm-values' })).filter((p) => /runaiconfig|helm/.test(p))).toEqual([
      'helm/runai-cluster-values.yaml',
    ]);
    expect(paths(render({ runaiConfigVia: 'both' })).filter((p) => /runaiconfig|helm/.test(p))).toEqual([
      '20-runaiconfig-runai.yaml',
      'helm/runai-cluster-values.yaml',
    ]);
    const values = render({ runaiConfigVia: 'both' }).files.find((f) => f.path === 'helm/runai-cluster-values.yaml')!;
    expect(yamlDocs(values.content)[0]).toEqual({ clusterConfig: { global: { subdomainSupport: true } } });
  });

  test('the optional kustomization lists every object, applies with -k, and kubectl kustomize builds it', () => {
    const out = render({}, { kustomization: true });
    const k = out.files.find((f) => f.path === 'kustomization.yaml')!;
    const objects = out.files.filter((f) => /^\d\d-.*\.yaml$/.test(f.path));
    expect(yamlDocs(k.content)[0]).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: objects.map((f) => f.path),
    });
    expect(out.applySteps).toEqual([{ run: 'kubectl-apply-k', path: '' }]);
    const dir = tempDir();
    for (const f of out.files.filter((x) => !x.path.includes('/'))) fs.writeFileSync(`${dir}/${f.path}`, f.content);
    const built = yamlDocs(kubectl(['kustomize', dir]));
    expect(built.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      objects
        .map((f) => yamlDocs(f.content)[0])
        .map((o) => `${o.kind}/${o.metadata.name}`)
        .sort(),
    );
  });
});

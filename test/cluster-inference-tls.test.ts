/** clusterTls and inference: their Secrets, the knative-serving Ingress and the certificate checks. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { validateJson, validateReport } from '../lib/cli/report';
import { parseConfig } from '../lib/config/load';
import { InputError } from '../lib/model/errors';
import { synthesize } from '../lib/output/render';
import { DEMO_CERT, DEMO_KEY, loadOne, objectFiles, problemLines, runInProcess, tempDir, writeConfig } from './helpers';
import { CHECK_AT, Pki } from './pki';

let pki: Pki;
beforeAll(() => {
  pki = new Pki(tempDir());
  pki.issue('root', { cn: 'Root', ca: true });
  pki.issue('inference', { cn: 'inference', dns: ['*.runai-inference.example.com'], issuer: 'root' });
  pki.issue('cluster', { cn: 'cluster', dns: ['runai.example.com'], issuer: 'root' });
  pki.chain('inference-chain.pem', 'inference', 'root');
  pki.chain('cluster-chain.pem', 'cluster', 'root');
});

const STAR = `{source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}`;
const files = (name: string) => `{source: files, certFile: ${path.join(pki.dir, `${name}-chain.pem`)}, keyFile: ${pki.file(name, 'key')}}`;

const load = (lines: string) => loadOne(`    tls: ${STAR}\n${lines}`, { now: CHECK_AT });
const problems = (lines: string) => problemLines(() => load(lines));
function emitted(lines: string) {
  const [out] = synthesize(load(lines).clusters);
  const docs = objectFiles(out);
  return { out, docs, find: (kind: string, name: string) => docs.find((d) => d.doc.kind === kind && d.doc.metadata.name === name)?.doc };
}

describe('clusterTls', () => {
  test('emits runai-cluster-domain-tls-secret in runai from its own files', () => {
    const { find } = emitted(`    clusterTls: ${files('cluster')}\n`);
    const secret = find('Secret', 'runai-cluster-domain-tls-secret');
    expect(secret.metadata.namespace).toBe('runai');
    expect(secret.type).toBe('kubernetes.io/tls');
  });
  test('fails when its certificate does not cover the cluster URL itself', () => {
    expect(problems(`    clusterTls: ${files('inference')}\n`)).toEqual([
      `clusters[0].clusterTls.certFile: ${path.join(pki.dir, 'inference-chain.pem')} does not cover runai.example.com: the leaf names *.runai-inference.example.com; it needs runai.example.com in its subject alternative names [leaf-host-not-covered]`,
    ]);
  });
  test('with cert-manager, asks for the cluster URL itself', () => {
    const { find } = emitted('    clusterTls: {source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}}\n');
    expect(find('Certificate', 'runai-cluster-domain-tls').spec).toMatchObject({
      secretName: 'runai-cluster-domain-tls-secret',
      dnsNames: ['runai.example.com'],
    });
  });
});

describe('inference on OpenShift (Run:ai 2.25 Gateway API page, OpenShift tab)', () => {
  test('inference.gateway names the Gateway the HTTPRoute attaches to, and the note names it', () => {
    const loaded = parseConfig(
      'clusters:\n  - name: ocp\n    clusterUrl: runai.example.com\n    platform: openshift\n    exposure: gateway-api\n' +
        '    inference: {domain: runai-inference.example.com, gateway: {name: inference-gw, namespace: openshift-ingress}}\n',
      'c.yaml',
      '/',
    );
    const out = synthesize(loaded.clusters)[0];
    const route = objectFiles(out).find((f) => f.doc.kind === 'HTTPRoute')!.doc;
    expect(route.spec.parentRefs).toEqual([{ name: 'inference-gw', namespace: 'openshift-ingress' }]);
    expect(out.notes.find((n) => n.startsWith('inference on OpenShift'))).toMatch(
      /^inference on OpenShift: the HTTPRoute attaches to the Gateway inference-gw in openshift-ingress \(inference\.gateway\), which needs an HTTPS listener/,
    );
  });
  test('fails when inference.gateway is given on Kubernetes, where it is not used', () => {
    expect(
      problems('    inference: {domain: runai-inference.example.com, tls: {source: existing}, gateway: {name: g, namespace: n}}\n'),
    ).toEqual([
      'clusters[0].inference.gateway: is not used on Kubernetes, where the inference route attaches to the Gateway of gateway (or inference has an Ingress); remove inference.gateway',
    ]);
  });

  // Run:ai's tab routes to kourier in knative-serving; OpenShift Serverless puts Kourier in
  // knative-serving-ingress (serverless-operator, openshift-knative-operator/pkg/serving/kourier.go).
  test('exposure gateway-api: the HTTPRoute to the Gateway openshift-default in openshift-ingress, to kourier in knative-serving-ingress with a ReferenceGrant there, no Secret', () => {
    const loaded = parseConfig(
      'clusters:\n  - name: ocp\n    clusterUrl: runai.example.com\n    platform: openshift\n    exposure: gateway-api\n    inference: {domain: runai-inference.example.com}\n',
      'c.yaml',
      '/',
    );
    const out = synthesize(loaded.clusters)[0];
    const docs = objectFiles(out).map((f) => f.doc);
    expect(docs.map((d) => `${d.kind} ${d.metadata.namespace}/${d.metadata.name}`).filter((k) => !k.startsWith('RunaiConfig'))).toEqual([
      'HTTPRoute knative-serving/knative-serving-httproute',
      'ReferenceGrant knative-serving-ingress/knative-serving-httproute',
    ]);
    expect(docs.find((d) => d.kind === 'HTTPRoute').spec).toEqual({
      parentRefs: [{ name: 'openshift-default', namespace: 'openshift-ingress' }],
      hostnames: ['*.runai-inference.example.com'],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [{ name: 'kourier', namespace: 'knative-serving-ingress', port: 80 }],
        },
      ],
    });
    expect(docs.find((d) => d.kind === 'ReferenceGrant')).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      kind: 'ReferenceGrant',
      metadata: { name: 'knative-serving-httproute', namespace: 'knative-serving-ingress' },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'knative-serving' }],
        to: [{ group: '', kind: 'Service', name: 'kourier' }],
      },
    });
    expect(out.mode.wiring).toBe('openshift-router');
  });
});

describe('inference', () => {
  test('emits the inference Secret and the knative-serving Ingress to kourier, both in knative-serving', () => {
    const { find, docs } = emitted(`    inference: {domain: runai-inference.example.com, tls: ${files('inference')}}\n`);
    expect(find('Secret', 'runai-cluster-inference-tls-secret').metadata.namespace).toBe('knative-serving');
    expect(find('Ingress', 'knative-serving')).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'knative-serving', namespace: 'knative-serving' },
      spec: {
        // The 2.25 profile (no runaiVersion): its system requirements put haproxy on this Ingress.
        ingressClassName: 'haproxy',
        rules: [
          {
            host: '*.runai-inference.example.com',
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'kourier', port: { number: 80 } } } }] },
          },
        ],
        tls: [{ hosts: ['*.runai-inference.example.com'], secretName: 'runai-cluster-inference-tls-secret' }],
      },
    });
    expect(docs.map((d) => d.path)).toEqual([
      '00-secret-runai-cluster-domain-star-tls-secret.yaml',
      '00-secret-runai-cluster-inference-tls-secret.yaml',
      '10-ingress-knative-serving.yaml',
      '10-ingress-runai-cluster-domain-star-ingress.yaml',
    ]);
  });
  test("the Ingress follows the ingress controller's class", () => {
    const { find } = emitted(
      `    ingress: {controller: haproxy}\n    inference: {domain: runai-inference.example.com, tls: {source: existing}}\n`,
    );
    expect(find('Ingress', 'knative-serving').spec.ingressClassName).toBe('haproxy');
  });
  test('with cert-manager, asks for *.<inference domain>', () => {
    const { find } = emitted(
      '    inference: {domain: runai-inference.example.com, tls: {source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}}}\n',
    );
    expect(find('Certificate', 'runai-cluster-inference-tls').spec).toMatchObject({
      secretName: 'runai-cluster-inference-tls-secret',
      dnsNames: ['*.runai-inference.example.com'],
    });
  });
  test('fails when its certificate does not cover *.<inference domain>', () => {
    expect(problems(`    inference: {domain: runai-inference.example.com, tls: ${STAR}}\n`)).toEqual([
      `clusters[0].inference.tls.certFile: ${DEMO_CERT} does not cover hosts <name>.runai-inference.example.com: the leaf names *.runai.example.com, runai.example.com; it needs *.runai-inference.example.com in its subject alternative names [leaf-host-not-covered]`,
    ]);
  });
  test('fails when the domain is not a host name, or tls is missing', () => {
    expect(problems('    inference: {domain: "https://x/y", tls: {source: existing}}\n')).toEqual([
      'clusters[0].inference.domain: must not have a path (got "/y"); host-based routing needs the bare host name, such as runai.example.com',
    ]);
    expect(problems('    inference: {domain: runai-inference.example.com}\n')[0]).toMatch(/^clusters\[0\]\.inference\.tls: is required/);
  });
  test('fails on OpenShift without exposure: gateway-api, with clusterTls too', () => {
    const lines =
      'clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n    platform: openshift\n    clusterTls: {source: existing}\n    inference: {domain: i.example.com, tls: {source: existing}}\n';
    expect(() => parseConfig(lines, 'c.yaml', '/')).toThrow(InputError);
    try {
      parseConfig(lines, 'c.yaml', '/');
    } catch (e) {
      expect((e as InputError).problems.map((p) => p.path)).toEqual([
        'clusters[0].clusterTls',
        'clusters[0].inference',
        'clusters[0].inference.tls',
      ]);
    }
  });
});

describe('an inference domain that is the cluster URL, with Ingresses', () => {
  const warnings = (lines: string) =>
    load(`    runaiVersion: "2.25"\n${lines}`).warnings.filter((w) => w.code === 'inference-domain-shared');

  test('warns: two Ingresses serve TLS for *.<clusterUrl> from two Secrets, and a controller serves one certificate', () => {
    expect(warnings('    inference: {domain: runai.example.com, tls: {source: existing}}\n')).toEqual([
      expect.objectContaining({
        path: 'clusters[0].inference.domain',
        severity: 'warning',
        message: expect.stringContaining('give inference a domain of its own, such as runai-inference.runai.example.com'),
      }),
    ]);
  });

  test('does not warn when inference.tls holds the same leaf in a file with CRLF line ends (the bytes differ, the certificate not)', () => {
    const crlf = path.join(tempDir(), 'fullchain-crlf.pem');
    fs.writeFileSync(crlf, fs.readFileSync(DEMO_CERT, 'utf8').replace(/\n/g, '\r\n'));
    expect(warnings(`    inference: {domain: runai.example.com, tls: {source: files, certFile: ${crlf}, keyFile: ${DEMO_KEY}}}\n`)).toEqual(
      [],
    );
  });

  test.each([
    ['both TLS settings hold the same certificate', `    inference: {domain: runai.example.com, tls: ${STAR}}\n`],
    ['inference has a domain of its own', `    inference: {domain: runai-inference.example.com, tls: {source: existing}}\n`],
  ])('does not warn when %s', (_name, lines) => {
    expect(warnings(lines)).toEqual([]);
  });
});

describe('inference with a Run:ai before 2.25', () => {
  const warnings = (version: string, lines: string) =>
    load(`    runaiVersion: "${version}"\n${lines}`).warnings.filter((w) => w.code === 'inference-ingress-undocumented');
  const INFERENCE = `    inference: {domain: runai-inference.example.com, tls: {source: existing}}\n`;

  test.each(['2.10', '2.13', '2.20', '2.24'])(
    "warns on %s: the knative-serving Ingress is 2.25's, and kourier may be in kourier-system",
    (version) => {
      expect(warnings(version, INFERENCE)).toEqual([
        expect.objectContaining({
          path: 'clusters[0].inference',
          severity: 'warning',
          message: expect.stringMatching(
            /^the knative-serving Ingress is Run:ai 2\.25's: the docs of 2\.\d+-2\.\d+ read for this tool show none.*kourier-system/,
          ),
        }),
      ]);
    },
  );

  test.each([
    ['2.25, whose docs write that Ingress', '2.25', INFERENCE],
    ['a release before 2.25 without inference', '2.20', ''],
  ])('does not warn with %s', (_name, version, lines) => {
    expect(warnings(version, lines)).toEqual([]);
  });

  test('synth --strict refuses it, naming the warning', () => {
    const config = writeConfig(
      tempDir(),
      `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n    runaiVersion: "2.20"\n    tls: ${STAR}\n${INFERENCE}`,
    );
    const r = runInProcess(['synth', '--strict', '--config', config, '--out', path.join(tempDir(), 'dist')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/clusters\[0\]\.inference: the knative-serving Ingress is Run:ai 2\.25's.*\[inference-ingress-undocumented\]/);
  });
});

describe('validate reports every certificate, and the inference domain', () => {
  const config = () =>
    `    clusterTls: ${files('cluster')}\n    inference: {domain: runai-inference.example.com, tls: ${files('inference')}}\n`;

  test('the report has a heading and a validity line for tls, clusterTls and inference.tls, in that order', () => {
    const loaded = load(config());
    const lines = validateReport('c.yaml', loaded.clusters, loaded.warnings, CHECK_AT).split('\n');
    const headings = lines.filter((l) => /^ {2}(certificate|cluster certificate|inference)/.test(l));
    expect(headings).toEqual([
      '  certificate CN=*.runai.example.com, names *.runai.example.com, runai.example.com',
      '  cluster certificate (clusterTls) CN=cluster, names runai.example.com',
      '  inference: *.runai-inference.example.com',
      '  inference certificate (inference.tls) CN=inference, names *.runai-inference.example.com',
    ]);
    // Each certificate heading is followed by its own validity line.
    for (const h of headings.filter((l) => l.includes(' CN=')))
      expect(lines[lines.indexOf(h) + 1]).toMatch(/^ {2}valid until \S+ \(\d+ days\), chain of \d/);
  });

  test('a certificate not read here is named with the Secret it is in', () => {
    const loaded = load('    inference: {domain: runai-inference.example.com, tls: {source: existing}}\n');
    expect(validateReport('c.yaml', loaded.clusters, [], CHECK_AT)).toContain(
      '\n  inference: *.runai-inference.example.com\n  inference certificate (inference.tls): existing Secret knative-serving/runai-cluster-inference-tls-secret, not checked here\n',
    );
  });

  test('validate --json has clusterTls and inference beside tls', () => {
    const loaded = load(config());
    const [cluster] = JSON.parse(validateJson('c.yaml', loaded.clusters, [], CHECK_AT)).clusters;
    expect(cluster.clusterTls).toMatchObject({ source: 'files', subject: 'CN=cluster', dnsNames: ['runai.example.com'], chainLength: 2 });
    expect(cluster.inference).toMatchObject({
      domain: 'runai-inference.example.com',
      tls: { source: 'files', subject: 'CN=inference', dnsNames: ['*.runai-inference.example.com'] },
    });
    const bare = JSON.parse(validateJson('c.yaml', load('').clusters, [], CHECK_AT)).clusters[0];
    expect([bare.clusterTls, bare.inference]).toEqual([null, null]);
  });
});

/**
 * The doctor reads each cluster's objects and expectations from its mode (`ClusterMode`) and
 * names: which Ingress and Secret namespace per wiring, the RunaiConfig ingress class for a
 * controller other than ingress-nginx, and the controllers' default certificates. Cluster checks
 * here judge hand-built facts (no kubectl); test/doctor-probed-names.test.ts runs the probes.
 */
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ClusterSpec } from '../lib/config/spec';
import { clusterChecks } from '../lib/doctor/cluster-checks';
import { ClusterFacts } from '../lib/doctor/cluster-reads';
import { defaultCertificateOf } from '../lib/doctor/served-certificate';
import { clusterTargets } from '../lib/doctor/targets';
import { DEMO_CERT, DEMO_KEY, loadOne, tempDir } from './helpers';
import { Pki } from './pki';

const one = (lines: string): ClusterSpec => loadOne(lines).clusters[0];

describe('the objects the doctor reads, from the cluster mode', () => {
  test('dedicated Ingress (Run:ai 2.13 and later): runai/runai-cluster-domain-star-ingress and its Secret in runai', () => {
    expect(clusterTargets(one('    tls: {source: existing}\n'))).toEqual({
      secret: { namespace: 'runai', name: 'runai-cluster-domain-star-tls-secret' },
      ingress: { namespace: 'runai', name: 'runai-cluster-domain-star-ingress', className: 'haproxy' },
      runaiConfig: { namespace: 'runai', name: 'runai' },
    });
  });

  test("legacy patch, self-hosted (Run:ai 2.9-2.12): Run:ai's runai-backend-ingress and the Secret in runai-backend", () => {
    const c = one('    runaiVersion: "2.10"\n    deployment: self-hosted\n    tls: {source: existing}\n');
    expect(clusterTargets(c)).toMatchObject({
      secret: { namespace: 'runai-backend' },
      ingress: { namespace: 'runai-backend', name: 'runai-backend-ingress' },
    });
  });

  test('Gateway API: the Secret in the Gateway namespace, no wildcard Ingress, and the Gateway whose routes must be Accepted', () => {
    const c = one('    exposure: gateway-api\n    gateway: {name: gw, namespace: edge, className: eg}\n    tls: {source: existing}\n');
    expect(clusterTargets(c)).toEqual({
      secret: { namespace: 'edge', name: 'runai-cluster-domain-star-tls-secret' },
      runaiConfig: { namespace: 'runai', name: 'runai' },
      gateway: { namespace: 'edge', name: 'gw' },
    });
  });

  test.each([
    [1, 'runai-cluster-domain-star-ingress', 'nginx'],
    [2, 'runai-cluster-domain-star-ingress-haproxy', 'haproxy'],
    [3, 'runai-cluster-domain-star-ingress-haproxy', 'haproxy'],
  ])(
    'a migration off ingress-nginx, phase %s: the Ingress of the controller that serves (phase 3 writes only the new one)',
    (phase, name, className) => {
      const c = one(`    runaiVersion: "2.20"\n    tls: {source: existing}\n    migration: {to: haproxy, phase: ${phase}}\n`);
      expect(clusterTargets(c).ingress).toEqual({ namespace: 'runai', name, className });
    },
  );

  test.each([
    [1, { ingress: { namespace: 'runai', name: 'runai-cluster-domain-star-ingress', className: 'haproxy' }, gateway: undefined }],
    [2, { ingress: undefined, gateway: { namespace: 'runai', name: 'runai-gateway' } }],
  ])('a migration to the Gateway API, phase %s: the Ingress until Run:ai is told the Gateway, then its routes', (phase, want) => {
    const c = one(
      '    runaiVersion: "2.25"\n    ingress: {controller: haproxy}\n    tls: {source: existing}\n' +
        `    gateway: {name: runai-gateway, namespace: runai, className: kgateway}\n    migration: {to: gateway-api, phase: ${phase}}\n`,
    );
    const { ingress, gateway } = clusterTargets(c);
    expect({ ingress, gateway }).toEqual(want);
  });

  test('path routing: no Secret and no Ingress; the RunaiConfig, and the IngressClass Run:ai is told (or takes: nginx)', () => {
    const runaiConfig = { namespace: 'runai', name: 'runai' };
    expect(clusterTargets(one('    routing: path\n'))).toEqual({ runaiConfig, ingressClass: { name: 'haproxy' } });
    expect(clusterTargets(one('    routing: path\n    ingress: {className: null}\n'))).toEqual({
      runaiConfig,
      ingressClass: { name: 'nginx' },
    });
    expect(
      clusterTargets(one('    routing: path\n    exposure: gateway-api\n    gateway: {name: g, namespace: runai, className: k}\n')),
    ).toEqual({
      runaiConfig,
      gateway: { namespace: 'runai', name: 'g' },
    });
    expect(clusterTargets(one('    routing: path\n    platform: openshift\n'))).toEqual({ runaiConfig });
  });
});

describe('cluster checks judge what kubectl read', () => {
  const healthy = (): ClusterFacts => ({
    secret: { value: '' },
    ingress: {
      value: {
        spec: {
          ingressClassName: 'haproxy',
          tls: [{ hosts: ['*.runai.example.com'], secretName: 'runai-cluster-domain-star-tls-secret' }],
        },
        status: { loadBalancer: { ingress: [{ hostname: 'lb.cloud.example' }] } },
      },
    },
    ingressClass: { value: { name: 'haproxy', isDefault: false, exists: true, controller: 'haproxy.org/ingress-controller/haproxy' } },
    runaiConfig: { value: { spec: { global: { subdomainSupport: true, ingress: { ingressClass: 'haproxy' } } } } },
  });
  const haproxy = one('    ingress: {controller: haproxy}\n    tls: {source: existing}\n');
  const context = {
    cluster: haproxy,
    targets: clusterTargets(haproxy),
    outDir: 'dist/prod',
    wildcardAddresses: ['10.0.0.5'],
    hostnameAddresses: { 'lb.cloud.example': ['10.0.0.5'] },
    kubeMs: 1000,
  };
  const byName = (facts: ClusterFacts, over = {}) =>
    Object.fromEntries(clusterChecks(facts, { ...context, ...over }).map((c) => [c.name, c]));

  test('with HAProxy the RunaiConfig must name its class, and a load balancer host name is resolved to compare with DNS', () => {
    const checks = byName(healthy());
    expect(checks['kube.runaiconfig']).toMatchObject({
      status: 'pass',
      detail: 'RunaiConfig runai/runai has spec.global.subdomainSupport true and ingress class haproxy',
    });
    expect(checks['kube.ingress-address']).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('has address lb.cloud.example, where'),
    });
  });

  test('fails when kubectl timed out reading the IngressClass, naming the wait it had', () => {
    const facts: ClusterFacts = { ...healthy(), ingressClass: { failure: 'timeout' } };
    expect(byName(facts, { kubeMs: 2500 })['kube.ingress-class']).toMatchObject({
      status: 'fail',
      detail: 'kubectl did not finish reading the IngressClass of Ingress runai/runai-cluster-domain-star-ingress within 2.5 s',
      fix: 'check that `kubectl get ns` works with this context (VPN, API server address), or pass --no-kube',
    });
  });

  test('fails when kubectl timed out with less than --kube left of the total deadline, naming that wait', () => {
    const facts: ClusterFacts = { ...healthy(), ingressClass: { failure: 'timeout', waitedMs: 700 } };
    expect(byName(facts, { kubeMs: 2500 })['kube.ingress-class'].detail).toBe(
      'kubectl did not finish reading the IngressClass of Ingress runai/runai-cluster-domain-star-ingress within 0.7 s',
    );
  });

  test('fails when the total deadline left kubectl no time, saying so rather than "within 0 s"', () => {
    const facts: ClusterFacts = { ...healthy(), ingressClass: { failure: 'timeout', waitedMs: 1 } };
    expect(byName(facts, { kubeMs: 2500 })['kube.ingress-class'].detail).toBe(
      "kubectl had no time left to read the IngressClass of Ingress runai/runai-cluster-domain-star-ingress: the doctor's total time ran out first",
    );
  });

  test('names kubectl apply -k for an output folder with a kustomization.yaml (-f fails on that file)', () => {
    const outDir = tempDir();
    fs.writeFileSync(path.join(outDir, 'kustomization.yaml'), 'resources: []\n');
    const facts: ClusterFacts = { ...healthy(), ingress: { failure: 'not-found' } };
    expect(byName(facts, { outDir })['kube.ingress'].fix).toBe(`kubectl apply --server-side --field-manager=runai-access -k ${outDir}/`);
    expect(byName(facts)['kube.ingress'].fix).toBe('kubectl apply --server-side --field-manager=runai-access -f dist/prod/');
  });

  test('fails when the IngressClass may not be read, with the fix for that', () => {
    const facts: ClusterFacts = { ...healthy(), ingressClass: { failure: 'forbidden' } };
    expect(byName(facts)['kube.ingress-class']).toMatchObject({
      status: 'fail',
      detail: 'your context may not read the IngressClass of Ingress runai/runai-cluster-domain-star-ingress (Forbidden)',
      fix: 'use a context allowed to get this object (read-only is enough)',
    });
  });

  test('fails when RunaiConfig lacks the ingress class the controller needs', () => {
    const facts = healthy();
    facts.runaiConfig.value!.spec!.global = { subdomainSupport: true };
    expect(byName(facts)['kube.runaiconfig']).toMatchObject({
      status: 'fail',
      detail: "RunaiConfig runai/runai has spec.global.ingress.ingressClass unset, the config's controller needs haproxy",
    });
  });

  test('fails with the Helm fix when subdomainSupport was reverted on a Helm-managed install', () => {
    const helm = one('    ingress: {controller: haproxy}\n    tls: {source: existing}\n    runaiConfig: {via: helm-values}\n');
    const facts = healthy();
    facts.runaiConfig.value!.spec!.global = { subdomainSupport: false, ingress: { ingressClass: 'haproxy' } };
    expect(byName(facts, { cluster: helm })['kube.runaiconfig'].fix).toBe(
      'set clusterConfig.global.subdomainSupport: true in your Run:ai Helm values (dist/prod/helm/runai-cluster-values.yaml) and helm upgrade; a Helm upgrade reverts kubectl patches',
    );
  });

  test('a path-routing cluster needs subdomainSupport false, as its overlay writes: it passes, and fails with true', () => {
    const path = one('    routing: path\n    runaiConfig: {via: overlay}\n');
    const facts = (subdomainSupport: boolean): ClusterFacts => ({
      runaiConfig: { value: { spec: { global: { subdomainSupport, ingress: { ingressClass: 'haproxy' } } } } },
    });
    const check = (f: ClusterFacts) => byName(f, { cluster: path, targets: clusterTargets(path) })['kube.runaiconfig'];
    expect(check(facts(false))).toMatchObject({
      status: 'pass',
      detail: 'RunaiConfig runai/runai has spec.global.subdomainSupport false and ingress class haproxy',
    });
    expect(check(facts(true))).toMatchObject({
      status: 'fail',
      detail: "RunaiConfig runai/runai has spec.global.subdomainSupport true, the config's path routing needs false",
    });
  });

  test('fails with a fix the admin does by hand when the config leaves subdomainSupport to them (subdomainSupport: false)', () => {
    const own = one('    ingress: {controller: haproxy}\n    tls: {source: existing}\n    subdomainSupport: false\n');
    const facts = healthy();
    facts.runaiConfig.value!.spec!.global = { subdomainSupport: false, ingress: { ingressClass: 'haproxy' } };
    expect(byName(facts, { cluster: own })['kube.runaiconfig']).toMatchObject({
      status: 'fail',
      detail: "RunaiConfig runai/runai has spec.global.subdomainSupport false, the config's host routing needs true",
      fix:
        'set spec.global.subdomainSupport: true on the cluster yourself (in your Run:ai Helm values if Helm manages Run:ai): ' +
        'the config has subdomainSupport: false, so runai-access writes no such setting',
    });
  });

  test('fails when the Ingress has another class than the config, or lacks the wildcard tls entry', () => {
    const facts = healthy();
    (facts.ingress!.value!.spec as any).ingressClassName = 'nginx';
    expect(byName(facts)['kube.ingress']).toMatchObject({
      status: 'fail',
      detail: 'Ingress runai/runai-cluster-domain-star-ingress has ingressClassName nginx, the config says haproxy',
    });
    (facts.ingress!.value!.spec as any).tls = [];
    expect(byName(facts)['kube.ingress'].detail).toBe(
      'Ingress runai/runai-cluster-domain-star-ingress has no tls entry for *.runai.example.com with Secret runai-cluster-domain-star-tls-secret',
    );
  });

  test('fails when the Ingress names no class and the cluster has no default IngressClass', () => {
    const facts = { ...healthy(), ingressClass: { value: { isDefault: true, exists: false } } };
    expect(byName(facts)['kube.ingress-class'].detail).toBe(
      'Ingress runai/runai-cluster-domain-star-ingress names no IngressClass and the cluster has no default class: no controller serves it',
    );
  });

  test('fails when the Ingress address is not where DNS points', () => {
    expect(byName(healthy(), { wildcardAddresses: ['10.9.9.9'] })['kube.ingress-address']).toMatchObject({
      status: 'fail',
      detail: 'Ingress runai/runai-cluster-domain-star-ingress has address lb.cloud.example, but *.runai.example.com resolves to 10.9.9.9',
      fix: 'point *.runai.example.com and runai.example.com at lb.cloud.example',
    });
  });

  test('fails when the Secret is missing, with the fix of its TLS source', () => {
    const facts = { ...healthy(), secret: { failure: 'not-found' as const }, secretElsewhere: [] };
    expect(byName(facts)['kube.secret'].fix).toBe(
      'create it: kubectl create secret tls runai-cluster-domain-star-tls-secret -n runai --cert fullchain.pem --key private.pem',
    );
    const cm = one('    tls: {source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}}\n');
    expect(byName(facts, { cluster: cm, targets: clusterTargets(cm) })['kube.secret'].fix).toBe(
      'cert-manager writes it once the Certificate is issued: kubectl describe certificate runai-cluster-domain-star-tls -n runai',
    );
  });

  test('passes a tls.crt that holds the key too: the controllers read its CERTIFICATE blocks only', () => {
    const value = fs.readFileSync(DEMO_CERT, 'latin1') + fs.readFileSync(DEMO_KEY, 'latin1');
    expect(byName({ ...healthy(), secret: { value } })['kube.secret']).toMatchObject({ status: 'pass' });
    const keyFirst = fs.readFileSync(DEMO_KEY, 'latin1').replace(/PRIVATE KEY/g, 'EC PRIVATE KEY') + fs.readFileSync(DEMO_CERT, 'latin1');
    expect(byName({ ...healthy(), secret: { value: keyFirst } })['kube.secret']).toMatchObject({ status: 'pass' });
  });

  test('fails when tls.crt holds only a private key: the controller finds no certificate in it', () => {
    expect(byName({ ...healthy(), secret: { value: fs.readFileSync(DEMO_KEY, 'latin1') } })['kube.secret']).toMatchObject({
      status: 'fail',
      detail:
        'Secret runai/runai-cluster-domain-star-tls-secret: tls.crt holds a private key, not a certificate, so the controller ' +
        'serves its default certificate',
    });
  });

  test('fails when tls.crt holds no parsable certificate: the controller falls back to its default', () => {
    expect(
      byName({ ...healthy(), secret: { value: '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n' } })['kube.secret'],
    ).toMatchObject({
      status: 'fail',
      detail:
        'Secret runai/runai-cluster-domain-star-tls-secret: tls.crt has a PEM block that is cut off or broken (no matching -----END ' +
        'line, or bad base64), so the controller serves its default certificate',
    });
    expect(byName({ ...healthy(), secret: { value: 'not PEM at all\n' } })['kube.secret']).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('tls.crt holds no PEM certificate (-----BEGIN CERTIFICATE-----), so the controller serves'),
    });
  });
});

describe("controllers' default certificates", () => {
  let pki: Pki;
  beforeAll(() => {
    pki = new Pki(path.join(tempDir(), 'pki'));
  });
  const cert = (name: string) => new X509Certificate(fs.readFileSync(pki.file(name)));

  test('Traefik: CN=TRAEFIK DEFAULT CERT', () => {
    pki.issue('traefik', { cn: 'TRAEFIK DEFAULT CERT', dns: ['a.b.traefik.default'] });
    expect(defaultCertificateOf(cert('traefik'))).toBe('Traefik');
  });

  test("HAProxy: the Helm chart's certificate, issued by CN=kubernetes-ingress-ca", () => {
    pki.issue('kica', { cn: 'kubernetes-ingress-ca', ca: true });
    pki.issue('haproxy', { cn: 'haproxy-kubernetes-ingress.haproxy-controller', issuer: 'kica' });
    expect(defaultCertificateOf(cert('haproxy'))).toBe('HAProxy Kubernetes Ingress (Helm chart default)');
  });

  test('a real certificate is no default certificate', () => {
    pki.issue('real', { cn: '*.runai.example.com', dns: ['*.runai.example.com'] });
    expect(defaultCertificateOf(cert('real'))).toBeUndefined();
  });
});

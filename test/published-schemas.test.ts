/**
 * Every object runai-access emits, in every mode, validated against published schemas:
 * kubernetes-models and its @kubernetes-models CRD packages (cert-manager, Sealed Secrets,
 * External Secrets, Gateway API). RunaiConfig has no published schema; its shape is asserted
 * in runai-config-overlay.test.ts.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parseConfig } from '../lib/config/load';
import { synthesize } from '../lib/output/render';
import { DEMO_CERT, DEMO_KEY, DEMO_ROOT_CA, tempDir, yamlDocs } from './helpers';
import { CHECK_AT, Pki } from './pki';

const VALIDATOR = path.join(__dirname, 'validate-models.mjs');

function validate(objects: unknown[]): { key: string; ok: boolean; error?: string }[] {
  const file = path.join(tempDir(), 'objects.json');
  fs.writeFileSync(file, JSON.stringify(objects));
  return JSON.parse(execFileSync(process.execPath, [VALIDATOR, file], { encoding: 'utf8', cwd: path.join(__dirname, '..') }));
}

let controllerCert: string;
beforeAll(() => {
  const pki = new Pki(tempDir());
  pki.issue('controller', { cn: 'sealed-secret', key: 2048, eku: null });
  controllerCert = pki.file('controller');
});

const FILES = `{source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}`;
const CM = '{source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}}';

test('every emitted object of every mode is valid against its published schema', () => {
  const config = `clusters:
  - name: full
    clusterUrl: runai.example.com
    ingress: {controller: haproxy, annotations: {haproxy.org/ssl-redirect: "true"}}
    tls: ${FILES}
    clusterTls: ${FILES}
    inference: {domain: runai-inference.example.com, tls: ${CM}}
    privateCa: {caFile: ${DEMO_ROOT_CA}}
    expose:
      - {project: team-a, workload: nb1, type: node-port, ports: [{port: 8888, nodePort: 30888, name: jupyter}, "6006"]}
      - {project: team-a, workload: tb1, type: load-balancer, ports: ["6006"], loadBalancerSourceRanges: [10.0.0.0/8]}
      - {project: team-b, workload: ssh1, type: port-forward, ports: ["2222:22"]}
      - {project: team-b, workload: web1, type: subdomain, ports: ["8080"]}
  - name: legacy
    clusterUrl: runai.example.com
    runaiVersion: "2.10"
    deployment: self-hosted
    tls: {source: sealed-secret, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}, controllerCertFile: ${controllerCert}, scope: namespace-wide}
    clusterTls: {source: external-secret, secretStoreRef: {name: vault}, remoteRef: {certificate: a, privateKey: b}, apiVersion: external-secrets.io/v1beta1}
  - name: gateway
    clusterUrl: example.com
    exposure: gateway-api
    gateway: {name: runai-gateway, namespace: runai, className: kgateway}
    tls: {source: external-secret, secretStoreRef: {name: vault, kind: ClusterSecretStore}, remoteRef: {certificate: a, privateKey: b}}
    clusterTls: ${CM}
    inference: {domain: runai.example.com, tls: {source: sealed-secret, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}, controllerCertFile: ${controllerCert}}}
  - name: gateway-runai
    clusterUrl: runai.example.com
    deployment: self-hosted
    exposure: gateway-api
    gateway: {name: runai-gateway, namespace: runai, className: kgateway, routeNamespaces: runai, httpRedirect: true}
    tls: {source: existing}
  - name: openshift
    clusterUrl: runai.example.com
    platform: openshift
    privateCa: {caFile: ${DEMO_ROOT_CA}}
    exposure: gateway-api
    inference: {domain: runai-inference.example.com}
  - name: path
    clusterUrl: runai.example.com
    routing: path
    expose: [{project: a, workload: w, type: node-port, ports: ["80"]}]
`;
  // (The gateway cluster's inference domain is runai.example.com so that the demo wildcard covers it; its own
  // URL is example.com, since the Gateway API refuses two listeners for one hostname.)
  const loaded = parseConfig(config, 'c.yaml', '/', { now: CHECK_AT });
  const objects = synthesize(loaded.clusters).flatMap((o) =>
    o.files.filter((f) => /^\d\d-.*\.yaml$/.test(f.path)).map((f) => yamlDocs(f.content)[0]),
  );
  const kinds = new Set(objects.map((o) => `${o.apiVersion}/${o.kind}`));
  expect([...kinds].sort()).toEqual([
    'bitnami.com/v1alpha1/SealedSecret',
    'cert-manager.io/v1/Certificate',
    'external-secrets.io/v1/ExternalSecret',
    'external-secrets.io/v1beta1/ExternalSecret',
    'gateway.networking.k8s.io/v1/Gateway',
    'gateway.networking.k8s.io/v1/HTTPRoute',
    'gateway.networking.k8s.io/v1beta1/ReferenceGrant',
    'networking.k8s.io/v1/Ingress',
    'run.ai/v1/RunaiConfig',
    'v1/Namespace',
    'v1/Secret',
    'v1/Service',
  ]);
  const results = validate(objects.filter((o) => o.kind !== 'RunaiConfig'));
  expect(results.filter((r) => !r.ok)).toEqual([]);
  expect(results).toHaveLength(objects.length - objects.filter((o) => o.kind === 'RunaiConfig').length);
});

test('the validator fails on objects that break their schema (it can fail)', () => {
  const results = validate([
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g' }, spec: { listeners: [] } },
    { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c' }, spec: { dnsNames: ['x'] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 'eighty' }] } },
  ]);
  expect(results.map((r) => r.ok)).toEqual([false, false, false]);
});

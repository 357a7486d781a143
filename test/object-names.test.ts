/**
 * Names the config writes into objects, held to the API server's and the CRDs' limits: an object
 * name is a DNS-1123 subdomain of at most 253 characters, a namespace a DNS-1123 label of at most
 * 63 (lib/config/schema-helpers.ts objectName and labelName).
 */
import { parseConfig } from '../lib/config/load';
import { loadOne, problemLines } from './helpers';

const LONG = 'a'.repeat(254);
const problems = (lines: string) => problemLines(() => loadOne(lines));

test('fails when an IngressClass, GatewayClass or SecretStore name is over 253 characters', () => {
  expect(problems(`    runaiVersion: "2.20"\n    tls: {source: existing}\n    ingress: {controller: other, className: ${LONG}}\n`)).toEqual(
    ['clusters[0].ingress.className: must be at most 253 characters'],
  );
  expect(
    problems(`    exposure: gateway-api\n    tls: {source: existing}\n    gateway: {name: g, namespace: runai, className: ${LONG}}\n`),
  ).toEqual(['clusters[0].gateway.className: must be at most 253 characters']);
  expect(
    problems(
      `    tls: {source: external-secret, secretStoreRef: {name: ${LONG}, kind: ClusterSecretStore}, remoteRef: {certificate: a, privateKey: b}}\n`,
    ),
  ).toEqual(['clusters[0].tls.secretStoreRef.name: must be at most 253 characters']);
  expect(
    problems(`    runaiVersion: "2.20"\n    tls: {source: existing}\n    ingress: {controller: other, className: ${'a'.repeat(253)}}\n`),
  ).toEqual([]);
});

test('fails when a Gateway name or namespace is over 63 characters, saying so', () => {
  expect(
    problems(
      `    exposure: gateway-api\n    tls: {source: existing}\n    gateway: {name: ${'g'.repeat(64)}, namespace: runai, className: k}\n`,
    ),
  ).toEqual(['clusters[0].gateway.name: must be at most 63 characters']);
});

test('fails when an Argo CD or Flux namespace is not a DNS label: a dot, or over 63 characters', () => {
  const delivery = (engine: string) =>
    problemLines(() =>
      loadOne(`    runaiVersion: "2.20"\n    tls: {source: existing}\ndelivery:\n  repoURL: https://git.example.com/x.git\n  ${engine}\n`),
    );
  expect(delivery('argocd: {namespace: argo.cd}')).toEqual(['delivery.argocd.namespace: must be a namespace: a DNS label such as argocd']);
  expect(delivery(`argocd: {namespace: ${'a'.repeat(64)}}`)).toEqual(['delivery.argocd.namespace: must be at most 63 characters']);
  expect(delivery('flux: {namespace: flux.system, sourceRef: {name: r}}')).toEqual([
    'delivery.flux.namespace: must be a namespace: a DNS label such as flux-system',
  ]);
  expect(delivery('argocd: {namespace: argocd}')).toEqual([]);
});

test('fails when a cluster delivered by Flux has a name over 50 characters: its Kustomization name is a label value on every object', () => {
  const yaml = (name: string) =>
    `clusters:\n  - {name: ${name}, clusterUrl: runai.example.com, runaiVersion: "2.20", tls: {source: existing}}\n` +
    'delivery:\n  repoURL: https://git.example.com/x.git\n  flux: {sourceRef: {name: r}}\n';
  expect(problemLines(() => parseConfig(yaml('a'.repeat(51)), 'c.yaml', '/'))).toEqual([
    'clusters[0].name: is 51 characters; with delivery.flux at most 50: Flux labels every object it applies with its ' +
      "Kustomization's name, runai-access-<name>, and a label value is at most 63 characters",
  ]);
  expect(problemLines(() => parseConfig(yaml('a'.repeat(50)), 'c.yaml', '/'))).toEqual([]);
  // The rule is Flux's: with Argo CD alone, a name of 63 characters passes.
  expect(
    problemLines(() => parseConfig(yaml('a'.repeat(63)).replace('flux: {sourceRef: {name: r}}', 'argocd: {}'), 'c.yaml', '/')),
  ).toEqual([]);
});

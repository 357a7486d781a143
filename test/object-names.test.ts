/**
 * Names the config writes into objects, held to the API server's and the CRDs' limits: an object
 * name is a DNS-1123 subdomain of at most 253 characters, a namespace a DNS-1123 label of at most
 * 63 (lib/config/schema-helpers.ts objectName and labelName).
 */
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

/**
 * What a config change leaves in the cluster that the summary must name: the legacy patch's tls
 * entry on Run:ai's own Ingress after an upgrade to the dedicated Ingress (2.12 to 2.13), and a
 * plaintext Secret, holding a private key, that nothing written any more makes or reads.
 */
import { DEMO_CERT, DEMO_KEY, runInProcess, tempDir, writeConfig } from './helpers';

const cluster = (extra: string, deployment = 'self-hosted') =>
  `clusters:\n  - name: runai\n    clusterUrl: runai.example.com\n    deployment: ${deployment}\n` +
  `    tls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}\n${extra}`;

/** A folder; `synth(config)` writes the config, runs `synth -q` there and returns its lines about what it left. */
function project() {
  const dir = tempDir();
  return (config: string) => {
    writeConfig(dir, config);
    const r = runInProcess(['synth', '-q', '--at', '2030-01-01T00:00:00Z'], { cwd: dir });
    expect(r.status).toBe(0);
    return r.stderr.split('\n').filter((l) => l.startsWith('runai: '));
  };
}

const SECRET_FILE = 'dist/runai/00-secret-runai-cluster-domain-star-tls-secret.yaml';
const unread = (namespace: string) =>
  `runai: no longer written: ${SECRET_FILE}; nothing written now makes or reads that Secret; the object stays in the cluster until ` +
  `deleted (kubectl delete secret -n ${namespace} runai-cluster-domain-star-tls-secret), unless a GitOps tool with pruning applies this folder`;

test.each([
  ['self-hosted', 'runai-backend', 'runai-backend-ingress'],
  ['saas', 'runai', 'researcher-service-ingress'],
])('%s, 2.12 to 2.13: the tls entry the patch script added to %s/%s, then the Secret it read', (deployment, namespace, ingress) => {
  const synth = project();
  synth(cluster('    runaiVersion: "2.12"\n', deployment));
  const lines = synth(cluster('    runaiVersion: "2.13"\n', deployment));
  const patch =
    `runai: no longer written: dist/runai/patches/; the spec.tls entry for *.runai.example.com its script added to Ingress ` +
    `${namespace}/${ingress} stays, so two Ingresses serve that host, each from its own Secret: remove that entry ` +
    `(kubectl edit ingress -n ${namespace} ${ingress}) before you delete the Secret it reads`;
  // SaaS keeps the Secret in runai, where the dedicated Ingress reads it: only the entry is named.
  expect(lines).toEqual(namespace === 'runai' ? [patch] : [patch, unread(namespace)]);
  expect(synth(cluster('    runaiVersion: "2.13"\n', deployment))).toEqual([]);
});

test('routing: path writes no wildcard Secret: the one written before is named, with the Ingress that read it', () => {
  const synth = project();
  synth(cluster(''));
  expect(synth(cluster('    routing: path\n').replace(/ {4}tls: .*\n/, ''))).toEqual([
    unread('runai'),
    'runai: no longer written: dist/runai/10-ingress-runai-cluster-domain-star-ingress.yaml; the object stays in the cluster until ' +
      'deleted (kubectl delete ingress -n runai runai-cluster-domain-star-ingress), unless a GitOps tool with pruning applies this folder',
  ]);
});

test('not named while something written reads it: a switch to tls.source existing keeps the Secret the Ingress reads', () => {
  const synth = project();
  synth(cluster(''));
  const existing = cluster('').replace(/tls: \{source: files.*\}/, 'tls: {source: existing}');
  expect(synth(existing)).toEqual([]);
  // Nor a Secret cert-manager now makes under the same name.
  synth(cluster(''));
  expect(synth(existing.replace('{source: existing}', '{source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}}'))).toEqual([]);
});

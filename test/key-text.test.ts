import * as fs from 'node:fs';

import { parseConfig } from '../lib/config/load';
import { InputError } from '../lib/model/errors';
import { DEMO_KEY } from './helpers';

const KEY = fs.readFileSync(DEMO_KEY, 'utf8');
const KEY_LINE = KEY.split('\n')[1];
const WARNING =
  'holds 40 or more characters of random base64 in a row, as a line of a key does, and goes into the manifests as written; make sure it is no key';

const config = (cluster: string) => `clusters:\n  - name: a\n    clusterUrl: runai.test.com\n    tls: {source: existing}\n${cluster}`;

function errors(yaml: string): string[] {
  try {
    parseConfig(yaml, 'c.yaml', '/');
    return [];
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.problems.map((p) => `${p.path}: ${p.message}`);
  }
}

test('fails when a key is pasted into an annotation value or key, without quoting it', () => {
  const value = JSON.stringify(KEY);
  expect(errors(config(`    ingress: {annotations: {x: ${value}, ${value}: y}}\n`))).toEqual([
    // The key of a mapping is said once, by the schema: an annotation key has its own form.
    expect.stringMatching(/^clusters\[0\]\.ingress\.annotations\.<\d+ characters of PEM text, not shown>: must be an annotation key/),
    'clusters[0].ingress.annotations.x: holds PEM text; no field takes a certificate or key itself: ' +
      'name its file in certFile, keyFile, caFile or controllerCertFile',
  ]);
});

test('fails once, by the schema, when PEM text is where the schema refuses the value anyway', () => {
  const found = errors(`clusters:\n  - name: a\n    clusterUrl: ${JSON.stringify(KEY)}\n    tls: {source: existing}\n`);
  expect(found).toHaveLength(1);
  expect(found[0]).toMatch(/^clusters\[0\]\.clusterUrl: /);
  expect(found[0]).not.toContain('holds PEM text');
});

test('warns when an annotation value holds a line of a key, which the manifests would carry; --strict refuses it', () => {
  const yaml = config(`    ingress: {annotations: {x: "${KEY_LINE}"}}\n`);
  expect(parseConfig(yaml, 'c.yaml', '/').warnings).toEqual([
    { source: 'c.yaml', path: 'clusters[0].ingress.annotations.x', message: WARNING, code: 'value-looks-like-key', severity: 'warning' },
  ]);
  expect(() => parseConfig(yaml, 'c.yaml', '/', { strict: true })).toThrow(
    /annotations\.x: holds 40 or more .* \(an error with --strict\)/,
  );
});

test('passes names, paths and IDs that only look random, and text that names a key without being one', () => {
  const annotations = [
    'checksum/config: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    'cert-manager.io/cluster-issuer: letsencrypt-prod',
    'eks.amazonaws.com/role-arn: "arn:aws:iam::123456789012:role/MyEKSClusterRoleForIngress"',
    'appgw.ingress.kubernetes.io/waf-policy-for-path: "/subscriptions/1b2c/resourceGroups/RunAIProdGroup/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/RunAIWafPolicy"',
    'example.com/note: "the PRIVATE KEY lives in Vault"',
    'example.com/repo: "https://gitlab.example.com/PlatformTeam/KubernetesGPUClusterConfigsForRunAI.git"',
    'example.com/owner: AcmeCorpPlatformEngineering/RunAIAccessGitOpsRepository',
  ];
  const yaml = `clusters:
  - name: a
    clusterUrl: runai.test.com
    runaiVersion: "2.20"
    ingress: {annotations: {${annotations.join(', ')}}}
    tls: {source: external-secret, secretStoreRef: {name: vault, kind: ClusterSecretStore}, remoteRef: {certificate: kv/data/ClusterTLS/RunAIProdWildcard, privateKey: kv/data/ClusterTLS/RunAIProdWildcardKey}}
delivery:
  repoURL: git@github.com:AcmeCorp/RunAIAccessGitOpsRepository.git
  argocd: {}
`;
  expect(parseConfig(yaml, 'c.yaml', '/').warnings.filter((w) => w.code === 'value-looks-like-key')).toEqual([]);
});

test('passes a file path that only looks random: no warning, as it is read, never written into a manifest', () => {
  const random = 'Zx9Qw2Lm7Rt4Yp1Nb8Vc3Kd6Hg5Jf0AeUi2Op8As5Df1Gh';
  const yaml = `clusters:\n  - name: a\n    clusterUrl: runai.test.com\n    tls: {source: files, certFile: /tmp/${random}/tls.crt, keyFile: /tmp/${random}/tls.key}\n`;
  expect(errors(yaml).filter((e) => /holds/.test(e))).toEqual([]);
  // The same text where it is written into a manifest is warned about.
  const annotated = parseConfig(config(`    ingress: {annotations: {x: "${random}"}}\n`), 'c.yaml', '/');
  expect(annotated.warnings.map((w) => w.code)).toEqual(['value-looks-like-key']);
});

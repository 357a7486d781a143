import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';

import { parseConfig } from '../lib/config/load';
import { InputError } from '../lib/model/errors';
import { DEMO_CERT, DEMO_KEY } from './helpers';

const KEY = fs.readFileSync(DEMO_KEY, 'utf8');
const PEM_TEXT =
  'holds PEM text; no field takes a certificate or key itself: name its file in certFile, keyFile, caFile or controllerCertFile';

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

test('fails when a key or a certificate is pasted into an annotation value or key, without quoting it', () => {
  const value = JSON.stringify(KEY);
  const cert = JSON.stringify(fs.readFileSync(DEMO_CERT, 'utf8'));
  expect(errors(config(`    ingress: {annotations: {x: ${value}, y: ${cert}, ${value}: z}}\n`))).toEqual([
    // The key of a mapping is said once, by the schema: an annotation key has its own form.
    expect.stringMatching(/^clusters\[0\]\.ingress\.annotations\.<\d+ characters of PEM text, not shown>: must be an annotation key/),
    `clusters[0].ingress.annotations.x: ${PEM_TEXT}`,
    `clusters[0].ingress.annotations.y: ${PEM_TEXT}`,
  ]);
});

test('fails once, by the schema, when PEM text is where the schema refuses the value anyway', () => {
  const found = errors(`clusters:\n  - name: a\n    clusterUrl: ${JSON.stringify(KEY)}\n    tls: {source: existing}\n`);
  expect(found).toHaveLength(1);
  expect(found[0]).toMatch(/^clusters\[0\]\.clusterUrl: /);
  expect(found[0]).not.toContain('holds PEM text');
});

test('passes annotation values that only look like key text: digests, tokens, IDs, a note naming a PRIVATE KEY', () => {
  const annotations = [
    'checksum/config: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    'example.com/sha512: "z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="',
    'eks.amazonaws.com/role-arn: "arn:aws:iam::123456789012:role/MyEKSClusterRoleForIngress"',
    'example.com/note: "the PRIVATE KEY lives in Vault"',
    'example.com/dashes: "-----"',
  ];
  const loaded = parseConfig(config(`    ingress: {annotations: {${annotations.join(', ')}}}\n`), 'c.yaml', '/');
  expect(loaded.warnings).toEqual([]);
  expect(loaded.clusters[0].ingressAnnotations['example.com/note']).toBe('the PRIVATE KEY lives in Vault');
});

/** Private keys of every type OpenSSL reads, in each form a PEM file holds them, without their PEM lines. */
const KEY_BODIES = (() => {
  const pairs = [
    generateKeyPairSync('rsa', { modulusLength: 2048 }),
    generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    generateKeyPairSync('ec', { namedCurve: 'P-384' }),
    generateKeyPairSync('ed25519'),
  ];
  const forms = pairs.flatMap(({ privateKey }) => [
    privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ...(privateKey.asymmetricKeyType === 'rsa' ? [privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()] : []),
    ...(privateKey.asymmetricKeyType === 'ec' ? [privateKey.export({ type: 'sec1', format: 'pem' }).toString()] : []),
  ]);
  return [...forms, KEY].map((pem) => pem.split('\n').filter((l) => l && !l.startsWith('-----')));
})();
const KEY_BODY = "holds a private key's base64 body; no field takes a key itself: name its PEM file in keyFile";

test("fails when a private key's base64 body, without its PEM lines, is pasted into any field: one line or as the file's lines", () => {
  const certLines = fs
    .readFileSync(DEMO_CERT, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('-----'));
  for (const lines of KEY_BODIES) {
    // What grep -v -- ----- leaves of a combined PEM file (HAProxy's): the certificate's body, then the key's.
    expect(errors(config(`    ingress: {annotations: {w: ${JSON.stringify([...certLines, ...lines].join('\n'))}}}\n`))).toEqual([
      `clusters[0].ingress.annotations.w: ${KEY_BODY}`,
    ]);
    const oneLine = JSON.stringify(lines.join(''));
    const asLines = JSON.stringify(lines.join('\n'));
    const found = errors(
      config(`    ingress: {annotations: {x: ${oneLine}, y: ${asLines}, z: ${JSON.stringify(`key=${lines.join('')}`)}}}\n`),
    );
    expect(found).toEqual([
      `clusters[0].ingress.annotations.x: ${KEY_BODY}`,
      `clusters[0].ingress.annotations.y: ${KEY_BODY}`,
      `clusters[0].ingress.annotations.z: ${KEY_BODY}`,
    ]);
    for (const line of lines) expect(found.join('\n')).not.toContain(line.slice(0, 16));
  }
  const template = errors(
    'clusters:\n  - name: a\n    clusterUrl: runai.test.com\n    tls: {source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}, ' +
      `secretTemplate: {annotations: {x: ${JSON.stringify(KEY_BODIES[0].join(''))}}}}\n`,
  );
  expect(template).toEqual([`clusters[0].tls.secretTemplate.annotations.x: ${KEY_BODY}`]);
});

test("passes a certificate's base64 body and a public key's in an annotation value: only a private key is refused", () => {
  const cert = fs
    .readFileSync(DEMO_CERT, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('-----'))
    .join('');
  const publicKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const loaded = parseConfig(config(`    ingress: {annotations: {x: ${cert}, y: ${publicKey}}}\n`), 'c.yaml', '/');
  expect(loaded.clusters[0].ingressAnnotations.y).toBe(publicKey);
});

describe('an External Secrets remoteRef names a key in the store, never holds one', () => {
  const external = (certificate: string, privateKey: string) =>
    'clusters:\n  - name: a\n    clusterUrl: runai.test.com\n    runaiVersion: "2.20"\n    tls:\n      source: external-secret\n' +
    `      secretStoreRef: {name: vault, kind: ClusterSecretStore}\n      remoteRef: {certificate: ${JSON.stringify(certificate)}, privateKey: ${JSON.stringify(privateKey)}}\n`;
  const NOT_A_NAME =
    'looks like a line of a key (a long random base64 run), not a name in the secret store: must be the remote key of the PEM private key; the key stays in the store';

  test("fails when the key's body or one of its lines is given as privateKey, without quoting it", () => {
    // The demo key's lines: fixed, so that the test does not depend on a fresh key's shape.
    const lines = KEY_BODIES[KEY_BODIES.length - 1];
    for (const value of [lines.join(''), ...lines.slice(0, -1)]) {
      const found = errors(external('runai/wildcard-crt', value));
      expect(found).toEqual([`clusters[0].tls.remoteRef.privateKey: ${NOT_A_NAME}`]);
      expect(found.join('\n')).not.toContain(value.slice(0, 16));
    }
  });

  test.each([
    ['a Vault path', 'secret/data/runai/wildcard-tls'],
    ['an AWS Secrets Manager ARN', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:runai/WildcardTls-AbCdEf'],
    ['a GCP secret', 'projects/123456789012/secrets/runai-wildcard-key'],
    ['an Azure Key Vault secret', 'RunaiWildcardPrivateKey'],
    ['a 1Password reference', 'op://Platform/Runai Wildcard/private key'],
    // Names a review found refused by a stricter rule: an acronym inside, a capital at the end, a Keeper record ID.
    ['an Azure name with an acronym', 'RunAIWildcardCert'],
    ['a Vault path with a one-letter suffix', 'kv/data/gpuClusterB/runai'],
    ['a long camelCase name', 'DevOpsTeamRunAITLSKey2024'],
    ['a long Vault path', 'secret/data/PlatformTeamSecrets/RunaiWildcardCertificate2024/privateKeyPem'],
    ['a Keeper record ID', 'OqPt3Vd37My7G8rTb-8Q'],
  ])('passes %s as privateKey', (_what, privateKey) => {
    expect(errors(external('runai/wildcard-crt', privateKey))).toEqual([]);
  });
});

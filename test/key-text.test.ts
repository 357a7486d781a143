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

import * as fs from 'node:fs';
import * as path from 'node:path';

import { parse } from 'yaml';

import { parseConfig } from '../lib/config/load';
import { jsonSchema } from '../lib/config/schema';
import { unknownKeyMessage } from '../lib/config/schema-helpers';
import { InputError } from '../lib/model/errors';
import { KEY_BODY_LINES, ROOT } from './helpers';

const SCHEMA_FILE = path.join(ROOT, 'schema', 'runai-access.schema.json');

test('the committed JSON Schema is the one generated from the zod schema (run npm run build && npm run schema)', () => {
  expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(jsonSchema());
});

test("the existing source names each TLS setting's own Secret, as editors show it on hover", () => {
  const cluster = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')).properties.clusters.items.properties;
  const existing = (tls: { oneOf?: { properties: { source: { const?: string } }; description: string }[] }) =>
    tls.oneOf?.find((branch) => branch.properties.source.const === 'existing')?.description;
  for (const [tls, secret] of [
    [cluster.tls, 'runai-cluster-domain-star-tls-secret for tls'],
    [cluster.clusterTls, 'runai-cluster-domain-tls-secret for clusterTls'],
    [cluster.inference.properties.tls, 'runai-cluster-inference-tls-secret for inference.tls'],
  ]) {
    expect(existing(tls)).toContain(secret);
  }
});

test('the example config points editors at the schema', () => {
  const first = fs.readFileSync(path.join(ROOT, 'examples', 'runai-access.yaml'), 'utf8').split('\n')[0];
  expect(first).toBe('# yaml-language-server: $schema=../schema/runai-access.schema.json');
});

test('the JSON Schema is strict and knows every key of the example', () => {
  const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
  const clusterSchema = schema.properties.clusters.items;
  expect(schema.additionalProperties).toBe(false);
  expect(clusterSchema.additionalProperties).toBe(false);
  // tls is required for host routing on Kubernetes only: a cross-field rule, not a schema one.
  expect(clusterSchema.required).toEqual(['name', 'clusterUrl']);
  const example = parse(fs.readFileSync(path.join(ROOT, 'examples', 'runai-access.yaml'), 'utf8'));
  for (const cluster of example.clusters) {
    for (const key of Object.keys(cluster)) expect(Object.keys(clusterSchema.properties)).toContain(key);
  }
});

describe('unknown keys', () => {
  const TLS_FILES = 'unknown key; allowed keys here: source, certFile, keyFile, commitPlaintextKey';

  test.each([
    ['a key in another case', 'certfile', 'certFile'],
    ['a dropped letter', 'subdomainSuport', 'subdomainSupport'],
    ['two letters swapped', 'keyFiel', 'keyFile'],
    ['a letter too many', 'sourcee', 'source'],
  ])('name the allowed key for %s', (_name, key, near) => {
    const allowed = 'name, clusterUrl, source, certFile, keyFile, subdomainSupport';
    expect(unknownKeyMessage([key], `unknown key; allowed keys here: ${allowed}`)).toBe(
      `unknown key; did you mean ${near}? allowed keys here: ${allowed}`,
    );
  });

  test.each([
    ['a key near none', 'colour'],
    ['a short key two edits away', 'sorc'],
    ['a line of a private key pasted as a key', KEY_BODY_LINES[1]],
  ])('name no allowed key for %s', (_name, key) => {
    expect(unknownKeyMessage([key], TLS_FILES)).toBe(TLS_FILES);
  });

  test('name no allowed key for a key as near to two of them', () => {
    expect(unknownKeyMessage(['fort'], 'unknown key; allowed keys here: port, sort')).toBe('unknown key; allowed keys here: port, sort');
  });

  test('leave other messages as they are', () => {
    expect(unknownKeyMessage(['certfile'], 'is required')).toBe('is required');
  });

  test('fails with the allowed key each of two misspelt keys is nearest to, one line each', () => {
    const text = 'clusters:\n  - {name: a, clusterUrl: runai.example.com, tls: {source: files, certfile: a.pem, keyfile: b.pem}}\n';
    let problems: string[] = [];
    try {
      parseConfig(text, 'runai-access.yaml', ROOT);
    } catch (e) {
      problems = (e as InputError).problems.map((p) => `${p.path}: ${p.message}`);
    }
    expect(problems).toEqual([
      `clusters[0].tls.certfile: ${TLS_FILES.replace('; allowed', '; did you mean certFile? allowed')}`,
      `clusters[0].tls.keyfile: ${TLS_FILES.replace('; allowed', '; did you mean keyFile? allowed')}`,
    ]);
  });
});

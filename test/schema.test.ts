import * as fs from 'node:fs';
import * as path from 'node:path';

import { parse } from 'yaml';

import { jsonSchema } from '../lib/config/schema';
import { ROOT } from './helpers';

const SCHEMA_FILE = path.join(ROOT, 'schema', 'runai-access.schema.json');

test('the committed JSON Schema is the one generated from the zod schema (run npm run build && npm run schema)', () => {
  expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(jsonSchema());
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

/**
 * The bundled example, examples/runai-access.yaml: what a new user synthesizes first. These
 * tests read the example itself, never the repository's runai-access.yaml, which is the
 * admin's own config (snapshotted by example.test.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { loadConfig, parseConfig } from '../lib/config/load';
import { InputError } from '../lib/model/errors';
import { synthesize } from '../lib/output/render';
import { ROOT, yamlDocs } from './helpers';

const CONFIG = path.join(ROOT, 'examples', 'runai-access.yaml');
const outputs = synthesize(loadConfig(CONFIG).clusters);

test('the bundled example shows the whole flow: Secret from files, dedicated Ingress, overlay and the four exposure types', () => {
  const example = outputs.find((o) => o.name === 'example');
  expect(example).toBeDefined();
  if (!example) return;
  const docs = example.files.filter((f) => f.path.endsWith('.yaml')).map((f) => yamlDocs(f.content)[0]);
  expect(example.files.find((f) => f.path === '.gitignore')?.content).toContain('/00-secret-runai-cluster-domain-star-tls-secret.yaml');
  const [secret, ingress, overlay, ...researchers] = docs;
  expect(docs.map((d) => d.kind)).toEqual(['Secret', 'Ingress', 'RunaiConfig', 'Service', 'Service', 'Service', 'Service', 'Ingress']);
  expect(researchers.map((d) => `${d.kind} ${d.metadata.namespace}/${d.metadata.name} ${d.spec.type ?? d.spec.rules[0].host}`)).toEqual([
    'Service runai-team-a/nb1 NodePort',
    'Service runai-team-a/tb1 LoadBalancer',
    'Service runai-team-b/ssh1 ClusterIP',
    'Service runai-team-b/web1 ClusterIP',
    'Ingress runai-team-b/web1 team-b-web1.runai.example.com',
  ]);
  expect(secret.metadata).toEqual({ name: 'runai-cluster-domain-star-tls-secret', namespace: 'runai' });
  expect(secret.type).toBe('kubernetes.io/tls');
  expect(ingress.metadata.namespace).toBe(secret.metadata.namespace);
  expect(ingress.spec.rules).toEqual([{ host: '*.runai.example.com' }]);
  expect(ingress.spec.tls).toEqual([{ hosts: ['*.runai.example.com'], secretName: secret.metadata.name }]);
  expect(overlay.spec).toEqual({ global: { subdomainSupport: true } });
});

test('the commented "full surface" cluster of the example is a valid config but for its certificate files', () => {
  const text = fs.readFileSync(CONFIG, 'utf8');
  const block = text
    .slice(text.indexOf('  # - name: full'))
    .split('\n')
    .filter((l) => l.startsWith('  #'))
    .map((l) => `  ${l.slice(4)}`)
    .join('\n');
  expect(block).toContain('- name: full');
  let problems: readonly { code?: string; path: string }[] = [];
  try {
    parseConfig(`clusters:\n${block}\n`, 'runai-access.yaml', path.dirname(CONFIG));
  } catch (e) {
    problems = (e as InputError).problems;
  }
  expect(problems.length).toBeGreaterThan(0);
  // privateCa is read first: it is the trust anchor of the cluster's certificates.
  expect(problems.map((p) => `${p.path} ${p.code}`)).toEqual([
    'clusters[0].privateCa.caFile file-missing',
    'clusters[0].clusterTls.certFile file-missing',
    'clusters[0].clusterTls.keyFile file-missing',
    'clusters[0].clusterTls.controllerCertFile file-missing',
  ]);
});

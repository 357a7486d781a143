/**
 * The golden snapshot of the bundled (or your own) runai-access.yaml. `npm test` snapshots the
 * whole output into __snapshots__/, so any change to the generated YAML shows up as a diff in
 * review. Secret data appears only as a SHA-256 digest: no key ever lands in __snapshots__/.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { loadConfig, parseConfig } from '../lib/config/load';
import { InputError } from '../lib/model/errors';
import { synthesize } from '../lib/output/render';
import { KEY_BODY_LINES, ROOT, yamlDocs } from './helpers';

const CONFIG = path.join(ROOT, 'runai-access.yaml');
const outputs = synthesize(loadConfig(CONFIG).clusters);

/** Replaces every Secret data value with the SHA-256 of its decoded bytes. */
function digestSecretData(content: string): string {
  const [doc] = yamlDocs(content);
  if (doc?.kind !== 'Secret' || !doc.data) return content;
  let out = content;
  for (const [key, value] of Object.entries<string>(doc.data)) {
    const digest = createHash('sha256').update(Buffer.from(value, 'base64')).digest('hex');
    out = out.split(value).join(`<sha256:${digest}>`);
    expect(out).not.toContain(value);
    expect(key).toMatch(/^tls\.(crt|key)$/);
  }
  return out;
}

test('the whole output of runai-access.yaml matches the reviewed snapshot', () => {
  const rendered = outputs
    .flatMap((o) => o.files.map((f) => `=== ${o.name}/${f.path} (mode ${f.mode.toString(8)})\n${digestSecretData(f.content)}`))
    .join('\n');
  expect(rendered).toMatchSnapshot();
});

test('the snapshot folder holds no private-key material', () => {
  const dir = path.join(ROOT, '__snapshots__');
  for (const file of fs.readdirSync(dir)) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    expect(text).not.toMatch(/PRIVATE KEY/);
    for (const line of KEY_BODY_LINES) expect(text).not.toContain(line);
    for (const o of outputs) {
      for (const f of o.files.filter((x) => x.secret)) {
        expect(text).not.toContain(yamlDocs(f.content)[0].data['tls.key']);
      }
    }
  }
});

test('the bundled example shows the whole flow: Secret from files, dedicated Ingress, overlay and the four exposure types', () => {
  const example = outputs.find((o) => o.name === 'example');
  if (!example) return; // a user's own config need not keep the bundled example
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
    parseConfig(`clusters:\n${block}\n`, 'runai-access.yaml', ROOT);
  } catch (e) {
    problems = (e as InputError).problems;
  }
  expect(problems.length).toBeGreaterThan(0);
  expect(problems.map((p) => `${p.path} ${p.code}`)).toEqual([
    'clusters[0].clusterTls.certFile file-missing',
    'clusters[0].clusterTls.keyFile file-missing',
    'clusters[0].clusterTls.controllerCertFile file-missing',
    'clusters[0].privateCa.caFile file-missing',
  ]);
});

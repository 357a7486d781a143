/**
 * The output as kubectl reads it. kubectl (and Helm, Argo CD, Flux) decode YAML 1.1, where a
 * plain `on`, `y`, `no` or `1_000` is a boolean or a number: strings like these are written
 * quoted, so the real kubectl reads every object of every file as the tool meant it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as fc from 'fast-check';
import { parse } from 'yaml';

import { kubernetesYaml } from '../lib/model/kubernetes-yaml';
import { kubectl, runInProcess, tempDir, yamlDocs } from './helpers';

/** Strings YAML 1.1 reads as booleans or numbers, which YAML 1.2 leaves strings. */
const WORDS_1_1 = ['on', 'off', 'yes', 'no', 'y', 'n', 'Yes', 'NO', 'On', 'OFF', '1_000', '0b1010', '0777', '1:20'];
/** Strings go-yaml v2 reads as numbers beyond what YAML 1.1 defines: Go's prefixes in either case, a sign, `_` anywhere. */
const GO_NUMBERS = ['0o17', '0O17', '0X1F', '0B1', '+0o17', '-0x1f', '1e0_1', '0_8', '1_0.5', '+.5'];

test('strings YAML 1.1 reads as booleans or numbers are quoted; YAML 1.1 reads back each one as the string', () => {
  const text = kubernetesYaml(Object.fromEntries(WORDS_1_1.map((w) => [w, w])), { lineWidth: 0, singleQuote: true });
  expect(parse(text, { version: '1.1' })).toEqual(Object.fromEntries(WORDS_1_1.map((w) => [w, w])));
  expect(text).toContain("'on': 'on'\n");
});

test('kubectl reads back as written every string of number-like and word-like characters (a ConfigMap of 600, one kubectl run)', () => {
  const chars = '0123456789abcdefABCDEF xXoObB_+-.eE:~yYnN'.split('');
  const texts = fc.sample(fc.string({ unit: fc.constantFrom(...chars), minLength: 1, maxLength: 6 }), { numRuns: 600, seed: 1201 });
  const data = Object.fromEntries([...WORDS_1_1, ...GO_NUMBERS, ...texts].map((t, i) => [`k${i}`, t]));
  const file = path.join(tempDir(), 'cm.yaml');
  fs.writeFileSync(
    file,
    kubernetesYaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data }, { lineWidth: 0, singleQuote: true }),
  );
  const read = JSON.parse(kubectl(['label', '--local', '-f', file, 'runai-access-test=1', '-o', 'json']));
  expect(read.data).toEqual(data);
});

test('kubectl reads every object of a synth whose names, classes and annotations are YAML 1.1 words as the tool wrote them', () => {
  const dir = tempDir();
  fs.writeFileSync(
    path.join(dir, 'runai-access.yaml'),
    `clusters:
  - name: "on"
    clusterUrl: runai.example.com
    runaiVersion: "2.25"
    ingress: {controller: other, className: "on", annotations: {nginx.ingress.kubernetes.io/proxy-buffering: "off", a.example.com/b: "1_000"}}
    runaiConfig: {via: both}
    output: {kustomization: true}
    tls: {source: cert-manager, issuerRef: {name: "no", kind: ClusterIssuer}}
    expose:
      - {project: "no", workload: "y", type: node-port, ports: ["8888"], selector: {"yes": "n"}}
delivery:
  repoURL: https://git.example.com/runai.git
  argocd: {project: "off"}
  flux: {sourceRef: {kind: GitRepository, name: "y"}}
`,
  );
  const r = runInProcess(['synth', '-q'], { cwd: dir });
  expect([r.status, r.stderr]).toEqual([0, '']);
  const files = (sub: string) =>
    fs
      .readdirSync(path.join(dir, 'dist', sub))
      .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
      .map((f) => path.join(dir, 'dist', sub, f));
  const objectFiles = [...files('on'), ...files('_delivery')];
  expect(objectFiles.length).toBeGreaterThan(5);
  // kubectl decodes the files as every Kubernetes tool does (--local: no API server), all in one run, in order.
  // One JSON document per object, each starting a line with "{".
  const out = kubectl(['label', '--local', ...objectFiles.flatMap((f) => ['-f', f]), 'runai-access-test=1', '-o', 'json']);
  const items = out
    .split(/\n(?=\{)/)
    .map((doc) => JSON.parse(doc))
    .flatMap((o) => (o.kind === 'List' ? o.items : [o]));
  for (const o of items) delete o.metadata.labels['runai-access-test'];
  for (const o of items) if (Object.keys(o.metadata.labels).length === 0) delete o.metadata.labels;
  const written = objectFiles.flatMap((f) => yamlDocs(fs.readFileSync(f, 'utf8')));
  expect(items).toEqual(written);
  // Helm reads its values the same way.
  const values = fs.readFileSync(path.join(dir, 'dist', 'on', 'helm', 'runai-cluster-values.yaml'), 'utf8');
  expect(parse(values, { version: '1.1' })).toEqual(parse(values));
  expect(JSON.stringify(parse(values, { version: '1.1' }))).toContain('"ingressClass":"on"');
});

import * as fs from 'node:fs';
import * as path from 'node:path';

import { runInProcess, tempDir, writeConfig } from './helpers';

const cluster = (extra: string) => `clusters:
  - name: a
    clusterUrl: runai.test.com
    runaiVersion: "2.20"
    tls: {source: existing}
${extra}`;

test('fails when an expose entry makes an object runai-access already makes (the inference Ingress): one line at its workload, exit 2, nothing written', () => {
  const dir = tempDir();
  const config = writeConfig(
    dir,
    cluster(`    inference: {domain: inference.test.com, tls: {source: existing}}
    expose:
      - {project: p, namespace: knative-serving, workload: knative-serving, type: subdomain, ports: ["80"]}
`),
  );
  const line =
    `${config}: clusters[0].expose[0].workload: makes Ingress knative-serving/knative-serving, which is also the Ingress ` +
    'runai-access makes for the cluster; pick another workload name or namespace\n';
  for (const command of [
    ['validate'],
    ['check', '--out', path.join(dir, 'dist')],
    ['synth', '--stdout'],
    ['synth', '--out', path.join(dir, 'dist')],
  ]) {
    const r = runInProcess([...command, '--quiet', '--config', config]);
    expect({ command: command[0], status: r.status, stderr: r.stderr }).toEqual({ command: command[0], status: 2, stderr: line });
  }
  expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
});

test('fails when a workload is named like the migration copy of another one’s Ingress', () => {
  const config = writeConfig(
    tempDir(),
    cluster(`    migration: {to: haproxy, phase: 1}
    expose:
      - {project: p, workload: web, type: subdomain, ports: ["80"]}
      - {project: p, workload: web-haproxy, type: subdomain, ports: ["80"]}
`),
  );
  const r = runInProcess(['validate', '--quiet', '--config', config]);
  expect(r.status).toBe(2);
  expect(r.stderr).toBe(
    `${config}: clusters[0].expose[1].workload: makes Ingress runai-p/web-haproxy, which is also an object of expose[0]; ` +
      'pick another workload name or namespace\n',
  );
});

test('passes a Service and an Ingress of one name, and one workload name in two namespaces', () => {
  const config = writeConfig(
    tempDir(),
    cluster(`    expose:
      - {project: p, workload: web, type: subdomain, ports: ["80"]}
      - {project: q, workload: web, type: subdomain, ports: ["80"]}
`),
  );
  const r = runInProcess(['synth', '--stdout', '--quiet', '--config', config]);
  expect(r.status).toBe(0);
  const objects = [...r.stdout.matchAll(/^kind: (\w+)\nmetadata:\n(?: {2}.*\n)*? {2}name: (\S+)\n {2}namespace: (\S+)$/gm)].map(
    (m) => `${m[1]} ${m[3]}/${m[2]}`,
  );
  expect(objects).toEqual(
    expect.arrayContaining(['Service runai-p/web', 'Ingress runai-p/web', 'Service runai-q/web', 'Ingress runai-q/web']),
  );
});

test("fails when an expose entry names Run:ai's own namespace, where a legacy install's Ingress is patched", () => {
  const config = writeConfig(
    tempDir(),
    `clusters:
  - name: a
    clusterUrl: runai.test.com
    runaiVersion: "2.10"
    tls: {source: existing}
    expose:
      - {project: p, namespace: runai, workload: researcher-service-ingress, type: subdomain, ports: ["80"]}
      - {project: p, namespace: runai-backend, workload: w, type: port-forward, ports: ["80"]}
`,
  );
  const r = runInProcess(['validate', '--quiet', '--config', config]);
  expect(r.status).toBe(2);
  const because =
    "holds Run:ai's own Services and Ingresses (such as the one a legacy install patches), which an object of the same name " +
    "would replace; expose researchers' workloads in their project's namespace, such as runai-team-a";
  expect(r.stderr.split('\n').filter(Boolean)).toEqual([
    `${config}: clusters[0].expose[0].namespace: runai ${because}`,
    `${config}: clusters[0].expose[1].namespace: runai-backend ${because}`,
  ]);
});

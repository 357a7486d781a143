import * as fs from 'node:fs';
import * as path from 'node:path';

import { App } from 'cdk8s';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';

import { ExposedWorkload } from '../lib/constructs/exposed-workload';
import { RunaiAccessChart } from '../lib/constructs/runai-access-chart';
import { TlsSource } from '../lib/constructs/tls-source';
import { ExposeType } from '../lib/model/expose';
import { duplicateObjects } from '../lib/output/duplicate-objects';
import { runInProcess, tempDir, writeConfig } from './helpers';

const cluster = (extra: string, head = '') => `clusters:
  - name: a
    clusterUrl: runai.test.com
    runaiVersion: "2.20"
    tls: {source: existing}
${head}${extra}`;

test('fails when a workload is named like the migration copy of another one’s Ingress: one line at its workload, exit 2, nothing written', () => {
  const dir = tempDir();
  const config = writeConfig(
    dir,
    cluster(`    migration: {to: haproxy, phase: 1}
    expose:
      - {project: p, workload: web, type: subdomain, ports: ["80"]}
      - {project: p, workload: web-haproxy, type: subdomain, ports: ["80"]}
`),
  );
  const line =
    `${config}: clusters[0].expose[1].workload: makes Ingress runai-p/web-haproxy, which is also an object of expose[0]; ` +
    'pick another workload name or namespace\n';
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

test("names the cluster's own place in the config, also when synth --stdout --cluster loads it alone", () => {
  const dir = tempDir();
  const config = writeConfig(
    dir,
    cluster(`  - name: b
    clusterUrl: runai.test.org
    runaiVersion: "2.20"
    tls: {source: existing}
    migration: {to: haproxy, phase: 1}
    expose:
      - {project: p, workload: web, type: subdomain, ports: ["80"]}
      - {project: p, workload: web-haproxy, type: subdomain, ports: ["80"]}
`),
  );
  // It was clusters[0] with --cluster b: the clusters' place in the list given to synthesize.
  for (const command of [['validate'], ['synth', '--stdout'], ['synth', '--stdout', '--cluster', 'b']]) {
    const r = runInProcess([...command, '--quiet', '--config', config]);
    expect({ command, status: r.status, stderr: r.stderr }).toEqual({
      command,
      status: 2,
      stderr: expect.stringMatching(/: clusters\[1\]\.expose\[1\]\.workload: makes Ingress runai-p\/web-haproxy, which is also/),
    });
  }
  expect(runInProcess(['synth', '--stdout', '--quiet', '--cluster', 'a', '--config', config]).status).toBe(0);
});

test('names an object the chart makes itself when a workload added through the library makes one of its name', () => {
  // ExposedWorkload refuses Run:ai's own namespaces, so the clash is an object a caller adds under
  // a workload (an escape hatch), in the namespace of the wildcard Ingress.
  const chart = new RunaiAccessChart(new App(), 'lab', { clusterUrl: 'runai.test.com', tls: TlsSource.existing() });
  const port = [{ port: 80, targetPort: 80 }];
  const added = new ExposedWorkload(chart, 'Expose-runai-p.x', {
    project: 'p',
    workload: 'x',
    type: ExposeType.SUBDOMAIN,
    ports: port,
    clusterUrl: 'runai.test.com',
    ingressClassName: 'haproxy',
  });
  new k8s.KubeIngress(added, 'Extra', { metadata: { name: 'runai-cluster-domain-star-ingress', namespace: 'runai' }, spec: {} });
  (chart.exposed as ExposedWorkload[]).push(added);
  expect(duplicateObjects(chart, 'clusters[0]', 'c.yaml')).toEqual([
    {
      source: 'c.yaml',
      path: 'clusters[0].expose[0].workload',
      message:
        'makes Ingress runai/runai-cluster-domain-star-ingress, which is also the Ingress runai-access makes for the cluster; ' +
        'pick another workload name or namespace',
    },
  ]);
});

test("fails when an expose entry's namespace holds Run:ai's, Knative's or a self-hosted control plane's own objects", () => {
  const config = writeConfig(
    tempDir(),
    cluster(
      `    expose:
      - {project: p, namespace: runai, workload: researcher-service-ingress, type: subdomain, ports: ["80"]}
      - {project: p, namespace: knative-serving, workload: activator-service, type: port-forward, ports: ["80"]}
      - {project: p, namespace: runai-backend, workload: w, type: port-forward, ports: ["80"]}
      - {project: backend, workload: runai-backend-ingress, type: subdomain, ports: ["80"]}
`,
      '    deployment: self-hosted\n',
    ),
  );
  const r = runInProcess(['validate', '--quiet', '--config', config]);
  expect(r.status).toBe(2);
  const replace = 'an object of the same name would replace one of them';
  const own = "expose a workload in its project's namespace, such as runai-team-a";
  expect(r.stderr.split('\n').filter(Boolean)).toEqual([
    `${config}: clusters[0].expose[0].namespace: runai is a namespace which holds Run:ai's own Services and Ingresses (such as the one a legacy install patches): ${replace}; ${own}`,
    `${config}: clusters[0].expose[1].namespace: knative-serving is a namespace which holds Knative Serving's own Services and the inference Ingress: ${replace}; ${own}`,
    `${config}: clusters[0].expose[2].namespace: runai-backend is a namespace which holds the self-hosted control plane's Services and Ingresses: ${replace}; ${own}`,
    `${config}: clusters[0].expose[3].project: makes the namespace runai-backend (runai-<project>), which holds the self-hosted control plane's Services and Ingresses: ${replace}; set namespace to the project's own`,
  ]);
});

test('passes runai-backend on a SaaS cluster, where it is the namespace of a project named backend', () => {
  const config = writeConfig(
    tempDir(),
    cluster(`    expose:
      - {project: backend, workload: w, type: port-forward, ports: ["80"]}
      - {project: other, namespace: runai-backend, workload: v, type: port-forward, ports: ["80"]}
`),
  );
  const r = runInProcess(['validate', '--quiet', '--config', config]);
  expect(r.status).toBe(0);
  expect(r.stderr).not.toContain('expose[');
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

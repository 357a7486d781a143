/** Researcher access through the real entry point: the summary lines and the url command. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DEMO_CERT, DEMO_KEY, kubectl, runCli, tempDir, writeConfig, yamlDocs } from './helpers';

let dir: string;
let config: string;

beforeAll(() => {
  dir = tempDir();
  config = writeConfig(
    dir,
    `clusters:
  - name: prod
    clusterUrl: runai.example.com
    tls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}
    expose:
      - {project: team-a, workload: nb1, type: node-port, ports: [{port: 8888, nodePort: 30888}]}
      - {project: team-a, workload: tb1, type: load-balancer, ports: ["6006"]}
      - {project: team-b, workload: ssh1, type: port-forward, ports: ["2222:22"]}
      - {project: team-b, workload: web1, type: subdomain, ports: ["8080"]}
  - name: lab
    clusterUrl: lab.example.com
    tls: {source: existing}
    subdomainSupport: false
`,
  );
});

describe('synth with expose', () => {
  test('writes Services and the subdomain Ingress after the cluster objects, and says how to reach each', () => {
    const out = path.join(dir, 'dist');
    const r = runCli(['synth', '--config', config, '--out', out]);
    expect(r.status).toBe(0);
    expect(fs.readdirSync(path.join(out, 'prod')).sort()).toEqual([
      '.gitignore',
      '00-secret-runai-cluster-domain-star-tls-secret.yaml',
      '10-ingress-runai-cluster-domain-star-ingress.yaml',
      '30-service-runai-team-a-nb1.yaml',
      '30-service-runai-team-a-tb1.yaml',
      '30-service-runai-team-b-ssh1.yaml',
      '30-service-runai-team-b-web1.yaml',
      '40-ingress-runai-team-b-web1.yaml',
      'certificates.sha256',
      'helm',
    ]);
    expect(r.stderr).toContain(
      [
        '  researcher access:',
        '    runai-team-a/nb1 (node-port):',
        '      <node-ip>:30888  (port 8888)',
        '    runai-team-a/tb1 (load-balancer):',
        `      <load-balancer address>:6006  (kubectl get -n runai-team-a service/tb1 -o jsonpath='{.status.loadBalancer.ingress[0]}')`,
        '      open to any address: set loadBalancerSourceRanges to limit it',
        '    runai-team-b/ssh1 (port-forward):',
        '      kubectl port-forward -n runai-team-b service/ssh1 2222:2222  (then connect to localhost:2222)',
        '    runai-team-b/web1 (subdomain):',
        '      https://team-b-web1.runai.example.com/',
      ].join('\n'),
    );
    expect(r.stderr).toMatch(
      /^warning: .*clusters\[0\]\.expose\[1\]: load balancer runai-team-a\/tb1 accepts any address.* \[expose-open-load-balancer\]$/m,
    );
  });

  test('kubectl kustomize reads every object of the folder back unchanged', () => {
    const folder = path.join(dir, 'dist', 'prod');
    const work = tempDir();
    const files = fs
      .readdirSync(folder)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    for (const f of files) fs.copyFileSync(path.join(folder, f), path.join(work, f));
    fs.writeFileSync(path.join(work, 'kustomization.yaml'), `resources:\n${files.map((f) => `  - ${f}`).join('\n')}\n`);
    const key = (o: any) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
    const built = yamlDocs(kubectl(['kustomize', work])).sort((a, b) => key(a).localeCompare(key(b)));
    const ours = files.map((f) => yamlDocs(fs.readFileSync(path.join(folder, f), 'utf8'))[0]).sort((a, b) => key(a).localeCompare(key(b)));
    expect(built).toEqual(ours);
  });
});

test('objects whose usual file names clash get names that tell namespace from workload, one file each, and check agrees', () => {
  // runai-a-b + c and runai-a + b-c both read 30-service-runai-a-b-c; the third is what a `-<namespace>` suffix made of the first.
  const clashing = writeConfig(
    tempDir(),
    `clusters:
  - name: a
    clusterUrl: runai.example.com
    tls: {source: existing}
    expose:
      - {project: a-b, workload: c, type: port-forward, ports: ["80"]}
      - {project: a, workload: b-c, type: port-forward, ports: ["81"]}
      - {project: a-b-c-runai, workload: a, type: port-forward, ports: ["82"]}
`,
  );
  const out = path.join(tempDir(), 'dist');
  const r = runCli(['synth', '-q', '--config', clashing, '--out', out]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const services = fs.readdirSync(path.join(out, 'a')).filter((f) => f.startsWith('30-'));
  expect(services).toEqual(['30-service-runai-a-b-c-runai-a.yaml', '30-service-runai-a-b.c.yaml', '30-service-runai-a.b-c.yaml']);
  const byFile = Object.fromEntries(services.map((f) => [f, yamlDocs(fs.readFileSync(path.join(out, 'a', f), 'utf8'))[0].metadata]));
  expect(byFile['30-service-runai-a-b.c.yaml']).toMatchObject({ namespace: 'runai-a-b', name: 'c' });
  expect(byFile['30-service-runai-a.b-c.yaml']).toMatchObject({ namespace: 'runai-a', name: 'b-c' });
  expect(byFile['30-service-runai-a-b-c-runai-a.yaml']).toMatchObject({ namespace: 'runai-a-b-c-runai', name: 'a' });
  expect(runCli(['check', '--config', clashing, '--out', out]).status).toBe(0);
});

describe('runai-access url', () => {
  const url = (...args: string[]) => runCli(['url', '--config', config, ...args]);

  test('prints the host-based and path-based URLs', () => {
    const r = url('--cluster', 'prod', '--project', 'team-a', '--workload', 'nb1');
    expect([r.status, r.stdout, r.stderr]).toEqual([
      0,
      'host-based: https://team-a-nb1.runai.example.com/\npath-based: https://runai.example.com/team-a/nb1\n',
      '',
    ]);
  });

  test('prints both URLs when the config leaves subdomain support to the admin (subdomainSupport: false), and says so', () => {
    const r = url('--cluster', 'lab', '--project', 'team-a', '--workload', 'nb1');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('host-based: https://team-a-nb1.lab.example.com/\npath-based: https://lab.example.com/team-a/nb1\n');
    expect(r.stderr).toBe(
      'note: the certificate of cluster lab is not read here (tls.source: existing), so it was not checked\n' +
        'note: cluster lab has subdomainSupport: false, so runai-access does not set spec.global.subdomainSupport; ' +
        'the host-based URL works once it is true on the cluster\n',
    );
  });

  test('fails when <project>-<workload> does not fit one DNS label', () => {
    const r = url('--cluster', 'prod', '--project', 'p'.repeat(40), '--workload', 'w'.repeat(30));
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `runai-access: --workload: the subdomain ${'p'.repeat(40)}-${'w'.repeat(30)} is 71 characters; <project>-<workload> must fit one DNS label (63), so ${'p'.repeat(40)}-${'w'.repeat(30)}.runai.example.com cannot exist\n`,
    );
  });

  test('fails when a name is not a DNS label', () => {
    const r = url('--cluster', 'prod', '--project', 'Team A', '--workload', 'nb.1');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      [
        'runai-access: --project: "Team A" is not a Run:ai name: a DNS label of a-z, 0-9 and "-"',
        'runai-access: --workload: "nb.1" is not a Run:ai name: a DNS label of a-z, 0-9 and "-"',
        '',
      ].join('\n'),
    );
  });

  test('fails when the cluster is unknown or a flag is missing', () => {
    expect(url('--cluster', 'nope', '--project', 'a', '--workload', 'b').stderr).toBe(
      `runai-access: --cluster: nope is not a cluster of ${config}; clusters: prod, lab\n`,
    );
    const r = url('--cluster', 'prod');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('runai-access: --project: is required by url\nrunai-access: --workload: is required by url\n');
  });
});

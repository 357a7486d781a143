/**
 * The README's two `doctor` samples ("Is it working?") are what doctor prints today: the bundled
 * example's cluster checked against the DNS server, TLS servers and stand-in Kubernetes API
 * server (on 127.0.0.1) that the doctor tests use, run as the README says, with `--dns` and
 * `--port` pointing at them. Only the random probe name and the server's port change between runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { loadConfig } from '../lib/config/load';
import { CHECKS } from '../lib/doctor/check';
import { synthesize } from '../lib/output/render';
import { writeOutput } from '../lib/output/writer';
import {
  DnsServer,
  Listening,
  runCliAsync,
  StandinApi,
  standinKubectlEnv,
  startDnsServer,
  startStandinApi,
  startTlsServer,
} from './doctor-servers';
import { DEMO_CERT, DEMO_KEY, ROOT, tempDir, yamlDocs } from './helpers';
import { Pki } from './pki';

const URL = 'runai.example.com';
const OPENING = 'runai-access doctor: cluster example ';

/** The README's ```text blocks that hold a doctor run, in order. */
function readmeSamples(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/^```text\n([\s\S]*?)^```$/gm)].map((m) => m[1]).filter((b) => b.startsWith(OPENING));
}

/**
 * A run's text with the random probe name, the TLS server's port, and the demo certificate's end
 * date (examples/make-demo-certs.sh makes a new one) taken out.
 */
const stable = (text: string) =>
  text
    .replace(/runai-access-doctor-[0-9a-f]{8}/g, 'runai-access-doctor-<random>')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
    .replace(/valid until \d{4}-\d{2}-\d{2}/g, 'valid until <date>');

let dir: string;
let dns: DnsServer;
let good: Listening;
let fake: Listening;
let healthyApi: StandinApi;
let brokenApi: StandinApi;

beforeAll(async () => {
  // The example as an admin has it, the config and its certs/ in one folder, dist/ synthesized;
  // with the demo root as its private CA, as the README says: no one else trusts that root.
  dir = tempDir();
  fs.cpSync(path.join(ROOT, 'examples'), dir, { recursive: true });
  const config = path.join(dir, 'runai-access.yaml');
  fs.writeFileSync(
    config,
    fs
      .readFileSync(config, 'utf8')
      .replace('    subdomainSupport: true', '    privateCa: {caFile: certs/demo-root-ca.pem}\n    subdomainSupport: true'),
  );
  writeOutput(path.join(dir, 'dist'), synthesize(loadConfig(config).clusters));
  const distDir = path.join(dir, 'dist', 'example');
  const applied = fs
    .readdirSync(distDir)
    .filter((f) => /^\d\d-.*\.yaml$/.test(f))
    .map((f) => yamlDocs(fs.readFileSync(path.join(distDir, f), 'utf8'))[0]);
  applied.find((o) => o.kind === 'Ingress' && o.metadata.name === 'runai-cluster-domain-star-ingress').status = {
    loadBalancer: { ingress: [{ ip: '127.0.0.1' }] },
  };
  applied.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: 'nginx' },
    spec: { controller: 'k8s.io/ingress-nginx' },
  });
  // The broken cluster: the Secret went to default, and a Helm upgrade switched subdomainSupport off.
  const broken = structuredClone(applied);
  broken.find((o) => o.kind === 'Secret' && o.metadata.name === 'runai-cluster-domain-star-tls-secret').metadata.namespace = 'default';
  broken.find((o) => o.kind === 'RunaiConfig').spec.global.subdomainSupport = false;
  const pki = new Pki(path.join(dir, 'pki'));
  pki.issue('fake', { cn: 'Kubernetes Ingress Controller Fake Certificate', dns: ['ingress.local'] });
  [dns, good, fake, healthyApi, brokenApi] = await Promise.all([
    startDnsServer({ [URL]: { A: ['127.0.0.1'] }, [`*.${URL}`]: { A: ['127.0.0.1'] } }),
    startTlsServer(DEMO_CERT, DEMO_KEY),
    startTlsServer(pki.file('fake'), pki.file('fake', 'key')),
    startStandinApi(applied),
    startStandinApi(broken),
  ]);
  healthyApi.writeKubeconfig(path.join(dir, 'healthy.kubeconfig'));
  brokenApi.writeKubeconfig(path.join(dir, 'broken.kubeconfig'));
});
afterAll(() => Promise.all([dns, good, fake, healthyApi, brokenApi].map((s) => s?.close())));

/** `npm run -s doctor -- --cluster example --dns … --port …` in the example's folder. */
const doctor = (server: Listening, cluster: 'healthy' | 'broken') =>
  runCliAsync(['doctor', '--cluster', 'example', '--dns', dns.address, '--port', String(server.port)], {
    cwd: dir,
    env: standinKubectlEnv(path.join(dir, `${cluster}.kubeconfig`)),
  });

test('the README shows two doctor samples: a healthy cluster, then a broken one', () => {
  const samples = readmeSamples();
  expect(samples).toHaveLength(2);
  expect(samples[0]).toContain('\nhealthy: 10 passed, 0 skipped\n');
  expect(samples[1]).toContain('; the path breaks first at TLS (tls.workspace)\n');
});

test("the README's healthy sample is doctor's output on a healthy cluster", async () => {
  const r = await doctor(good, 'healthy');
  expect(r.stderr).toBe('');
  expect(stable(r.stdout)).toBe(stable(readmeSamples()[0]));
  expect(r.status).toBe(0);
});

test("the README's broken sample is doctor's output when the Secret is in default and subdomainSupport is off", async () => {
  const r = await doctor(fake, 'broken');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(1);
  expect(stable(r.stdout)).toBe(stable(readmeSamples()[1]));
});

test("the README's table of checks names every check doctor has, and no other", () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('| check | what it catches |'));
  const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2);
  const named = rows.flatMap((r) => [...(r.split('|')[1] ?? '').matchAll(/`([a-z]+\.[a-z-]+)`/g)].map((m) => m[1]));
  expect(named.sort()).toEqual(Object.keys(CHECKS).sort());
});

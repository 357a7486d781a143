/**
 * The doctor end to end in-process: DNS and TLS servers on 127.0.0.1, and the real kubectl
 * driven against a stand-in Kubernetes API server (node:http on 127.0.0.1) seeded with the
 * objects `synth` wrote, plus an IngressClass and an address. Each test breaks one link.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { loadConfig } from '../lib/config/load';
import { ClusterSpec } from '../lib/config/spec';
import { CheckResult } from '../lib/doctor/check';
import { ingressObject } from '../lib/doctor/cluster-reads';
import { runDoctor } from '../lib/doctor/doctor';
import { synthesize } from '../lib/output/render';
import { writeOutput } from '../lib/output/writer';
import {
  clearStandinKubectlEnv,
  closedPort,
  DnsServer,
  DoctorPki,
  Listening,
  makeDoctorPki,
  StandinApi,
  standinKubectlEnv,
  startDnsServer,
  startStandinApi,
  startTlsServer,
} from './doctor-servers';
import { tempDir, writeConfig, yamlDocs } from './helpers';

const URL = 'runai.example.com';
let dir: string;
let pki: DoctorPki;
let dns: DnsServer;
let tlsServer: Listening;
let cluster: ClusterSpec;
let dist: string;
let distObjects: any[];
let api: StandinApi | undefined;

const ingressClass = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: { name: 'nginx' },
  spec: { controller: 'k8s.io/ingress-nginx' },
};
/** The live objects of a healthy cluster: what synth wrote, as the API server returns it. */
function liveObjects(): any[] {
  return [
    ...distObjects.map((o) => {
      const live = structuredClone(o);
      if (live.kind === 'Ingress') live.status = { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } };
      if (live.kind === 'RunaiConfig') live.spec.global.clusterId = 'abc';
      return live;
    }),
    ingressClass,
  ];
}
const find = (objects: any[], kind: string) => objects.find((o) => o.kind === kind);

beforeAll(async () => {
  dir = tempDir();
  pki = makeDoctorPki(path.join(dir, 'pki'));
  const config = writeConfig(
    dir,
    `clusters:
  - name: prod
    clusterUrl: ${URL}
    runaiVersion: "2.20" # the ingress-nginx profile: the Ingress class nginx and the RunaiConfig overlay
    tls: {source: files, certFile: ${pki.fullchain}, keyFile: ${pki.leafKey}}
    privateCa: {caFile: ${pki.root}}
`,
  );
  const loaded = loadConfig(config);
  cluster = loaded.clusters[0];
  // A folder name with a space: the commands in fixes are pasted into a shell, so they quote it.
  writeOutput(path.join(dir, 'my dist'), synthesize(loaded.clusters));
  dist = path.join(dir, 'my dist', 'prod');
  distObjects = fs
    .readdirSync(dist)
    .filter((f) => /^\d\d-.*\.yaml$/.test(f))
    .map((f) => yamlDocs(fs.readFileSync(path.join(dist, f), 'utf8'))[0]);
  dns = await startDnsServer({ [URL]: { A: ['127.0.0.1'] }, [`*.${URL}`]: { A: ['127.0.0.1'] } });
  tlsServer = await startTlsServer(pki.fullchain, pki.leafKey);
});
afterAll(async () => {
  await Promise.all([dns.close(), tlsServer.close()]);
});
afterAll(clearStandinKubectlEnv);
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** Starts the stand-in with `objects` and runs the doctor against it and the loopback servers. */
async function doctorWith(
  objects: any[],
  opts: { omit?: string[]; forbidPatch?: boolean; apiDown?: boolean; noContext?: boolean; cluster?: ClusterSpec } = {},
) {
  const kubeconfig = path.join(tempDir(), 'kubeconfig');
  if (opts.noContext) {
    fs.writeFileSync(kubeconfig, JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [] }));
  } else if (opts.apiDown) {
    fs.writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'down',
        clusters: [{ name: 'down', cluster: { server: `http://127.0.0.1:${await closedPort()}` } }],
        users: [{ name: 'down', user: {} }],
        contexts: [{ name: 'down', context: { cluster: 'down', user: 'down' } }],
      }),
    );
  } else {
    api = await startStandinApi(objects, opts);
    api.writeKubeconfig(kubeconfig);
  }
  Object.assign(process.env, standinKubectlEnv(kubeconfig));
  const report = await runDoctor({
    cluster: opts.cluster ?? cluster,
    dnsServer: dns.address,
    port: tlsServer.port,
    outDir: dist,
    label: 'probe',
    timeouts: { kubeMs: 20000, totalMs: 30000 },
  });
  return Object.fromEntries(report.checks.map((c) => [c.name, c])) as Record<string, CheckResult>;
}

const statuses = (checks: Record<string, CheckResult>) => Object.fromEntries(Object.entries(checks).map(([k, v]) => [k, v.status]));

test('a healthy cluster (stand-in API server): every check passes, and the stand-in saw only reads and dry-run applies', async () => {
  const checks = await doctorWith(liveObjects());
  expect(statuses(checks)).toEqual({
    'dns.cluster': 'pass',
    'dns.wildcard': 'pass',
    'tls.workspace': 'pass',
    'http.workspace': 'pass',
    'kube.secret': 'pass',
    'kube.ingress': 'pass',
    'kube.ingress-class': 'pass',
    'kube.ingress-address': 'pass',
    'kube.runaiconfig': 'pass',
    'kube.drift': 'pass',
  });
  expect(checks['kube.secret'].detail).toBe(
    `Secret runai/runai-cluster-domain-star-tls-secret holds the configured certificate, covering *.${URL}`,
  );
  expect(checks['kube.ingress-class'].detail).toBe('IngressClass nginx exists, controller k8s.io/ingress-nginx');
  expect(checks['kube.ingress-address'].detail).toBe(
    `Ingress runai/runai-cluster-domain-star-ingress has address 127.0.0.1, where *.${URL} points`,
  );
  expect(checks['kube.drift'].detail).toBe(`the live objects match ${dist}/`);
  const writes = api!.requests.filter((r) => r.method !== 'GET');
  expect(writes.length).toBeGreaterThan(0);
  for (const w of writes)
    expect(w).toMatchObject({ method: 'PATCH', url: expect.stringContaining('dryRun=All'), contentType: 'application/apply-patch+yaml' });
});

test('fails when the Secret is in another namespace, the IngressClass is missing, the Ingress has no address and subdomainSupport is off (stand-in API server)', async () => {
  const objects = liveObjects().filter((o) => o.kind !== 'IngressClass');
  const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'runai-cluster-domain-star-tls-secret');
  secret.metadata.namespace = 'default';
  delete find(objects, 'Ingress').status;
  find(objects, 'RunaiConfig').spec.global.subdomainSupport = false;
  const checks = await doctorWith(objects);
  expect(checks['kube.secret']).toMatchObject({
    status: 'fail',
    detail:
      'Secret runai/runai-cluster-domain-star-tls-secret does not exist; a Secret of that name is in default, but an Ingress can only use a Secret of its own namespace',
  });
  expect(checks['kube.secret'].fix).toContain(`kubectl apply --server-side --field-manager=runai-access -f '${dist}/'`);
  expect(checks['kube.ingress']).toMatchObject({ status: 'pass' });
  expect(checks['kube.ingress-class']).toMatchObject({
    status: 'fail',
    detail: 'IngressClass nginx does not exist: no controller watches Ingress runai/runai-cluster-domain-star-ingress',
  });
  expect(checks['kube.ingress-address']).toMatchObject({ status: 'fail', detail: expect.stringContaining('has no address') });
  expect(checks['kube.runaiconfig']).toMatchObject({
    status: 'fail',
    detail: "RunaiConfig runai/runai has spec.global.subdomainSupport false, the config's host routing needs true",
    fix: expect.stringContaining(`-f '${dist}/20-runaiconfig-runai.yaml'; if Run:ai is Helm-managed`),
  });
  expect(checks['kube.drift'].status).toBe('fail');
});

test('fails drift and names the object when a live object differs from dist/ (stand-in API server)', async () => {
  const objects = liveObjects();
  find(objects, 'RunaiConfig').spec.global.subdomainSupport = false;
  const checks = await doctorWith(objects);
  const drift = checks['kube.drift'];
  expect(drift).toMatchObject({ status: 'fail', detail: `the live objects differ from ${dist}/: run.ai.v1.RunaiConfig.runai.runai` });
  expect(drift.fix).toBe(`review with: kubectl diff --server-side -f '${dist}'; then apply ${dist}/ (or sync your GitOps tool)`);
});

test('fails when the Secret holds another certificate than the configured one (stand-in API server)', async () => {
  const objects = liveObjects();
  const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'runai-cluster-domain-star-tls-secret');
  secret.data['tls.crt'] = fs.readFileSync(pki.expired).toString('base64');
  const checks = await doctorWith(objects);
  expect(checks['kube.secret']).toMatchObject({
    status: 'fail',
    detail: expect.stringMatching(
      /^Secret runai\/runai-cluster-domain-star-tls-secret holds CN=\*\.runai\.example\.com valid until .*2021.*, not the configured certificate$/,
    ),
  });
});

test('when the configured certificate has expired and the Secret holds another, applying is not the fix (stand-in API server)', async () => {
  const config = writeConfig(
    tempDir(),
    `clusters:\n  - name: prod\n    clusterUrl: ${URL}\n    runaiVersion: "2.20"\n` +
      `    tls: {source: files, certFile: ${pki.expired}, keyFile: ${pki.expiredKey}}\n    privateCa: {caFile: ${pki.root}}\n`,
  );
  const expired = loadConfig(config, { tolerateCertificateProblems: true });
  expect(expired.tolerated.map((p) => p.code)).toEqual(['leaf-expired']);
  const checks = await doctorWith(liveObjects(), { cluster: expired.clusters[0] });
  expect(checks['kube.secret']).toMatchObject({
    status: 'fail',
    detail: expect.stringMatching(/holds CN=\*\.runai\.example\.com valid until .*2040.*, not the configured certificate$/),
    fix:
      'the configured certificate expired on 2021-01-01, so applying it would serve an expired certificate: put the current ' +
      'certificate and key in the config (certFile, keyFile), then synth and apply',
  });
  expect(checks['tls.workspace'].fix).toBe(checks['kube.secret'].fix);
});

test("fails when the Secret's tls.crt starts with a byte-order mark, which hides the certificate from the controller (stand-in API server)", async () => {
  const objects = liveObjects();
  const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'runai-cluster-domain-star-tls-secret');
  secret.data['tls.crt'] = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fs.readFileSync(pki.fullchain)]).toString('base64');
  const checks = await doctorWith(objects);
  expect(checks['kube.secret']).toMatchObject({
    status: 'fail',
    detail:
      'Secret runai/runai-cluster-domain-star-tls-secret: tls.crt starts with a UTF-8 byte-order mark, which hides its first ' +
      'certificate from kubectl and the ingress controllers, so the controller serves its default certificate',
  });
});

test('fails when the RunaiConfig CRD is not installed, and drift names the missing kind (stand-in API server)', async () => {
  const checks = await doctorWith(liveObjects(), { omit: ['run.ai/v1'] });
  expect(checks['kube.runaiconfig']).toMatchObject({
    status: 'fail',
    detail: 'the cluster has no resource type for RunaiConfig runai/runai (its CRD is not installed)',
    fix: expect.stringContaining("install Run:ai's cluster components first"),
  });
  expect(checks['kube.drift']).toMatchObject({
    status: 'fail',
    detail: `${dist}/ holds a kind the cluster does not know (its CRD is not installed)`,
  });
});

test('skips drift when the context may not patch (stand-in API server answers 403 to the dry run)', async () => {
  const checks = await doctorWith(liveObjects(), { forbidPatch: true });
  expect(checks['kube.drift']).toMatchObject({ status: 'skip', detail: expect.stringContaining('needs the patch verb') });
  expect(checks['kube.secret'].status).toBe('pass');
});

test('fails once with kube.access and skips the cluster checks when the API server is unreachable', async () => {
  const checks = await doctorWith([], { apiDown: true });
  expect(checks['kube.access']).toMatchObject({ status: 'fail', detail: 'the API server could not be reached to read the cluster' });
  for (const n of ['kube.secret', 'kube.ingress', 'kube.runaiconfig', 'kube.drift']) expect(checks[n].status).toBe('skip');
  expect(checks['tls.workspace'].status).toBe('pass');
});

test('fails kube.access naming the missing current context when the kubeconfig has none (kubectl then tries localhost:8080)', async () => {
  const checks = await doctorWith([], { noContext: true });
  expect(checks['kube.access']).toMatchObject({
    status: 'fail',
    detail: 'kubectl has no current context (it would try localhost:8080), so the cluster was not read',
    fix:
      'pass --context with a context that `kubectl config get-contexts` lists; when it lists none, kubectl has no kubeconfig ' +
      "for this cluster: set KUBECONFIG to the cluster's, or pass --no-kube",
  });
});

describe('an Ingress of an unexpected shape, which no API server sends but a proxy might', () => {
  test.each([
    ['spec.tls a string', { spec: { tls: 'x' } }],
    ['spec.tls holding null', { spec: { tls: [null, { hosts: 'x', secretName: 5 }] } }],
    ['status.loadBalancer.ingress a string', { status: { loadBalancer: { ingress: 'x' } } }],
    ['status.loadBalancer.ingress holding null', { status: { loadBalancer: { ingress: [null, { ip: 7 }] } } }],
    ['metadata.annotations a list', { metadata: { annotations: ['a'] } }],
    ['null', null],
  ])('is read with what fits the shape only: %s', (_, raw) => {
    const ing = ingressObject(raw);
    expect(ing.spec?.tls?.every((e) => Array.isArray(e.hosts) && (e.secretName === undefined || typeof e.secretName === 'string'))).toBe(
      true,
    );
    expect(ing.status?.loadBalancer?.ingress?.every((e) => e.ip === undefined || typeof e.ip === 'string')).toBe(true);
    expect(Object.values(ing.metadata?.annotations ?? {}).every((v) => typeof v === 'string')).toBe(true);
  });

  test('fails its Ingress checks, without an internal error (stand-in API server)', async () => {
    const objects = liveObjects();
    const ingress = find(objects, 'Ingress');
    ingress.spec.tls = [null];
    ingress.status = { loadBalancer: { ingress: [null] } };
    const checks = await doctorWith(objects);
    expect(checks['kube.ingress']).toMatchObject({ status: 'fail' });
    expect(checks['kube.ingress-address']).toMatchObject({ status: 'fail' });
  });
});

describe('routing: path (stand-in API server): no wildcard Ingress, but the class Run:ai is told must exist', () => {
  let pathCluster: ClusterSpec;
  let pathObjects: any[];
  beforeAll(() => {
    const loaded = loadConfig(
      writeConfig(
        tempDir(),
        `clusters:\n  - name: prod\n    clusterUrl: ${URL}\n    runaiVersion: "2.20"\n    routing: path\n    ingress: {controller: haproxy}\n`,
      ),
    );
    pathCluster = loaded.clusters[0];
    const out = synthesize(loaded.clusters)[0];
    pathObjects = out.files.filter((f) => /^\d\d-.*\.yaml$/.test(f.path)).map((f) => yamlDocs(f.content)[0]);
    expect(find(pathObjects, 'RunaiConfig').spec.global.ingress).toEqual({ ingressClass: 'haproxy' });
  });
  const haproxyClass = { ...ingressClass, metadata: { name: 'haproxy' }, spec: { controller: 'haproxy.org/ingress-controller/haproxy' } };

  test('passes when the IngressClass exists; the wildcard Ingress checks are skipped, saying why', async () => {
    const checks = await doctorWith([...pathObjects, haproxyClass, ingressClass], { cluster: pathCluster });
    expect(checks['kube.ingress-class']).toMatchObject({
      status: 'pass',
      detail: 'IngressClass haproxy exists, controller haproxy.org/ingress-controller/haproxy',
    });
    expect(checks['kube.ingress']).toMatchObject({ status: 'skip', detail: 'no wildcard Ingress with path routing' });
    expect(checks['kube.ingress-address'].status).toBe('skip');
    expect(checks['kube.runaiconfig'].status).toBe('pass');
  });

  test('fails when the class Run:ai is told has no IngressClass: nothing serves its workspace Ingresses', async () => {
    const checks = await doctorWith([...pathObjects, ingressClass], { cluster: pathCluster });
    expect(checks['kube.ingress-class']).toMatchObject({
      status: 'fail',
      detail: "IngressClass haproxy does not exist: no controller watches Run:ai's workspace Ingresses",
    });
  });
});

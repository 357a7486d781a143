/**
 * What the doctor probes for a cluster, run against real servers on 127.0.0.1 (DNS, TLS): the
 * cluster and inference names, OpenShift's router, a migration's serving objects, and a folder
 * without objects.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { parseConfig } from '../lib/config/load';
import { ClusterSpec } from '../lib/config/spec';
import { Deadline } from '../lib/doctor/check';
import { runDoctor } from '../lib/doctor/doctor';
import { driftCheck } from '../lib/doctor/drift';
import { probeName } from '../lib/model/names';
import { DnsServer, DoctorPki, Listening, makeDoctorPki, startDnsServer, startTlsServer } from './doctor-servers';
import { loadOne, tempDir } from './helpers';

describe('the cluster and inference names are probed when configured', () => {
  let pki: DoctorPki;
  let dns: DnsServer;
  let server: Listening;
  beforeAll(async () => {
    pki = makeDoctorPki(path.join(tempDir(), 'pki'));
    dns = await startDnsServer({ 'runai.example.com': { A: ['127.0.0.1'] }, '*.runai.example.com': { A: ['127.0.0.1'] } });
    server = await startTlsServer(pki.fullchain, pki.leafKey);
  });
  afterAll(() => Promise.all([dns.close(), server.close()]));
  /** The doctor's network checks of `cluster` against the stand-in DNS and TLS servers, probing with the name "probe". */
  const probe = (cluster: ClusterSpec) =>
    runDoctor({
      cluster,
      dnsServer: dns.address,
      address: '127.0.0.1',
      port: server.port,
      kube: false,
      outDir: 'dist/prod',
      label: 'probe',
    });

  /**
   * The checks of `cluster` by name, having asserted what both routings share: the inference
   * wildcard is missing from DNS, the cluster URL serves its certificate, and the inference probe
   * fails naming the Ingress that should serve it.
   */
  async function clusterAndInferenceProbed(cluster: ClusterSpec) {
    const report = await probe(cluster);
    const byName = Object.fromEntries(report.checks.map((x) => [x.name, x]));
    expect(byName['dns.inference-wildcard']).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('probe.inference.example.com: no such name (NXDOMAIN)'),
    });
    expect(byName['tls.cluster']).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('(SNI runai.example.com) served the configured certificate'),
    });
    expect(byName['tls.inference']).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining(
        'Ingress knative-serving/knative-serving lists it with Secret knative-serving/runai-cluster-inference-tls-secret',
      ),
    });
    return byName;
  }

  test('tls.cluster and tls.inference run with their SNI names; a missing inference wildcard fails DNS and its TLS is tried at the given address', async () => {
    const c = loadOne(`    tls: {source: files, certFile: ${pki.fullchain}, keyFile: ${pki.leafKey}}
    clusterTls: {source: files, certFile: ${pki.fullchain}, keyFile: ${pki.leafKey}}
    inference: {domain: inference.example.com, tls: {source: existing}}
    privateCa: {caFile: ${pki.root}}
`).clusters[0];
    const byName = await clusterAndInferenceProbed(c);
    expect(byName['tls.inference'].detail).toContain(
      'served CN=*.runai.example.com for DNS:*.runai.example.com, DNS:runai.example.com, which does not cover probe.inference.example.com',
    );
  });

  test('with routing: path, the cluster URL and inference are probed (no workspace host): DNS, then TLS for each', async () => {
    // Path routing serves workspaces at https://<clusterUrl>/…, and inference still at *.<domain>: doctor probed neither.
    const c = loadOne(`    routing: path
    clusterTls: {source: files, certFile: ${pki.fullchain}, keyFile: ${pki.leafKey}}
    inference: {domain: inference.example.com, tls: {source: existing}}
    privateCa: {caFile: ${pki.root}}
`).clusters[0];
    const byName = await clusterAndInferenceProbed(c);
    expect(byName['tls.workspace']).toBeUndefined();
    expect(byName['http.workspace']).toMatchObject({ status: 'skip', detail: 'path routing: no workspace host names' });
  });

  test("with the Gateway API, a controller's default certificate points at the Gateway's class, not an IngressClass", async () => {
    const fake = await startTlsServer(pki.fake, pki.fakeKey);
    try {
      const c = loadOne(
        '    runaiVersion: "2.25"\n    exposure: gateway-api\n' +
          '    gateway: {name: runai-gateway, namespace: runai, className: kgateway}\n    tls: {source: existing}\n',
      ).clusters[0];
      const report = await runDoctor({
        cluster: c,
        dnsServer: dns.address,
        address: '127.0.0.1',
        port: fake.port,
        kube: false,
        outDir: 'dist/prod',
      });
      const tls = report.checks.find((x) => x.name === 'tls.workspace');
      expect(tls?.fix).toContain('the GatewayClass of Gateway runai/runai-gateway is one no running controller watches');
      expect(tls?.fix).not.toContain('IngressClass');
    } finally {
      await fake.close();
    }
  });

  test.each([
    [
      2,
      'haproxy',
      'Ingress knative-serving/knative-serving-haproxy lists it with Secret knative-serving/runai-cluster-inference-tls-secret',
    ],
    [3, 'gateway-api', 'Gateway runai/runai-gateway lists it with Secret runai/runai-cluster-inference-tls-secret'],
  ])('during a migration, phase %s to %s, the fixes name what serves inference now', async (phase, to, fix) => {
    const gateway = to === 'gateway-api' ? '    gateway: {name: runai-gateway, namespace: runai, className: kgateway}\n' : '';
    const c = loadOne(
      // Run:ai takes the Gateway API from 2.25.
      `    runaiVersion: "${to === 'gateway-api' ? '2.25' : '2.20'}"\n    ingress: {controller: nginx}\n` +
        `    tls: {source: files, certFile: ${pki.fullchain}, keyFile: ${pki.leafKey}}\n` +
        `    inference: {domain: inference.example.com, tls: {source: existing}}\n${gateway}` +
        `    migration: {to: ${to}, phase: ${phase}}\n    privateCa: {caFile: ${pki.root}}\n`,
    ).clusters[0];
    const report = await probe(c);
    expect(report.checks.find((x) => x.name === 'tls.inference')).toMatchObject({ status: 'fail', fix: expect.stringContaining(fix) });
  });
});

describe('OpenShift with host routing: its router serves the workspace hosts', () => {
  let dns: DnsServer;
  beforeAll(async () => {
    dns = await startDnsServer({ 'runai.example.com': { A: ['127.0.0.1'] } });
  });
  afterAll(() => dns.close());

  test('fails dns.wildcard when *.<clusterUrl> is missing, which synth says is needed; TLS and HTTP are not probed, and say why', async () => {
    const c = loadOne('    platform: openshift\n').clusters[0];
    const report = await runDoctor({ cluster: c, dnsServer: dns.address, kube: false, outDir: 'dist/prod', label: 'probe' });
    const byName = Object.fromEntries(report.checks.map((x) => [x.name, x]));
    expect(byName['dns.wildcard']).toMatchObject({ status: 'fail', detail: expect.stringContaining('probe.runai.example.com') });
    expect(byName['http.workspace']).toEqual({
      name: 'http.workspace',
      step: 'HTTP',
      status: 'skip',
      detail: 'OpenShift router: it serves workspace hosts with its own certificate, which runai-access does not write; not probed',
    });
    expect(report.checks.map((x) => x.name)).not.toContain('tls.workspace');
  });
});

test('skips kube.drift for a folder without Kubernetes objects, where kubectl diff -f would fail (no kubectl is run)', async () => {
  const dir = path.join(tempDir(), 'prod');
  fs.mkdirSync(path.join(dir, 'helm'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'helm', 'runai-cluster-values.yaml'), 'clusterConfig: {}\n');
  const result = await driftCheck({ dir, kubeMs: 1000, deadline: new Deadline(1000) });
  expect(result).toEqual({ name: 'kube.drift', step: 'Drift', status: 'skip', detail: `${dir}/ holds no Kubernetes objects to compare` });
});

describe('a cluster URL of 249 characters, the longest the config takes with routing: host', () => {
  const url = `${['a'.repeat(62), 'b'.repeat(62), 'c'.repeat(62)].join('.')}.${'d'.repeat(56)}.com`;
  let dns: DnsServer;
  beforeAll(async () => {
    dns = await startDnsServer({ [url]: { A: ['127.0.0.1'] }, [`*.${url}`]: { A: ['127.0.0.1'] } });
  });
  afterAll(() => dns.close());

  test('probes a name DNS takes: the label is cut from its start to fit 253 characters, its random end kept', async () => {
    expect(url).toHaveLength(249);
    const config = parseConfig(`clusters:\n  - {name: prod, clusterUrl: ${url}, tls: {source: existing}}\n`, 'c.yaml', '/');
    const report = await runDoctor({
      cluster: config.clusters[0],
      dnsServer: dns.address,
      kube: false,
      outDir: 'dist/prod',
      label: 'probe-1a2b',
    });
    expect(report.checks.find((x) => x.name === 'dns.wildcard')).toMatchObject({
      status: 'pass',
      detail: `a2b.${url} -> 127.0.0.1, the same as ${url}`,
    });
  });

  test.each([
    ['a label that fits is kept', 'runai-access-doctor-1a2b3c4d', 'runai.example.com', 'runai-access-doctor-1a2b3c4d.runai.example.com'],
    ['a label is cut to the room left', 'runai-access-doctor-1a2b3c4d', 'x'.repeat(240), `tor-1a2b3c4d.${'x'.repeat(240)}`],
    ['a cut never starts with a hyphen', 'runai-access-doctor-1a2b3c4d', 'x'.repeat(243), `1a2b3c4d.${'x'.repeat(243)}`],
    ['one character is left at the least', 'runai-access-doctor-1a2b3c4d', 'x'.repeat(251), `d.${'x'.repeat(251)}`],
  ])('probeName: %s', (_name, label, domain, name) => {
    expect(probeName(label, domain)).toBe(name);
    expect(probeName(label, domain).length).toBeLessThanOrEqual(253);
  });
});

test('names an IPv6 address with its port in brackets, as in a URL: [::1]:<port> refused the connection', async () => {
  // A port on ::1 where nothing listens: taken, then given back.
  const closed = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '::1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
  const dns = await startDnsServer({ 'runai.example.com': { A: ['127.0.0.1'] }, '*.runai.example.com': { A: ['127.0.0.1'] } });
  try {
    const c = loadOne('    tls: {source: existing}\n').clusters[0];
    const report = await runDoctor({ cluster: c, dnsServer: dns.address, address: '::1', port: closed, kube: false, outDir: 'dist/prod' });
    expect(report.checks.find((x) => x.name === 'tls.workspace')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(`[::1]:${closed} refused the connection`),
    });
  } finally {
    await dns.close();
  }
});

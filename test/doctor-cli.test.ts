/**
 * `runai-access doctor` as admins start it (`build/runai-access`, from the start-up snapshot;
 * the healthy run also through the package's bin, `node build/runai-access.js`), against a DNS
 * server, TLS servers and a stand-in Kubernetes API server on 127.0.0.1, with the real kubectl.
 * Covers the exit codes, the text path, `--json`, bad input (bad flags in this process, through
 * `runAsync`: they are refused before anything runs), and runs where nothing answers (with the
 * test-only short timeouts).
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { TEST_TIMEOUTS_ENV } from '../lib/cli/doctor-command';
import { runAsync } from '../lib/cli/run';
import { loadConfig } from '../lib/config/load';
import { synthesize } from '../lib/output/render';
import { writeOutput } from '../lib/output/writer';
import {
  DnsServer,
  DoctorPki,
  Listening,
  makeDoctorPki,
  runCliAsync,
  StandinApi,
  standinKubectlEnv,
  startDnsServer,
  startSilentServer,
  startStandinApi,
  startTlsServer,
} from './doctor-servers';
import { MAIN, nodeAsNobodyIn, runInProcess, tempDir, writeConfig, yamlDocs } from './helpers';

const URL = 'runai.example.com';
let dir: string;
let config: string;
let pki: DoctorPki;
let dns: DnsServer;
let good: Listening;
let fake: Listening;
let silent: Listening;
let api: StandinApi;
let env: NodeJS.ProcessEnv;
let keyLines: string[];

beforeAll(async () => {
  dir = tempDir();
  pki = makeDoctorPki(path.join(dir, 'pki'));
  keyLines = fs
    .readFileSync(pki.leafKey, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('-----'));
  config = writeConfig(
    dir,
    `clusters:
  - name: prod
    clusterUrl: ${URL}
    runaiVersion: "2.20" # the ingress-nginx profile: the Ingress class nginx and the RunaiConfig overlay
    tls: {source: files, certFile: ${pki.fullchain}, keyFile: ${pki.leafKey}}
    privateCa: {caFile: ${pki.root}}
  - name: staging
    clusterUrl: staging.example.com
    routing: path
`,
  );
  const loaded = loadConfig(config);
  writeOutput(path.join(dir, 'dist'), synthesize(loaded.clusters));
  const distDir = path.join(dir, 'dist', 'prod');
  const objects = fs
    .readdirSync(distDir)
    .filter((f) => /^\d\d-.*\.yaml$/.test(f))
    .map((f) => yamlDocs(fs.readFileSync(path.join(distDir, f), 'utf8'))[0]);
  objects.find((o) => o.kind === 'Ingress').status = { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } };
  objects.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: 'nginx' },
    spec: { controller: 'k8s.io/ingress-nginx' },
  });
  [dns, good, fake, silent, api] = await Promise.all([
    startDnsServer({ [URL]: { A: ['127.0.0.1'] }, [`*.${URL}`]: { A: ['127.0.0.1'] } }),
    startTlsServer(pki.fullchain, pki.leafKey),
    startTlsServer(pki.fake, pki.fakeKey),
    startSilentServer(),
    startStandinApi(objects),
  ]);
  api.writeKubeconfig(path.join(dir, 'kubeconfig'));
  env = standinKubectlEnv(path.join(dir, 'kubeconfig'));
});
afterAll(() => Promise.all([dns, good, fake, silent, api].map((s) => s?.close())));
beforeEach(() => {
  dns.mode = 'answer';
});

const doctorEnv = (extra: NodeJS.ProcessEnv, ...args: string[]) =>
  runCliAsync(['doctor', '--config', config, '--out', path.join(dir, 'dist'), '--dns', dns.address, ...args], {
    cwd: dir,
    env: { ...env, ...extra },
  });
const doctorThroughBin = (...args: string[]) =>
  runCliAsync(['doctor', '--config', config, '--out', path.join(dir, 'dist'), '--dns', dns.address, ...args], {
    cwd: dir,
    env,
    loader: true,
  });
const doctor = (...args: string[]) => doctorEnv({}, ...args);
const SHORT = { [TEST_TIMEOUTS_ENV]: 'dns=300,tls=400,kube=1500,total=5000' };

/**
 * The CLI in this process (the code the bundle runs, through runAsync as main.ts calls it), with
 * `extra` in the environment: what is refused before any probe needs no process of its own; the
 * runs that probe start the real CLI.
 */
async function inProcess(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const before = { ...process.env };
  Object.assign(process.env, extra);
  try {
    const status = await runAsync(args, {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
    });
    return { status, stdout, stderr };
  } finally {
    for (const k of Object.keys(extra)) if (before[k] === undefined) delete process.env[k];
    Object.assign(process.env, before);
  }
}

let healthyRun: ReturnType<typeof doctor> | undefined;
/** The healthy cluster's report through the launcher: run once, for the tests that read it. */
const healthy = () => (healthyRun ??= doctor('--cluster', 'prod', '--port', String(good.port)));

test('a healthy cluster: exit 0, the path marked ok step by step, no key bytes', async () => {
  const r = await healthy();
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const lines = r.stdout.split('\n');
  expect(lines[0]).toMatch(
    new RegExp(`^runai-access doctor: cluster prod \\(${URL}, dedicated-ingress\\), probe name runai-access-doctor-[0-9a-f]{8}\\.${URL}$`),
  );
  expect(lines[1]).toBe('path: DNS [ok] -> TLS [ok] -> HTTP [ok] -> Secret [ok] -> Ingress [ok] -> RunaiConfig [ok] -> Drift [ok]');
  expect(r.stdout).toMatch(
    /^ {2}\[ok {2}\] dns\.wildcard +runai-access-doctor-[0-9a-f]{8}\.runai\.example\.com -> 127\.0\.0\.1, the same as runai\.example\.com$/m,
  );
  expect(lines.at(-2)).toBe('healthy: 10 passed, 0 skipped');
  for (const l of keyLines) expect(r.stdout).not.toContain(l);
});

test('a healthy cluster through the package bin (node build/runai-access.js, what npx runs): the same report', async () => {
  const [viaLauncher, viaBin] = [await healthy(), await doctorThroughBin('--cluster', 'prod', '--port', String(good.port))];
  expect(viaBin.status).toBe(0);
  // The probe name is random per run.
  const same = (out: string) => out.replace(/runai-access-doctor-[0-9a-f]{8}/g, 'PROBE').replace(/\d+ ms/g, 'N ms');
  expect({ ...viaBin, stdout: same(viaBin.stdout) }).toEqual({ ...viaLauncher, stdout: same(viaLauncher.stdout) });
});

test('a broken cluster with --json: exit 1, every check with name, step, status, detail and fix', async () => {
  // Nothing serves *.runai.example.com: DNS lacks the wildcard, and the address given serves the default certificate.
  delete dns.records[`*.${URL}`];
  try {
    const r = await doctor('--cluster', 'prod', '--json', '--address', '127.0.0.1', '--port', String(fake.port));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      cluster: 'prod',
      clusterUrl: URL,
      wiring: 'dedicated-ingress',
      address: '127.0.0.1',
      port: fake.port,
      ok: false,
    });
    expect(doc.summary).toEqual({ pass: 8, fail: 2, skip: 0 });
    const byName = Object.fromEntries(doc.checks.map((c: any) => [c.name, c]));
    expect(Object.keys(byName)).toEqual([
      'dns.cluster',
      'dns.wildcard',
      'tls.workspace',
      'http.workspace',
      'kube.secret',
      'kube.ingress',
      'kube.ingress-class',
      'kube.ingress-address',
      'kube.runaiconfig',
      'kube.drift',
    ]);
    expect(byName['dns.wildcard']).toMatchObject({
      step: 'DNS',
      status: 'fail',
      fix: expect.stringContaining(`add a DNS record *.${URL}`),
    });
    expect(byName['tls.workspace']).toMatchObject({
      step: 'TLS',
      status: 'fail',
      detail: expect.stringContaining('served the default certificate of ingress-nginx'),
    });
    expect(byName['http.workspace']).toMatchObject({ status: 'pass', fix: null });
    expect(byName['kube.ingress-address'].detail).toContain('not compared');
    for (const l of keyLines) expect(r.stdout).not.toContain(l);
  } finally {
    dns.records[`*.${URL}`] = { A: ['127.0.0.1'] };
  }
});

test('when nothing answers: DNS and TLS fail within their (test-only, short) limits; --no-kube skips the cluster checks', async () => {
  dns.mode = 'drop';
  const r = await doctorEnv(SHORT, '--cluster', 'prod', '--no-kube', '--address', '127.0.0.1', '--port', String(silent.port));
  expect(r.stderr).toBe('');
  expect(r.status).toBe(1);
  expect(r.stdout).toContain(`[FAIL] dns.cluster           ${URL}: no answer from DNS server ${dns.address} within 0.3 s`);
  expect(r.stdout).toContain(`no TLS handshake with 127.0.0.1:${silent.port} within 0.4 s`);
  expect(r.stdout).toMatch(/\[skip\] http\.workspace +GET https:\/\/\S+\/ not sent: no TLS connection/);
  expect(r.stdout).toMatch(/\[skip\] kube\.secret +skipped with --no-kube/);
  expect(r.stdout.split('\n').at(-2)).toBe('3 failed, 0 passed, 7 skipped; the path breaks first at DNS (dns.cluster)');
});

test('without --address, TLS is skipped when DNS gives no address', async () => {
  dns.mode = 'drop';
  const r = await doctorEnv(SHORT, '--cluster', 'prod', '--no-kube');
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(/\[skip\] tls\.workspace +\S+ did not resolve, so there is no address to connect to/);
  expect(r.stdout).toContain('fix: fix DNS, or pass --address IP to test the controller directly');
});

/** A kubeconfig whose API server accepts connections and never answers. */
function silentKubeconfig(): string {
  const kubeconfig = path.join(dir, 'silent-kubeconfig');
  fs.writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'silent',
      clusters: [{ name: 'silent', cluster: { server: `http://127.0.0.1:${silent.port}` } }],
      users: [{ name: 'silent', user: {} }],
      contexts: [{ name: 'silent', context: { cluster: 'silent', user: 'silent' } }],
    }),
  );
  return kubeconfig;
}

test('fails kube.access when the API server accepts but never answers, within the kube limit', async () => {
  // config current-context needs no server (kubectl.1.30 here, standinKubectlEnv): the reads wait the 0.8 s.
  const short = { [TEST_TIMEOUTS_ENV]: 'dns=300,tls=400,kube=800,total=5000' };
  const r = await doctorEnv({ ...short, KUBECONFIG: silentKubeconfig() }, '--cluster', 'prod', '--port', String(good.port));
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(/\[FAIL\] kube\.access +kubectl did not finish reading the cluster within 0\.8 s/);
  expect(r.stdout).toContain('path: DNS [ok] -> TLS [ok] -> HTTP [ok] -> Cluster [FAIL] -> Secret [skip]');
});

test('fails kube.access naming the wait kubectl had, which the total deadline cut below the kube limit', async () => {
  const short = { [TEST_TIMEOUTS_ENV]: 'dns=300,tls=400,kube=5000,total=1700' };
  const r = await doctorEnv({ ...short, KUBECONFIG: silentKubeconfig() }, '--cluster', 'prod', '--port', String(good.port));
  expect(r.status).toBe(1);
  // Whatever the probes took, kubectl had at most the 1.7 s of the whole run, not the 5 s of --kube
  // (or, on a very busy machine, none of it left).
  expect(r.stdout).toMatch(
    /\[FAIL\] kube\.access +(kubectl did not finish reading the cluster within (0\.\d|1|1\.[0-7]) s|kubectl had no time left to read the cluster: the doctor's total time ran out first)\n/,
  );
});

test('a kubectl that hangs on config current-context (a version dispatcher asking a silent API server) gets 1 s of it, not the run', async () => {
  // A stand-in for Google's kubectl-dispatcher in front of a server that never answers /version: config current-context
  // hangs; every read is refused at once. Given the 5 s of --kube, current-context would leave the reads no time.
  const bin = path.join(dir, 'hanging-dispatcher-bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(
    path.join(bin, 'kubectl'),
    '#!/bin/sh\nfor a do [ "$a" = current-context ] && exec sleep 30; done\necho "error: You must be logged in to the server (Unauthorized)" >&2\nexit 1\n',
    { mode: 0o755 },
  );
  const short = { [TEST_TIMEOUTS_ENV]: 'dns=300,tls=400,kube=5000,total=3500', PATH: `${bin}${path.delimiter}${process.env.PATH}` };
  const r = await doctorEnv(short, '--cluster', 'prod', '--port', String(good.port));
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(/\[FAIL\] kube\.access +the API server refused your credentials \(Unauthorized\) when reading /);
});

test('fails kube.access when kubectl is not on PATH, and says how to skip the cluster checks', async () => {
  // A PATH with node (which the launcher runs) and no kubectl.
  const bin = path.join(dir, 'node-only-bin');
  fs.mkdirSync(bin, { recursive: true });
  if (!fs.existsSync(path.join(bin, 'node'))) fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  const r = await doctorEnv({ ...SHORT, PATH: bin }, '--cluster', 'prod', '--port', String(good.port));
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(
    /\[FAIL\] kube\.access +kubectl is not on PATH, so the cluster was not read\n +fix: install kubectl, or pass --no-kube to skip the cluster checks/,
  );
});

test('fails kube.access naming the --context the kubeconfig lacks (real kubectl), and says what to do when it lists none', async () => {
  const r = await doctorEnv(
    { ...SHORT, KUBECONFIG: silentKubeconfig() },
    '--cluster',
    'prod',
    '--port',
    String(good.port),
    '--context',
    'prod-ctx',
  );
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(
    /\[FAIL\] kube\.access +kubectl knows no context prod-ctx, so the cluster was not read\n +fix: pass --context with a context that `kubectl config get-contexts` lists; when it lists none, kubectl has no kubeconfig for this cluster: set KUBECONFIG to the cluster's, or pass --no-kube\n/,
  );
});

/** A kubeconfig of one context `name` whose user is `user`, for a server that is not there (127.0.0.1:1). */
function kubeconfigOf(name: string, user: object): string {
  const file = path.join(dir, `${name}-kubeconfig`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': name,
      clusters: [{ name, cluster: { server: 'https://127.0.0.1:1' } }],
      users: [{ name, user }],
      contexts: [{ name, context: { cluster: name, user: name } }],
    }),
  );
  return file;
}

test('fails kube.access when the context has no credentials, which real kubectl asks for on its closed stdin (it failed every read)', async () => {
  // An https server and a user with nothing in it: kubectl 1.3x asks "Please enter Username:" before it connects.
  const kubeconfig = kubeconfigOf('bare', {});
  const r = await doctorEnv({ ...SHORT, KUBECONFIG: kubeconfig }, '--cluster', 'prod', '--port', String(good.port));
  expect(r.status).toBe(1);
  expect(r.stdout).toContain('-> Cluster [FAIL] -> Secret [skip] -> Ingress [skip] -> RunaiConfig [skip] -> Drift [skip]');
  expect(r.stdout).toMatch(
    /\[FAIL\] kube\.access +your context has no credentials \(kubectl asked for a user name\), so the cluster was not read\n +fix: give the context's user credentials in your kubeconfig/,
  );
  expect(r.stdout).not.toContain('Please enter');
});

test("fails kube.access when the context's credential plugin is not installed: kubectl's 'executable … not found' is no missing object", async () => {
  const kubeconfig = kubeconfigOf('sso', {
    exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'kubelogin-not-installed' },
  });
  const r = await doctorEnv({ ...SHORT, KUBECONFIG: kubeconfig }, '--cluster', 'prod', '--port', String(good.port));
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(
    /\[FAIL\] kube\.access +your context's credential plugin \(user\.exec in the kubeconfig\) is not installed or failed, so the cluster was not read\n +fix: install the command its user\.exec names/,
  );
  expect(r.stdout).not.toContain('does not exist');
});

test('kube.drift is skipped, not failed as a missing object, when kubectl diff finds no diff program on PATH', async () => {
  // A PATH with node and kubectl, and no diff.
  const bin = path.join(dir, 'no-diff-bin');
  fs.mkdirSync(bin, { recursive: true });
  const kubectlPath = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
  for (const [name, target] of [
    ['node', process.execPath],
    ['kubectl', kubectlPath],
  ])
    if (!fs.existsSync(path.join(bin, name))) fs.symlinkSync(target, path.join(bin, name));
  // kubectl's reads must pass here (kube.secret ok): a longer limit than SHORT's, which a loaded machine overran.
  const r = await doctorEnv(
    { [TEST_TIMEOUTS_ENV]: 'dns=300,tls=400,kube=8000,total=15000', PATH: bin },
    '--cluster',
    'prod',
    '--port',
    String(good.port),
  );
  expect(r.stdout).toMatch(/\[ok +\] kube\.secret/);
  expect(r.stdout).toMatch(
    /\[skip\] kube\.drift +kubectl diff found no diff program on PATH, so [^\n]* was not compared\n +fix: install diff/,
  );
});

test('kube.drift is skipped with one line when the output folder cannot be read (run as uid 65534 with setpriv): no stack trace', () => {
  const home = tempDir();
  fs.chmodSync(home, 0o755);
  const out = path.join(home, 'dist');
  fs.cpSync(path.join(dir, 'dist'), out, { recursive: true });
  fs.chmodSync(path.join(out, 'prod'), 0o700);
  const pkiCopy = path.join(home, 'pki');
  fs.cpSync(pki.dir, pkiCopy, { recursive: true });
  for (const f of fs.readdirSync(pkiCopy)) fs.chmodSync(path.join(pkiCopy, f), 0o644);
  const cfg = path.join(home, 'runai-access.yaml');
  fs.writeFileSync(cfg, fs.readFileSync(config, 'utf8').split(pki.dir).join(pkiCopy), { mode: 0o644 });
  const r = nodeAsNobodyIn(
    { cwd: home, env: { ...env, ...SHORT, HOME: home } },
    MAIN,
    'doctor',
    '--config',
    cfg,
    '--out',
    out,
    '--cluster',
    'prod',
    '--dns',
    dns.address,
    '--port',
    String(good.port),
  );
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(new RegExp(`\\[skip\\] kube\\.drift +cannot read ${out}/prod/: permission denied \\(EACCES\\)`));
});

test('a path-routing cluster: no wildcard, so the host-routing checks are skipped', async () => {
  const r = await doctorEnv(SHORT, '--cluster', 'staging', '--no-kube');
  expect(r.stdout).toMatch(/\[skip\] dns\.wildcard +path routing: no \*\.staging\.example\.com record needed/);
  expect(r.stdout).toMatch(/\[skip\] tls\.workspace|\[skip\] http\.workspace/);
});

test("--cluster reads that cluster's files only: another cluster's missing certificate does not stop it", async () => {
  const other = writeConfig(
    tempDir(),
    `clusters:
  - name: prod
    clusterUrl: ${URL}
    tls: {source: files, certFile: missing.pem, keyFile: ${pki.leafKey}}
  - name: staging
    clusterUrl: staging.example.com
    routing: path
`,
  );
  const r = await runCliAsync(['doctor', '--config', other, '--dns', dns.address, '--cluster', 'staging', '--no-kube'], {
    env: { ...env, ...SHORT },
  });
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/\[skip\] dns\.wildcard +path routing: no \*\.staging\.example\.com record needed/);
  // Without --cluster, it is told to name one, not prod's problem (which it was told).
  const unnamed = await runCliAsync(['doctor', '--config', other, '--dns', dns.address, '--no-kube'], { env });
  expect([unnamed.status, unnamed.stderr]).toEqual([
    2,
    `runai-access: --cluster: ${other} has 2 clusters; name the one to check: prod, staging\n`,
  ]);
  // prod's own check still reads it.
  const prod = await runCliAsync(['doctor', '--config', other, '--dns', dns.address, '--cluster', 'prod', '--no-kube'], { env });
  expect([prod.status, prod.stdout]).toEqual([2, '']);
  expect(prod.stderr).toContain(`${other}: clusters[0].tls.certFile: missing.pem does not exist`);
});

/** The first 8 bytes of a PEM certificate's SHA-256, as doctor shows it. */
const fingerprintStart = (file: string) => new X509Certificate(fs.readFileSync(file)).fingerprint256.slice(0, 23);

test("runs when the config's certificate has expired (when an outage sends an admin to it): said as a warning", async () => {
  const expired = writeConfig(
    tempDir(),
    `clusters:
  - name: prod
    clusterUrl: ${URL}
    tls: {source: files, certFile: ${pki.expired}, keyFile: ${pki.expiredKey}}
    privateCa: {caFile: ${pki.root}}
`,
  );
  const args = ['--config', expired, '--dns', dns.address, '--no-kube', '--address', '127.0.0.1', '--port', String(good.port)];
  const r = await runCliAsync(['doctor', ...args], { env });
  // It refused with exit 2 and this line alone, as an error.
  expect(r.stderr).toBe(
    `warning: ${expired}: clusters[0].tls.certFile: ${pki.expired} expired on 2021-01-01T00:00:00Z; renew it [leaf-expired]\n`,
  );
  // The controller serves the renewal: applying the expired one is no fix.
  expect(r.stdout).toContain(
    `not the configured certificate (SHA-256 ${fingerprintStart(pki.expired)}…)\n` +
      `${' '.repeat(31)}fix: the configured certificate expired on 2021-01-01, so applying it would serve an expired certificate: ` +
      'put the current certificate and key in the config (certFile, keyFile), then synth and apply\n',
  );
  expect(r.stdout).toMatch(/\[ok {2}\] http\.workspace /);
  expect(r.status).toBe(1);
  // With --json, the warning is in the document (stderr stays empty), as validate --json has its findings.
  const json = await runCliAsync(['doctor', ...args, '--json'], { env });
  expect([json.status, json.stderr]).toEqual([1, '']);
  expect(JSON.parse(json.stdout).warnings).toEqual([
    {
      code: 'leaf-expired',
      file: expired,
      field: 'clusters[0].tls.certFile',
      message: `${pki.expired} expired on 2021-01-01T00:00:00Z; renew it`,
    },
  ]);
  // synth still refuses it.
  expect(runInProcess(['validate', '--config', expired]).status).toBe(2);
});

test.each([
  [['--port', '0'], 'runai-access: --port: must be a port number from 1 to 65535, got 0'],
  [['--address', 'lb.example.com'], 'runai-access: --address: must be an IPv4 or IPv6 address, got lb.example.com'],
  [
    ['--dns', '8.8.8.8:99999'],
    'runai-access: --dns: must be IP:PORT, [IPv6]:PORT or an IP address (the DNS server to ask), got 8.8.8.8:99999',
  ],
  [
    ['--bogus'],
    'runai-access: --bogus: unknown option; allowed: --config, --out, --cluster, --context, --dns, --address, --port, --no-kube, --json, --help; see runai-access doctor --help',
  ],
  // Another command's option: known, just not doctor's.
  [
    ['--strict'],
    'runai-access: --strict: not an option of doctor; allowed: --config, --out, --cluster, --context, --dns, --address, --port, --no-kube, --json, --help; see runai-access doctor --help',
  ],
  [
    ['--contxt', 'prod'],
    'runai-access: --contxt: unknown option; did you mean --context? allowed: --config, --out, --cluster, --context, --dns, --address, --port, --no-kube, --json, --help; see runai-access doctor --help',
  ],
  // A slice of a key line as a stray argument: described, never shown.
  [
    ['DoHhES+Yl+fQlni/RZTGX0IW'],
    'runai-access: <24 characters of base64-like text, not shown>: unexpected argument; see runai-access doctor --help',
  ],
  [['--port'], 'runai-access: --port: needs a value'],
  [['--no-kube', '--context', 'prod'], 'runai-access: --context: not used with --no-kube, which reads no cluster; give one of them'],
  [['--json=yes'], 'runai-access: --json: takes no value'],
  [['--cluster', '--json'], 'runai-access: --cluster: needs a value; to give one that starts with "-", write --cluster=VALUE'],
  [['--context='], 'runai-access: --context: needs a non-empty value'],
  [['--dns='], 'runai-access: --dns: needs a non-empty value'],
  [['--port='], 'runai-access: --port: needs a non-empty value'],
  [['--cluster', 'prod', '--cluster', 'staging'], 'runai-access: --cluster: is given twice; give it once'],
  [['--address', ''], 'runai-access: --address: needs a non-empty value'],
  [['--out', ''], 'runai-access: --out: needs a non-empty path'],
  [
    ['--out', 'o\uFFFD'],
    'runai-access: --out: the name holds bytes that are not UTF-8, which Node cannot pass on as they are; rename it in UTF-8',
  ],
  [['--cluster', 'nope'], 'runai-access: --cluster: nope is not a cluster of CONFIG; clusters: prod, staging'],
  [[], 'runai-access: --cluster: CONFIG has 2 clusters; name the one to check: prod, staging'],
])('fails when doctor is given %j: exit 2 and one line', async (args, line) => {
  const r = await inProcess(['doctor', '--config', config, ...args]);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(`${line.replace('CONFIG', config)}\n`);
});

test('fails when doctor is given two unknown options: a line for each, as the other commands say them (exit 2)', async () => {
  const r = await inProcess(['doctor', '--config', config, '--foo', '--bar=1', '--foo']);
  const allowed =
    'allowed: --config, --out, --cluster, --context, --dns, --address, --port, --no-kube, --json, --help; see runai-access doctor --help';
  expect([r.status, r.stdout, r.stderr]).toEqual([
    2,
    '',
    `runai-access: --foo: unknown option; ${allowed}\nrunai-access: --bar: unknown option; ${allowed}\n`,
  ]);
});

test('fails when the test-only timeout variable is malformed: exit 2, naming it', async () => {
  const r = await inProcess(['doctor', '--config', config, '--cluster', 'prod'], { [TEST_TIMEOUTS_ENV]: 'dns=fast' });
  expect(r.status).toBe(2);
  expect(r.stderr).toBe(
    `runai-access: ${TEST_TIMEOUTS_ENV}: must be like dns=300,tls=500,kube=8000,total=10000 (milliseconds), got <8 characters of base64-like text, not shown>\n`,
  );
});

test('fails with exit 2 when the config is bad, as the other commands do', async () => {
  const r = await inProcess(['doctor', '--config', path.join(dir, 'missing.yaml')]);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/missing\.yaml: does not exist/);
});

test('doctor --help prints its options; the main help lists doctor', async () => {
  const r = await inProcess(['doctor', '--help']);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('--dns IP[:PORT]');
  expect(r.stdout).toContain('--no-kube');
  expect(r.stdout.endsWith('exit codes:\n  0  no check failed\n  1  a check failed\n  2  bad input\n')).toBe(true);
  expect(r.stdout.split('\n').filter((line) => line.length > 100)).toEqual([]);
  expect((await inProcess(['--help'])).stdout).toContain('doctor    check a live cluster');
});

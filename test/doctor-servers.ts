/**
 * Loopback servers for the doctor's tests, started by the tests themselves: a DNS server
 * (dns-packet + node:dgram) with wildcard records that can drop or SERVFAIL, TLS servers
 * (node:tls) that answer HTTP, a silent TCP server, and a stand-in Kubernetes API server
 * (node:http) that answers the reads the real kubectl makes for the doctor. Nothing leaves
 * 127.0.0.1. Also `runCliAsync`: the real CLI in a child process, without blocking the servers
 * that live in this process.
 */
import { spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';

import * as dnsPacket from 'dns-packet';

import { KUBECTL_ENV, LAUNCHER, MAIN, ROOT, tempDir } from './helpers';
import { Pki } from './pki';

// ---------- DNS ----------

export type DnsRecords = Record<string, { A?: string[]; AAAA?: string[] }>;
export interface DnsServer {
  readonly port: number;
  readonly address: string;
  records: DnsRecords;
  mode: 'answer' | 'drop' | 'servfail' | 'refused';
  readonly queries: { name: string; type: string }[];
  close(): Promise<void>;
}

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

/** An exact name beats `*.parent`; a known name without the type is NODATA; anything else NXDOMAIN. */
function lookup(records: DnsRecords, name: string, type: string): { rcode: keyof typeof RCODE; answers: dnsPacket.Answer[] } {
  const n = name.toLowerCase().replace(/\.$/, '');
  let entry = records[n];
  const labels = n.split('.');
  for (let i = 1; !entry && i < labels.length; i++) entry = records[`*.${labels.slice(i).join('.')}`];
  if (!entry) return { rcode: 'NXDOMAIN', answers: [] };
  const values = (type === 'A' ? entry.A : type === 'AAAA' ? entry.AAAA : undefined) ?? [];
  return { rcode: 'NOERROR', answers: values.map((data) => ({ type: type as 'A', class: 'IN', name: n, ttl: 5, data })) };
}

export function startDnsServer(records: DnsRecords): Promise<DnsServer> {
  const sock = dgram.createSocket('udp4');
  const srv = { records, mode: 'answer', queries: [] as { name: string; type: string }[], port: 0, address: '' } as DnsServer & {
    port: number;
    address: string;
  };
  sock.on('message', (msg, rinfo) => {
    let q: dnsPacket.Packet;
    try {
      q = dnsPacket.decode(msg);
    } catch {
      return;
    }
    const question = q.questions?.[0];
    if (!question) return;
    srv.queries.push({ name: question.name, type: question.type });
    if (srv.mode === 'drop') return;
    const { rcode, answers } =
      srv.mode === 'servfail'
        ? { rcode: 'SERVFAIL' as const, answers: [] }
        : srv.mode === 'refused'
          ? { rcode: 'REFUSED' as const, answers: [] }
          : lookup(srv.records, question.name, question.type);
    // dns-packet ignores an `rcode` field: the rcode is the low 4 bits of the flags.
    const flags =
      dnsPacket.AUTHORITATIVE_ANSWER | ((q.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | dnsPacket.RECURSION_AVAILABLE | RCODE[rcode];
    sock.send(dnsPacket.encode({ type: 'response', id: q.id, flags, questions: [question], answers }), rinfo.port, rinfo.address);
  });
  return new Promise((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, '127.0.0.1', () => {
      srv.port = sock.address().port;
      srv.address = `127.0.0.1:${srv.port}`;
      srv.close = () => new Promise((r) => sock.close(() => r()));
      resolve(srv);
    });
  });
}

// ---------- TLS and TCP ----------

export interface Listening {
  readonly port: number;
  close(): Promise<void>;
}

function listen(server: net.Server): Promise<Listening> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      }),
    ),
  );
}

/**
 * A TLS server that presents `certFile` (a PEM chain, leaf first) with `keyFile` for every SNI
 * name, and answers any request with `404 Not Found` (or `statusLine`), as a controller does for
 * an unknown path.
 */
export function startTlsServer(
  certFile: string,
  keyFile: string,
  opts: {
    http?: boolean;
    statusLine?: string;
    answer?: string;
    requestCert?: boolean;
    alpn?: string[];
    maxVersion?: tls.SecureVersion;
  } = {},
): Promise<Listening> {
  const status = opts.statusLine ?? 'HTTP/1.1 404 Not Found';
  const options: tls.TlsOptions = {
    cert: fs.readFileSync(certFile),
    key: fs.readFileSync(keyFile),
    // Mutual TLS: a client without a certificate is refused in the handshake.
    ...(opts.requestCert ? { requestCert: true, rejectUnauthorized: true } : {}),
    ...(opts.alpn ? { ALPNProtocols: opts.alpn } : {}),
    ...(opts.maxVersion ? { maxVersion: opts.maxVersion } : {}),
  };
  const server = tls.createServer(options, (sock) => {
    sock.on('error', () => undefined);
    if (opts.http === false) return; // handshake, then silence
    // `answer`: the whole answer, as it is (bare LF line ends, say).
    sock.once('data', () => sock.end(opts.answer ?? `${status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`));
  });
  return listen(server);
}

/** A TCP server that accepts and never says anything: "nothing at all". */
export function startSilentServer(): Promise<Listening> {
  return listen(net.createServer((s) => s.on('error', () => undefined)));
}

/** A TCP server that answers whatever it is sent with `text` (plain HTTP on the TLS port), or resets every connection. */
export function startPlainServer(answer: { text: string } | 'reset'): Promise<Listening> {
  return listen(
    net.createServer((s) => {
      s.on('error', () => undefined);
      if (answer === 'reset') s.resetAndDestroy();
      else s.once('data', () => s.end(answer.text));
    }),
  );
}

/** A port with nothing listening: connections are refused. */
export async function closedPort(): Promise<number> {
  const s = await listen(net.createServer());
  await s.close();
  return s.port;
}

// ---------- stand-in Kubernetes API server ----------

interface Resource {
  gv: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
}
const RESOURCES: readonly Resource[] = [
  { gv: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false },
  { gv: 'v1', kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true },
  { gv: 'v1', kind: 'Service', plural: 'services', singular: 'service', namespaced: true },
  { gv: 'networking.k8s.io/v1', kind: 'Ingress', plural: 'ingresses', singular: 'ingress', namespaced: true },
  { gv: 'networking.k8s.io/v1', kind: 'IngressClass', plural: 'ingressclasses', singular: 'ingressclass', namespaced: false },
  { gv: 'run.ai/v1', kind: 'RunaiConfig', plural: 'runaiconfigs', singular: 'runaiconfig', namespaced: true },
  { gv: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', plural: 'httproutes', singular: 'httproute', namespaced: true },
  { gv: 'gateway.networking.k8s.io/v1', kind: 'Gateway', plural: 'gateways', singular: 'gateway', namespaced: true },
];

/** The Kubernetes version the stand-in API server says it is: 1.30. */
const STANDIN_MINOR = '30';

/**
 * The environment for kubectl calls to a stand-in API server through `kubeconfig`: KUBECONFIG and
 * a cache beside it, GOGC=off (KUBECTL_ENV), and, where `kubectl` on PATH is the Google Cloud SDK's
 * dispatcher (as on these machines), a PATH that starts with the `kubectl.1.30` beside it: the
 * binary the dispatcher execs once it has asked the server its version, started once instead of
 * twice for every call. Elsewhere PATH is left as it is.
 */
export function standinKubectlEnv(kubeconfig: string): Record<string, string> {
  const bin = versionedKubectlBin();
  return {
    KUBECONFIG: kubeconfig,
    KUBECACHEDIR: path.join(path.dirname(kubeconfig), `${path.basename(kubeconfig)}-cache`),
    GOGC: KUBECTL_ENV.GOGC!,
    ...(bin === undefined ? {} : { PATH: `${bin}${path.delimiter}${BASE_PATH}` }),
  };
}

/** PATH as the test file started with it: a test that puts the env above in process.env does not prefix it twice. */
const BASE_PATH = process.env.PATH ?? '';

/** Takes `standinKubectlEnv` back out of process.env, where an in-process doctor run needs it. */
export function clearStandinKubectlEnv(): void {
  for (const key of ['KUBECONFIG', 'KUBECACHEDIR', 'GOGC']) delete process.env[key];
  process.env.PATH = BASE_PATH;
}

let versionedBin: string | undefined | null = null;
/** A folder whose `kubectl` is the dispatcher's `kubectl.1.30`, made once per test file; `undefined` without a dispatcher. */
function versionedKubectlBin(): string | undefined {
  if (versionedBin !== null) return versionedBin;
  const onPath = BASE_PATH.split(path.delimiter).map((d) => path.join(d, 'kubectl'));
  const found = onPath.find((f) => {
    try {
      fs.accessSync(f, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  const versioned = found && path.join(path.dirname(fs.realpathSync(found)), `kubectl.1.${STANDIN_MINOR}`);
  versionedBin = undefined;
  if (versioned && fs.existsSync(versioned)) {
    versionedBin = tempDir();
    fs.symlinkSync(versioned, path.join(versionedBin, 'kubectl'));
  }
  return versionedBin;
}

export interface StandinApi {
  readonly url: string;
  readonly requests: { method: string; url: string; contentType?: string }[];
  /** `live`: dry-run applies return the live object unchanged (no drift); `merge`: the applied fields win. */
  dryRunApply: 'live' | 'merge';
  /** Objects by `gv|plural|namespace|name`. */
  readonly store: Map<string, any>;
  close(): Promise<void>;
  /** A kubeconfig file for kubectl, with the context `standin`. */
  writeKubeconfig(file: string): void;
}

const keyOf = (r: Resource, ns: string | undefined, name: string) => `${r.gv}|${r.plural}|${ns ?? ''}|${name}`;
const isMap = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
function merge(live: any, applied: any): any {
  const out = structuredClone(live);
  for (const [k, v] of Object.entries(applied)) out[k] = isMap(v) && isMap(out[k]) ? merge(out[k], v) : structuredClone(v);
  return out;
}
function status(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/**
 * A stand-in for a Kubernetes API server: legacy discovery, GET of items and lists, and the
 * dry-run server-side-apply PATCH that `kubectl diff --server-side` sends. It refuses any
 * other write. `omit: ['run.ai/v1']` hides a group, as when a CRD is not installed.
 */
export async function startStandinApi(
  objects: readonly any[],
  opts: { omit?: readonly string[]; forbidPatch?: boolean } = {},
): Promise<StandinApi> {
  const visible = RESOURCES.filter((r) => !opts.omit?.includes(r.gv));
  const groups = [...new Set(visible.filter((r) => r.gv.includes('/')).map((r) => r.gv))];
  const store = new Map<string, any>();
  let rv = 100;
  for (const o of objects) {
    const r = RESOURCES.find((x) => x.kind === o.kind && x.gv === o.apiVersion)!;
    const obj = structuredClone(o);
    obj.metadata.resourceVersion = String(++rv);
    obj.metadata.uid = `uid-${rv}`;
    store.set(keyOf(r, r.namespaced ? obj.metadata.namespace : undefined, obj.metadata.name), obj);
  }
  const api = { requests: [] as StandinApi['requests'], dryRunApply: 'merge', store, url: '' } as StandinApi & { url: string };
  const resourceList = (gv: string) => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: visible
      .filter((r) => r.gv === gv)
      .map((r) => ({ name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'list', 'patch'] })),
  });
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      api.requests.push({ method: req.method!, url: req.url!, contentType: req.headers['content-type'] });
      const send = (code: number, obj: unknown) => {
        const s = JSON.stringify(obj);
        res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(s) });
        res.end(s);
      };
      const u = new URL(req.url!, 'http://x');
      const p = u.pathname.replace(/\/$/, '');
      if (req.method === 'GET' && p === '/version')
        return send(200, { major: '1', minor: STANDIN_MINOR, gitVersion: `v1.${STANDIN_MINOR}.0-standin` });
      if (req.method === 'GET' && p === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'] });
      if (req.method === 'GET' && p === '/apis') {
        return send(200, {
          kind: 'APIGroupList',
          apiVersion: 'v1',
          groups: groups.map((gv) => ({
            name: gv.split('/')[0],
            versions: [{ groupVersion: gv, version: gv.split('/')[1] }],
            preferredVersion: { groupVersion: gv, version: gv.split('/')[1] },
          })),
        });
      }
      if (req.method === 'GET' && p === '/api/v1') return send(200, resourceList('v1'));
      const g = /^\/apis\/([^/]+\/[^/]+)$/.exec(p);
      if (req.method === 'GET' && g && groups.includes(g[1])) return send(200, resourceList(g[1]));
      const m = /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(p);
      const r = m && visible.find((x) => x.gv === (m[1] ?? m[2]) && x.plural === m[4]);
      if (!m || !r) return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
      const [ns, name] = [m[3], m[5]];
      if (req.method === 'GET' && name) {
        const o = store.get(keyOf(r, ns, name));
        return o ? send(200, o) : send(404, status(404, 'NotFound', `${r.plural} "${name}" not found`));
      }
      if (req.method === 'GET') {
        const field = /^metadata\.name=(.+)$/.exec(u.searchParams.get('fieldSelector') ?? '')?.[1];
        const items = [...store.values()].filter(
          (o) => o.kind === r.kind && (!ns || o.metadata.namespace === ns) && (!field || o.metadata.name === field),
        );
        return send(200, { kind: `${r.kind}List`, apiVersion: r.gv, metadata: { resourceVersion: String(rv) }, items });
      }
      if (
        req.method === 'PATCH' &&
        name &&
        u.searchParams.get('dryRun') === 'All' &&
        /apply-patch/.test(req.headers['content-type'] ?? '')
      ) {
        if (opts.forbidPatch) return send(403, status(403, 'Forbidden', `${r.plural} "${name}" is forbidden: cannot patch`));
        const applied = JSON.parse(body);
        const live = store.get(keyOf(r, ns, name));
        if (!live) return send(201, applied);
        return send(200, api.dryRunApply === 'live' ? live : merge(live, applied));
      }
      return send(405, status(405, 'MethodNotAllowed', 'the stand-in API server is read-only'));
    });
  });
  const l = await listen(server);
  api.url = `http://127.0.0.1:${l.port}`;
  api.close = l.close;
  api.writeKubeconfig = (file) =>
    fs.writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'standin',
        clusters: [{ name: 'standin', cluster: { server: api.url } }],
        users: [{ name: 'standin', user: {} }],
        contexts: [{ name: 'standin', context: { cluster: 'standin', user: 'standin' } }],
      }),
    );
  return api;
}

// ---------- the CLI, without blocking this process ----------

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI as admins run it (`build/runai-access`, see runCli), or with `loader` the package's
 * bin (`node build/runai-access.js`), asynchronously, so servers in this process keep answering.
 */
export function runCliAsync(
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; loader?: boolean } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const [command, first] = opts.loader ? [process.execPath, [MAIN]] : [LAUNCHER, []];
    const child = spawn(command, [...first, ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

// ---------- certificates ----------

/** The certificates the doctor's tests serve, all for runai.example.com, made with openssl. */
export interface DoctorPki {
  readonly dir: string;
  /** The private root CA (trusted through privateCa). */
  readonly root: string;
  /** leaf + intermediate: the right chain. */
  readonly fullchain: string;
  readonly leafKey: string;
  /** the leaf alone: a chain missing its intermediate. */
  readonly leafOnly: string;
  /** A wildcard leaf from the same CA, expired in 2021, with its intermediate. */
  readonly expired: string;
  readonly expiredKey: string;
  /** ingress-nginx's default: self-signed, CN=Kubernetes Ingress Controller Fake Certificate. */
  readonly fake: string;
  readonly fakeKey: string;
}

export function makeDoctorPki(dir: string): DoctorPki {
  const pki = new Pki(dir);
  pki.issue('root', { cn: 'Doctor Test Root CA', ca: true });
  pki.issue('int', { cn: 'Doctor Test Intermediate', ca: true, issuer: 'root' });
  pki.issue('leaf', { cn: '*.runai.example.com', dns: ['*.runai.example.com', 'runai.example.com'], issuer: 'int' });
  pki.issue('old', {
    cn: '*.runai.example.com',
    dns: ['*.runai.example.com'],
    issuer: 'int',
    start: '20200101000000Z',
    end: '20210101000000Z',
  });
  pki.issue('fake', { cn: 'Kubernetes Ingress Controller Fake Certificate', dns: ['ingress.local'], key: 2048 });
  return {
    dir,
    root: pki.file('root'),
    fullchain: pki.chain('fullchain.pem', 'leaf', 'int'),
    leafKey: pki.file('leaf', 'key'),
    leafOnly: pki.file('leaf'),
    expired: pki.chain('expired.pem', 'old', 'int'),
    expiredKey: pki.file('old', 'key'),
    fake: pki.file('fake'),
    fakeKey: pki.file('fake', 'key'),
  };
}

/**
 * Loads `runai-access.yaml`: parses the YAML, validates it against the schema, reads the
 * certificate files it names and returns one normalized `ClusterSpec` per cluster. This is the
 * only module that reads input files. Every problem is collected and thrown as one `InputError`.
 */
import { KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { CertificateSummary, inspectTlsPair, parseTlsPair, ParsedTlsPair, summarize } from '../tls/inspect';
import { parseClusterUrl } from '../model/cluster-url';
import { configSchema, crossFieldIssues, RawCluster } from './schema';
import { ControlPlane } from '../model/control-plane';
import { toPort } from './expose-schema';
import { ExposeTypeName, PortSpec } from '../model/expose';
import { formatPath, InputError, Problem, shownBare } from '../model/errors';
import { ClusterMode } from '../model/mode';
import { IngressController, Platform, Routing, RoutingApi } from '../model/routing';
import { RunaiVersion } from '../model/runai-version';
import { SealingScope } from '../tls/sealing';
import { PRIVATE_KEY_BEGIN } from '../model/names';

/** Input files larger than this are refused before they are parsed. */
export const MAX_INPUT_BYTES = 1024 * 1024;
/** YAML syntax errors reported before the rest are summed up in one line. */
const MAX_YAML_ERRORS = 5;
/** The config file used when `--config` is not given. */
export const DEFAULT_CONFIG = 'runai-access.yaml';

/** Where the wildcard certificate comes from, with the file contents already read. */
export type TlsSpec =
  | {
    readonly source: 'files'; readonly certificatePem: Buffer; readonly privateKeyPem: Buffer;
    readonly certificate: CertificateSummary; readonly commitPlaintextKey: boolean;
  }
  | { readonly source: 'existing' }
  | {
    readonly source: 'cert-manager'; readonly issuerRef: { readonly name: string; readonly kind: 'Issuer' | 'ClusterIssuer' };
    readonly includeApex: boolean; readonly secretTemplate?: { readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  }
  | {
    readonly source: 'sealed-secret'; readonly certificatePem: Buffer; readonly privateKeyPem: Buffer;
    readonly certificate: CertificateSummary; readonly controllerKey: KeyObject; readonly controllerFingerprint: string; readonly scope: SealingScope;
  }
  | {
    readonly source: 'external-secret'; readonly secretStoreRef: { readonly name: string; readonly kind: 'SecretStore' | 'ClusterSecretStore' };
    readonly remoteRef: { readonly certificate: string; readonly privateKey: string };
    readonly apiVersion: 'external-secrets.io/v1' | 'external-secrets.io/v1beta1'; readonly refreshInterval: string;
  };

/** One cluster, validated and with every default applied. */
export interface ClusterSpec {
  readonly name: string;
  /** Lower-case host name, no scheme, port or path. */
  readonly clusterUrl: string;
  readonly deployment: ControlPlane;
  /** How workspaces are reached, computed once from the settings below: what every consumer reads. */
  readonly mode: ClusterMode;
  /** `undefined` when the config leaves it out: a current Run:ai with the dedicated Ingress. */
  readonly runaiVersion?: RunaiVersion;
  readonly platform: 'kubernetes' | 'openshift';
  readonly exposure: 'ingress' | 'gateway-api';
  /** The Gateway, with exposure gateway-api. */
  readonly gateway?: { readonly name: string; readonly namespace: string; readonly className: string };
  readonly routing: 'host' | 'path';
  readonly ingressController: 'nginx' | 'haproxy' | 'traefik' | 'other';
  /** `null` leaves `ingressClassName` out of the Ingress. */
  readonly ingressClassName: string | null;
  readonly ingressAnnotations: Readonly<Record<string, string>>;
  /** `undefined` with path routing or on OpenShift, which need no wildcard certificate. */
  readonly tls?: TlsSpec;
  /** The cluster's own certificate, for `runai-cluster-domain-tls-secret`. */
  readonly clusterTls?: TlsSpec;
  /** Inference serving: its own domain and wildcard certificate. */
  readonly inference?: { readonly domain: string; readonly tls?: TlsSpec };
  /** The PEM bytes of a private CA, for the `runai-ca-cert` Secrets. */
  readonly privateCa?: { readonly caPem: Buffer };
  readonly subdomainSupport: boolean;
  /** Researchers' workloads to expose; empty when the config has no `expose`. */
  readonly expose: readonly ExposeSpec[];
  /** How subdomainSupport reaches the operator. */
  readonly runaiConfigVia: 'overlay' | 'helm-values' | 'both';
  /** GitOps annotations on the overlay. */
  readonly gitops: { readonly argocd: boolean; readonly flux: boolean };
  readonly output: { readonly kustomization: boolean };
}

/** One `expose` entry with its defaults applied. */
export interface ExposeSpec {
  readonly project: string;
  readonly workload: string;
  readonly type: ExposeTypeName;
  readonly namespace: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly PortSpec[];
  readonly loadBalancerSourceRanges: readonly string[];
}

/** How certificates are checked. */
export interface CheckOptions {
  /** The time certificate validity is checked at. @default - now */
  readonly now?: Date;
  /** Warn when a leaf expires within this many days. @default 30 */
  readonly warnDays?: number;
  /** Treat warnings as errors. @default false */
  readonly strict?: boolean;
}

/** A valid config: its clusters, and the warnings found on the way. */
export interface LoadedConfig {
  readonly clusters: ClusterSpec[];
  readonly warnings: Problem[];
}

/** Reads and validates a config file and its certificates. Throws `InputError` with every error. */
export function loadConfig(file: string = DEFAULT_CONFIG, options: CheckOptions = {}): LoadedConfig {
  const text = readInput(file, file, '').toString('utf8');
  return parseConfig(text, file, path.dirname(path.resolve(file)), options);
}

/**
 * Validates config text. `source` names the file in messages; relative certificate paths are
 * resolved against `baseDir`.
 */
export function parseConfig(text: string, source: string, baseDir: string, options: CheckOptions = {}): LoadedConfig {
  const raw = parseYaml(text, source);
  const result = configSchema.safeParse(raw);
  const problems = [
    ...(result.success ? [] : result.error.issues.flatMap((issue) => toProblems(issue, source))),
    ...crossFieldIssues(raw).map((issue) => ({ source, path: formatPath(issue.path), message: issue.message })),
  ];
  if (!result.success || problems.length > 0) throw new InputError(problems);
  const files = new FileCache(source, options);
  const clusters = result.data.clusters.map((c, i) => normalize(c, `clusters[${i}]`, baseDir, files));
  files.problems.push(...exposeWarnings(clusters, source));
  const warnings = files.problems.filter((p) => p.severity === 'warning');
  const errors = files.problems.filter((p) => p.severity !== 'warning');
  if (options.strict && warnings.length > 0) {
    throw new InputError([...errors, ...warnings.map((w) => ({ ...w, severity: 'error' as const, message: `${w.message} (an error with --strict)` }))]);
  }
  if (errors.length > 0) throw new InputError([...errors, ...warnings]);
  return { clusters, warnings };
}

function parseYaml(text: string, source: string): unknown {
  const lines = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, strict: true, lineCounter: lines });
  if (doc.errors.length > 0) {
    // Only the first line of each message: later lines would quote the file, which may hold a key.
    const problems = new Map<string, Problem>();
    for (const e of doc.errors) {
      const at = lines.linePos(e.pos[0]);
      const problem = { source, path: `line ${at.line}, column ${at.col}`, message: `invalid YAML: ${e.message.split('\n')[0]}` };
      problems.set(`${problem.path}: ${problem.message}`, problem);
    }
    // Pathological input (deep nesting) repeats one error hundreds of times: report the first few.
    const unique = [...problems.values()];
    const shown = unique.slice(0, MAX_YAML_ERRORS);
    if (unique.length > shown.length) {
      shown.push({ source, path: '', message: `and ${unique.length - shown.length} more YAML errors; fix the first ones and run again` });
    }
    throw new InputError(shown);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch {
    throw new InputError([{ source, path: '', message: 'uses too many YAML aliases; write the values out' }]);
  }
  if (value === null || value === undefined) {
    throw new InputError([{ source, path: '', message: 'is empty; expected a mapping with a clusters list' }]);
  }
  return value;
}

/** Turns a zod issue into problems; an unknown-keys issue becomes one problem per key. */
function toProblems(issue: z.core.$ZodIssue, source: string): Problem[] {
  const at = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ source, path: formatPath([...issue.path, key]), message: issue.message }));
  }
  return [{ source, path: at, message: issue.message }];
}

function normalize(c: RawCluster, at: string, baseDir: string, files: FileCache): ClusterSpec {
  const url = parseClusterUrl(c.clusterUrl);
  if (!url.ok) throw new Error(`schema accepted an invalid clusterUrl: ${url.message}`);
  const tls = normalizeTls(c.tls, { at: `${at}.tls`, cluster: c.name, clusterUrl: url.host, coverage: 'wildcard-and-apex' }, baseDir, files);
  const clusterTls = normalizeTls(c.clusterTls, { at: `${at}.clusterTls`, cluster: c.name, clusterUrl: url.host, coverage: 'host' }, baseDir, files);
  const inferenceDomain = c.inference && parseClusterUrl(c.inference.domain);
  const inference = c.inference && inferenceDomain?.ok
    ? { domain: inferenceDomain.host, tls: normalizeTls(c.inference.tls, { at: `${at}.inference.tls`, cluster: c.name, clusterUrl: inferenceDomain.host, coverage: 'wildcard' }, baseDir, files) }
    : undefined;
  const caPem = c.privateCa && files.readCa(baseDir, c.privateCa.caFile, `${at}.privateCa.caFile`, c.name);
  const runaiVersion = c.runaiVersion === undefined ? undefined : RunaiVersion.parse(c.runaiVersion);
  const mode = ClusterMode.of({
    platform: c.platform && Platform.of(c.platform),
    routing: c.routing && Routing.of(c.routing),
    api: c.exposure && RoutingApi.of(c.exposure),
    controlPlane: c.deployment && ControlPlane.of(c.deployment),
    runaiVersion,
    controller: c.ingress?.controller && IngressController.of(c.ingress.controller),
    gateway: c.gateway,
    ingressClassName: c.ingress?.className,
  });
  return {
    name: c.name,
    clusterUrl: url.host,
    deployment: mode.controlPlane,
    mode,
    runaiVersion,
    platform: c.platform ?? 'kubernetes',
    exposure: c.exposure ?? 'ingress',
    gateway: c.gateway,
    routing: c.routing ?? 'host',
    ingressController: mode.controller.name,
    ingressClassName: mode.ingressClassName,
    ingressAnnotations: c.ingress?.annotations ?? {},
    tls,
    clusterTls,
    inference,
    privateCa: caPem ? { caPem } : undefined,
    subdomainSupport: c.subdomainSupport ?? true,
    expose: (c.expose ?? []).map((e) => ({
      project: e.project,
      workload: e.workload,
      type: e.type,
      namespace: e.namespace ?? `runai-${e.project}`,
      selector: e.selector ?? { release: e.workload },
      ports: e.ports.map(toPort),
      loadBalancerSourceRanges: e.loadBalancerSourceRanges ?? [],
    })),
    runaiConfigVia: c.runaiConfig?.via ?? 'overlay',
    gitops: { argocd: c.gitops?.argocd ?? true, flux: c.gitops?.flux ?? true },
    output: { kustomization: c.output?.kustomization ?? false },
  };
}

/** Where a TLS block is and what its certificate must cover. */
interface TlsWhere {
  readonly at: string;
  readonly cluster: string;
  /** The domain: the cluster URL, or the inference domain. */
  readonly clusterUrl: string;
  readonly coverage: 'wildcard-and-apex' | 'wildcard' | 'host';
}

/** Reads and checks a `tls` block's files; `undefined` when it is absent or has errors (recorded). */
function normalizeTls(raw: RawCluster['tls'], where: TlsWhere, baseDir: string, files: FileCache): TlsSpec | undefined {
  switch (raw?.source) {
    case undefined:
      return undefined;
    case 'existing':
      return { source: 'existing' };
    case 'files': {
      const pair = files.checkPair(baseDir, raw.certFile, raw.keyFile, where);
      return pair && { source: 'files', certificatePem: pair.cert, privateKeyPem: pair.key, certificate: pair.summary, commitPlaintextKey: raw.commitPlaintextKey ?? false };
    }
    case 'sealed-secret': {
      const pair = files.checkPair(baseDir, raw.certFile, raw.keyFile, where);
      const controller = files.readControllerCert(baseDir, raw.controllerCertFile, `${where.at}.controllerCertFile`, where.cluster);
      return pair && controller && {
        source: 'sealed-secret', certificatePem: pair.cert, privateKeyPem: pair.key, certificate: pair.summary,
        controllerKey: controller.key, controllerFingerprint: controller.fingerprint, scope: raw.scope ?? 'strict',
      };
    }
    case 'cert-manager':
      return { source: 'cert-manager', issuerRef: raw.issuerRef, includeApex: raw.includeApex ?? true, secretTemplate: raw.secretTemplate };
    case 'external-secret':
      return {
        source: 'external-secret',
        secretStoreRef: { name: raw.secretStoreRef.name, kind: raw.secretStoreRef.kind ?? 'SecretStore' },
        remoteRef: raw.remoteRef,
        apiVersion: raw.apiVersion ?? 'external-secrets.io/v1',
        refreshInterval: raw.refreshInterval ?? '1h',
      };
  }
}

/** Warnings about exposed workloads: a load balancer without source ranges is open to all. */
function exposeWarnings(clusters: readonly ClusterSpec[], source: string): Problem[] {
  return clusters.flatMap((c, i) => c.expose.flatMap((e, j) => e.type === 'load-balancer' && e.loadBalancerSourceRanges.length === 0
    ? [{
      source,
      path: `clusters[${i}].expose[${j}]`,
      message: `load balancer ${e.namespace}/${e.workload} accepts any address, the internet included; set loadBalancerSourceRanges to limit it`,
      code: 'expose-open-load-balancer',
      severity: 'warning' as const,
      cluster: c.name,
    }]
    : []));
}

/**
 * Reads each certificate file once and parses each pair of files once, however many clusters
 * name them, then checks the pair per cluster. Collects every problem.
 */
class FileCache {
  public readonly problems: Problem[] = [];
  private readonly contents = new Map<string, Buffer | undefined>();
  private readonly pairs = new Map<string, ParsedTlsPair>();

  constructor(private readonly source: string, private readonly options: CheckOptions) {}

  public checkPair(baseDir: string, certFile: string, keyFile: string, where: TlsWhere) {
    const cert = this.read(baseDir, certFile, `${where.at}.certFile`, where.cluster);
    const key = this.read(baseDir, keyFile, `${where.at}.keyFile`, where.cluster);
    if (!cert || !key) return undefined;
    const id = `${path.resolve(baseDir, certFile)}\0${path.resolve(baseDir, keyFile)}`;
    let pair = this.pairs.get(id);
    if (!pair) {
      pair = parseTlsPair(cert, key);
      this.pairs.set(id, pair);
    }
    const findings = inspectTlsPair(pair, { clusterUrl: where.clusterUrl, coverage: where.coverage, now: this.options.now, warnDays: this.options.warnDays });
    for (const f of findings) {
      const [field, given] = f.file === 'cert' ? ['certFile', certFile] : ['keyFile', keyFile];
      this.problems.push({
        source: this.source,
        path: `${where.at}.${field}`,
        message: `${shownBare(given)} ${f.message}`,
        code: f.code,
        severity: f.severity,
        cluster: where.cluster,
      });
    }
    const summary = summarize(pair);
    return findings.some((f) => f.severity === 'error') || !summary ? undefined : { cert, key, summary };
  }

  /**
   * Reads the Sealed Secrets controller certificate: it must be an RSA certificate that is
   * valid now, else nothing the controller can open is sealed.
   */
  public readControllerCert(baseDir: string, given: string, at: string, cluster: string): { key: KeyObject; fingerprint: string } | undefined {
    const file = this.readCertificate(baseDir, given, at, cluster, ['controller-cert-invalid', 'holds no PEM certificate; save what `kubeseal --fetch-cert` prints']);
    if (!file) return undefined;
    const { cert, report } = file;
    if (cert.publicKey.asymmetricKeyType !== 'rsa') return report('controller-cert-not-rsa', `has a ${cert.publicKey.asymmetricKeyType} key; the Sealed Secrets controller certificate is RSA`);
    if ((this.options.now ?? new Date()) > new Date(cert.validTo)) {
      return report('controller-cert-expired', `expired on ${new Date(cert.validTo).toISOString()}; the controller has renewed its key: fetch it again with kubeseal --fetch-cert`);
    }
    return { key: cert.publicKey, fingerprint: cert.fingerprint256 };
  }

  /** Reads a private CA file: it must hold certificates, the first a CA, and no key. */
  public readCa(baseDir: string, given: string, at: string, cluster: string): Buffer | undefined {
    const file = this.readCertificate(baseDir, given, at, cluster, ['ca-invalid', 'holds no PEM certificate; give the CA certificate (or bundle) in PEM']);
    if (!file) return undefined;
    const { pem, cert, report } = file;
    if (PRIVATE_KEY_BEGIN.test(pem.toString('latin1'))) return report('ca-has-key', 'holds a private key; give only the CA certificate');
    if (!cert.ca) return report('ca-not-ca', 'holds a certificate that is not a CA (basicConstraints CA:TRUE); give the CA that signed the cluster\'s certificates');
    return pem;
  }

  /**
   * Reads a file whose first PEM block must be a certificate, recording `invalid` when it is
   * not. Returns the bytes, the certificate and a reporter for the caller's own checks.
   */
  private readCertificate(baseDir: string, given: string, at: string, cluster: string, invalid: [code: string, message: string]) {
    const pem = this.read(baseDir, given, at, cluster);
    if (!pem) return undefined;
    const report = (code: string, message: string): undefined => {
      this.problems.push({ source: this.source, path: at, message: `${shownBare(given)} ${message}`, code, cluster });
      return undefined;
    };
    try {
      return { pem, cert: new X509Certificate(pem), report };
    } catch {
      return report(...invalid);
    }
  }

  private read(baseDir: string, given: string, at: string, cluster: string): Buffer | undefined {
    const file = path.resolve(baseDir, given);
    if (!this.contents.has(file)) {
      try {
        this.contents.set(file, readInput(file, this.source, at, given));
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        this.problems.push(...e.problems.map((p) => ({ ...p, cluster })));
        this.contents.set(file, undefined);
      }
    }
    return this.contents.get(file);
  }
}

/** Reads an input file, refusing directories, unreadable and oversized files with one problem. */
function readInput(file: string, source: string, at: string, given = file): Buffer {
  const fail = (code: string, message: string) =>
    new InputError([{ source, path: at, message: at ? `${shownBare(given)} ${message}` : message, code }]);
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw fail('file-missing', at ? 'does not exist' : 'does not exist; create it or pass --config FILE');
    if (code === 'EISDIR') throw fail('file-is-directory', 'is a directory; give a file');
    if (code === 'EACCES' || code === 'EPERM') throw fail('file-unreadable', 'cannot be read: permission denied');
    throw fail('file-unreadable', `cannot be read (${code ?? 'unknown error'})`);
  }
  if (data.length > MAX_INPUT_BYTES) throw fail('file-too-large', `is ${data.length} bytes; at most ${MAX_INPUT_BYTES} (1 MiB) are allowed`);
  return data;
}

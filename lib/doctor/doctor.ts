/**
 * `runai-access doctor`: checks one live cluster along the path a researcher's browser takes —
 * DNS, the certificate the controller serves, an HTTP answer, then (through kubectl) the
 * Secret, Ingress, IngressClass and RunaiConfig that decide them, and drift from `dist/`.
 * The cluster's objects and namespaces come from its `ClusterMode` and `names.ts`.
 * Every probe is bounded, and the whole run by `Timeouts.totalMs`.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { isIPv4 } from 'node:net';

import { ClusterSpec } from '../config/spec';
import { ValidationError } from '../model/errors';
import { ClusterMode } from '../model/mode';
import { HTTPS_PORT, probeName } from '../model/names';
import { CheckName, CheckResult, CHECKS, Deadline, DEFAULT_TIMEOUTS, fail, skip, Timeouts } from './check';
import { accessFailure, clusterChecks } from './cluster-checks';
import { ClusterFacts, ClusterTargets, readCluster } from './cluster-reads';
import { clusterNameCheck, Resolution, resolveName, wildcardCheck } from './dns';
import { driftCheck } from './drift';
import { accessFix, failureText } from './kubectl';
import { certificateCheck, httpCheck } from './served-certificate';
import { clusterTargets, tlsProbes } from './targets';
import { hostPort, probeTls, TlsProbeFailure, TlsProbeResult } from './tls-probe';

export interface DoctorOptions {
  readonly cluster: ClusterSpec;
  /** `IP`, `IP:PORT` or `[IPv6]:PORT` of a DNS server to ask instead of the system's. @default - the system resolver */
  readonly dnsServer?: string;
  /** The address to connect to instead of the resolved one. @default - what `*.<CLUSTER_URL>` resolves to */
  readonly address?: string;
  /** @default 443 */
  readonly port?: number;
  /** Check the cluster through kubectl. @default true */
  readonly kube?: boolean;
  /** kubectl `--context`. @default - the current context */
  readonly context?: string;
  /** The cluster's output folder, for the drift check. */
  readonly outDir: string;
  /** @default DEFAULT_TIMEOUTS */
  readonly timeouts?: Partial<Timeouts>;
  /** The random label of the probe name. @default - 8 random hex digits after `runai-access-doctor-` */
  readonly label?: string;
}

/** What `doctor` found for one cluster. */
export interface DoctorReport {
  readonly cluster: string;
  readonly clusterUrl: string;
  readonly wiring: string;
  /** The never-seen workspace name probed: `<random>.<CLUSTER_URL>`. */
  readonly probeHost: string;
  readonly address?: string;
  readonly port: number;
  readonly checks: readonly CheckResult[];
}

/** The first IPv4 address, else the first one. */
function pick(addresses: readonly string[]): string | undefined {
  return addresses.find((a) => isIPv4(a)) ?? addresses[0];
}

export async function runDoctor(o: DoctorOptions): Promise<DoctorReport> {
  // A JavaScript caller's cluster by name, or a config entry as written, would fail deep inside.
  if (!(o?.cluster?.mode instanceof ClusterMode))
    throw new ValidationError('cluster: must be a ClusterSpec, one of loadConfig(file).clusters (not its name or its config entry)');
  const t: Timeouts = { ...DEFAULT_TIMEOUTS, ...o.timeouts };
  const deadline = new Deadline(t.totalMs);
  const { cluster } = o;
  const label = o.label ?? `runai-access-doctor-${randomBytes(4).toString('hex')}`;
  const targets = clusterTargets(cluster);
  const kube = o.kube ?? true;
  // The cluster reads take longest; they run while DNS and TLS are probed.
  const facts = kube ? readCluster(targets, { context: o.context, kubeMs: t.kubeMs, deadline }) : undefined;
  const drift = kube ? driftCheck({ dir: o.outDir, context: o.context, kubeMs: t.kubeMs, deadline }) : undefined;

  const run: DoctorRun = {
    o,
    t,
    cluster,
    targets,
    label,
    probeHost: probeName(label, cluster.clusterUrl),
    port: o.port ?? HTTPS_PORT,
    deadline,
    resolve: (name) => resolveName(name, o.dnsServer, deadline.budget(t.dnsMs)),
  };
  const dns = await dnsChecks(run);
  const served = await tlsAndHttpChecks(run, dns);
  const kubeResults =
    facts && drift
      ? await kubeChecks(run, facts, drift, { servedLeaf: served.workspaceLeaf, wildcardAddresses: dns.wild.addresses })
      : noKube(targets, 'skipped with --no-kube');
  return {
    cluster: cluster.name,
    clusterUrl: cluster.clusterUrl,
    wiring: cluster.mode.wiring,
    probeHost: run.probeHost,
    address: served.address,
    port: run.port,
    checks: [...dns.checks, ...served.checks, ...kubeResults],
  };
}

/** What the stages of one doctor run share. */
interface DoctorRun {
  readonly o: DoctorOptions;
  readonly t: Timeouts;
  readonly cluster: ClusterSpec;
  readonly targets: ClusterTargets;
  /** The random label of the probe names. */
  readonly label: string;
  /** The never-seen workspace name probed. */
  readonly probeHost: string;
  readonly port: number;
  readonly deadline: Deadline;
  /** Looks a name up, within the DNS timeout and the run's deadline. */
  readonly resolve: (name: string) => Promise<Resolution>;
}

/** What DNS said, for the TLS probes and the cluster checks. */
interface DnsFindings {
  readonly checks: CheckResult[];
  readonly apex: Resolution;
  readonly wild: Resolution;
  readonly infWild?: Resolution;
  /** The never-seen inference name probed, with host routing and inference. */
  readonly inferenceProbe?: string;
}

/**
 * DNS: the cluster URL, and the `*.<url>` record host URLs need on any platform; the inference
 * wildcard where our certificates are served (on Kubernetes: the OpenShift router serves its own for routes).
 */
async function dnsChecks(run: DoctorRun): Promise<DnsFindings> {
  const { o, t, cluster, probeHost, resolve } = run;
  const mode = cluster.mode;
  const url = cluster.clusterUrl;
  // With either routing: path routing still serves inference at *.<domain> on Kubernetes.
  const inference = mode.platform.ownsTls ? cluster.inference : undefined;
  const inferenceProbe = inference ? probeName(run.label, inference.domain) : undefined;
  const none = (name: string): Resolution => ({ name, addresses: [] });
  const [apex, wild, infApex, infWild] = await Promise.all([
    resolve(url),
    mode.hostUrls ? resolve(probeHost) : none(probeHost),
    inference ? resolve(inference.domain) : undefined,
    inferenceProbe ? resolve(inferenceProbe) : undefined,
  ]);
  const checks: CheckResult[] = [clusterNameCheck(apex, o.dnsServer, t.dnsMs)];
  checks.push(
    mode.hostUrls
      ? wildcardCheck('dns.wildcard', url, apex, wild, o.dnsServer, t.dnsMs)
      : skip('dns.wildcard', `${mode.summaryText}: no *.${url} record needed`),
  );
  if (inference && infApex && infWild) {
    checks.push(wildcardCheck('dns.inference-wildcard', inference.domain, infApex, infWild, o.dnsServer, t.dnsMs));
  }
  return { checks, apex, wild, infWild, inferenceProbe };
}

/** TLS, and HTTP over the workspace probe's connection; the address connected to, and the leaf it served. */
async function tlsAndHttpChecks(
  run: DoctorRun,
  dns: DnsFindings,
): Promise<{ checks: CheckResult[]; address?: string; workspaceLeaf?: X509Certificate }> {
  const { o, t, cluster, probeHost, port, deadline } = run;
  const mode = cluster.mode;
  const hostRouting = mode.needsWildcardCertificate;
  const address = o.address ?? pick(dns.wild.addresses) ?? pick(dns.apex.addresses);
  const extraCa = cluster.privateCa ? [cluster.privateCa.caPem.toString('latin1')] : [];
  // Path routing on Kubernetes: no workspace host, but the cluster URL's own certificate and inference's are ours.
  const probes = mode.platform.ownsTls
    ? tlsProbes(cluster, run.targets, {
        probeHost,
        inferenceProbe: dns.inferenceProbe,
        workspaceAt: address,
        clusterAt: o.address ?? pick(dns.apex.addresses) ?? address,
        inferenceAt: o.address ?? pick(dns.infWild?.addresses ?? []) ?? address,
      })
    : [];
  const results = await Promise.all(
    probes.map((p) =>
      p.at
        ? probeTls({ address: p.at, port, servername: p.sni, timeoutMs: deadline.budget(t.tlsMs), extraCa })
        : Promise.resolve(undefined),
    ),
  );
  const checks = probes.map((p, i) => {
    const r = results[i];
    return r && p.at
      ? certificateCheck(p.name, p.sni, hostPort(p.at, port), r, p.expect, t.tlsMs)
      : skip(
          p.name,
          `${p.sni} did not resolve, so there is no address to connect to`,
          'fix DNS, or pass --address IP to test the controller directly',
        );
  });
  // HTTP over the workspace probe's connection: found by its name, not by its place in the list.
  const workspace = results[probes.findIndex((p) => p.name === 'tls.workspace')] as TlsProbeResult | TlsProbeFailure | undefined;
  checks.push(
    hostRouting
      ? httpCheck(probeHost, workspace, t.tlsMs, checks.find((c) => c.name === 'tls.workspace')?.status === 'pass')
      : skip(
          'http.workspace',
          mode.hostUrls
            ? `${mode.summaryText}: it serves workspace hosts with its own certificate, which runai-access does not write; not probed`
            : `${mode.summaryText}: no workspace host names`,
        ),
  );
  return { checks, address, workspaceLeaf: workspace?.ok ? workspace.chain[0] : undefined };
}

/** The cluster, through kubectl: its objects against the config and what was served, and drift from the output folder. */
async function kubeChecks(
  run: DoctorRun,
  facts: Promise<ClusterFacts>,
  drift: Promise<CheckResult>,
  served: { servedLeaf?: X509Certificate; wildcardAddresses: readonly string[] },
): Promise<CheckResult[]> {
  const { t } = run;
  const read = await facts;
  const blocked = accessFailure(read);
  if (blocked) {
    await drift;
    return [
      fail(
        'kube.access',
        failureText('the cluster', blocked.failure, blocked.waitedMs ?? t.kubeMs, run.o.context),
        accessFix(blocked.failure) ?? '',
      ),
      ...noKube(run.targets, 'kubectl could not read the cluster (see kube.access)'),
    ];
  }
  return [
    ...clusterChecks(read, {
      cluster: run.cluster,
      targets: run.targets,
      outDir: run.o.outDir,
      servedLeaf: served.servedLeaf,
      wildcardAddresses: served.wildcardAddresses,
      hostnameAddresses: await resolveHostnames(read, (n) => run.resolve(n)),
      kubeMs: t.kubeMs,
    }),
    await drift,
  ];
}

/** Every cluster check but kube.access, skipped for `why` (the Gateway's routes only where there is a Gateway). */
function noKube(targets: ClusterTargets, why: string): CheckResult[] {
  const names = (Object.keys(CHECKS) as CheckName[]).filter(
    (n) => n.startsWith('kube.') && n !== 'kube.access' && (!n.startsWith('kube.gateway') || targets.gateway !== undefined),
  );
  return names.map((name) => skip(name, why));
}

/** Cloud load balancers publish a host name; resolve it to compare with DNS. */
async function resolveHostnames(facts: ClusterFacts, resolve: (n: string) => Promise<Resolution>): Promise<Record<string, string[]>> {
  const names = (facts.ingress?.value?.status?.loadBalancer?.ingress ?? []).flatMap((e) => (e.hostname && !e.ip ? [e.hostname] : []));
  const resolved = await Promise.all(names.map(resolve));
  return Object.fromEntries(resolved.map((r) => [r.name, [...r.addresses]]));
}

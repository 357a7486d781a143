/**
 * Researchers' exposed ports: the expose types and what a Service port is. The config layer
 * reads them from `expose:`; the ExposedWorkload construct emits them.
 */

import { isIP } from 'node:net';

import { DNS_1035_LABEL, DNS_LABEL, DNS_LABEL_MAX_LENGTH } from './dns-names';
import { shown } from './errors';
import { memberNamed } from './member-named';
import { projectNamespace, workspaceHost, workspaceLabel, workspaceLabelProblem } from './names';
import { RuleBreak, ruleBreaks } from './rule-breaks';

/** The expose types, as written in the config. */
export const EXPOSE_TYPES = ['port-forward', 'node-port', 'load-balancer', 'subdomain'] as const;
export type ExposeTypeName = (typeof EXPOSE_TYPES)[number];

/** Kubernetes' default NodePort range. */
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;
/** What a `nodePort` may be, for messages of both layers. */
export const NODE_PORT_TEXT = `must be a whole number from ${NODE_PORT_MIN} to ${NODE_PORT_MAX}, the NodePort range`;

/** One Service port, normalized. */
export interface PortSpec {
  readonly port: number;
  readonly targetPort: number | string;
  readonly nodePort?: number;
  readonly name?: string;
}

/** How a workload's ports are reached; decides the Service type and the access hint. */
export class ExposeType {
  /** A ClusterIP Service reached with `kubectl port-forward`. */
  public static readonly PORT_FORWARD = new ExposeType('port-forward', 'ClusterIP');
  /** A NodePort Service: `<node-ip>:<nodePort>` from outside the cluster. */
  public static readonly NODE_PORT = new ExposeType('node-port', 'NodePort');
  /** A LoadBalancer Service: the cloud provider's load balancer. */
  public static readonly LOAD_BALANCER = new ExposeType('load-balancer', 'LoadBalancer');
  /** A ClusterIP Service behind an Ingress for `https://<project>-<workload>.<clusterUrl>/`. */
  public static readonly SUBDOMAIN = new ExposeType('subdomain', 'ClusterIP');

  /** The type named in the config. */
  public static of(name: ExposeTypeName): ExposeType {
    return memberNamed('ExposeType', [ExposeType.PORT_FORWARD, ExposeType.NODE_PORT, ExposeType.LOAD_BALANCER, ExposeType.SUBDOMAIN], name);
  }

  private constructor(
    public readonly name: ExposeTypeName,
    public readonly serviceType: 'ClusterIP' | 'NodePort' | 'LoadBalancer',
  ) {}
}

/**
 * The name a Service port gets: its own, or `tcp-<port>` when the Service has several (the API
 * server requires a name on each port of a Service with more than one).
 */
export function servicePortName(port: PortSpec, portCount: number): string | undefined {
  return port.name ?? (portCount > 1 ? `tcp-${port.port}` : undefined);
}

/**
 * A container port's name, which a Service's `targetPort` may give (Kubernetes `IANA_SVC_NAME`):
 * at most 15 lower-case letters, digits and single hyphens, with a letter, not starting or
 * ending with a hyphen.
 */
export const CONTAINER_PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** What a `targetPort` may be, for messages. */
export const TARGET_PORT_TEXT =
  'must be a port number from 1 to 65535, or a named port such as http: at most 15 lower-case letters, digits and -, with a letter, ' +
  'no two - together and none at either end';

/** Why `port` cannot be a Service's `targetPort`, or `undefined`. */
export function targetPortProblem(port: number | string): string | undefined {
  const ok = typeof port === 'number' ? Number.isInteger(port) && port >= 1 && port <= 65535 : CONTAINER_PORT_NAME.test(port);
  return ok ? undefined : TARGET_PORT_TEXT;
}

/**
 * Why `text` is not a CIDR as the API server parses a load balancer's source range (Go's
 * `net.ParseCIDR`), or `undefined`. Node's `isIP` also takes an IPv6 zone (`fe80::1%eth0`),
 * which Go does not.
 */
export function cidrProblem(text: string): string | undefined {
  const [address, prefix, ...rest] = text.split('/');
  const family = address?.includes('%') ? 0 : isIP(address ?? '');
  const ok = rest.length === 0 && family !== 0 && /^\d{1,3}$/.test(prefix ?? '') && Number(prefix) <= (family === 4 ? 32 : 128);
  if (!ok) return `${shown(text)} is not a CIDR; use an address and prefix such as 10.0.0.0/8 or 2001:db8::/32`;
  // Kubernetes' strict CIDR validation (StrictIPCIDRValidation; a warning without it) refuses the
  // forms below: the canonical one is named instead.
  const bits = Number(prefix);
  if (family === 6 && address.includes('.'))
    return `${shown(text)} is an IPv4-mapped IPv6 range, which Kubernetes does not take: give the IPv4 range instead`;
  // 10.0.0.1/8: the network 10.0.0.0/8, or the one address 10.0.0.1/32? A range names its network.
  const network = networkAddress(address, family === 4 ? 4 : 6, bits);
  if (network !== undefined) {
    const host = family === 4 ? 32 : 128;
    return (
      `${shown(text)} has address bits past its /${bits} prefix: write ${network}/${bits} for the network, ` +
      `or ${address}/${host} for the one address`
    );
  }
  const canonical = `${family === 6 ? shortestIpv6(address) : address}/${bits}`;
  return canonical === text ? undefined : `${shown(text)} is not written the way Kubernetes takes it: write ${canonical}`;
}

/** True when a source range lets in every address: 0.0.0.0/0 or ::/0. */
export function admitsEveryAddress(cidr: string): boolean {
  return /\/0+$/.test(cidr);
}

/** The network address of `address`/`prefix` when `address` has bits past the prefix; else `undefined`. */
function networkAddress(address: string, family: 4 | 6, prefix: number): string | undefined {
  const bits = family === 4 ? 32 : 128;
  const value = family === 4 ? address.split('.').reduce((v, octet) => (v << 8n) | BigInt(octet), 0n) : ipv6Value(address);
  const mask = ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  const network = value & mask;
  if (network === value) return undefined;
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => String((network >> shift) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((network >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return shortestIpv6(groups.join(':'));
}

/** An IPv6 address in its shortest form (RFC 5952), as the URL parser writes it; `isIP` has accepted it. */
function shortestIpv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

/** An IPv6 address as a number; `isIP` has accepted it. */
function ipv6Value(address: string): bigint {
  // The URL parser's form has hex groups only (an embedded IPv4 address becomes two groups) and at most one "::".
  const canonical = shortestIpv6(address);
  const [head, tail] = canonical.includes('::') ? canonical.split('::') : [canonical, undefined];
  const front = head ? head.split(':') : [];
  const back = tail ? tail.split(':') : [];
  const groups = tail === undefined ? front : [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back];
  return groups.reduce((v, g) => (v << 16n) | BigInt(`0x${g}`), 0n);
}

/** The message for an expose entry whose Service `namespace/workload` an earlier entry `other` makes already. */
function sameServiceMessage(service: string, other: number): string {
  return `Service ${service} is already expose[${other}]; give each workload one entry`;
}

/** True when the names the rules across fields and entries build messages from passed their own checks. */
export function exposeNamesValid(e: { project: unknown; workload: unknown; namespace?: unknown }): boolean {
  return (
    typeof e.project === 'string' &&
    DNS_LABEL.test(e.project) &&
    typeof e.workload === 'string' &&
    DNS_1035_LABEL.test(e.workload) &&
    e.workload.length <= DNS_LABEL_MAX_LENGTH &&
    (e.namespace === undefined ||
      (typeof e.namespace === 'string' && DNS_LABEL.test(e.namespace) && e.namespace.length <= DNS_LABEL_MAX_LENGTH))
  );
}

/** What the rules across a cluster's expose entries look at. */
export interface ExposeClashInput extends Pick<ExposeRuleInput, 'project' | 'workload' | 'type' | 'ports'> {
  readonly namespace?: string;
}

/**
 * The rules across a cluster's `expose` entries, which both layers check (the config's list and
 * RunaiAccessChart), with paths `[i, …]` from the list: one entry per Service, one per subdomain
 * host (`a-b`/`c` and `a`/`b-c` make one), and a node port once in the cluster (the API server
 * refuses a second Service on an allocated one). An entry given as `undefined` (its names failed
 * their own checks) is skipped.
 */
export function exposeClashes(entries: readonly (ExposeClashInput | undefined)[]): RuleBreak[] {
  const { breaks, at } = ruleBreaks();
  const services = new Map<string, number>();
  const hosts = new Map<string, number>();
  const nodePorts = new Map<number, string>();
  entries.forEach((e, i) => {
    if (!e) return;
    const service = `${e.namespace ?? projectNamespace(e.project)}/${e.workload}`;
    const other = services.get(service);
    if (other !== undefined) at(i, 'workload')(sameServiceMessage(service, other));
    else services.set(service, i);
    if (e.type === 'subdomain') {
      const host = workspaceLabel(e.project, e.workload);
      const same = hosts.get(host);
      if (same !== undefined) at(i, 'workload')(`subdomain ${host} is already the subdomain of expose[${same}]`);
      else hosts.set(host, i);
    }
    e.ports.forEach((p, j) => {
      if (p.nodePort === undefined) return;
      const used = nodePorts.get(p.nodePort);
      if (used) at(i, 'ports', j, 'nodePort')(`${p.nodePort} is already used by ${used}; node ports are unique in a cluster`);
      else nodePorts.set(p.nodePort, `expose[${i}].ports[${j}]`);
    });
  });
  return breaks;
}

/** What the shared expose rules look at: an entry with its ports read. */
export interface ExposeRuleInput {
  readonly project: string;
  readonly workload: string;
  readonly type: ExposeTypeName;
  readonly ports: readonly PortSpec[];
  readonly loadBalancerSourceRanges?: readonly string[];
  readonly selector?: Readonly<Record<string, string>>;
}

/**
 * The rules of an expose entry that both layers check, with paths relative to the entry: the
 * config layer reports `expose[j].<path>: message`, ExposedWorkload throws `<path>: message`.
 */
export function exposeRuleBreaks(e: ExposeRuleInput): RuleBreak[] {
  const { breaks, at } = ruleBreaks();
  // The API server refuses a Service whose ports repeat a number (same protocol) or a name.
  const names = e.ports.map((p) => servicePortName(p, e.ports.length));
  e.ports.forEach((p, i) => {
    const first = e.ports.findIndex((q) => q.port === p.port);
    if (first < i) at('ports', i)(`Service port ${p.port} is already ports[${first}]`);
    const named = names.indexOf(names[i]);
    if (first === i && names[i] !== undefined && named < i) {
      if (p.name !== undefined) at('ports', i, 'name')(`${shown(p.name)} is already the name of ports[${named}]`);
      else
        at('ports', i)(`is named ${names[i]}, as a port without a name is, which is already the name of ports[${named}]; name one of them`);
    }
  });
  e.ports.forEach((p, i) => {
    if (p.nodePort !== undefined && e.type !== 'node-port' && e.type !== 'load-balancer') {
      at('ports', i, 'nodePort')(`is only for type node-port or load-balancer, not ${e.type}`);
    }
  });
  // An empty selector is no selector: Kubernetes then keeps no endpoints for the Service, which reaches nothing.
  if (e.selector !== undefined && Object.keys(e.selector).length === 0) {
    at('selector')(
      'must name at least one pod label, such as {release: <workload>} (the default): a Service with no selector reaches no pods',
    );
  }
  if (e.loadBalancerSourceRanges !== undefined && e.type !== 'load-balancer') {
    at('loadBalancerSourceRanges')(`is only for type load-balancer, not ${e.type}`);
  }
  if (e.type === 'subdomain') {
    if (e.ports.length !== 1)
      at('ports')('must hold exactly one port for type subdomain, which routes https://<project>-<workload>.<clusterUrl>/ to it');
    const tooLong = workspaceLabelProblem(e.project, e.workload);
    if (tooLong) at('workload')(tooLong);
  }
  return breaks;
}

/** @deprecated use {@link ExposeType}: `expose` types, not the cluster's `exposure`. */
export const ExposureType = ExposeType;
/** @deprecated use {@link ExposeType}. */
export type ExposureType = ExposeType;

/**
 * Why a `subdomain` expose may collide: its host `<project>-<workload>.<clusterUrl>` is the one
 * Run:ai gives a workspace of that name with host-based routing (Run:ai's "External access to
 * containers" and 2.25 system requirements: `https://<project>-<workload>.<CLUSTER_URL>`), and
 * the hyphen join is ambiguous (project a-b with workload c, and project a with workload b-c).
 * `others` are the other expose entries that claim the same host.
 */
export function subdomainHostWarning(project: string, workload: string, clusterUrl: string, others: readonly string[]): string {
  const host = workspaceHost(project, workload, clusterUrl);
  const also = others.length > 0 ? `; ${others.join(', ')} claim${others.length === 1 ? 's' : ''} it too` : '';
  return (
    `subdomain claims ${host}, the host Run:ai gives a workspace named ${workload} in project ` +
    `${project} (and any project/workload pair whose "<project>-<workload>" is ` +
    `${workspaceLabel(project, workload)})${also}; two routes for one host are resolved differently by each ` +
    `controller: expose only workloads Run:ai does not route itself, or pick a name no ` +
    `workspace uses`
  );
}

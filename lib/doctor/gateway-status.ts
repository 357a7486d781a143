/**
 * doctor's `kube.gateway`: with the Gateway API, whether the Gateway exists, a controller has
 * Accepted and Programmed it, each listener resolved its certificate, and its address is where
 * DNS points. A Gateway whose class no controller runs, or whose listener Secret is missing, is
 * not served, and only its status says so.
 */
import { isIPv6 } from 'node:net';

import { applyCommand, CheckResult, fail, pass } from './check';
import type { Read } from './cluster-reads';
import type { GatewayRef } from './gateway-routes';
import { field, list, text } from './json-fields';
import { accessFix, failureText } from './kubectl';

/** A condition of a Gateway or a listener: `Accepted`, `Programmed`, `ResolvedRefs`. */
interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  /** The Gateway's generation the controller wrote this condition for. */
  readonly observedGeneration?: number;
}

/** The parts of a Gateway's status the doctor reads. */
export interface GatewayStatus {
  /** `metadata.generation`: it grows with every change of the spec. */
  readonly generation?: number;
  readonly conditions: readonly Condition[];
  readonly listeners: readonly { readonly name?: string; readonly conditions: readonly Condition[] }[];
  readonly addresses: readonly { readonly type?: string; readonly value?: string }[];
}

/** The fix when the cluster has no Gateway API types, for either Gateway check. */
export const INSTALL_GATEWAY_API =
  'install the Gateway API CRDs (standard channel) and a Gateway controller; Run:ai 2.25 takes them from the cluster';

/** `Gateway namespace/name`, as the Gateway checks name it. */
export const gatewayId = (gw: GatewayRef) => `Gateway ${gw.namespace}/${gw.name}`;

/** The resource, with its group: `gateway` alone names Istio's Gateway where Istio is installed. */
export const GATEWAYS = 'gateways.gateway.networking.k8s.io';

const whole = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
const conditions = (v: unknown): Condition[] =>
  list(v).map((c) => ({
    type: text(field(c, 'type')),
    status: text(field(c, 'status')),
    reason: text(field(c, 'reason')),
    observedGeneration: whole(field(c, 'observedGeneration')),
  }));

/** The status of a Gateway from kubectl's JSON; a field of another shape is left out rather than trusted. */
export function gatewayStatus(raw: unknown): GatewayStatus {
  const status = field(raw, 'status');
  return {
    generation: whole(field(field(raw, 'metadata'), 'generation')),
    conditions: conditions(field(status, 'conditions')),
    listeners: list(field(status, 'listeners')).map((l) => ({
      name: text(field(l, 'name')),
      conditions: conditions(field(l, 'conditions')),
    })),
    addresses: list(field(status, 'addresses')).map((a) => ({ type: text(field(a, 'type')), value: text(field(a, 'value')) })),
  };
}

/** What the Gateway check compares with. */
export interface GatewayContext {
  readonly gateway: GatewayRef;
  /** The GatewayClass the config gives, when it gives one. */
  readonly className?: string;
  readonly outDir: string;
  /** What `*.<clusterUrl>` resolved to; empty when it did not. */
  readonly wildcardAddresses: readonly string[];
  readonly clusterUrl: string;
  readonly kubeMs: number;
}

const condition = (all: readonly Condition[], type: string) => all.find((c) => c.type === type);
/** An IPv6 address in the canonical form (lower case, zeros compressed); any other text as it is. */
function canonicalIp(address: string): string {
  return isIPv6(address) ? new URL(`http://[${address}]`).hostname.slice(1, -1) : address;
}
const said = (c: Condition) => `${c.type} ${c.status}${c.reason ? ` (${c.reason})` : ''}`;

export function gatewayCheck(r: Read<GatewayStatus>, c: GatewayContext): CheckResult {
  const id = gatewayId(c.gateway);
  const classNote = c.className ? ` (kubectl get gatewayclass ${c.className})` : '';
  const describe = `kubectl describe ${GATEWAYS} -n ${c.gateway.namespace} ${c.gateway.name}`;
  if (!r.value) {
    const f = r.failure ?? 'error';
    const fix =
      f === 'not-found'
        ? `apply it: ${applyCommand(c.outDir)}`
        : f === 'no-resource-type'
          ? INSTALL_GATEWAY_API
          : (accessFix(f) ?? `run kubectl get ${GATEWAYS} -n ${c.gateway.namespace} ${c.gateway.name} yourself to see why`);
    return fail('kube.gateway', failureText(id, f, r.waitedMs ?? c.kubeMs), fix);
  }
  const s = r.value;
  // A listener's own condition says why first: its Gateway is then not accepted (ListenersNotValid) or not programmed.
  const broken = s.listeners.flatMap((l) =>
    l.conditions
      .filter(
        (x) =>
          (x.status === 'False' && ['Accepted', 'ResolvedRefs', 'Programmed'].includes(x.type ?? '')) ||
          // Another listener on the same port and hostname (an admin's own port-80 listener, say).
          (x.status === 'True' && x.type === 'Conflicted'),
      )
      .map((x) => ({ l, x })),
  );
  if (broken.length > 0) {
    const certificate = broken.some(({ x }) => x.reason === 'InvalidCertificateRef');
    return fail(
      'kube.gateway',
      `${id}: ${broken.map(({ l, x }) => `listener ${l.name ?? '?'} ${said(x)}`).join(', ')}`,
      certificate
        ? `a listener's Secret is missing in ${c.gateway.namespace} or holds no TLS certificate: create or apply it ` +
            '(the synth summary names each Secret a listener reads)'
        : `${describe} shows why`,
    );
  }
  const accepted = condition(s.conditions, 'Accepted');
  // A status written for an earlier spec says nothing of the one applied last.
  if (accepted?.observedGeneration !== undefined && s.generation !== undefined && accepted.observedGeneration < s.generation) {
    return fail(
      'kube.gateway',
      `${id} has a status older than its spec (observedGeneration ${accepted.observedGeneration}, generation ${s.generation}): ` +
        'no controller has processed the last change yet',
      `check that its GatewayClass exists and its controller runs${classNote}; run doctor again in a minute`,
    );
  }
  if (accepted?.status !== 'True') {
    return fail(
      'kube.gateway',
      accepted ? `${id} is not accepted: ${said(accepted)}` : `no controller has accepted ${id} (its status has no Accepted condition)`,
      `check that its GatewayClass exists and its controller runs${classNote}; ${describe}`,
    );
  }
  const programmed = condition(s.conditions, 'Programmed');
  if (programmed?.status !== 'True') {
    return fail(
      'kube.gateway',
      `${id} is accepted but not programmed: ${programmed ? said(programmed) : 'no Programmed condition'}`,
      programmed?.reason === 'AddressNotAssigned'
        ? 'no address was assigned: a Service of type LoadBalancer needs a load balancer (on premises, MetalLB or the like); ' +
            "see the Gateway controller's Service (kubectl get service -A)"
        : `see the Gateway controller's log, and ${describe}`,
    );
  }
  const shown = s.addresses.map((a) => a.value).filter((v): v is string => !!v);
  if (shown.length === 0) {
    return fail(
      'kube.gateway',
      `${id} is programmed but has no address in its status`,
      "check the Gateway controller's Service of type LoadBalancer (kubectl get service -A), or its log",
    );
  }
  // IPv6 in one form (2001:DB8::1 and 2001:db8:0::1 are one address), as DNS gives it.
  const ips = s.addresses.filter((a) => a.type === undefined || a.type === 'IPAddress').map((a) => a.value && canonicalIp(a.value));
  if (c.wildcardAddresses.length === 0 || ips.length === 0) {
    const why = c.wildcardAddresses.length === 0 ? `*.${c.clusterUrl} did not resolve` : 'a host name, which doctor does not resolve here';
    return pass('kube.gateway', `${id} is accepted and programmed, address ${shown.join(', ')} (not compared: ${why})`);
  }
  const dnsAddresses = c.wildcardAddresses.map(canonicalIp);
  if (!ips.some((a) => a !== undefined && dnsAddresses.includes(a))) {
    return fail(
      'kube.gateway',
      `${id} has address ${shown.join(', ')}, but *.${c.clusterUrl} resolves to ${c.wildcardAddresses.join(', ')}`,
      `point *.${c.clusterUrl} and ${c.clusterUrl} at ${shown.join(', ')}`,
    );
  }
  return pass('kube.gateway', `${id} is accepted and programmed, address ${shown.join(', ')}, where *.${c.clusterUrl} points`);
}

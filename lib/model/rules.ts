/**
 * The rules about which settings go together, written once. The config layer reports a broken
 * rule as `file: clusters[i].<path>: message`; the chart throws it as a `ValidationError` for
 * library users, naming its own props instead of config keys (see `RuleBreak.path`).
 */
import { shown } from './errors';
import { RunaiVersion } from './runai-version';

/** What the rules look at: the names of the settings, and which optional blocks are given. */
export interface RuleInput {
  /** `kubernetes` or `openshift`; `undefined` for the default (kubernetes). */
  readonly platform?: string;
  /** `host` or `path`. */
  readonly routing?: string;
  /** `ingress` or `gateway-api`. */
  readonly exposure?: string;
  /** The Run:ai version, when given and valid. */
  readonly runaiVersion?: RunaiVersion;
  /** `nginx`, `haproxy`, `traefik` or `other`. */
  readonly controller?: string;
  /** The IngressClass given: `undefined` when not given, `null` to leave it out. */
  readonly ingressClassName?: string | null;
  /** Which optional settings are given. */
  readonly given: {
    readonly tls: boolean;
    readonly ingress: boolean;
    readonly clusterTls: boolean;
    readonly inference: boolean;
    readonly gateway: boolean;
  };
  /** The `type` of each `expose` entry, in order. */
  readonly exposeTypes: readonly unknown[];
}

/** A broken rule: the setting at fault (in config terms) and what is allowed. */
export interface RuleBreak {
  /** The config path under the cluster: `['tls']`, `['ingress', 'className']`, `['expose', 2, 'type']`. */
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** True when the fix is to remove the setting: each layer appends `; remove <its name>`. */
  readonly remove?: boolean;
}

/** Every rule broken by `input`, in a stable order. */
export function brokenRules(input: RuleInput): RuleBreak[] {
  const breaks: RuleBreak[] = [];
  const at =
    (...path: (string | number)[]) =>
    (message: string) =>
      breaks.push({ path, message });
  const unused = (key: string, why: string) => breaks.push({ path: [key], message: `is not used ${why}`, remove: true });
  const openshift = input.platform === 'openshift';
  const path = input.routing === 'path';
  const gatewayApi = input.exposure === 'gateway-api';
  const legacy = input.runaiVersion?.needsLegacyPatch ?? false;
  const { given } = input;

  if (openshift || path) {
    const why = openshift
      ? 'on OpenShift, whose router serves TLS and routes'
      : 'with routing: path, which needs no wildcard certificate or Ingress';
    if (given.tls) unused('tls', why);
    if (given.ingress) unused('ingress', why);
    if (openshift && given.clusterTls) unused('clusterTls', why);
    if (openshift && given.inference) unused('inference', why);
  } else if (!given.tls) {
    at('tls')(
      'is required: where the wildcard certificate comes from ({source: files, certFile, keyFile}, {source: cert-manager, issuerRef}, ...)',
    );
  }
  const subdomains = input.exposeTypes.flatMap((type, j) => (type === 'subdomain' ? [j] : []));
  if (path)
    for (const j of subdomains) at('expose', j, 'type')('subdomain needs routing: host; use port-forward, node-port or load-balancer');
  if (gatewayApi) {
    if (!given.gateway) at('gateway')('is required with exposure: gateway-api: {name, namespace, className}');
    if (openshift) at('exposure')('gateway-api is not used on OpenShift, whose router serves TLS and routes');
    if (given.ingress && !openshift && !path) unused('ingress', 'with exposure: gateway-api, which creates no Ingress');
    if (legacy) at('exposure')(`gateway-api needs a current Run:ai, not runaiVersion ${shown(input.runaiVersion!.text)}`);
    if (!path)
      for (const j of subdomains)
        at('expose', j, 'type')('subdomain creates an Ingress; with exposure: gateway-api use port-forward, node-port or load-balancer');
  } else if (given.gateway) {
    at('gateway')('is only used with exposure: gateway-api; set exposure or remove gateway');
  }
  if (input.controller === 'other' && (input.ingressClassName === undefined || input.ingressClassName === null)) {
    at('ingress', 'className')('is required with controller: other; name the IngressClass your controller watches');
  }
  if (legacy && given.ingress) {
    unused(
      'ingress',
      `with runaiVersion ${shown(input.runaiVersion!.text)}: before 2.13 the existing ingress is patched and no wildcard Ingress is created`,
    );
  }
  return breaks;
}

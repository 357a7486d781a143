/**
 * The props of {@link RunaiAccessChart} and their validation: which props go together is decided
 * by the rules of `model/rules.ts`; this file names the props in the chart's error.
 */
import { ControlPlane } from '../model/control-plane';
import { ValidationError } from '../model/errors';
import { Migration } from '../model/migration';
import { ClusterMode, RUNAI_CONFIG_VIAS, RunaiConfigVia } from '../model/mode';
import { IngressController, Platform, ROUTE_NAMESPACES, RouteNamespaces, Routing, RoutingApi } from '../model/routing';
import { brokenRules } from '../model/rules';
import { RunaiVersion } from '../model/runai-version';
import { EXPOSED_WORKLOAD_PROP_KINDS, ExposedWorkloadProps } from './exposed-workload';
import { arrayOf, checkPropTypes, oneOf, optional, PropKinds } from './prop-types';
import { TLS_SOURCE_KINDS, TlsSource } from './tls-source';

/** Props of {@link RunaiAccessChart}. */
export interface RunaiAccessChartProps {
  /** The cluster URL as a lower-case host name, `runai.example.com`. */
  readonly clusterUrl: string;
  /**
   * Where the wildcard certificate comes from; required exactly for host routing on Kubernetes.
   * @default - none: for path routing or OpenShift
   */
  readonly tls?: TlsSource;
  /**
   * The Kubernetes distribution.
   * @default Platform.KUBERNETES
   */
  readonly platform?: Platform;
  /**
   * Host-based (subdomain) or path-based workspace URLs.
   * @default Routing.HOST
   */
  readonly routing?: Routing;
  /**
   * The ingress controller; sets the default IngressClass, told to Run:ai (the overlay's
   * `spec.global.ingress.ingressClass`) unless it is the class Run:ai assumes in this release.
   * Used with either routing on Kubernetes with Ingresses from Run:ai 2.13; refused on OpenShift,
   * with the Gateway API and before 2.13.
   * @default - the release profile's: HAProxy for Run:ai 2.25 and without `runaiVersion`, ingress-nginx before
   */
  readonly ingressController?: IngressController;
  /**
   * A phased move off the current controller to HAProxy, Traefik or the Gateway API (then
   * `gateway` is required, in namespace `runai`).
   * @default - none
   */
  readonly migration?: Migration;
  /**
   * A private CA that signed the cluster's certificates, for the `runai-ca-cert` Secrets.
   * @default - none
   */
  readonly privateCa?: { readonly caPem: Uint8Array };
  /**
   * The cluster's own certificate (for `<clusterUrl>` itself): `runai-cluster-domain-tls-secret` in `runai`.
   * @default - none
   */
  readonly clusterTls?: TlsSource;
  /**
   * Inference serving: the `*.<domain>` Secret and the `knative-serving` Ingress to kourier. On
   * OpenShift with `RoutingApi.GATEWAY_API`, only an HTTPRoute to `gateway` (default the one
   * Run:ai's OpenShift page names, `openshift-default` in `openshift-ingress`; no `tls`: that
   * Gateway serves it).
   * @default - none
   */
  readonly inference?: {
    readonly domain: string;
    readonly tls?: TlsSource;
    /** OpenShift only: the Gateway the inference HTTPRoute attaches to. */
    readonly gateway?: { readonly name: string; readonly namespace: string };
  };
  /**
   * Ingress objects, or a Gateway API Gateway (then `gateway` is required).
   * @default RoutingApi.INGRESS
   */
  readonly exposure?: RoutingApi;
  /**
   * The Gateway for `RoutingApi.GATEWAY_API`: its name, namespace (where every TLS Secret goes) and
   * class, and which namespaces' routes it admits ({@link RunaiGatewayProps.routeNamespaces}).
   * @default - none
   */
  readonly gateway?: {
    readonly name: string;
    readonly namespace: string;
    readonly className: string;
    readonly routeNamespaces?: RouteNamespaces;
    /** A port-80 listener whose one route redirects to https ({@link HttpsRedirect}). */
    readonly httpRedirect?: boolean;
  };
  /**
   * Where the Run:ai control plane runs; decides the legacy ingress and namespace.
   * @default ControlPlane.SAAS
   */
  readonly deployment?: ControlPlane;
  /**
   * The Run:ai cluster version. Before 2.13 the existing ingress is patched instead of
   * creating the dedicated wildcard Ingress.
   * @default - a current Run:ai: the dedicated wildcard Ingress
   */
  readonly runaiVersion?: RunaiVersion;
  /**
   * `ingressClassName` of every Ingress written (the wildcard, inference and `expose` ones), and the
   * class told to Run:ai; `null` leaves it out. Refused where `ingressController` is.
   * @default - the controller's class (nginx, haproxy, traefik); required for OTHER
   */
  readonly ingressClassName?: string | null;
  /**
   * Extra annotations on the wildcard Ingress. Refused where `ingressController` is, and with
   * path routing, which writes no wildcard Ingress (an empty object is taken).
   * @default - none
   */
  readonly ingressAnnotations?: Readonly<Record<string, string>>;
  /**
   * Emit the RunaiConfig overlay that switches on `spec.global.subdomainSupport`.
   * @default true
   */
  readonly subdomainSupport?: boolean;
  /**
   * How `subdomainSupport` reaches the operator: the RunaiConfig overlay, a Helm values
   * fragment (for Helm-managed installs, where an upgrade reverts kubectl changes), or both.
   * @default - the release profile's: 'helm-values' for Run:ai 2.25 and without `runaiVersion`, 'overlay' before
   */
  readonly runaiConfigVia?: RunaiConfigVia;
  /**
   * GitOps annotations on the overlay, per tool family.
   * @default {argocd: true, flux: true}
   */
  readonly gitops?: { readonly argocd?: boolean; readonly flux?: boolean };
  /**
   * Researchers' workloads to expose. The cluster URL and ingress class come from the chart.
   * @default - none
   */
  readonly expose?: readonly Omit<ExposedWorkloadProps, 'clusterUrl' | 'ingressClassName'>[];
}

/** An expose entry: an ExposedWorkload's props but those the chart gives. */
const { clusterUrl: _url, ingressClassName: _class, ...EXPOSE_ENTRY_KINDS } = EXPOSED_WORKLOAD_PROP_KINDS;

/** The run-time types of {@link RunaiAccessChartProps}, for JavaScript callers. */
const CHART_PROP_KINDS: PropKinds<RunaiAccessChartProps> = {
  clusterUrl: 'string',
  tls: optional(TLS_SOURCE_KINDS),
  platform: optional(Platform),
  routing: optional(Routing),
  ingressController: optional(IngressController),
  migration: optional(Migration),
  privateCa: optional({ caPem: Uint8Array }),
  clusterTls: optional(TLS_SOURCE_KINDS),
  inference: optional({ domain: 'string', tls: optional(TLS_SOURCE_KINDS), gateway: optional({ name: 'string', namespace: 'string' }) }),
  exposure: optional(RoutingApi),
  gateway: optional({
    name: 'string',
    namespace: 'string',
    className: 'string',
    routeNamespaces: optional(oneOf(ROUTE_NAMESPACES)),
    httpRedirect: optional('boolean'),
  }),
  deployment: optional(ControlPlane),
  runaiVersion: optional(RunaiVersion),
  ingressClassName: optional('string-or-null'),
  ingressAnnotations: optional('string-record'),
  subdomainSupport: optional('boolean'),
  runaiConfigVia: optional(oneOf(RUNAI_CONFIG_VIAS)),
  gitops: optional({ argocd: optional('boolean'), flux: optional('boolean') }),
  expose: optional(arrayOf(EXPOSE_ENTRY_KINDS)),
};

/** Refuses props of the wrong JavaScript type, naming each (TypeScript callers cannot pass them). */
export function checkChartPropTypes(props: RunaiAccessChartProps): void {
  checkPropTypes(props, CHART_PROP_KINDS);
}

/** Config keys named by the rules, as this chart's props; the config's `ingress` block is three props. */
const PROP_NAMES: Readonly<Record<string, string>> = {
  'ingress.className': 'ingressClassName',
  'ingress.annotations': 'ingressAnnotations',
};

/** The chart's props that the config's `ingress` block holds, those given. */
function ingressProps(props: RunaiAccessChartProps): string[] {
  const given = {
    ingressController: props.ingressController,
    ingressClassName: props.ingressClassName,
    ingressAnnotations: props.ingressAnnotations,
  };
  return Object.entries(given).flatMap(([name, value]) => (value === undefined ? [] : [name]));
}

/** Refuses props that cannot work together (the rules of `brokenRules`), naming the props. */
export function validateProps(props: RunaiAccessChartProps, mode: ClusterMode): void {
  const breaks = brokenRules({
    platform: mode.platform.name,
    routing: mode.routing.name,
    exposure: mode.api.name,
    runaiVersion: props.runaiVersion,
    controller: mode.controller.name,
    ingressClassName: props.ingressClassName,
    given: {
      tls: props.tls !== undefined,
      ingress: ingressProps(props).length > 0,
      ingressAnnotations: props.ingressAnnotations !== undefined && Object.keys(props.ingressAnnotations).length > 0,
      clusterTls: props.clusterTls !== undefined,
      inference: props.inference !== undefined,
      inferenceTls: props.inference?.tls !== undefined,
      inferenceGateway: props.inference?.gateway !== undefined,
      gateway: props.gateway !== undefined,
      migration: props.migration !== undefined,
    },
    migrationTo: props.migration?.to,
    migrationClassName: props.migration?.className,
    gatewayNamespace: props.gateway?.namespace,
    gatewayRouteNamespaces: props.gateway?.routeNamespaces,
    exposeTypes: (props.expose ?? []).map((e) => e.type.name),
    exposeNamespaces: (props.expose ?? []).map((e) => ({ namespace: e.namespace, project: e.project, workload: e.workload })),
    selfHosted: mode.controlPlane === ControlPlane.SELF_HOSTED,
    domains: { clusterUrl: props.clusterUrl, inference: props.inference?.domain },
  });
  if (breaks.length === 0) return;
  const prop = (path: readonly (string | number)[]) =>
    path[0] === 'expose'
      ? `expose[${path[1]}].${path[2]}`
      : path.join('.') === 'ingress'
        ? ingressProps(props).join(', ')
        : (PROP_NAMES[path.join('.')] ?? path.join('.'));
  throw new ValidationError(breaks.map((b) => `${prop(b.path)}: ${b.message}${b.remove ? `; remove ${prop(b.path)}` : ''}`).join('; '));
}

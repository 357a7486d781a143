/**
 * How a `RunaiAccessChart` wires its parts, one function each: the wildcard Secret and what
 * serves it (the legacy patch, or the dedicated Ingress and a migration's second one), inference,
 * the Gateway, what Run:ai is told (the RunaiConfig overlay and Helm values) and researchers'
 * Services. Each builds its constructs in the chart it is given; the chart decides the order.
 */
import { wildcardHost } from '../model/cluster-url';
import { ControlPlane } from '../model/control-plane';
import { formatPath, ValidationError } from '../model/errors';
import { exposeClashes, exposeNamesValid } from '../model/expose';
import { ClusterMode } from '../model/mode';
import {
  CLUSTER_TLS_SECRET_NAME,
  INFERENCE_INGRESS_NAME,
  INFERENCE_LISTENER,
  INFERENCE_TLS_SECRET_NAME,
  OPENSHIFT_DEFAULT_GATEWAY,
  OPENSHIFT_KOURIER_NAMESPACE,
  projectNamespace,
  runaiRouteNamespaces,
  STAR_INGRESS_NAME,
} from '../model/names';
import { CONTROL_PLANE_HELM_VALUES_PATH } from '../model/output-layout';
import { Platform, RoutingApi } from '../model/routing';
import { ExposedWorkload } from './exposed-workload';
import { InferenceHttpRoute, RunaiGateway } from './gateway';
import { HttpsRedirect } from './https-redirect';
import { InferenceIngress } from './inference-ingress';
import { LegacyIngressTlsPatch } from './legacy-ingress-patch';
import type { RunaiAccessChart } from './runai-access-chart';
import { RunaiAccessChartProps } from './runai-access-chart-props';
import { RunaiConfigOverlay } from './runai-config-overlay';
import { RunaiHelmValues } from './runai-helm-values';
import { clusterValues, controlPlaneValues } from './runai-values';
import { IRunaiTlsSecret, RunaiTlsSecret } from './tls-secret';
import { starTarget } from './tls-source';
import { WildcardIngress } from './wildcard-ingress';

/** The id of the inference certificate's copy in a Gateway's namespace, beside the knative one (a migration to the Gateway API). */
export const INFERENCE_TLS_GATEWAY_ID = 'InferenceTlsGateway';

/** The wildcard Secret and what wires it: the legacy patch, or the dedicated Ingress and a migration's second one. */
export function wildcardWiring(
  chart: RunaiAccessChart,
  props: RunaiAccessChartProps,
  mode: ClusterMode,
): { secret?: IRunaiTlsSecret; legacyPatch?: LegacyIngressTlsPatch; ingress?: WildcardIngress; migrationIngress?: WildcardIngress } {
  const tls = props.tls;
  if (!tls) return {};
  const secret = bound('tls', () => tls.bind(chart, starTarget(mode.starSecretNamespace, props.clusterUrl)));
  if (mode.wiring === 'legacy-patch') {
    return {
      secret,
      legacyPatch: new LegacyIngressTlsPatch(chart, 'LegacyIngressTls', {
        clusterUrl: props.clusterUrl,
        deployment: mode.controlPlane,
        secret,
      }),
    };
  }
  if (mode.wiring !== 'dedicated-ingress') return { secret };
  const current = mode.ingressSets.find((set) => set.current);
  const added = mode.ingressSets.find((set) => !set.current);
  return {
    secret,
    ingress:
      current &&
      new WildcardIngress(chart, 'Ingress', {
        clusterUrl: props.clusterUrl,
        secret,
        ingressClassName: current.ingressClassName,
        annotations: props.ingressAnnotations,
      }),
    migrationIngress:
      added &&
      new WildcardIngress(chart, 'MigrationIngress', {
        name: `${STAR_INGRESS_NAME}${added.nameSuffix}`,
        clusterUrl: props.clusterUrl,
        secret,
        ingressClassName: added.ingressClassName,
      }),
  };
}

/** The Gateway (the cluster's, or a migration's) and the HTTPRoute of its inference listener. */
export function gatewayWiring(
  chart: RunaiAccessChart,
  props: RunaiAccessChartProps,
  gw: NonNullable<RunaiAccessChartProps['gateway']>,
  secrets: { clusterSecret?: IRunaiTlsSecret; secret?: IRunaiTlsSecret; inference: InferenceWiring },
): { gateway: RunaiGateway; inferenceRoute?: InferenceHttpRoute; httpsRedirect?: HttpsRedirect } {
  const inferenceSecret = secrets.inference.gatewaySecret;
  const gateway = new RunaiGateway(chart, 'Gateway', {
    ...gw,
    clusterUrl: props.clusterUrl,
    // Without clusterTls the cluster Secret is the one the Run:ai install created, under its standard name.
    clusterSecret: secrets.clusterSecret ?? RunaiTlsSecret.fromExisting(gw.namespace, CLUSTER_TLS_SECRET_NAME),
    workloadsSecret: secrets.secret,
    inference: props.inference && inferenceSecret && { domain: props.inference.domain, secret: inferenceSecret },
    // A self-hosted control plane's routes are in its own namespace.
    runaiNamespaces: runaiRouteNamespaces(props.deployment === ControlPlane.SELF_HOSTED),
  });
  const inferenceRoute =
    props.inference &&
    new InferenceHttpRoute(chart, 'InferenceRoute', { gateway, sectionName: INFERENCE_LISTENER, domain: props.inference.domain });
  const httpsRedirect = gw.httpRedirect ? new HttpsRedirect(chart, 'HttpsRedirect', { gateway }) : undefined;
  return { gateway, inferenceRoute, httpsRedirect };
}

/**
 * What Run:ai is told: the RunaiConfig overlay, and the Helm values of the cluster and of a
 * self-hosted control plane, as the mode's `runaiConfigVia` says.
 */
export function runaiSettings(
  chart: RunaiAccessChart,
  props: RunaiAccessChartProps,
  mode: ClusterMode,
  routeGw: RunaiAccessChartProps['gateway'],
): { overlay?: RunaiConfigOverlay; helmValues?: RunaiHelmValues; controlPlaneHelmValues?: RunaiHelmValues } {
  const via = mode.runaiConfigVia;
  // subdomainSupport: false leaves that setting to the admin; the class Run:ai must be told is still written.
  const writesSubdomainSupport = props.subdomainSupport ?? true;
  const overlay =
    (writesSubdomainSupport || mode.runaiIngressClass) && via !== 'helm-values'
      ? new RunaiConfigOverlay(chart, 'RunaiConfig', {
          ...props.gitops,
          subdomainSupport: writesSubdomainSupport ? mode.routing.subdomains : null,
          ingressClass: mode.runaiIngressClass,
        })
      : undefined;
  const values = clusterValues(mode, routeGw, {
    runaiSettings: via !== 'overlay',
    subdomainSupport: writesSubdomainSupport,
    privateCa: props.privateCa !== undefined,
  });
  const controlPlane = controlPlaneValues(mode, routeGw);
  return {
    overlay,
    helmValues: values && new RunaiHelmValues(chart, 'HelmValues', { values }),
    controlPlaneHelmValues:
      controlPlane &&
      new RunaiHelmValues(chart, 'ControlPlaneHelmValues', {
        values: controlPlane,
        path: CONTROL_PLANE_HELM_VALUES_PATH,
        release: 'the Run:ai control plane release (runai-backend)',
      }),
  };
}

/** What inference gets; `gatewaySecret` is the Secret the Gateway's inference listener serves, in the Gateway's namespace. */
export interface InferenceWiring {
  inferenceRoute?: InferenceHttpRoute;
  inferenceSecret?: IRunaiTlsSecret;
  gatewaySecret?: IRunaiTlsSecret;
  inferenceIngress?: InferenceIngress;
  migrationInferenceIngress?: InferenceIngress;
}

/**
 * Inference: on OpenShift with the Gateway API an HTTPRoute to the Gateway Run:ai names; else the
 * inference Secret, in knative-serving for the knative Ingress (and a migration's second one), in
 * the Gateway's namespace for a Gateway (both during a migration to the Gateway API).
 */
export function inferenceWiring(
  chart: RunaiAccessChart,
  props: RunaiAccessChartProps,
  mode: ClusterMode,
  routeGw: { readonly namespace: string } | undefined,
): InferenceWiring {
  if (props.inference && !props.inference.tls && mode.platform === Platform.OPENSHIFT && mode.api === RoutingApi.GATEWAY_API) {
    return {
      inferenceRoute: new InferenceHttpRoute(chart, 'InferenceRoute', {
        gateway: props.inference.gateway ?? OPENSHIFT_DEFAULT_GATEWAY,
        domain: props.inference.domain,
        kourierNamespace: OPENSHIFT_KOURIER_NAMESPACE,
      }),
    };
  }
  if (!props.inference?.tls) return {};
  const { tls, domain } = props.inference;
  const target = (id: string, namespace: string) => ({
    id,
    name: INFERENCE_TLS_SECRET_NAME,
    namespace,
    clusterUrl: domain,
    dnsNames: [wildcardHost(domain)],
  });
  const gatewayOnly = Boolean(mode.gateway && props.gateway);
  const current = gatewayOnly ? undefined : mode.ingressSets.find((set) => set.current);
  const added = gatewayOnly ? undefined : mode.ingressSets.find((set) => !set.current);
  const knative = current !== undefined || added !== undefined;
  // The Secret in mode.inferenceSecretNamespace: knative-serving's, for the Ingresses; with the
  // Gateway alone, the Gateway's namespace, where its listener reads it.
  const primarySecret =
    knative || gatewayOnly
      ? bound('inference.tls', () => tls.bind(chart, target('InferenceTls', mode.inferenceSecretNamespace)))
      : undefined;
  const gatewaySecret = gatewayOnly
    ? primarySecret
    : routeGw
      ? bound('inference.tls', () => tls.bind(chart, target(knative ? INFERENCE_TLS_GATEWAY_ID : 'InferenceTls', routeGw.namespace)))
      : undefined;
  return {
    inferenceSecret: primarySecret ?? gatewaySecret,
    gatewaySecret,
    inferenceIngress:
      current &&
      new InferenceIngress(chart, 'InferenceIngress', { domain, secret: primarySecret!, ingressClassName: current.ingressClassName }),
    migrationInferenceIngress:
      added &&
      new InferenceIngress(chart, 'MigrationInferenceIngress', {
        name: `${INFERENCE_INGRESS_NAME}${added.nameSuffix}`,
        domain,
        secret: primarySecret!,
        ingressClassName: added.ingressClassName,
      }),
  };
}

/** The Services (and subdomain Ingresses) of `expose`, in config order, each as many times as there are controllers. */
export function exposedWorkloads(chart: RunaiAccessChart, props: RunaiAccessChartProps, mode: ClusterMode): ExposedWorkload[] {
  // Before any entry is built: two for one Service would make one construct id. An entry with
  // bad names is left out here and refused by its own ExposedWorkload.
  const clashes = exposeClashes((props.expose ?? []).map((e) => (exposeNamesValid(e) ? { ...e, type: e.type.name } : undefined)));
  if (clashes.length > 0) throw new ValidationError(clashes.map((b) => `${formatPath(['expose', ...b.path])}: ${b.message}`).join('; '));
  return (props.expose ?? []).map((e, i) => {
    try {
      // Namespace and workload are DNS labels, without dots: joined by one, the id is unique for
      // each Service (a hyphen would make runai-team-a/nb and runai-team/a-nb one id).
      return new ExposedWorkload(chart, `Expose-${e.namespace ?? projectNamespace(e.project)}.${e.workload}`, {
        ...e,
        clusterUrl: props.clusterUrl,
        ingressClassName: mode.ingressClassName,
        ingresses: mode.ingressSets,
      });
    } catch (err) {
      // Named as the chart's prop: the entry of expose at fault.
      throw err instanceof ValidationError ? new ValidationError(`expose[${i}]: ${err.message}`) : err;
    }
  });
}

/**
 * The Secret a TlsSource binds, its refusals named by the chart's prop (`tls: certificatePem: …`:
 * three props take a source); a subclass whose bind made none is refused (the wiring would be
 * left out without a word).
 */
export function bound(prop: string, bind: () => IRunaiTlsSecret | undefined): IRunaiTlsSecret {
  let secret: IRunaiTlsSecret | undefined;
  try {
    secret = bind();
  } catch (err) {
    throw err instanceof ValidationError ? new ValidationError(`${prop}: ${err.message}`) : err;
  }
  if (typeof secret?.name !== 'string' || typeof secret.namespace !== 'string') {
    throw new ValidationError(`${prop}: its TlsSource's bind() made no Secret (no name and namespace); it must return the Secret it makes`);
  }
  return secret;
}

import { Construct } from 'constructs';

import {
  Gateway,
  GatewaySpecListeners,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  GatewaySpecListenersTlsMode,
  HttpRoute,
  ReferenceGrant,
} from '../../imports/gateway.networking.k8s.io';
import { requireHost, wildcardHost } from '../model/cluster-url';
import { labelNameProblem, subdomainNameProblem } from '../model/dns-names';
import { ValidationError } from '../model/errors';
import {
  HTTP_LISTENER,
  HTTP_PORT,
  HTTPS_PORT,
  HTTPS_REDIRECT,
  INFERENCE_HTTPROUTE_NAME,
  INFERENCE_LISTENER,
  KNATIVE_NAMESPACE,
  KOURIER_SERVICE,
  NAMESPACE_NAME_LABEL,
  RUNAI_NAMESPACE,
  RUNAI_PROJECT_LABEL,
} from '../model/names';
import { ROUTE_NAMESPACES, RouteNamespaces } from '../model/routing';
import { sharedListenerHostMessage } from '../model/rules';
import { arrayOf, checkNames, checkPropTypes, oneOf, optional, PropKinds } from './prop-types';
import { IRunaiTlsSecret, requireSecretIn, TLS_SECRET_KINDS } from './tls-secret';

/** Props of {@link RunaiGateway}. */
export interface RunaiGatewayProps {
  readonly name: string;
  readonly namespace: string;
  /** The GatewayClass, such as kgateway. */
  readonly className: string;
  /** The cluster URL host. */
  readonly clusterUrl: string;
  /** The cluster's own certificate, for listener https-cluster-domain. */
  readonly clusterSecret: IRunaiTlsSecret;
  /**
   * The workspace wildcard certificate, for listener https-workloads (host routing).
   * @default - no https-workloads listener (path routing)
   */
  readonly workloadsSecret?: IRunaiTlsSecret;
  /**
   * Inference: its domain and wildcard certificate, for listener https-inference.
   * @default - no https-inference listener
   */
  readonly inference?: { readonly domain: string; readonly secret: IRunaiTlsSecret };
  /**
   * Which namespaces' HTTPRoutes the cluster URL and workspace listeners admit: `all`, or `runai`:
   * the cluster URL only from {@link RunaiGatewayProps.runaiNamespaces} (with host routing; with
   * path routing workspaces are routed there, so it admits all), the workspaces only from
   * namespaces with Run:ai's project label `runai/queue`. The inference listener always admits
   * only `knative-serving`, where its one route lives.
   * @default 'all': Run:ai's pages do not say in which namespaces its routes are
   */
  readonly routeNamespaces?: RouteNamespaces;
  /**
   * With `routeNamespaces: 'runai'`, the namespaces of Run:ai's routes for the cluster URL.
   * @default ['runai']
   */
  readonly runaiNamespaces?: readonly string[];
  /**
   * A plain-HTTP listener `http` on port 80 for every host, admitting only the namespace of
   * {@link HttpsRedirect}'s route, which answers with a redirect to https.
   * @default false: the Gateway serves HTTPS only, as Run:ai's page has it
   */
  readonly httpRedirect?: boolean;
}

type AllowedRoutes = NonNullable<GatewaySpecListeners['allowedRoutes']>;

/** A listener's allowedRoutes: HTTPRoutes only (Run:ai's pages name no other kind), from the namespaces given. */
function allowedRoutes(namespaces: AllowedRoutes['namespaces']): AllowedRoutes {
  return { kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }], namespaces };
}

const FROM_ALL = { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.ALL };

/** Namespaces by name, through the label the API server sets (which no one else can change). */
function namedNamespaces(names: readonly string[]): AllowedRoutes['namespaces'] {
  return {
    from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR,
    selector:
      names.length === 1
        ? { matchLabels: { [NAMESPACE_NAME_LABEL]: names[0] } }
        : { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...names] }] },
  };
}

/**
 * A `gateway.networking.k8s.io/v1` Gateway with HTTPS/443 Terminate listeners for the cluster
 * URL, the workspaces' `*.<clusterUrl>` and inference's `*.<domain>`. Each admits HTTPRoutes
 * only. The cluster URL and workspace listeners admit them from every namespace unless
 * `routeNamespaces` is `runai`: Run:ai's routes live in project namespaces, and the Gateway API
 * default admits only the Gateway's own. The inference listener admits `knative-serving` only.
 * Every Secret a listener refers to must be in the Gateway's namespace.
 */
export class RunaiGateway extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly resource: Gateway;
  /** The Secret each listener serves, by listener name, in listener order. */
  public readonly listenerSecrets: readonly { readonly listener: string; readonly secret: IRunaiTlsSecret }[];

  constructor(scope: Construct, id: string, props: RunaiGatewayProps) {
    super(scope, id);
    checkPropTypes(props, {
      name: 'string',
      namespace: 'string',
      className: 'string',
      clusterUrl: 'string',
      clusterSecret: TLS_SECRET_KINDS,
      workloadsSecret: optional(TLS_SECRET_KINDS),
      inference: optional({ domain: 'string', secret: TLS_SECRET_KINDS }),
      routeNamespaces: optional(oneOf(ROUTE_NAMESPACES)),
      runaiNamespaces: optional(arrayOf('string')),
      httpRedirect: optional('boolean'),
    } satisfies PropKinds<RunaiGatewayProps>);
    const host = requireHost('clusterUrl', props.clusterUrl);
    checkNames([
      ['name', props.name, labelNameProblem],
      ['namespace', props.namespace, labelNameProblem],
      ['className', props.className, subdomainNameProblem],
    ]);
    this.name = props.name;
    this.namespace = props.namespace;
    // Checked whether or not workspaces get a listener: its hostname is the domain's wildcard.
    const inferenceHost = props.inference ? requireHost('inference.domain', props.inference.domain) : undefined;
    if (props.workloadsSecret && inferenceHost === host) throw new ValidationError(`inference.domain: ${sharedListenerHostMessage(host)}`);
    const runaiOnly = props.routeNamespaces === 'runai';
    const runaiNamespaces = props.runaiNamespaces ?? [RUNAI_NAMESPACE];
    checkNames(runaiNamespaces.map((n) => ['runaiNamespaces', n, labelNameProblem] as const));
    type Listener = { name: string; hostname: string; secret: IRunaiTlsSecret; from: AllowedRoutes['namespaces'] };
    // With path routing, workspaces are routed on the cluster URL from their project namespaces.
    const clusterFrom = runaiOnly && props.workloadsSecret ? namedNamespaces(runaiNamespaces) : FROM_ALL;
    const listeners: Listener[] = [{ name: 'https-cluster-domain', hostname: host, secret: props.clusterSecret, from: clusterFrom }];
    if (props.workloadsSecret) {
      const projects = {
        from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR,
        selector: { matchExpressions: [{ key: RUNAI_PROJECT_LABEL, operator: 'Exists' }] },
      };
      listeners.push({
        name: 'https-workloads',
        hostname: wildcardHost(host),
        secret: props.workloadsSecret,
        from: runaiOnly ? projects : FROM_ALL,
      });
    }
    if (props.inference && inferenceHost) {
      // Its one route is InferenceHttpRoute's, in knative-serving: no other namespace has a reason to attach.
      const from = namedNamespaces([KNATIVE_NAMESPACE]);
      listeners.push({ name: INFERENCE_LISTENER, hostname: wildcardHost(inferenceHost), secret: props.inference.secret, from });
    }
    for (const l of listeners) requireSecretIn(l.name, l.secret, this.namespace, 'the gateway', 'a gateway listener');
    this.listenerSecrets = listeners.map((l) => ({ listener: l.name, secret: l.secret }));
    this.resource = new Gateway(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        gatewayClassName: props.className,
        listeners: [
          ...listeners.map((l) => ({
            name: l.name,
            hostname: l.hostname,
            port: HTTPS_PORT,
            protocol: 'HTTPS',
            tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ kind: 'Secret', name: l.secret.name }] },
            allowedRoutes: allowedRoutes(l.from),
          })),
          // Every host, from the one namespace whose one route redirects to https (HttpsRedirect).
          ...(props.httpRedirect
            ? [
                {
                  name: HTTP_LISTENER,
                  port: HTTP_PORT,
                  protocol: 'HTTP',
                  allowedRoutes: allowedRoutes(namedNamespaces([HTTPS_REDIRECT.namespace])),
                },
              ]
            : []),
        ],
      },
    });
  }
}

/** Props of {@link InferenceHttpRoute}. */
export interface InferenceHttpRouteProps {
  /** The Gateway the route attaches to: a {@link RunaiGateway}, or on OpenShift the one Run:ai's page names. */
  readonly gateway: { readonly name: string; readonly namespace: string };
  /**
   * The listener of the Gateway.
   * @default - none: any listener that admits the host (on OpenShift)
   */
  readonly sectionName?: string;
  /** The inference domain. */
  readonly domain: string;
  /**
   * The namespace of the Service `kourier`. Another than the route's gets a ReferenceGrant there,
   * which the Gateway API needs for a backend in another namespace.
   * @default 'knative-serving': the route's own, where the Knative Operator installs Kourier
   */
  readonly kourierNamespace?: string;
}

/**
 * The HTTPRoute `knative-serving-httproute` in `knative-serving`: `*.<domain>` to `kourier`:80
 * through a Gateway (its https-inference listener for a {@link RunaiGateway}).
 */
export class InferenceHttpRoute extends Construct {
  public readonly resource: HttpRoute;
  /** The Gateway the route attaches to. */
  public readonly gateway: { readonly name: string; readonly namespace: string };
  /** The ReferenceGrant that lets the route reach `kourier` in {@link InferenceHttpRouteProps.kourierNamespace}. */
  public readonly referenceGrant?: ReferenceGrant;

  constructor(scope: Construct, id: string, props: InferenceHttpRouteProps) {
    super(scope, id);
    checkPropTypes(props, {
      gateway: { name: 'string', namespace: 'string' },
      sectionName: optional('string'),
      domain: 'string',
      kourierNamespace: optional('string'),
    } satisfies PropKinds<InferenceHttpRouteProps>);
    const domain = requireHost('domain', props.domain, 'runai-inference.example.com');
    checkNames([
      ['gateway.name', props.gateway.name, labelNameProblem],
      ['gateway.namespace', props.gateway.namespace, labelNameProblem],
      // The Gateway API's SectionName: a DNS subdomain.
      ['sectionName', props.sectionName, subdomainNameProblem],
      ['kourierNamespace', props.kourierNamespace, labelNameProblem],
    ]);
    this.gateway = { name: props.gateway.name, namespace: props.gateway.namespace };
    const kourierNamespace = props.kourierNamespace ?? KNATIVE_NAMESPACE;
    const elsewhere = kourierNamespace !== KNATIVE_NAMESPACE;
    this.resource = new HttpRoute(this, 'Resource', {
      metadata: { name: INFERENCE_HTTPROUTE_NAME, namespace: KNATIVE_NAMESPACE },
      spec: {
        parentRefs: [{ name: props.gateway.name, namespace: props.gateway.namespace, sectionName: props.sectionName }],
        hostnames: [wildcardHost(domain)],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            backendRefs: [{ name: KOURIER_SERVICE.name, namespace: elsewhere ? kourierNamespace : undefined, port: KOURIER_SERVICE.port }],
          },
        ],
      },
    });
    if (elsewhere) {
      // ReferenceGrant is v1beta1 in every Gateway API release before 1.5 (v1 from 1.5.0), and
      // still served as v1beta1 by 1.5: the version every cluster with the Gateway API takes.
      this.referenceGrant = new ReferenceGrant(this, 'Grant', {
        metadata: { name: INFERENCE_HTTPROUTE_NAME, namespace: kourierNamespace },
        spec: {
          from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: KNATIVE_NAMESPACE }],
          to: [{ group: '', kind: 'Service', name: KOURIER_SERVICE.name }],
        },
      });
    }
  }
}

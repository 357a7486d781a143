import { Construct } from 'constructs';

import {
  Gateway,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  GatewaySpecListenersTlsMode,
  HttpRoute,
  ReferenceGrant,
} from '../../imports/gateway.networking.k8s.io';
import { requireHost, wildcardHost } from '../model/cluster-url';
import { ValidationError } from '../model/errors';
import {
  HTTPS_PORT,
  INFERENCE_HTTPROUTE_NAME,
  INFERENCE_LISTENER,
  KNATIVE_NAMESPACE,
  KOURIER_SERVICE,
  labelNameProblem,
  subdomainNameProblem,
} from '../model/names';
import { sharedListenerHostMessage } from '../model/rules';
import { checkNames, checkPropTypes, optional, PropKinds } from './prop-types';
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
}

/**
 * A `gateway.networking.k8s.io/v1` Gateway with HTTPS/443 Terminate listeners for the cluster
 * URL, the workspaces' `*.<clusterUrl>` and inference's `*.<domain>`. Each listener admits
 * routes from all namespaces (`allowedRoutes.namespaces.from: All`): Run:ai's routes live in
 * project namespaces, and the Gateway API default admits only the Gateway's own namespace.
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
    const listeners: [string, string, IRunaiTlsSecret][] = [['https-cluster-domain', host, props.clusterSecret]];
    if (props.workloadsSecret) listeners.push(['https-workloads', wildcardHost(host), props.workloadsSecret]);
    if (props.inference && inferenceHost) listeners.push([INFERENCE_LISTENER, wildcardHost(inferenceHost), props.inference.secret]);
    for (const [listener, , secret] of listeners) requireSecretIn(listener, secret, this.namespace, 'the gateway', 'a gateway listener');
    this.listenerSecrets = listeners.map(([listener, , secret]) => ({ listener, secret }));
    this.resource = new Gateway(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        gatewayClassName: props.className,
        listeners: listeners.map(([name, hostname, secret]) => ({
          name,
          hostname,
          port: HTTPS_PORT,
          protocol: 'HTTPS',
          tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ kind: 'Secret', name: secret.name }] },
          allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.ALL } },
        })),
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

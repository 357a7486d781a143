import { Chart } from 'cdk8s';
import { Construct } from 'constructs';

import { requireHost } from '../model/cluster-url';
import { ClusterMode, RunaiConfigVia } from '../model/mode';
import { CLUSTER_TLS_SECRET_NAME } from '../model/names';
import { IngressController, Platform, Routing, RoutingApi } from '../model/routing';
import { bound, exposedWorkloads, gatewayWiring, inferenceWiring, runaiSettings, wildcardWiring } from './chart-wiring';
import { ExposedWorkload } from './exposed-workload';
import { InferenceHttpRoute, RunaiGateway } from './gateway';
import { HttpsRedirect } from './https-redirect';
import { InferenceIngress } from './inference-ingress';
import { LegacyIngressTlsPatch } from './legacy-ingress-patch';
import { PrivateCaSecrets } from './private-ca';
import { checkChartPropTypes, RunaiAccessChartProps, validateProps } from './runai-access-chart-props';
import { RunaiConfigOverlay } from './runai-config-overlay';
import { RunaiHelmValues } from './runai-helm-values';
import { IRunaiTlsSecret } from './tls-secret';
import { TlsSource } from './tls-source';
import { WildcardIngress } from './wildcard-ingress';

export type { RunaiAccessChartProps } from './runai-access-chart-props';

export { INFERENCE_TLS_GATEWAY_ID } from './chart-wiring';

/**
 * Everything one cluster's routing needs: its TLS Secrets, the wildcard Ingress (or the legacy
 * patch, or a Gateway), inference routing, the RunaiConfig overlay and Helm values, private CA
 * Secrets and researchers' Services. The chart picks each Secret's namespace from the object
 * that serves it, so the two can never disagree.
 */
export class RunaiAccessChart extends Chart {
  public readonly clusterUrl: string;
  /** The inference domain, when `inference` is given. */
  public readonly inferenceDomain?: string;
  public readonly platform: Platform;
  public readonly routing: Routing;
  public readonly controller: IngressController;
  /** The wildcard Secret the ingress uses, emitted or existing; `undefined` without host routing on Kubernetes. */
  public readonly secret?: IRunaiTlsSecret;
  /** The dedicated Ingress (Run:ai 2.13 and later), else `undefined`. */
  public readonly ingress?: WildcardIngress;
  /** The wildcard Ingress of the controller a migration moves to, else `undefined`. */
  public readonly migrationIngress?: WildcardIngress;
  /** The inference Ingress of the controller a migration moves to, else `undefined`. */
  public readonly migrationInferenceIngress?: InferenceIngress;
  /** The self-hosted control plane's Helm values, with the Gateway API. */
  public readonly controlPlaneHelmValues?: RunaiHelmValues;
  /** The legacy patch (Run:ai 2.9–2.12), else `undefined`. */
  public readonly legacyPatch?: LegacyIngressTlsPatch;
  /** The RunaiConfig overlay, unless it goes by Helm values only or has nothing to say (`subdomainSupport` false, no class to tell). */
  public readonly overlay?: RunaiConfigOverlay;
  /** The Helm values fragment, when any setting goes by Helm values. */
  public readonly helmValues?: RunaiHelmValues;
  /** How the RunaiConfig settings reach the operator. */
  public readonly runaiConfigVia: RunaiConfigVia;
  /** The private CA Secrets, when a private CA is given. */
  public readonly privateCa?: PrivateCaSecrets;
  /** The cluster's own Secret, when `clusterTls` is given. */
  public readonly clusterSecret?: IRunaiTlsSecret;
  /** The inference Secret and Ingress, when `inference` is given. */
  public readonly inferenceSecret?: IRunaiTlsSecret;
  public readonly inferenceIngress?: InferenceIngress;
  public readonly exposure: RoutingApi;
  /** The cluster's mode, computed once from the props: what every consumer reads. */
  public readonly mode: ClusterMode;
  /** The Gateway and inference HTTPRoute, with `RoutingApi.GATEWAY_API`. */
  public readonly gateway?: RunaiGateway;
  public readonly inferenceRoute?: InferenceHttpRoute;
  /** With `gateway.httpRedirect`: the Namespace and HTTPRoute that redirect http:// to https://. */
  public readonly httpsRedirect?: HttpsRedirect;
  /** The TLS source, when the cluster has one. */
  public readonly tlsSource?: TlsSource;
  /** The exposed workloads, in config order. */
  public readonly exposed: readonly ExposedWorkload[];

  constructor(scope: Construct, id: string, props: RunaiAccessChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    checkChartPropTypes(props);
    // Checked in every mode: a path-routed or OpenShift chart puts it in no object, yet it names the cluster.
    this.clusterUrl = requireHost('clusterUrl', props.clusterUrl);
    // Checked here too: a TlsSource bound for it would blame its own prop (inference.tls).
    this.inferenceDomain = props.inference && requireHost('inference.domain', props.inference.domain, 'runai-inference.example.com');
    const mode = ClusterMode.of({
      platform: props.platform,
      routing: props.routing,
      api: props.exposure,
      controlPlane: props.deployment,
      runaiVersion: props.runaiVersion,
      controller: props.ingressController,
      gateway: props.gateway,
      ingressClassName: props.ingressClassName,
      runaiConfigVia: props.runaiConfigVia,
      migration: props.migration,
    });
    this.mode = mode;
    this.platform = mode.platform;
    this.routing = mode.routing;
    this.controller = mode.controller;
    this.exposure = mode.api;
    this.tlsSource = props.tls;
    validateProps(props, mode);
    const gw = mode.gateway && props.gateway;
    // The Gateway written: the cluster's, or the one a migration to the Gateway API adds.
    const routeGw = gw || (mode.migrationGateway && props.gateway);
    ({
      secret: this.secret,
      legacyPatch: this.legacyPatch,
      ingress: this.ingress,
      migrationIngress: this.migrationIngress,
    } = wildcardWiring(this, props, mode));
    const clusterTls = props.clusterTls;
    if (clusterTls) {
      this.clusterSecret = bound('clusterTls', () =>
        clusterTls.bind(this, {
          id: 'ClusterTls',
          name: CLUSTER_TLS_SECRET_NAME,
          namespace: mode.clusterSecretNamespace,
          clusterUrl: props.clusterUrl,
          dnsNames: [props.clusterUrl],
        }),
      );
    }
    const inference = inferenceWiring(this, props, mode, routeGw);
    ({
      inferenceSecret: this.inferenceSecret,
      inferenceIngress: this.inferenceIngress,
      migrationInferenceIngress: this.migrationInferenceIngress,
    } = inference);
    const gateway = routeGw && gatewayWiring(this, props, routeGw, { clusterSecret: this.clusterSecret, secret: this.secret, inference });
    this.gateway = gateway?.gateway;
    this.httpsRedirect = gateway?.httpsRedirect;
    // On OpenShift an HTTPRoute to the Gateway Run:ai names; else the route to our Gateway (never both: no gateway on OpenShift).
    this.inferenceRoute = inference.inferenceRoute ?? gateway?.inferenceRoute;
    if (props.privateCa) {
      this.privateCa = new PrivateCaSecrets(this, 'PrivateCa', {
        caPem: props.privateCa.caPem,
        deployment: mode.controlPlane,
        platform: this.platform,
      });
    }
    this.runaiConfigVia = mode.runaiConfigVia;
    ({
      overlay: this.overlay,
      helmValues: this.helmValues,
      controlPlaneHelmValues: this.controlPlaneHelmValues,
    } = runaiSettings(this, props, mode, routeGw));
    this.exposed = exposedWorkloads(this, props, mode);
  }
}

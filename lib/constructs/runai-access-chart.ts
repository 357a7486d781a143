import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { wildcardHost } from '../model/cluster-url';
import { Deployment } from '../model/control-plane';
import { ValidationError } from '../model/errors';
import { ExposedWorkload, ExposedWorkloadProps, ExposureType } from './exposed-workload';
import { InferenceHttpRoute, RunaiGateway } from './gateway';
import { InferenceIngress } from './inference-ingress';
import { LegacyIngressTlsPatch } from './legacy-ingress-patch';
import { PrivateCaSecrets } from './private-ca';
import { Exposure, IngressController, Platform, Routing } from '../model/routing';
import { RunaiConfigOverlay, RunaiHelmValues } from './runai-config-overlay';
import { RunaiVersion } from '../model/runai-version';
import { starTarget, TlsSource } from './tls-source';
import { WildcardIngress } from './wildcard-ingress';
import { IWildcardTlsSecret, WildcardTlsSecret } from './tls-secret';
import { CLUSTER_TLS_SECRET_NAME, INFERENCE_TLS_SECRET_NAME, KNATIVE_NAMESPACE, RUNAI_NAMESPACE } from '../model/names';

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
   * The ingress controller; sets the default IngressClass, and for controllers other than
   * ingress-nginx the overlay's `spec.global.ingress.ingressClass`.
   * @default IngressController.NGINX
   */
  readonly ingressController?: IngressController;
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
   * Inference serving: the `*.<domain>` Secret and the `knative-serving` Ingress to kourier.
   * @default - none
   */
  readonly inference?: { readonly domain: string; readonly tls: TlsSource };
  /**
   * Ingress objects, or a Gateway API Gateway (then `gateway` is required).
   * @default Exposure.INGRESS
   */
  readonly exposure?: Exposure;
  /**
   * The Gateway for `Exposure.GATEWAY_API`: its name, namespace (where every TLS Secret goes) and class.
   * @default - none
   */
  readonly gateway?: { readonly name: string; readonly namespace: string; readonly className: string };
  /**
   * Where the Run:ai control plane runs; decides the legacy ingress and namespace.
   * @default Deployment.SAAS
   */
  readonly deployment?: Deployment;
  /**
   * The Run:ai cluster version. Before 2.13 the existing ingress is patched instead of
   * creating the dedicated wildcard Ingress.
   * @default - a current Run:ai: the dedicated wildcard Ingress
   */
  readonly runaiVersion?: RunaiVersion;
  /**
   * `ingressClassName` of the wildcard Ingress; `null` leaves it out. Not allowed with the legacy patch.
   * @default - the controller's class (nginx, haproxy, traefik); required for OTHER
   */
  readonly ingressClassName?: string | null;
  /**
   * Extra annotations on the wildcard Ingress. Not allowed with the legacy patch.
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
   * @default 'overlay'
   */
  readonly runaiConfigVia?: 'overlay' | 'helm-values' | 'both';
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

/**
 * Everything one cluster's routing needs: its TLS Secrets, the wildcard Ingress (or the legacy
 * patch, or a Gateway), inference routing, the RunaiConfig overlay and Helm values, private CA
 * Secrets and researchers' Services. The chart picks each Secret's namespace from the object
 * that serves it, so the two can never disagree.
 */
export class RunaiAccessChart extends Chart {
  public readonly clusterUrl: string;
  public readonly platform: Platform;
  public readonly routing: Routing;
  public readonly controller: IngressController;
  /** The wildcard Secret the ingress uses, emitted or existing; `undefined` without host routing on Kubernetes. */
  public readonly secret?: IWildcardTlsSecret;
  /** The dedicated Ingress (Run:ai 2.13 and later), else `undefined`. */
  public readonly ingress?: WildcardIngress;
  /** The legacy patch (Run:ai 2.9–2.12), else `undefined`. */
  public readonly legacyPatch?: LegacyIngressTlsPatch;
  /** The RunaiConfig overlay, unless `subdomainSupport` is false or it goes by Helm values only. */
  public readonly overlay?: RunaiConfigOverlay;
  /** The Helm values fragment, when any setting goes by Helm values. */
  public readonly helmValues?: RunaiHelmValues;
  /** How the RunaiConfig settings reach the operator. */
  public readonly runaiConfigVia: 'overlay' | 'helm-values' | 'both';
  /** The private CA Secrets, when a private CA is given. */
  public readonly privateCa?: PrivateCaSecrets;
  /** The cluster's own Secret, when `clusterTls` is given. */
  public readonly clusterSecret?: IWildcardTlsSecret;
  /** The inference Secret and Ingress, when `inference` is given. */
  public readonly inferenceSecret?: IWildcardTlsSecret;
  public readonly inferenceIngress?: InferenceIngress;
  public readonly exposure: Exposure;
  /** The Gateway and inference HTTPRoute, with `Exposure.GATEWAY_API`. */
  public readonly gateway?: RunaiGateway;
  public readonly inferenceRoute?: InferenceHttpRoute;
  /** The TLS source, when the cluster has one. */
  public readonly tlsSource?: TlsSource;
  /** The exposed workloads, in config order. */
  public readonly exposed: readonly ExposedWorkload[];

  constructor(scope: Construct, id: string, props: RunaiAccessChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    this.clusterUrl = props.clusterUrl;
    const deployment = props.deployment ?? Deployment.SAAS;
    this.platform = props.platform ?? Platform.KUBERNETES;
    this.routing = props.routing ?? Routing.HOST;
    this.controller = props.ingressController ?? IngressController.NGINX;
    this.exposure = props.exposure ?? Exposure.INGRESS;
    this.tlsSource = props.tls;
    this.validateModes(props);
    const className = props.ingressClassName === undefined ? this.controller.defaultClassName ?? null : props.ingressClassName;
    const gw = this.exposure === Exposure.GATEWAY_API ? props.gateway : undefined;
    if (props.tls && gw) {
      this.secret = props.tls.bind(this, starTarget(gw.namespace, props.clusterUrl));
    } else if (props.tls && props.runaiVersion?.needsLegacyPatch) {
      if (props.ingressClassName !== undefined || props.ingressAnnotations !== undefined) {
        throw new ValidationError(`ingressClassName, ingressAnnotations: not used with runaiVersion "${props.runaiVersion.text}"; before 2.13 the existing ingress is patched`);
      }
      this.secret = props.tls.bind(this, starTarget(deployment.legacyNamespace, props.clusterUrl));
      this.legacyPatch = new LegacyIngressTlsPatch(this, 'LegacyIngressTls', { clusterUrl: props.clusterUrl, deployment, secret: this.secret });
    } else if (props.tls) {
      this.secret = props.tls.bind(this, starTarget(RUNAI_NAMESPACE, props.clusterUrl));
      this.ingress = new WildcardIngress(this, 'Ingress', {
        clusterUrl: props.clusterUrl,
        secret: this.secret,
        ingressClassName: className,
        annotations: props.ingressAnnotations,
      });
    }
    if (props.clusterTls) {
      this.clusterSecret = props.clusterTls.bind(this, {
        id: 'ClusterTls', name: CLUSTER_TLS_SECRET_NAME, namespace: gw?.namespace ?? RUNAI_NAMESPACE, clusterUrl: props.clusterUrl, dnsNames: [props.clusterUrl],
      });
    }
    if (props.inference) {
      const domain = props.inference.domain;
      this.inferenceSecret = props.inference.tls.bind(this, {
        id: 'InferenceTls', name: INFERENCE_TLS_SECRET_NAME, namespace: gw?.namespace ?? KNATIVE_NAMESPACE, clusterUrl: domain, dnsNames: [wildcardHost(domain)],
      });
      if (!gw) this.inferenceIngress = new InferenceIngress(this, 'InferenceIngress', { domain, secret: this.inferenceSecret, ingressClassName: className });
    }
    if (gw) {
      this.gateway = new RunaiGateway(this, 'Gateway', {
        ...gw,
        clusterUrl: props.clusterUrl,
        // Without clusterTls the cluster Secret is the one the Run:ai install created, under its standard name.
        clusterSecret: this.clusterSecret ?? WildcardTlsSecret.fromExisting(gw.namespace, CLUSTER_TLS_SECRET_NAME),
        workloadsSecret: this.secret,
        inference: props.inference && this.inferenceSecret && { domain: props.inference.domain, secret: this.inferenceSecret },
      });
      if (props.inference) this.inferenceRoute = new InferenceHttpRoute(this, 'InferenceRoute', { gateway: this.gateway, domain: props.inference.domain });
    }
    // Run:ai defaults to ingress-nginx; another controller's class must be named.
    const ingressClass = this.platform.ownsTls && !gw && this.controller !== IngressController.NGINX ? className ?? undefined : undefined;
    const via = props.runaiConfigVia ?? 'overlay';
    this.runaiConfigVia = via;
    if ((props.subdomainSupport ?? true) && via !== 'helm-values') {
      this.overlay = new RunaiConfigOverlay(this, 'RunaiConfig', { ...props.gitops, subdomainSupport: this.routing.subdomains, ingressClass });
    }
    if (props.privateCa) {
      this.privateCa = new PrivateCaSecrets(this, 'PrivateCa', { caPem: props.privateCa.caPem, deployment, platform: this.platform });
    }
    const values = this.helmValuesFor(props, gw, ingressClass);
    if (values) this.helmValues = new RunaiHelmValues(this, 'HelmValues', { values });
    this.exposed = (props.expose ?? []).map((e) => new ExposedWorkload(this, `Expose-${e.namespace ?? `runai-${e.project}`}-${e.workload}`, {
      ...e,
      clusterUrl: props.clusterUrl,
      ingressClassName: className,
    }));
  }

  /** Refuses props that cannot work together, with the prop, what was given and what is allowed. */
  private validateModes(props: RunaiAccessChartProps): void {
    const fail = (message: string) => { throw new ValidationError(message); };
    if (this.controller === IngressController.OTHER && !props.ingressClassName) {
      fail('ingressClassName: is required with ingressController OTHER; name the IngressClass your controller watches');
    }
    const wildcard = this.platform.ownsTls && this.routing.subdomains;
    if (wildcard && !props.tls) fail('tls: is required for host routing on Kubernetes: the wildcard certificate for *.<clusterUrl>');
    if (!wildcard && props.tls) {
      fail(`tls: not used ${this.platform.ownsTls ? 'with path routing, which needs no wildcard certificate' : 'on OpenShift, whose router serves TLS'}`);
    }
    if (!this.platform.ownsTls && (props.clusterTls || props.inference)) fail('clusterTls, inference: not used on OpenShift, whose router serves TLS');
    if (this.exposure === Exposure.GATEWAY_API) {
      if (!props.gateway) fail('gateway: is required with exposure GATEWAY_API: name, namespace and className');
      if (!this.platform.ownsTls) fail('exposure: GATEWAY_API is not used on OpenShift, whose router serves TLS');
      if (props.runaiVersion?.needsLegacyPatch) fail(`exposure: GATEWAY_API needs a current Run:ai, not "${props.runaiVersion.text}"`);
      if ((props.expose ?? []).some((e) => e.type === ExposureType.SUBDOMAIN)) {
        fail('expose: type subdomain creates an Ingress; with exposure GATEWAY_API use port-forward, node-port or load-balancer');
      }
    } else if (props.gateway) {
      fail('gateway: only used with exposure GATEWAY_API');
    }
  }

  /**
   * The Helm values the settings call for, or `undefined` when none does: Run:ai reads
   * `clusterConfig.global` (Gateway API, and the RunaiConfig settings when they go by Helm)
   * and `global.customCA` (a private CA).
   */
  private helmValuesFor(props: RunaiAccessChartProps, gw: RunaiAccessChartProps['gateway'], ingressClass: string | undefined) {
    const global: Record<string, unknown> = {};
    if (gw) {
      global.gatewayAPI = { enabled: true, name: gw.name, namespace: gw.namespace };
      global.ingress = { enabled: false };
    }
    if ((props.subdomainSupport ?? true) && (props.runaiConfigVia ?? 'overlay') !== 'overlay') {
      global.subdomainSupport = this.routing.subdomains;
      if (ingressClass) global.ingress = { ingressClass };
    }
    const values: Record<string, unknown> = {};
    if (Object.keys(global).length > 0) values.clusterConfig = { global };
    if (props.privateCa) values.global = { customCA: { enabled: true } };
    return Object.keys(values).length > 0 ? values : undefined;
  }
}

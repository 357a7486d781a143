import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Deployment } from './deployment';
import { ValidationError } from './errors';
import { ExposedWorkload, ExposedWorkloadProps } from './exposed-workload';
import { LegacyIngressTlsPatch } from './legacy-ingress-patch';
import { RunaiConfigOverlay, RunaiHelmValues } from './runai-config-overlay';
import { RunaiVersion } from './runai-version';
import { TlsSource } from './tls-source';
import { RUNAI_NAMESPACE, WildcardIngress } from './wildcard-ingress';
import { IWildcardTlsSecret } from './wildcard-tls-secret';

/** Props of {@link RunaiAccessChart}. */
export interface RunaiAccessChartProps {
  /** The cluster URL as a lower-case host name, `runai.example.com`. */
  readonly clusterUrl: string;
  /** Where the wildcard certificate comes from. */
  readonly tls: TlsSource;
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
   * @default 'nginx'
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
 * Everything one cluster needs for host-based routing. The chart picks one namespace for the
 * wildcard Secret and the ingress that serves it, so the two can never disagree.
 */
export class RunaiAccessChart extends Chart {
  public readonly clusterUrl: string;
  /** The wildcard Secret the ingress uses, emitted or existing. */
  public readonly secret: IWildcardTlsSecret;
  /** The dedicated Ingress (Run:ai 2.13 and later), else `undefined`. */
  public readonly ingress?: WildcardIngress;
  /** The legacy patch (Run:ai 2.9–2.12), else `undefined`. */
  public readonly legacyPatch?: LegacyIngressTlsPatch;
  /** The RunaiConfig overlay, unless `subdomainSupport` is false or it goes by Helm values only. */
  public readonly overlay?: RunaiConfigOverlay;
  /** The Helm values fragment, when `runaiConfigVia` asks for it. */
  public readonly helmValues?: RunaiHelmValues;
  /** The TLS source's kind, for the summary. */
  public readonly tlsSource: TlsSource;
  /** The exposed workloads, in config order. */
  public readonly exposed: readonly ExposedWorkload[];

  constructor(scope: Construct, id: string, props: RunaiAccessChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    this.clusterUrl = props.clusterUrl;
    const deployment = props.deployment ?? Deployment.SAAS;
    if (props.runaiVersion?.needsLegacyPatch) {
      if (props.ingressClassName !== undefined || props.ingressAnnotations !== undefined) {
        throw new ValidationError(`ingressClassName, ingressAnnotations: not used with runaiVersion "${props.runaiVersion.text}"; before 2.13 the existing ingress is patched`);
      }
      this.secret = props.tls.bind(this, deployment.legacyNamespace, props.clusterUrl);
      this.legacyPatch = new LegacyIngressTlsPatch(this, 'LegacyIngressTls', { clusterUrl: props.clusterUrl, deployment, secret: this.secret });
    } else {
      this.secret = props.tls.bind(this, RUNAI_NAMESPACE, props.clusterUrl);
      this.ingress = new WildcardIngress(this, 'Ingress', {
        clusterUrl: props.clusterUrl,
        secret: this.secret,
        ingressClassName: props.ingressClassName,
        annotations: props.ingressAnnotations,
      });
    }
    this.tlsSource = props.tls;
    if (props.subdomainSupport ?? true) {
      const via = props.runaiConfigVia ?? 'overlay';
      if (via !== 'helm-values') this.overlay = new RunaiConfigOverlay(this, 'RunaiConfig', { ...props.gitops });
      if (via !== 'overlay') this.helmValues = new RunaiHelmValues(this, 'HelmValues');
    }
    this.exposed = (props.expose ?? []).map((e) => new ExposedWorkload(this, `Expose-${e.namespace ?? `runai-${e.project}`}-${e.workload}`, {
      ...e,
      clusterUrl: props.clusterUrl,
      ingressClassName: props.ingressClassName,
    }));
  }
}

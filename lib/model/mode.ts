/**
 * A cluster's mode, computed once: how workspaces are reached (the wiring), where each TLS
 * Secret must live, which IngressClass every Ingress gets and what Run:ai must be told. The
 * config layer computes it for each `ClusterSpec` and the chart for its props, with this one
 * function; the summary, `validate` and `validate --json` read it from there.
 */
import { ControlPlane } from './control-plane';
import { KNATIVE_NAMESPACE, RUNAI_NAMESPACE } from './names';
import { IngressController, Platform, Routing, RoutingApi } from './routing';
import { RunaiVersion } from './runai-version';

/** How workspaces are reached, as `validate --json` names it. */
export type Wiring = 'openshift-router' | 'path-routing' | 'gateway-api' | 'legacy-patch' | 'dedicated-ingress';

/** The settings a mode is computed from; every field has the default of the config. */
export interface ModeProps {
  /** @default Platform.KUBERNETES */
  readonly platform?: Platform;
  /** @default Routing.HOST */
  readonly routing?: Routing;
  /** @default RoutingApi.INGRESS */
  readonly api?: RoutingApi;
  /** @default ControlPlane.SAAS */
  readonly controlPlane?: ControlPlane;
  /** @default - a current Run:ai */
  readonly runaiVersion?: RunaiVersion;
  /** @default IngressController.NGINX */
  readonly controller?: IngressController;
  /** The Gateway, used with `RoutingApi.GATEWAY_API`. @default - none */
  readonly gateway?: { readonly name: string; readonly namespace: string };
  /** The IngressClass given explicitly; `null` leaves it out. @default - the controller's class */
  readonly ingressClassName?: string | null;
}

export class ClusterMode {
  /** The mode of a cluster with these settings. */
  public static of(props: ModeProps = {}): ClusterMode {
    return new ClusterMode(props);
  }

  public readonly platform: Platform;
  public readonly routing: Routing;
  public readonly api: RoutingApi;
  public readonly controlPlane: ControlPlane;
  public readonly runaiVersion?: RunaiVersion;
  public readonly controller: IngressController;
  /** The Gateway traffic enters through, with the Gateway API; else `undefined`. */
  public readonly gateway?: { readonly name: string; readonly namespace: string };
  public readonly wiring: Wiring;
  /** `ingressClassName` of every Ingress written; `null` leaves it out. */
  public readonly ingressClassName: string | null;

  private constructor(props: ModeProps) {
    this.platform = props.platform ?? Platform.KUBERNETES;
    this.routing = props.routing ?? Routing.HOST;
    this.api = props.api ?? RoutingApi.INGRESS;
    this.controlPlane = props.controlPlane ?? ControlPlane.SAAS;
    this.runaiVersion = props.runaiVersion;
    this.controller = props.controller ?? IngressController.NGINX;
    this.gateway = this.api === RoutingApi.GATEWAY_API ? props.gateway : undefined;
    this.ingressClassName = props.ingressClassName === undefined ? (this.controller.defaultClassName ?? null) : props.ingressClassName;
    this.wiring = !this.platform.ownsTls
      ? 'openshift-router'
      : !this.routing.subdomains
        ? 'path-routing'
        : this.gateway
          ? 'gateway-api'
          : this.runaiVersion?.needsLegacyPatch
            ? 'legacy-patch'
            : 'dedicated-ingress';
  }

  /** True when the cluster needs the `*.<clusterUrl>` certificate: host routing on Kubernetes. */
  public get needsWildcardCertificate(): boolean {
    return this.platform.ownsTls && this.routing.subdomains;
  }

  /** True for Run:ai 2.9–2.12, whose existing ingress is patched. */
  public get legacy(): boolean {
    return this.runaiVersion?.needsLegacyPatch ?? false;
  }

  /** Where the wildcard Secret must be: the namespace of the Gateway, the patched ingress or the dedicated Ingress. */
  public get starSecretNamespace(): string {
    if (this.gateway) return this.gateway.namespace;
    return this.legacy ? this.controlPlane.legacyNamespace : RUNAI_NAMESPACE;
  }

  /** Where the cluster's own Secret must be. */
  public get clusterSecretNamespace(): string {
    return this.gateway?.namespace ?? RUNAI_NAMESPACE;
  }

  /** Where the inference Secret must be: the Gateway's namespace, or Knative's with its Ingress. */
  public get inferenceSecretNamespace(): string {
    return this.gateway?.namespace ?? KNATIVE_NAMESPACE;
  }

  /**
   * The IngressClass Run:ai itself must be told (`spec.global.ingress.ingressClass`), or
   * `undefined` when its default (ingress-nginx) applies or no Ingress serves workspaces.
   */
  public get runaiIngressClass(): string | undefined {
    return this.platform.ownsTls && !this.gateway && this.controller !== IngressController.NGINX
      ? (this.ingressClassName ?? undefined)
      : undefined;
  }

  /** The workspace URL pattern. */
  public workspaceUrl(clusterUrl: string): string {
    return this.wiring === 'path-routing' ? `https://${clusterUrl}/<project>/<workload>` : `https://<project>-<workload>.${clusterUrl}/`;
  }

  /** How workspaces are reached, in a few words, for the synth summary. */
  public get summaryText(): string {
    switch (this.wiring) {
      case 'openshift-router':
        return 'OpenShift router';
      case 'path-routing':
        return 'path routing';
      case 'gateway-api':
        return `Gateway API: ${this.gateway!.namespace}/${this.gateway!.name}`;
      case 'legacy-patch':
        return 'Run:ai 2.9-2.12: patch of the existing ingress';
      default:
        return 'dedicated wildcard Ingress';
    }
  }

  /** How workspaces are reached, for the `validate` report. */
  public get reportText(): string {
    const version = this.runaiVersion ? `Run:ai ${this.runaiVersion.text}: ` : '';
    switch (this.wiring) {
      case 'openshift-router':
      case 'path-routing':
        return `${this.platform.name}, ${this.routing.name} routing`;
      case 'gateway-api':
        return `Gateway API ${this.gateway!.namespace}/${this.gateway!.name}`;
      case 'legacy-patch':
        return `${version}patch of ${this.controlPlane.legacyIngressName}`;
      default:
        return `${version}dedicated wildcard Ingress`;
    }
  }
}

/**
 * A cluster's mode, computed once: how workspaces are reached (the wiring), where each TLS
 * Secret must live, which IngressClass every Ingress gets and what Run:ai must be told. The
 * config layer computes it for each `ClusterSpec` and the chart for its props, with this one
 * function; the summary, `validate` and `validate --json` read it from there.
 */
import { ControlPlane } from './control-plane';
import { Migration } from './migration';
import { KNATIVE_NAMESPACE, RUNAI_NAMESPACE, workspaceHost } from './names';
import { ProfileChoice, profileFor, ReleaseProfile } from './release-profiles';
import { IngressController, Platform, Routing, RoutingApi } from './routing';
import { RunaiVersion } from './runai-version';

/** A default the release profile chose, for the summary and `validate`. */
export interface ProfileDefault {
  /** The config key: `ingress.controller`, `ingress.className`, `runaiConfig.via`. */
  readonly setting: string;
  readonly value: string;
}

/** How the RunaiConfig settings reach the operator, as the config names it. */
export const RUNAI_CONFIG_VIAS = ['overlay', 'helm-values', 'both'] as const;
export type RunaiConfigVia = (typeof RUNAI_CONFIG_VIAS)[number];

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
  /** @default - the profile of `runaiVersion` (see `profileFor`) */
  readonly profile?: ProfileChoice;
  /** @default - the profile's controller (HAProxy for Run:ai 2.25 and without a version; ingress-nginx before) */
  readonly controller?: IngressController;
  /** How settings reach Run:ai. @default - the profile's (`helm-values` for 2.25, `overlay` before) */
  readonly runaiConfigVia?: RunaiConfigVia;
  /** A phased move off the current controller. @default - none */
  readonly migration?: Migration;
  /** The Gateway, used with `RoutingApi.GATEWAY_API` or a migration to it. @default - none */
  readonly gateway?: { readonly name: string; readonly namespace: string };
  /** The IngressClass given explicitly; `null` leaves it out. @default - the controller's class */
  readonly ingressClassName?: string | null;
}

/** Ingresses written for one controller: see `ClusterMode.ingressSets`. */
export interface IngressSet {
  /** True for the current controller's; false for the one a migration adds. */
  readonly current: boolean;
  /** Appended to every Ingress name of the set: `''`, or `-haproxy` during a migration to haproxy. */
  readonly nameSuffix: string;
  /** The IngressClass of every Ingress of the set; `null` leaves the class out. */
  readonly ingressClassName: string | null;
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
  /** The release profile whose defaults apply, and why it was chosen. */
  public readonly profileChoice: ProfileChoice;
  public readonly controller: IngressController;
  /** How settings reach Run:ai: the RunaiConfig overlay, the Helm values, or both. */
  public readonly runaiConfigVia: RunaiConfigVia;
  /** The phased move off the current controller, when one is under way on Kubernetes with Ingress. */
  public readonly migration?: Migration;
  /** The Gateway a migration to the Gateway API adds (phases 1-3); else `undefined`. */
  public readonly migrationGateway?: { readonly name: string; readonly namespace: string };
  /** The defaults the profile chose, in config terms; settings given explicitly are not listed. */
  public readonly profileDefaults: readonly ProfileDefault[];
  /** The Gateway traffic enters through, with the Gateway API; else `undefined`. */
  public readonly gateway?: { readonly name: string; readonly namespace: string };
  public readonly wiring: Wiring;
  /** `ingressClassName` of every Ingress written; `null` leaves it out. */
  public readonly ingressClassName: string | null;
  /**
   * True when `ingress.controller` and `className` act: Ingresses on Kubernetes from Run:ai 2.13
   * (the wildcard Ingress with host routing; Run:ai's own class and the inference Ingress with either routing).
   */
  public readonly usesIngressClass: boolean;

  private constructor(props: ModeProps) {
    this.platform = props.platform ?? Platform.KUBERNETES;
    this.routing = props.routing ?? Routing.HOST;
    this.api = props.api ?? RoutingApi.INGRESS;
    this.controlPlane = props.controlPlane ?? ControlPlane.SAAS;
    this.runaiVersion = props.runaiVersion;
    this.profileChoice = props.profile ?? profileFor(props.runaiVersion);
    const profile = this.profileChoice.profile;
    this.controller = props.controller ?? profile.controller;
    this.runaiConfigVia = props.runaiConfigVia ?? profile.runaiConfigVia;
    this.gateway = this.api === RoutingApi.GATEWAY_API ? props.gateway : undefined;
    this.ingressClassName = props.ingressClassName === undefined ? (this.controller.defaultClassName ?? null) : props.ingressClassName;
    const ingressWorld = this.platform.ownsTls && this.api === RoutingApi.INGRESS && !this.runaiVersion?.needsLegacyPatch;
    this.usesIngressClass = ingressWorld;
    this.migration = ingressWorld ? props.migration : undefined;
    this.migrationGateway = this.migration?.to === 'gateway-api' ? props.gateway : undefined;
    const defaults: ProfileDefault[] = [];
    if (ingressWorld) {
      if (!props.controller) defaults.push({ setting: 'ingress.controller', value: this.controller.name });
      if (props.ingressClassName === undefined && this.ingressClassName)
        defaults.push({ setting: 'ingress.className', value: this.ingressClassName });
    }
    if (!props.runaiConfigVia) defaults.push({ setting: 'runaiConfig.via', value: this.runaiConfigVia });
    this.profileDefaults = defaults;
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

  /**
   * True when workspaces get `https://<project>-<workload>.<clusterUrl>/`: host routing, on any
   * platform. It is the value of Run:ai's `spec.global.subdomainSupport`, and it needs the
   * `*.<clusterUrl>` DNS record.
   */
  public get hostUrls(): boolean {
    return this.routing.subdomains;
  }

  /** True when the cluster needs the `*.<clusterUrl>` certificate: host routing on Kubernetes. */
  public get needsWildcardCertificate(): boolean {
    return this.platform.ownsTls && this.hostUrls;
  }

  /**
   * True for a Run:ai release of 2.9–2.12, whose own ingress is patched: the release, on every
   * platform and routing (`wiring` is `legacy-patch` only with host routing on Kubernetes).
   */
  public get legacyRelease(): boolean {
    return this.runaiVersion?.needsLegacyPatch ?? false;
  }

  /** Where the wildcard Secret must be: the namespace of the Gateway, the patched ingress or the dedicated Ingress. */
  public get starSecretNamespace(): string {
    if (this.gateway) return this.gateway.namespace;
    return this.legacyRelease ? this.controlPlane.legacyNamespace : RUNAI_NAMESPACE;
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
   * Every namespace the inference Secret is read in: the Gateway's, Knative's (for its Ingress),
   * or both during phases 1 and 2 of a migration to the Gateway API.
   */
  public get inferenceSecretNamespaces(): readonly string[] {
    const moving = this.gateway ? undefined : this.migrationGateway;
    if (!moving) return [this.inferenceSecretNamespace];
    return this.migration!.keepsCurrent ? [KNATIVE_NAMESPACE, moving.namespace] : [moving.namespace];
  }

  /** The release profile whose defaults apply. */
  public get profile(): ReleaseProfile {
    return this.profileChoice.profile;
  }

  /** True when the cluster runs ingress-nginx, set or defaulted, with no migration off it under way. */
  public get onRetiredController(): boolean {
    return this.platform.ownsTls && this.api === RoutingApi.INGRESS && this.controller === IngressController.NGINX && !this.migration;
  }

  /** The IngressClass of the Ingresses a migration to haproxy or traefik adds; else `undefined`. */
  public get migrationIngressClassName(): string | undefined {
    return this.migration?.ingressClassName;
  }

  /**
   * The sets of Ingresses the cluster's objects are written for, each wildcard, inference and
   * `expose` Ingress once per set: the current controller's (named as they are, until phase 3 of
   * a migration) and a migration's new controller's (named with its suffix, from phase 1); a
   * migration to the Gateway API adds no set (its Gateway serves). Whether the mode writes
   * Ingresses at all (not with the Gateway API alone) is the wiring's to say.
   */
  public get ingressSets(): readonly IngressSet[] {
    const migration = this.migration;
    const newClass = this.migrationIngressClassName;
    return [
      ...((migration?.keepsCurrent ?? true) ? [{ current: true, nameSuffix: '', ingressClassName: this.ingressClassName }] : []),
      ...(migration && newClass ? [{ current: false, nameSuffix: migration.nameSuffix, ingressClassName: newClass }] : []),
    ];
  }

  /**
   * The set of Ingresses that serves the workspace and inference hosts now: the current
   * controller's, and from phase 2 of a migration (Run:ai told, DNS moved) the new one's;
   * `undefined` from phase 2 of a migration to the Gateway API.
   */
  public get servingIngressSet(): IngressSet | undefined {
    const switched = this.migration?.runaiSwitched ?? false;
    return this.ingressSets.find((s) => s.current !== switched);
  }

  /**
   * The Gateway that serves the workspace and inference hosts now: the cluster's with the Gateway
   * API, and from phase 2 of a migration to it (Run:ai told, DNS moved) the migration's.
   */
  public get servingGateway(): { readonly name: string; readonly namespace: string } | undefined {
    return this.gateway ?? (this.migration?.runaiSwitched ? this.migrationGateway : undefined);
  }

  /**
   * The IngressClass Run:ai itself must be told (`spec.global.ingress.ingressClass`), or
   * `undefined` when the class Run:ai assumes in this release applies or no Ingress serves
   * workspaces. From phase 2 of a migration to haproxy or traefik, the new class.
   */
  public get runaiIngressClass(): string | undefined {
    if (!this.platform.ownsTls || this.gateway) return undefined;
    if (this.migration?.runaiSwitched && this.migrationIngressClassName) return this.migrationIngressClassName;
    const className = this.ingressClassName ?? undefined;
    // During a move to another controller the current class is stated too, so a rollback to phase 1 restores it.
    if (this.migrationIngressClassName) return className;
    return className !== this.profile.runaiAssumedClass ? className : undefined;
  }

  /** The profile line of the summary and `validate`: which profile, why, and each default it chose. */
  public get profileText(): string {
    // In phase 3 no object written has the current controller's class: its defaults read as what the move left.
    const left = this.migration && !this.migration.keepsCurrent;
    const defaults = this.profileDefaults
      .map(
        (d) => `${d.setting} ${d.value}${left && d.setting.startsWith('ingress.') ? ' (migrated from; no Ingress written uses it)' : ''}`,
      )
      .join(', ');
    const note = this.profileChoice.note ? `; ${this.profileChoice.note}` : '';
    return `Run:ai profile ${this.profile.id} (${this.profileChoice.reason})${defaults ? `; defaults: ${defaults}` : ''}${note}`;
  }

  /** The workspace URL pattern. */
  public workspaceUrl(clusterUrl: string): string {
    return this.hostUrls
      ? `https://${workspaceHost('<project>', '<workload>', clusterUrl)}/`
      : `https://${clusterUrl}/<project>/<workload>`;
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
        return this.migratedGateway ? `Gateway API: ${this.migratedGateway}` : 'dedicated wildcard Ingress';
    }
  }

  /** `namespace/name` of the Gateway that phase 3 of a migration to the Gateway API writes alone; else `undefined`. */
  private get migratedGateway(): string | undefined {
    const gateway = this.migration && !this.migration.keepsCurrent ? this.migrationGateway : undefined;
    return gateway ? `${gateway.namespace}/${gateway.name}` : undefined;
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
        return this.migratedGateway ? `${version}Gateway API ${this.migratedGateway}` : `${version}dedicated wildcard Ingress`;
    }
  }
}

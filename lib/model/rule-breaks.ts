/**
 * What the rule tables (model/rules.ts, model/migration-rules.ts) share: the input they read, how
 * they record a broken rule, the context every group of rules gets, and a message two tables give.
 */
import { shown } from './errors';
import { GATEWAY_API_SINCE, ReleaseProfile } from './release-profiles';
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
  /** `migration.to`, when a migration is given. */
  readonly migrationTo?: string;
  /** `migration.className`, the new controller's class. */
  readonly migrationClassName?: string;
  /** The Gateway's namespace, when given. */
  readonly gatewayNamespace?: string;
  /** `gateway.routeNamespaces`, when given. */
  readonly gatewayRouteNamespaces?: string;
  /** Which optional settings are given. */
  readonly given: {
    readonly tls: boolean;
    readonly ingress: boolean;
    /**
     * `ingress.annotations` is given, not empty (the only `ingress` setting path routing has no use for).
     * @default false
     */
    readonly ingressAnnotations?: boolean;
    readonly clusterTls: boolean;
    readonly inference: boolean;
    /** `inference.tls` is given. */
    readonly inferenceTls: boolean;
    /** `inference.gateway` is given. */
    readonly inferenceGateway: boolean;
    readonly gateway: boolean;
    readonly migration: boolean;
  };
  /** The `type` of each `expose` entry, in order. */
  readonly exposeTypes: readonly unknown[];
  /**
   * The `namespace` and `project` of each `expose` entry, in order, as given.
   * @default - none: the namespaces are not checked
   */
  readonly exposeNamespaces?: readonly { readonly namespace?: string; readonly project?: string; readonly workload?: string }[];
  /**
   * True with `deployment: self-hosted`, whose control plane is in runai-backend.
   * @default false
   */
  readonly selfHosted?: boolean;
  /**
   * The cluster's host and the inference domain, as given (a URL form is read as the host).
   * @default - not compared
   */
  readonly domains?: { readonly clusterUrl?: string; readonly inference?: string };
  /**
   * Given with `output: {kustomization: true}` (a config setting; the chart writes no
   * kustomization): the TLS settings whose source is `files` and whose plaintext-key Secret the
   * generated .gitignore keeps out of git (no `commitPlaintextKey: true`), such as `clusterTls`.
   */
  readonly kustomization?: { readonly ignoredKeyTls: readonly string[] };
}

/** A broken rule: the setting at fault (in config terms) and what is allowed. */
export interface RuleBreak {
  /** The config path under the cluster: `['tls']`, `['ingress', 'className']`, `['expose', 2, 'type']`. */
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** True when the fix is to remove the setting: each layer appends `; remove <its name>`. */
  readonly remove?: boolean;
}

/** A list of broken rules and `at`, which adds one by its path, then its message: how each rule table records them. */
export function ruleBreaks(): { breaks: RuleBreak[]; at: (...path: (string | number)[]) => (message: string) => void } {
  const breaks: RuleBreak[] = [];
  return {
    breaks,
    at:
      (...path) =>
      (message) =>
        void breaks.push({ path, message }),
  };
}

/** How a rule table records what it finds: `at(...path)(message)`. */
export type At = ReturnType<typeof ruleBreaks>['at'];

/** What every group of rules reads: the input, how to record, and the facts several groups test. */
export interface RuleContext {
  readonly input: RuleInput;
  readonly at: At;
  /** Records a setting that is not used, and why: the fix is to remove it. */
  readonly unused: (key: string, why: string) => void;
  /** The release profile of `input.runaiVersion` (the newest without one). */
  readonly profile: ReleaseProfile;
  readonly openshift: boolean;
  readonly pathRouting: boolean;
  readonly gatewayApi: boolean;
  /** The indexes of the `expose` entries of type subdomain. */
  readonly subdomains: readonly number[];
}

/**
 * Run:ai routes through a Gateway only from 2.25 (What's New in 2.25: the Gateway API "from cluster
 * v2.25 onward"); an older Run:ai would not create its HTTPRoutes, while the values written for it
 * switch its Ingress off.
 */
export function gatewayApiTooOld(version: RunaiVersion): string {
  return `gateway-api needs Run:ai ${GATEWAY_API_SINCE.text} or later, whose docs describe it, not runaiVersion ${shown(version.text)}`;
}

/**
 * The rules about which settings go together, written once. The config layer reports a broken
 * rule as `file: clusters[i].<path>: message`; the chart throws it as a `ValidationError` for
 * library users, naming its own props instead of config keys (see `RuleBreak.path`).
 */
import { parseClusterUrl } from './cluster-url';
import { shown, ValidationError } from './errors';
import { CLASS_WITH_GATEWAY_API, MIGRATION_TARGETS } from './migration';
import {
  OPENSHIFT_DEFAULT_GATEWAY_TEXT,
  projectNamespace,
  reservedNamespaceMessage,
  reservedNamespaceOwner,
  RUNAI_NAMESPACE,
  workspaceHostLengthProblem,
  workspaceLabelProblem,
} from './names';
import { GATEWAY_API_SINCE, profileFor } from './release-profiles';
import { INGRESS_CONTROLLER_NAMES, IngressController, IngressControllerName, Platform, Routing, RoutingApi } from './routing';
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

/**
 * Why an inference domain cannot be `host`, the cluster's own, with the Gateway API: the Gateway's
 * workspace and inference listeners would share port, protocol and hostname.
 */
export function sharedListenerHostMessage(host: string): string {
  return (
    `is the cluster's own host ${host}; with the Gateway API inference needs a domain of its own, such as ` +
    `runai-inference.${host}: the Gateway's workspace and inference listeners would share port, protocol and ` +
    'hostname, which the Gateway API refuses'
  );
}

/** How a rule table records what it finds: `at(...path)(message)`. */
type At = ReturnType<typeof ruleBreaks>['at'];

/** What every group of rules reads: the input, how to record, and the facts several groups test. */
interface RuleContext {
  readonly input: RuleInput;
  readonly at: At;
  /** Records a setting that is not used, and why: the fix is to remove it. */
  readonly unused: (key: string, why: string) => void;
  readonly openshift: boolean;
  readonly path: boolean;
  readonly gatewayApi: boolean;
  /** The indexes of the `expose` entries of type subdomain. */
  readonly subdomains: readonly number[];
}

/** Every rule broken by `input`, in a stable order. */
export function brokenRules(input: RuleInput): RuleBreak[] {
  // A JavaScript caller's input, checked where the rules would fail on it with a TypeError.
  const given = (input as Partial<RuleInput> | undefined)?.given;
  if (typeof given !== 'object' || given === null || !Array.isArray(input.exposeTypes))
    throw new ValidationError(
      'brokenRules: input must be a RuleInput: an object with given (which settings are given) and exposeTypes (a list)',
    );
  const { breaks, at } = ruleBreaks();
  const r: RuleContext = {
    input,
    at,
    unused: (key, why) => breaks.push({ path: key.split('.'), message: `is not used ${why}`, remove: true }),
    openshift: input.platform === Platform.OPENSHIFT.name,
    path: input.routing === Routing.PATH.name,
    gatewayApi: input.exposure === RoutingApi.GATEWAY_API.name,
    subdomains: input.exposeTypes.flatMap((type, j) => (type === 'subdomain' ? [j] : [])),
  };
  platformRules(r);
  gatewayApiRules(r);
  if (input.given.migration) migrationRules(input, at, r.subdomains);
  hostRules(r);
  exposeNamespaceRules(r);
  ingressRules(r);
  kustomizationRule(input, at);
  return breaks;
}

/** What OpenShift and path routing leave out, what a certificate needs, and where a subdomain expose cannot go. */
function platformRules({ input, at, unused, openshift, path, gatewayApi, subdomains }: RuleContext): void {
  const { given } = input;
  if (openshift || path) {
    const why = openshift
      ? 'on OpenShift, whose router serves TLS and routes'
      : 'with routing: path, which needs no wildcard certificate or Ingress';
    if (given.tls) unused('tls', why);
    if (given.ingress) unused('ingress', why);
    if (openshift && given.clusterTls) unused('clusterTls', why);
    if (openshift && given.inference && !gatewayApi)
      at('inference')(
        `on OpenShift goes through a Gateway (inference.gateway, default ${OPENSHIFT_DEFAULT_GATEWAY_TEXT}): ` +
          'set exposure: gateway-api, or remove inference',
      );
    if (openshift && given.inference && given.inferenceTls)
      unused('inference.tls', "on OpenShift, where the inference route's Gateway serves the inference domain's TLS");
  } else if (!given.tls) {
    at('tls')(
      'is required: where the wildcard certificate comes from ({source: files, certFile, keyFile}, {source: cert-manager, issuerRef}, ...)',
    );
  }
  if (!openshift && given.inferenceGateway)
    unused(
      'inference.gateway',
      'on Kubernetes, where the inference route attaches to the Gateway of gateway (or inference has an Ingress)',
    );
  if (!openshift && given.inference && !given.inferenceTls)
    at('inference', 'tls')('is required on Kubernetes: the *.<domain> certificate ({source: files, certFile, keyFile}, ...)');
  if (path)
    for (const j of subdomains) at('expose', j, 'type')('subdomain needs routing: host; use port-forward, node-port or load-balancer');
  else if (openshift)
    for (const j of subdomains)
      at(
        'expose',
        j,
        'type',
      )(
        'subdomain writes an Ingress, and on OpenShift its router serves routes, so runai-access writes no Ingress there; ' +
          'use port-forward, node-port or load-balancer',
      );
}

/** `exposure: gateway-api` and its `gateway`; a `gateway` without it. */
function gatewayApiRules({ input, at, unused, openshift, path, gatewayApi, subdomains }: RuleContext): void {
  const { given } = input;
  if (gatewayApi) {
    if (!given.gateway && !openshift) at('gateway')('is required with exposure: gateway-api: {name, namespace, className}');
    if (openshift && given.gateway)
      unused(
        'gateway',
        `on OpenShift, where inference goes through the Gateway of inference.gateway (default ${OPENSHIFT_DEFAULT_GATEWAY_TEXT})`,
      );
    if (given.ingress && !openshift && !path) unused('ingress', 'with exposure: gateway-api, which creates no Ingress');
    if (!profileFor(input.runaiVersion).profile.gatewayApi) at('exposure')(gatewayApiTooOld(input.runaiVersion!));
    if (!path)
      for (const j of subdomains)
        at('expose', j, 'type')('subdomain creates an Ingress; with exposure: gateway-api use port-forward, node-port or load-balancer');
  } else if (given.gateway && input.migrationTo !== 'gateway-api') {
    at('gateway')('is only used with exposure: gateway-api or migration: {to: gateway-api}; set one or remove gateway');
  }
  if (path && input.gatewayRouteNamespaces === 'runai')
    unused(
      'gateway.routeNamespaces',
      'with routing: path, where workspaces are routed on the cluster URL from their project namespaces, so it admits every namespace',
    );
}

/** The hosts a Gateway's listeners and a subdomain expose would serve. */
function hostRules({ input, at, gatewayApi, subdomains }: RuleContext): void {
  const host = (url: string | undefined) => {
    const parsed = url === undefined ? undefined : parseClusterUrl(url);
    return parsed?.ok ? parsed.host : undefined;
  };
  // A Gateway (exposure gateway-api, or a migration to it) gets a listener for *.<clusterUrl> and
  // one for *.<inference domain>: the Gateway API refuses two with one port, protocol and hostname.
  const inferenceHost = host(input.domains?.inference);
  const clusterHost = host(input.domains?.clusterUrl);
  const gateway = gatewayApi || input.migrationTo === 'gateway-api';
  if (gateway && inferenceHost !== undefined && inferenceHost === clusterHost)
    at('inference', 'domain')(sharedListenerHostMessage(inferenceHost));
  (input.exposeNamespaces ?? []).forEach((e, j) => {
    if (!subdomains.includes(j) || clusterHost === undefined || e.project === undefined || e.workload === undefined) return;
    if (workspaceLabelProblem(e.project, e.workload)) return; // the entry's own rule says it
    const tooLong = workspaceHostLengthProblem(e.project, e.workload, clusterHost);
    if (tooLong) at('expose', j, 'workload')(`${tooLong}; use a shorter project or workload name`);
  });
}

/** An expose's namespace must not be one whose objects Run:ai (or its control plane) owns. */
function exposeNamespaceRules({ input, at }: RuleContext): void {
  (input.exposeNamespaces ?? []).forEach((e, j) => {
    const namespace = e.namespace ?? (e.project === undefined ? undefined : projectNamespace(e.project));
    const owner = namespace === undefined ? undefined : reservedNamespaceOwner(namespace, input.selfHosted ?? false);
    if (!owner) return;
    const replaced = `which holds ${owner}: an object of the same name would replace one of them`;
    if (e.namespace !== undefined) at('expose', j, 'namespace')(reservedNamespaceMessage(e.namespace, owner));
    else at('expose', j, 'project')(`makes the namespace ${namespace} (runai-<project>), ${replaced}; set namespace to the project's own`);
  });
}

/** `ingress` settings: a class for controller other; none with the legacy patch. */
function ingressRules({ input, at, unused }: RuleContext): void {
  if (input.controller === IngressController.OTHER.name && (input.ingressClassName === undefined || input.ingressClassName === null)) {
    at('ingress', 'className')('is required with controller: other; name the IngressClass your controller watches');
  }
  if ((input.runaiVersion?.needsLegacyPatch ?? false) && input.given.ingress) {
    unused(
      'ingress',
      `with runaiVersion ${shown(input.runaiVersion!.text)}: before 2.13 the existing ingress is patched and no wildcard Ingress is created`,
    );
  }
}

/**
 * A kustomization must build in a fresh clone: it cannot list a plaintext-key Secret that the
 * generated .gitignore keeps out of git.
 */
function kustomizationRule(input: RuleInput, at: At): void {
  const kustomization = input.kustomization;
  if (!kustomization || kustomization.ignoredKeyTls.length === 0) return;
  const settings = kustomization.ignoredKeyTls;
  at(
    'output',
    'kustomization',
  )(
    `cannot list the plaintext-key Secret of ${settings.join(', ')} (source: files), which the ` +
      `generated .gitignore keeps out of git: kubectl kustomize would fail in a clone; use ` +
      `another tls source (sealed-secret, external-secret, cert-manager, existing), set ` +
      `commitPlaintextKey: true in ${settings.length === 1 ? settings[0] : 'each'} for a repository that is itself secret, or leave ` +
      'kustomization off and apply with kubectl apply -f (with Flux delivery, only while the cluster writes no Helm values file)',
  );
}

/**
 * Run:ai routes through a Gateway only from 2.25 (What's New in 2.25: the Gateway API "from cluster
 * v2.25 onward"); an older Run:ai would not create its HTTPRoutes, while the values written for it
 * switch its Ingress off.
 */
function gatewayApiTooOld(version: RunaiVersion): string {
  return `gateway-api needs Run:ai ${GATEWAY_API_SINCE.text} or later, whose docs describe it, not runaiVersion ${shown(version.text)}`;
}

function isControllerName(name: string | undefined): name is IngressControllerName {
  return (INGRESS_CONTROLLER_NAMES as readonly string[]).includes(name ?? '');
}

/** The rules of `migration: {to, phase}`: a move off the current controller of an Ingress cluster. */
function migrationRules(input: RuleInput, at: At, subdomains: readonly number[]): void {
  const to = input.migrationTo;
  // A migration refused as a whole is not judged further: its target and gateway would only add noise.
  if (input.platform === Platform.OPENSHIFT.name)
    return at('migration')('is not used on OpenShift, whose router serves TLS and routes; remove migration');
  if (input.exposure === RoutingApi.GATEWAY_API.name)
    return at('migration')('is not used with exposure: gateway-api, which already is the destination; remove migration');
  if (input.runaiVersion?.needsLegacyPatch)
    return at('migration')(
      `needs Run:ai 2.13 or later (a dedicated wildcard Ingress), not runaiVersion ${shown(input.runaiVersion.text)}; upgrade Run:ai first`,
    );
  const current = input.controller ?? profileFor(input.runaiVersion).profile.controller.name;
  // A target that is no migration target at all (nginx) is the schema's one line: not judged further.
  if (to !== undefined && !(MIGRATION_TARGETS as readonly string[]).includes(to)) return;
  if (to !== undefined && to === current) {
    const fix =
      input.controller === undefined
        ? `(ingress.controller is not set: ${current} is the default of Run:ai profile ${profileFor(input.runaiVersion).profile.id}); ` +
          'set ingress.controller to the controller the cluster runs, or remove migration'
        : '(ingress.controller); remove migration';
    at('migration', 'to')(`${shown(to)} is already the controller of this cluster ${fix}`);
  } else if (isControllerName(to) && isControllerName(current)) {
    // The new Ingresses take the new controller's class (migration.className); the current ones keep theirs.
    const given = input.migrationClassName;
    const newClass = given ?? IngressController.of(to).defaultClassName;
    const currentClass = input.ingressClassName === undefined ? IngressController.of(current).defaultClassName : input.ingressClassName;
    const fix =
      given === undefined
        ? "ingress.className to the current controller's class"
        : 'migration.className to the class the new controller watches';
    if (newClass !== undefined && newClass === currentClass)
      at(
        'migration',
        given === undefined ? 'to' : 'className',
      )(
        `${to}'s Ingresses get the class ${newClass}, which the current ones already have (ingress.className): one controller ` +
          `would serve both copies of every Ingress; if ${to} already serves this cluster, set ingress.controller: ${to} and ` +
          `remove migration, else set ${fix}`,
      );
  }
  if (to === 'gateway-api') {
    if (input.migrationClassName !== undefined) at('migration', 'className')(CLASS_WITH_GATEWAY_API);
    if (input.runaiVersion && !input.runaiVersion.needsLegacyPatch && !profileFor(input.runaiVersion).profile.gatewayApi)
      at('migration', 'to')(`${gatewayApiTooOld(input.runaiVersion)}; upgrade Run:ai first, or migrate to an ingress controller`);
    if (!input.given.gateway) at('gateway')('is required with migration: {to: gateway-api}: {name, namespace: runai, className}');
    else if (input.gatewayNamespace !== undefined && input.gatewayNamespace !== RUNAI_NAMESPACE)
      at(
        'gateway',
        'namespace',
      )(
        `must be ${RUNAI_NAMESPACE} during a migration, so that the Gateway and the current ` +
          `Ingress serve the same certificate Secrets (Run:ai's example Gateway is in ` +
          `${RUNAI_NAMESPACE})`,
      );
    for (const j of subdomains)
      at(
        'expose',
        j,
        'type',
      )('subdomain creates an Ingress, which phase 3 of migration to gateway-api removes; use port-forward, node-port or load-balancer');
  }
}

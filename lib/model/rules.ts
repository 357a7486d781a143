/**
 * The rules about which settings go together, written once. The config layer reports a broken
 * rule as `file: clusters[i].<path>: message`; the chart throws it as a `ValidationError` for
 * library users, naming its own props instead of config keys (see `RuleBreak.path`).
 */
import { parseClusterUrl } from './cluster-url';
import { shown, ValidationError } from './errors';
import { migrationRules } from './migration-rules';
import {
  clusterUrlRoomProblem,
  OPENSHIFT_DEFAULT_GATEWAY_TEXT,
  projectNamespace,
  reservedNamespaceClause,
  reservedNamespaceMessage,
  reservedNamespaceOwner,
  workspaceHostLengthProblem,
  workspaceLabelProblem,
} from './names';
import { profileFor } from './release-profiles';
import { IngressController, Platform, Routing, RoutingApi } from './routing';
import { gatewayApiTooOld, RuleBreak, ruleBreaks, RuleContext, RuleInput } from './rule-breaks';
import { RunaiVersion } from './runai-version';

/**
 * Why an inference domain cannot be `host`, the cluster's own, with the Gateway API: the Gateway's
 * workspace and inference listeners would share port, protocol and hostname.
 */
export function sharedListenerHostMessage(host: string): string {
  // The example only where it would be taken: under a long host it would be too long a name.
  const example = parseClusterUrl(`runai-inference.${host}`).ok ? `, such as runai-inference.${host}` : '';
  return (
    `is the cluster's own host ${host}; with the Gateway API inference needs a domain of its own${example}: ` +
    "the Gateway's workspace and inference listeners would share port, protocol and hostname, which the Gateway API refuses"
  );
}

/** Every rule broken by `input`, in a stable order. */
export function brokenRules(input: RuleInput): RuleBreak[] {
  // A JavaScript caller's input, checked where the rules would fail on it with a TypeError.
  const given = (input as Partial<RuleInput> | undefined)?.given;
  if (typeof given !== 'object' || given === null || !Array.isArray(input.exposeTypes))
    throw new ValidationError(
      'brokenRules: input must be a RuleInput: an object with given (which settings are given) and exposeTypes (a list)',
    );
  // A version as text would pass every rule of its release unread (RunaiVersion.parse reads it).
  if (input.runaiVersion !== undefined && !(input.runaiVersion instanceof RunaiVersion))
    throw new ValidationError('brokenRules: runaiVersion must be a RunaiVersion (RunaiVersion.parse("2.20")), or left out');
  const { breaks, at } = ruleBreaks();
  const r: RuleContext = {
    input,
    at,
    unused: (key, why) => breaks.push({ path: key.split('.'), message: `is not used ${why}`, remove: true }),
    profile: profileFor(input.runaiVersion).profile,
    openshift: input.platform === Platform.OPENSHIFT.name,
    pathRouting: input.routing === Routing.PATH.name,
    gatewayApi: input.exposure === RoutingApi.GATEWAY_API.name,
    subdomains: input.exposeTypes.flatMap((type, j) => (type === 'subdomain' ? [j] : [])),
  };
  platformRules(r);
  gatewayApiRules(r);
  if (input.given.migration) migrationRules(r);
  hostRules(r);
  exposeNamespaceRules(r);
  ingressRules(r);
  kustomizationRule(r);
  return breaks;
}

/** What OpenShift and path routing leave out, what a certificate needs, and where a subdomain expose cannot go. */
function platformRules({ input, at, unused, openshift, pathRouting, gatewayApi, subdomains }: RuleContext): void {
  const { given } = input;
  if (openshift || pathRouting) {
    const why = openshift
      ? 'on OpenShift, whose router serves TLS and routes'
      : 'with routing: path, which needs no wildcard certificate or Ingress';
    if (given.tls) unused('tls', why);
    // With path routing on Kubernetes and Ingresses, the controller and class still say which
    // class Run:ai's own Ingresses and the inference Ingress use; only the wildcard Ingress's
    // annotations have nothing to act on. (The Gateway API and a legacy release refuse all of ingress.)
    if (openshift && given.ingress) unused('ingress', why);
    else if (given.ingressAnnotations && !gatewayApi && !input.runaiVersion?.needsLegacyPatch)
      unused(
        'ingress.annotations',
        'with routing: path, which writes no wildcard Ingress for them to act on (controller and className set the class ' +
          'Run:ai and the inference Ingress use)',
      );
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
  if (pathRouting)
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
function gatewayApiRules({ input, at, unused, profile, openshift, pathRouting, gatewayApi, subdomains }: RuleContext): void {
  const { given } = input;
  if (gatewayApi) {
    if (!given.gateway && !openshift) at('gateway')('is required with exposure: gateway-api: {name, namespace, className}');
    if (openshift && given.gateway)
      unused(
        'gateway',
        `on OpenShift, where inference goes through the Gateway of inference.gateway (default ${OPENSHIFT_DEFAULT_GATEWAY_TEXT})`,
      );
    if (given.ingress && !openshift) unused('ingress', 'with exposure: gateway-api, which creates no Ingress');
    if (!profile.gatewayApi) at('exposure')(gatewayApiTooOld(input.runaiVersion!));
    if (!pathRouting)
      for (const j of subdomains)
        at('expose', j, 'type')('subdomain creates an Ingress; with exposure: gateway-api use port-forward, node-port or load-balancer');
  } else if (given.gateway && input.migrationTo !== 'gateway-api') {
    at('gateway')('is only used with exposure: gateway-api or migration: {to: gateway-api}; set one or remove gateway');
  }
  if (pathRouting && input.gatewayRouteNamespaces === 'runai')
    unused(
      'gateway.routeNamespaces',
      'with routing: path, where workspaces are routed on the cluster URL from their project namespaces, so it admits every namespace',
    );
}

/** The hosts a Gateway's listeners, the workspaces (routing: host) and a subdomain expose would serve. */
function hostRules({ input, at, gatewayApi, pathRouting, subdomains }: RuleContext): void {
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
  const noRoom = clusterHost === undefined || pathRouting ? undefined : clusterUrlRoomProblem(clusterHost);
  if (noRoom) return at('clusterUrl')(noRoom); // no project or workload name would fit, so no expose is blamed
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
    if (e.namespace !== undefined) at('expose', j, 'namespace')(reservedNamespaceMessage(e.namespace, owner));
    else
      at(
        'expose',
        j,
        'project',
      )(`makes the namespace ${namespace} (runai-<project>), ${reservedNamespaceClause(owner)}; set namespace to the project's own`);
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
function kustomizationRule({ input, at }: RuleContext): void {
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

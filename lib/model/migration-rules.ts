/**
 * The rules of `migration: {to, phase}`: a move off the current controller of an Ingress cluster,
 * to another controller or to the Gateway API, in phases (README "Leaving ingress-nginx").
 */
import { shown } from './errors';
import { CLASS_WITH_GATEWAY_API, MIGRATION_TARGETS } from './migration';
import { RUNAI_NAMESPACE } from './names';
import { INGRESS_CONTROLLER_NAMES, IngressController, IngressControllerName, Platform, RoutingApi } from './routing';
import { gatewayApiTooOld, RuleContext } from './rule-breaks';

function isControllerName(name: string | undefined): name is IngressControllerName {
  return (INGRESS_CONTROLLER_NAMES as readonly string[]).includes(name ?? '');
}

/** The rules of `migration: {to, phase}`: a move off the current controller of an Ingress cluster. */
export function migrationRules({ input, at, profile, subdomains }: RuleContext): void {
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
  const current = input.controller ?? profile.controller.name;
  // A target that is no migration target at all (nginx) is the schema's one line: not judged further.
  if (to !== undefined && !(MIGRATION_TARGETS as readonly string[]).includes(to)) return;
  if (to !== undefined && to === current) {
    const fix =
      input.controller === undefined
        ? `(ingress.controller is not set: ${current} is the default of Run:ai profile ${profile.id}); ` +
          'set ingress.controller to the controller the migration leaves, or, once it is done (phase 3 applied), remove migration'
        : '(ingress.controller); remove migration';
    at('migration', 'to')(`${shown(to)} is already the controller of this cluster ${fix}`);
  } else if (isControllerName(to) && isControllerName(current)) {
    // The new Ingresses take the new controller's class (migration.className); the current ones keep theirs.
    const givenClass = input.migrationClassName;
    const newClass = givenClass ?? IngressController.of(to).defaultClassName;
    const currentClass = input.ingressClassName === undefined ? IngressController.of(current).defaultClassName : input.ingressClassName;
    const fix =
      givenClass === undefined
        ? "ingress.className to the current controller's class"
        : 'migration.className to the class the new controller watches';
    if (newClass !== undefined && newClass === currentClass)
      at(
        'migration',
        givenClass === undefined ? 'to' : 'className',
      )(
        `${to}'s Ingresses get the class ${newClass}, which the current ones already have (ingress.className): one controller ` +
          `would serve both copies of every Ingress; if ${to} already serves this cluster, set ingress.controller: ${to} and ` +
          `remove migration, else set ${fix}`,
      );
  }
  if (to === 'gateway-api') {
    if (input.migrationClassName !== undefined) at('migration', 'className')(CLASS_WITH_GATEWAY_API);
    if (input.runaiVersion && !input.runaiVersion.needsLegacyPatch && !profile.gatewayApi)
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

/**
 * The Helm values a cluster's settings call for: the Run:ai cluster release's
 * (`clusterConfig.global`, `global.customCA`) and a self-hosted control plane's
 * (`global.gatewayAPI`, `global.ingress`). Sources: Run:ai 2.25's cluster-config page and its
 * Gateway API page (https://run-ai-docs.nvidia.com/self-hosted/infrastructure-setup/advanced-setup/kubernetes-gateway-api).
 */
import { ControlPlane } from '../model/control-plane';
import { ClusterMode } from '../model/mode';

/** A Gateway's name and namespace. */
type GatewayRef = { readonly name: string; readonly namespace: string } | undefined;

/**
 * What Run:ai is told about the Gateway API, or `undefined` for nothing: enabled with its
 * ingress disabled at once with `exposure: gateway-api`; with a migration, explicitly disabled
 * in phase 1, enabled beside ingress in phase 2, and ingress disabled only in phase 3 (Run:ai's
 * Gateway API page: disable ingress after DNS has moved). Each phase states every value, so
 * that `helm upgrade --reuse-values -f` with the previous phase's file rolls back.
 */
function gatewayState(mode: ClusterMode, gw: GatewayRef): { enabled: boolean; ingressEnabled?: boolean } | undefined {
  if (!gw) return undefined;
  if (mode.gateway) return { enabled: true, ingressEnabled: false };
  const phase = mode.migration?.phase;
  if (phase === undefined) return undefined;
  return phase === 1 ? { enabled: false } : { enabled: true, ingressEnabled: phase === 2 };
}

/**
 * The cluster release's values, or `undefined` when none is called for: the Gateway API
 * settings, the RunaiConfig settings when they go by Helm (`runaiSettings`), and
 * `global.customCA` for a private CA.
 */
export function clusterValues(
  mode: ClusterMode,
  gw: GatewayRef,
  opts: { readonly runaiSettings: boolean; readonly subdomainSupport: boolean; readonly privateCa: boolean },
): Record<string, unknown> | undefined {
  const global: Record<string, unknown> = {};
  const gateway = gatewayState(mode, gw);
  if (gateway) global.gatewayAPI = gateway.enabled ? { enabled: true, name: gw!.name, namespace: gw!.namespace } : { enabled: false };
  if (gateway?.ingressEnabled !== undefined) global.ingress = { enabled: gateway.ingressEnabled };
  if (opts.runaiSettings) {
    if (opts.subdomainSupport) global.subdomainSupport = mode.routing.subdomains;
    // Merged: a migration to the Gateway API also sets ingress.enabled.
    const ingressClass = mode.runaiIngressClass;
    if (ingressClass) global.ingress = { ...(global.ingress as object | undefined), ingressClass };
  }
  const values: Record<string, unknown> = {};
  if (Object.keys(global).length > 0) values.clusterConfig = { global };
  if (opts.privateCa) values.global = { customCA: { enabled: true } };
  return Object.keys(values).length > 0 ? values : undefined;
}

/**
 * The class the control plane's values state for its own Ingress during a move to another ingress
 * controller, where the release's docs set it by Helm (Run:ai 2.25's upgrade page: the control
 * plane first, then the cluster). Outside a migration the summary only notes it: the control plane
 * may run on another cluster, and one runai-backend may serve clusters of several controllers.
 */
export function controlPlaneIngressClass(mode: ClusterMode): string | undefined {
  const moving = mode.controlPlane === ControlPlane.SELF_HOSTED && mode.migrationIngressClassName !== undefined;
  return moving && mode.profile.controlPlaneIngressClass ? mode.runaiIngressClass : undefined;
}

/**
 * The self-hosted control plane's values, `undefined` for SaaS or when there is nothing to tell it:
 * with the Gateway API `global.gatewayAPI.enabled`, `parentRefs[0].{name,namespace}` and
 * `global.ingress.enabled` (Run:ai's Gateway API page, "Configure the NVIDIA Run:ai Control
 * Plane"); and the class its own Ingress (runai-backend) goes through, the cluster's, where the
 * release's docs set it so (`global.ingress.ingressClass`: Run:ai 2.25's upgrade page switches the
 * control plane to HAProxy first, then the cluster).
 */
export function controlPlaneValues(mode: ClusterMode, gw: GatewayRef): Record<string, unknown> | undefined {
  if (mode.controlPlane !== ControlPlane.SELF_HOSTED) return undefined;
  const global: Record<string, unknown> = {};
  const gateway = gatewayState(mode, gw);
  if (gateway) {
    global.gatewayAPI = gateway.enabled
      ? { enabled: true, parentRefs: [{ name: gw!.name, namespace: gw!.namespace }] }
      : { enabled: false };
    if (gateway.ingressEnabled !== undefined) global.ingress = { enabled: gateway.ingressEnabled };
  }
  const ingressClass = controlPlaneIngressClass(mode);
  if (ingressClass) global.ingress = { ...(global.ingress as object | undefined), ingressClass };
  return Object.keys(global).length > 0 ? { global } : undefined;
}

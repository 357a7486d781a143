/**
 * doctor's `kube.gateway-routes`: with the Gateway API, whether the HTTPRoutes that name the
 * Gateway are Accepted by it. A route its listeners do not admit (`NotAllowedByListeners`), or
 * one no controller has looked at, is not served, and nothing else in the cluster says so.
 */
import { someOf } from '../model/list-text';
import { KNATIVE_NAMESPACE, RUNAI_PROJECT_LABEL } from '../model/names';
import { RouteNamespaces } from '../model/routing';
import { CheckResult, fail, pass } from './check';
import type { Read } from './cluster-reads';
import { gatewayId, GATEWAYS, INSTALL_GATEWAY_API } from './gateway-status';
import { field, list, text } from './json-fields';
import { accessFix, failureText } from './kubectl';

/** A Gateway, by namespace and name. */
export interface GatewayRef {
  readonly namespace: string;
  readonly name: string;
}

/** An HTTPRoute that names the Gateway, and what the Gateway's controller said of it. */
export interface AttachedRoute {
  /** `namespace/name`. */
  readonly id: string;
  /** The Accepted condition the route's status holds for this Gateway; `undefined` when none (not processed). */
  readonly accepted?: { readonly status?: string; readonly reason?: string };
}

/** The resource, with its group: `httproute` alone may name another API's kind. */
export const HTTPROUTES = 'httproutes.gateway.networking.k8s.io';

/** A parentRef (of the spec or of a status entry) that names this Gateway: kind Gateway by default, in the route's namespace by default. */
function namesGateway(ref: unknown, routeNamespace: string | undefined, gw: GatewayRef): boolean {
  const kind = text(field(ref, 'kind')) ?? 'Gateway';
  const group = text(field(ref, 'group')) ?? 'gateway.networking.k8s.io';
  const namespace = text(field(ref, 'namespace')) ?? routeNamespace;
  return kind === 'Gateway' && group === 'gateway.networking.k8s.io' && text(field(ref, 'name')) === gw.name && namespace === gw.namespace;
}

/** The routes of a `kubectl get httproutes -A -o json` list that name the Gateway. */
export function attachedRoutes(items: readonly unknown[], gw: GatewayRef): AttachedRoute[] {
  return items.flatMap((route) => {
    const namespace = text(field(field(route, 'metadata'), 'namespace'));
    if (!list(field(field(route, 'spec'), 'parentRefs')).some((ref) => namesGateway(ref, namespace, gw))) return [];
    // A route may name the Gateway more than once (one entry per listener): each entry counts.
    const verdicts = list(field(field(route, 'status'), 'parents'))
      .filter((p) => namesGateway(field(p, 'parentRef'), namespace, gw))
      .map((p) => {
        const condition = list(field(p, 'conditions')).find((c) => text(field(c, 'type')) === 'Accepted');
        return condition === undefined ? undefined : { status: text(field(condition, 'status')), reason: text(field(condition, 'reason')) };
      });
    const refused = verdicts.find((v) => v?.status === 'False');
    const allAccepted = verdicts.length > 0 && verdicts.every((v) => v?.status === 'True');
    const accepted = refused ?? (allAccepted ? verdicts[0] : verdicts.find((v) => v !== undefined && v.status !== 'True'));
    const id = `${namespace ?? '?'}/${text(field(field(route, 'metadata'), 'name')) ?? '?'}`;
    return [{ id, accepted }];
  });
}

/** At most this many routes are named in a line; the rest are counted. */
const SHOWN = 5;

function named(routes: readonly AttachedRoute[], why: (r: AttachedRoute) => string): string {
  return someOf(
    routes.map((r) => `${r.id}${why(r)}`),
    SHOWN,
  );
}

/** What the routes' status says: all Accepted, some refused, some not processed, or none at all. */
export function gatewayRoutesCheck(
  r: Read<readonly AttachedRoute[]>,
  c: {
    readonly gateway: GatewayRef;
    readonly routeNamespaces: RouteNamespaces;
    /** The namespaces `routeNamespaces: runai` admits on the cluster URL. */
    readonly runaiNamespaces: readonly string[];
    readonly outDir: string;
    readonly kubeMs: number;
  },
): CheckResult {
  const id = gatewayId(c.gateway);
  if (!r.value) {
    const f = r.failure ?? 'error';
    const fix = f === 'no-resource-type' ? INSTALL_GATEWAY_API : (accessFix(f) ?? `run kubectl get ${HTTPROUTES} -A yourself to see why`);
    return fail('kube.gateway-routes', failureText('the HTTPRoutes', f, r.waitedMs ?? c.kubeMs), fix);
  }
  const routes = r.value;
  if (routes.length === 0) {
    return fail(
      'kube.gateway-routes',
      `no HTTPRoute names ${id}`,
      `apply ${c.outDir}/ and its Helm values: Run:ai makes its routes once gatewayAPI.enabled is true`,
    );
  }
  const refused = routes.filter((x) => x.accepted?.status === 'False');
  if (refused.length > 0) {
    const byListeners = refused.some((x) => x.accepted?.reason === 'NotAllowedByListeners');
    const fix = !byListeners
      ? `kubectl describe ${HTTPROUTES} -n <namespace> <name> shows why`
      : c.routeNamespaces === 'runai'
        ? `with gateway.routeNamespaces: runai the cluster URL admits only ${c.runaiNamespaces.join(' and ')}, the workspace hosts ` +
          `namespaces labelled ${RUNAI_PROJECT_LABEL} and the inference hosts ${KNATIVE_NAMESPACE}: label a project's namespace ` +
          `(kubectl label ns <namespace> ${RUNAI_PROJECT_LABEL}=<project>), or set routeNamespaces: all, synth and apply`
        : `apply ${c.outDir}/: its Gateway admits every namespace, but on the inference hosts only ${KNATIVE_NAMESPACE}`;
    return fail(
      'kube.gateway-routes',
      `${id} refuses ${refused.length} of ${routes.length} HTTPRoutes: ${named(refused, (x) => ` (${x.accepted?.reason ?? 'no reason'})`)}`,
      fix,
    );
  }
  const waiting = routes.filter((x) => x.accepted?.status !== 'True');
  if (waiting.length > 0) {
    return fail(
      'kube.gateway-routes',
      `no controller has accepted ${waiting.length} of the ${routes.length} HTTPRoutes that name ${id}: ${named(waiting, () => '')}`,
      `check that the Gateway's GatewayClass exists and its controller runs: ` +
        `kubectl get ${GATEWAYS} -n ${c.gateway.namespace} ${c.gateway.name} -o yaml`,
    );
  }
  const namespaces = new Set(routes.map((x) => x.id.split('/')[0]));
  return pass('kube.gateway-routes', `${id} accepts all ${routes.length} HTTPRoutes that name it, from ${namespaces.size} namespaces`);
}

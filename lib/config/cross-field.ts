/**
 * The config's checks that span several fields, on the raw YAML value (schema.ts checks each
 * field): unique cluster names, and the rules of `brokenRules` that config and chart share.
 */
import { ControlPlane } from '../model/control-plane';
import { shown } from '../model/errors';
import { RuleInput } from '../model/rule-breaks';
import { brokenRules } from '../model/rules';
import { RunaiVersion } from '../model/runai-version';
/**
 * Checks that span several fields: unique names, and the rules of `brokenRules` (one table
 * for config and chart). They run on the raw YAML value, whether or not the schema accepted
 * it, so that they are reported together with every other problem.
 */
export function crossFieldIssues(raw: unknown): { path: (string | number)[]; message: string }[] {
  const clusters = (raw as { clusters?: unknown } | null)?.clusters;
  if (!Array.isArray(clusters)) return [];
  const issues: { path: (string | number)[]; message: string }[] = [];
  const seen = new Map<string, number>();
  clusters.forEach((c: unknown, i) => {
    if (!c || typeof c !== 'object') return;
    const cluster = c as Record<string, unknown>;
    if (typeof cluster.name === 'string') {
      const first = seen.get(cluster.name);
      if (first === undefined) seen.set(cluster.name, i);
      else
        issues.push({
          path: ['clusters', i, 'name'],
          message: `${shown(cluster.name)} is already the name of clusters[${first}]; names must be unique`,
        });
    }
    for (const b of brokenRules(ruleInput(cluster))) {
      issues.push({ path: ['clusters', i, ...b.path], message: b.remove ? `${b.message}; remove ${b.path.join('.')}` : b.message });
    }
  });
  return issues;
}

/** What the rules need of a raw cluster entry, read tolerantly: the schema reports wrong types. */
function ruleInput(c: Record<string, unknown>): RuleInput {
  const ingress = c.ingress && typeof c.ingress === 'object' ? (c.ingress as Record<string, unknown>) : undefined;
  const version =
    typeof c.runaiVersion === 'string' && !RunaiVersion.check(c.runaiVersion) ? RunaiVersion.parse(c.runaiVersion) : undefined;
  const name = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const className = ingress?.className;
  const migration = c.migration && typeof c.migration === 'object' ? (c.migration as Record<string, unknown>) : undefined;
  const gateway = c.gateway && typeof c.gateway === 'object' ? (c.gateway as Record<string, unknown>) : undefined;
  return {
    platform: name(c.platform),
    routing: name(c.routing),
    exposure: name(c.exposure),
    runaiVersion: version,
    controller: name(ingress?.controller),
    ingressClassName: className === undefined || className === null ? className : String(className),
    migrationTo: name(migration?.to),
    migrationClassName: name(migration?.className),
    gatewayNamespace: name(gateway?.namespace),
    gatewayRouteNamespaces: name(gateway?.routeNamespaces),
    given: {
      tls: c.tls !== undefined,
      ingress: c.ingress !== undefined,
      // An empty mapping asks for nothing (the bundled example has one): it is not refused.
      ingressAnnotations: nonEmpty(ingress?.annotations),
      clusterTls: c.clusterTls !== undefined,
      inference: c.inference !== undefined,
      inferenceTls: !!c.inference && typeof c.inference === 'object' && (c.inference as Record<string, unknown>).tls !== undefined,
      inferenceGateway: field(c.inference, 'gateway') !== undefined,
      gateway: c.gateway !== undefined,
      migration: c.migration !== undefined,
    },
    exposeTypes: Array.isArray(c.expose)
      ? c.expose.map((e: unknown) => (e && typeof e === 'object' ? (e as { type?: unknown }).type : undefined))
      : [],
    exposeNamespaces: Array.isArray(c.expose)
      ? c.expose.map((e: unknown) => ({
          namespace: name(field(e, 'namespace')),
          project: name(field(e, 'project')),
          workload: name(field(e, 'workload')),
        }))
      : [],
    selfHosted: c.deployment === ControlPlane.SELF_HOSTED.name,
    domains: { clusterUrl: name(c.clusterUrl), inference: name(field(c.inference, 'domain')) },
    kustomization:
      field(c.output, 'kustomization') === true
        ? {
            ignoredKeyTls: (
              [
                ['tls', c.tls],
                ['clusterTls', c.clusterTls],
                ['inference.tls', field(c.inference, 'tls')],
              ] as const
            )
              .filter(([, tls]) => field(tls, 'source') === 'files' && field(tls, 'commitPlaintextKey') !== true)
              .map(([name]) => name),
          }
        : undefined,
  };
}

/** `v[key]` when `v` is an object: the raw YAML value, read tolerantly. */
function field(v: unknown, key: string): unknown {
  return v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
}

/** True for a mapping with at least one key, or a value of another type (which the schema reports). */
function nonEmpty(v: unknown): boolean {
  return v !== undefined && v !== null && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);
}

/**
 * Two objects of one cluster with the same group, kind, namespace and name: applied, the second
 * replaces the first (an `expose` entry's Ingress named like the wildcard Ingress would take its
 * place), and they cannot both be written as files. Only `expose` entries name objects after user
 * input, so each such pair has one, and the problem is put at its `workload`.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

import { ExposedWorkload } from '../constructs/exposed-workload';
import { RunaiAccessChart } from '../constructs/runai-access-chart';
import { Problem } from '../model/errors';

/** One problem per `expose` entry whose object another object of the cluster already is. */
export function duplicateObjects(chart: RunaiAccessChart, at: string, source: string): Problem[] {
  const seen = new Map<string, ApiObject>();
  const problems: Problem[] = [];
  for (const obj of chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)) {
    const id = identity(obj);
    const first = seen.get(id);
    if (!first) {
      seen.set(id, obj);
      continue;
    }
    const [mine, other] = exposeIndex(chart, obj) !== undefined ? [obj, first] : [first, obj];
    const j = exposeIndex(chart, mine);
    if (j === undefined) throw new Error(`two objects ${id} in cluster ${chart.node.id}, neither from expose`);
    const k = exposeIndex(chart, other);
    problems.push({
      source,
      path: `${at}.expose[${j}].workload`,
      message:
        `makes ${obj.kind} ${obj.metadata.namespace}/${obj.name}, which is also ` +
        `${k === undefined ? `the ${obj.kind} runai-access makes for the cluster` : `an object of expose[${k}]`}; ` +
        `pick another workload name or namespace`,
    });
  }
  return problems;
}

/** What the API server tells objects apart by: the group (not the version), kind, namespace and name. */
function identity(obj: ApiObject): string {
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
  return [group, obj.kind, obj.metadata.namespace ?? '', obj.name].join('/');
}

/** The index of the `expose` entry that made `obj`, if one did. */
function exposeIndex(chart: RunaiAccessChart, obj: IConstruct): number | undefined {
  const owner = obj.node.scopes.find((s): s is ExposedWorkload => s instanceof ExposedWorkload);
  const j = owner ? chart.exposed.indexOf(owner) : -1;
  return j < 0 ? undefined : j;
}

/**
 * The URLs Run:ai gives a workspace: host-based `https://<project>-<workload>.<clusterUrl>/`
 * with host routing (`ClusterMode.hostUrls`), and path-based `https://<clusterUrl>/<project>/<workload>`.
 */
import { certificateOf, ClusterSpec } from '../config/spec';
import { DNS_LABEL, DNS_LABEL_MAX_LENGTH, labelNameProblem } from '../model/dns-names';
import { InputError, Problem, shown } from '../model/errors';
import { someOf } from '../model/list-text';
import { TOOL_NAME, workspaceHost, workspaceHostLengthProblem, workspaceLabelProblem } from '../model/names';
import { coversHost } from '../tls/inspect';

/** What `runai-access url` prints. */
export interface WorkspaceUrls {
  /** `undefined` with `routing: path`. */
  readonly hostBased?: string;
  readonly pathBased: string;
  /** Anything the user should know, such as a certificate that could not be checked. */
  readonly notes: readonly string[];
}

/**
 * The URLs of `<project>/<workload>` on `cluster`.
 * @param config the config the cluster is from, which a certificate's problem names (default: runai-access)
 * @throws InputError when the names are not DNS labels, `<project>-<workload>` does not fit one
 *   label, or the cluster's wildcard certificate does not cover the host
 */
export function workspaceUrls(cluster: ClusterSpec, project: string, workload: string, config: string = TOOL_NAME): WorkspaceUrls {
  const problems: Problem[] = [];
  const fail = (flag: string, message: string) => problems.push({ source: TOOL_NAME, path: '', message: `${flag}: ${message}` });
  for (const [flag, value] of [
    ['--project', project],
    ['--workload', workload],
  ] as const) {
    if (labelNameProblem(value) === undefined) continue;
    // The length is the fault when the characters are right: said as such, not as a wrong character.
    const what = DNS_LABEL.test(value)
      ? `${value.length} characters, where a DNS label has at most ${DNS_LABEL_MAX_LENGTH}`
      : 'a DNS label of a-z, 0-9 and "-"';
    fail(flag, `${shown(value)} is not a Run:ai name: ${what}`);
  }
  if (problems.length > 0) throw new InputError(problems);
  const pathBased = `https://${cluster.clusterUrl}/${project}/${workload}`;
  if (!cluster.mode.hostUrls) {
    return { pathBased, notes: [`cluster ${cluster.name} has routing: path, so Run:ai gives path-based URLs only`] };
  }
  const host = workspaceHost(project, workload, cluster.clusterUrl);
  const certificate = certificateOf(cluster.tls);
  const longLabel = workspaceLabelProblem(project, workload);
  const longHost = workspaceHostLengthProblem(project, workload, cluster.clusterUrl);
  if (longLabel || longHost) {
    fail('--workload', longLabel ? `${longLabel}, so ${host} cannot exist` : `${longHost}, so no workspace has it`);
  } else if (certificate && !coversHost(certificate.leaf, host)) {
    // The cluster's certificate is at fault, not the names nor the cluster chosen: it needs the
    // wildcard, which covers every workspace. Said as the config's problem, where it is mended.
    problems.push({
      source: config,
      path: `clusters[${cluster.index}].tls.certFile`,
      message:
        `the certificate of cluster ${cluster.name} (names: ${someOf(certificate.dnsNames, 10)}) does not cover ${host}: ` +
        `it needs *.${cluster.clusterUrl}, which covers every workspace of the cluster`,
    });
  }
  if (problems.length > 0) throw new InputError(problems);
  return {
    hostBased: `https://${host}/`,
    pathBased,
    notes: [
      ...(certificate
        ? []
        : [`the certificate of cluster ${cluster.name} is not read here ` + `(${unread(cluster)}), so it was ` + `not checked`]),
      ...(cluster.subdomainSupport
        ? []
        : [
            `cluster ${cluster.name} has subdomainSupport: false, so runai-access does not set ` +
              `spec.global.subdomainSupport; the host-based URL works once it is true on the cluster`,
          ]),
    ],
  };
}

/** Why the certificate of a host-routing cluster was not read: its source, a file url could not read, or OpenShift's router. */
function unread(cluster: ClusterSpec): string {
  if (cluster.tls) return `tls.source: ${cluster.tls.source}`;
  return cluster.mode.platform.ownsTls ? 'its certFile could not be read' : 'OpenShift router';
}

import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';

import { parseClusterUrl } from '../model/cluster-url';
import { labelNameProblem, serviceNameProblem, subdomainNameProblem } from '../model/dns-names';
import { formatPath, shown, ValidationError } from '../model/errors';
import {
  cidrProblem,
  exposeRuleBreaks,
  ExposeType,
  NODE_PORT_MAX,
  NODE_PORT_MIN,
  NODE_PORT_TEXT,
  PortSpec,
  servicePortName,
  targetPortProblem,
} from '../model/expose';
import { labelsProblems } from '../model/labels';
import {
  MANAGED_BY_LABEL,
  projectNamespace,
  projectNamespaceProblem,
  reservedNamespaceMessage,
  reservedNamespaceOwner,
  workloadSelector,
  workspaceHost,
  workspaceHostLengthProblem,
} from '../model/names';
import { ingressClassOrDefault } from '../model/routing';
import { arrayOf, checkNames, checkPropTypes, optional, PropKinds } from './prop-types';

/** Props of {@link ExposedWorkload}. */
export interface ExposedWorkloadProps {
  /** The Run:ai project; its namespace is `runai-<project>`. */
  readonly project: string;
  /** The workload; the Service (and Ingress) take its name. */
  readonly workload: string;
  readonly type: ExposeType;
  /** The ports: Service port, container port, and optionally node port and name. */
  readonly ports: readonly PortSpec[];
  /**
   * Namespace of the Service.
   * @default `runai-<project>`, Run:ai's project namespace
   */
  readonly namespace?: string;
  /**
   * Labels of the pods to reach.
   * @default {release: <workload>}, the label the Run:ai CLI chart put on job pods
   */
  readonly selector?: Readonly<Record<string, string>>;
  /**
   * Source ranges allowed to reach a load balancer.
   * @default - none: any address may connect
   */
  readonly loadBalancerSourceRanges?: readonly string[];
  /**
   * The cluster URL host; required for type subdomain.
   * @default - none
   */
  readonly clusterUrl?: string;
  /**
   * `ingressClassName` of the subdomain Ingress; `null` leaves it out.
   * @default 'nginx'
   */
  readonly ingressClassName?: string | null;
  /**
   * The subdomain Ingresses to write, each with a name suffix and its class: a migration
   * writes the current controller's and the new one's side by side.
   * @default - one Ingress named after the workload, with `ingressClassName`
   */
  readonly ingresses?: readonly { readonly nameSuffix: string; readonly ingressClassName: string | null }[];
}

/** The run-time types of {@link ExposedWorkloadProps}, for JavaScript callers. */
export const EXPOSED_WORKLOAD_PROP_KINDS: PropKinds<ExposedWorkloadProps> = {
  project: 'string',
  workload: 'string',
  type: ExposeType,
  ports: arrayOf({ port: 'number', targetPort: 'number-or-string', nodePort: optional('number'), name: optional('string') }),
  namespace: optional('string'),
  selector: optional('string-record'),
  loadBalancerSourceRanges: optional(arrayOf('string')),
  clusterUrl: optional('string'),
  ingressClassName: optional('string-or-null'),
  ingresses: optional(arrayOf({ nameSuffix: 'string', ingressClassName: 'string-or-null' })),
};

/**
 * A Service that exposes ports of a researcher's workload, as `runai submit --service-type`
 * did, and for type subdomain an Ingress for `<project>-<workload>.<clusterUrl>`. That Ingress
 * has no `tls` block: a TLS Secret must be in the Ingress's own namespace, and ingress-nginx
 * serves a host without a certificate of its own with the one of the `*.<clusterUrl>` server
 * the wildcard Ingress defines (certificate.lua, `get_pem_cert_uid`).
 */
export class ExposedWorkload extends Construct {
  public readonly project: string;
  public readonly name: string;
  public readonly namespace: string;
  public readonly type: ExposeType;
  public readonly ports: readonly PortSpec[];
  public readonly openToInternet: boolean;
  /** `<project>-<workload>.<clusterUrl>` for type subdomain, else `undefined`. */
  public readonly host?: string;
  public readonly service: k8s.KubeService;
  /** The first subdomain Ingress, for type subdomain. */
  public readonly ingress?: k8s.KubeIngress;
  /** Every subdomain Ingress, for type subdomain. */
  public readonly ingresses: readonly k8s.KubeIngress[] = [];

  constructor(scope: Construct, id: string, props: ExposedWorkloadProps) {
    super(scope, id);
    validate(props);
    this.project = props.project;
    this.name = props.workload;
    this.namespace = props.namespace ?? projectNamespace(props.project);
    this.type = props.type;
    this.ports = props.ports;
    this.openToInternet = props.type === ExposeType.LOAD_BALANCER && !props.loadBalancerSourceRanges?.length;
    this.service = new k8s.KubeService(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: { ...MANAGED_BY_LABEL } },
      spec: {
        type: props.type.serviceType,
        selector: { ...(props.selector ?? workloadSelector(props.workload)) },
        ports: props.ports.map((p) => ({
          name: servicePortName(p, props.ports.length),
          port: p.port,
          targetPort:
            typeof p.targetPort === 'number' ? k8s.IntOrString.fromNumber(p.targetPort) : k8s.IntOrString.fromString(p.targetPort),
          nodePort: p.nodePort,
        })),
        loadBalancerSourceRanges: props.loadBalancerSourceRanges?.length ? [...props.loadBalancerSourceRanges] : undefined,
      },
    });
    if (props.type === ExposeType.SUBDOMAIN) {
      const host = workspaceHost(props.project, props.workload, props.clusterUrl!);
      this.host = host;
      const className = ingressClassOrDefault(props.ingressClassName);
      const wanted = props.ingresses ?? [{ nameSuffix: '', ingressClassName: className }];
      this.ingresses = wanted.map(
        (w, i) =>
          new k8s.KubeIngress(this, i === 0 && w.nameSuffix === '' ? 'Ingress' : `Ingress${w.nameSuffix}`, {
            metadata: {
              name: `${this.name}${w.nameSuffix}`,
              namespace: this.namespace,
              labels: { ...MANAGED_BY_LABEL },
            },
            spec: {
              ingressClassName: w.ingressClassName ?? undefined,
              rules: [
                {
                  host,
                  http: {
                    paths: [
                      { path: '/', pathType: 'Prefix', backend: { service: { name: this.name, port: { number: props.ports[0].port } } } },
                    ],
                  },
                },
              ],
            },
          }),
      );
      this.ingress = this.ingresses[0];
    }
  }

  /** How a researcher reaches each port, for the synth summary. */
  public accessHints(): string[] {
    const service = `-n ${this.namespace} service/${this.name}`;
    switch (this.type) {
      case ExposeType.PORT_FORWARD: {
        // A local port under 1024 needs root (and 22 is the local sshd's): 10000 above it instead,
        // or 20000, … when the workload forwards that port too.
        const ports = new Set(this.ports.map((p) => p.port));
        const local = (port: number) =>
          port < 1024 ? ([1, 2, 3, 4, 5, 6].map((k) => port + 10000 * k).find((p) => !ports.has(p)) ?? port) : port;
        return [
          `kubectl port-forward ${service} ` +
            `${this.ports.map((p) => `${local(p.port)}:${p.port}`).join(' ')}  (then connect to ` +
            `localhost:${this.ports.map((p) => local(p.port)).join(', localhost:')})`,
        ];
      }
      case ExposeType.NODE_PORT:
        return this.ports.map((p) =>
          p.nodePort !== undefined
            ? `<node-ip>:${p.nodePort}  (port ${p.port})`
            : `<node-ip>:<node port>  (port ${p.port}; kubectl get -n ${this.namespace} ` +
              `service/${this.name} -o jsonpath='{.spec.ports[?(@.port==${p.port})].nodePort}')`,
        );
      case ExposeType.LOAD_BALANCER:
        return [
          `<load-balancer address>:${this.ports.map((p) => p.port).join(',')}  (kubectl get -n ` +
            `${this.namespace} service/${this.name} -o jsonpath='{.status.loadBalancer.ingress[0]}')`,
          ...(this.openToInternet ? ['open to any address: set loadBalancerSourceRanges to limit it'] : []),
        ];
      default:
        return [`https://${this.host}/`];
    }
  }
}

function validate(p: ExposedWorkloadProps): void {
  checkPropTypes(p, EXPOSED_WORKLOAD_PROP_KINDS);
  const className = ingressClassOrDefault(p.ingressClassName);
  checkNames([
    ['project', p.project, labelNameProblem],
    ['workload', p.workload, serviceNameProblem],
    ['namespace', p.namespace, labelNameProblem],
    ['ingressClassName', className, subdomainNameProblem],
    ...p.ports.map((port, i) => [`ports[${i}].name`, port.name, labelNameProblem] as const),
    ...(p.ingresses ?? []).flatMap((w, i) => [
      [`ingresses[${i}].nameSuffix`, `${p.workload}${w.nameSuffix}`, subdomainNameProblem] as const,
      [`ingresses[${i}].ingressClassName`, w.ingressClassName, subdomainNameProblem] as const,
    ]),
  ]);
  const fail = (message: string) => {
    throw new ValidationError(message);
  };
  const longNamespace = p.namespace === undefined ? projectNamespaceProblem(p.project) : undefined;
  if (longNamespace) fail(`project: ${longNamespace}`);
  // The namespaces Run:ai itself fills, always (the chart knows a self-hosted control plane's too);
  // runai-<project> is never one of them.
  const owner = p.namespace === undefined ? undefined : reservedNamespaceOwner(p.namespace, false);
  if (owner) fail(`namespace: ${reservedNamespaceMessage(p.namespace!, owner)}`);
  const bad = [
    ...labelsProblems(p.selector ?? {}).map((problem) => `selector.${problem}`),
    ...(p.loadBalancerSourceRanges ?? []).flatMap((range, i) => {
      const problem = cidrProblem(range);
      return problem ? [`loadBalancerSourceRanges[${i}]: ${problem}`] : [];
    }),
  ];
  if (bad.length > 0) fail(bad.join('; '));
  const suffixes = (p.ingresses ?? []).map((w) => w.nameSuffix);
  const sameSuffix = suffixes.findIndex((s, i) => suffixes.indexOf(s) < i);
  if (sameSuffix >= 0)
    fail(
      `ingresses[${sameSuffix}].nameSuffix: ${shown(suffixes[sameSuffix])} is already ingresses[${suffixes.indexOf(suffixes[sameSuffix])}]'s`,
    );
  if (p.ports.length === 0) fail('ports: must hold at least one port');
  for (const port of p.ports) {
    if (!(Number.isInteger(port.port) && port.port >= 1 && port.port <= 65535))
      fail(`ports: port ${port.port} must be a whole number from 1 to 65535`);
    const nodePort = port.nodePort;
    if (nodePort !== undefined && !(Number.isInteger(nodePort) && nodePort >= NODE_PORT_MIN && nodePort <= NODE_PORT_MAX)) {
      fail(`ports: nodePort ${nodePort} ${NODE_PORT_TEXT}`);
    }
    const target = targetPortProblem(port.targetPort);
    if (target) fail(`ports: targetPort ${typeof port.targetPort === 'number' ? port.targetPort : shown(port.targetPort)} ${target}`);
  }
  // Node ports are unique in a cluster; the config checks them across entries, the Service itself here.
  const nodePorts = p.ports.flatMap((port) => (port.nodePort === undefined ? [] : [port.nodePort]));
  const twice = nodePorts.find((n, i) => nodePorts.indexOf(n) < i);
  if (twice !== undefined) fail(`ports: nodePort ${twice} is given twice; node ports are unique in a cluster`);
  const breaks = exposeRuleBreaks({
    ...p,
    type: p.type.name,
    loadBalancerSourceRanges: p.loadBalancerSourceRanges?.length ? p.loadBalancerSourceRanges : undefined,
  });
  if (breaks.length > 0) fail(breaks.map((b) => `${formatPath(b.path)}: ${b.message}`).join('; '));
  if (p.type === ExposeType.SUBDOMAIN) {
    const url = p.clusterUrl === undefined ? undefined : parseClusterUrl(p.clusterUrl);
    if (!url?.ok || url.host !== p.clusterUrl) fail('clusterUrl: type subdomain needs the cluster URL as a lower-case host name');
    const tooLong = workspaceHostLengthProblem(p.project, p.workload, p.clusterUrl!);
    if (tooLong) fail(`workload: ${tooLong}`);
  }
}

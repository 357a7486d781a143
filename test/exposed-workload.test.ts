import { Testing } from 'cdk8s';

import { ExposedWorkload, ExposedWorkloadProps } from '../lib/constructs/exposed-workload';
import { ValidationError } from '../lib/model/errors';
import { ExposeType } from '../lib/model/expose';
import { testChart } from './chart-scope';
import { kubectl, yamlDocs } from './helpers';

function build(props: Partial<ExposedWorkloadProps> = {}) {
  const chart = testChart();
  const w = new ExposedWorkload(chart, 'W', {
    project: 'team-a',
    workload: 'nb1',
    type: ExposeType.NODE_PORT,
    ports: [{ port: 8888, targetPort: 8888 }],
    clusterUrl: 'runai.example.com',
    ...props,
  });
  const manifests = Testing.synth(chart);
  return { w, service: manifests.find((m) => m.kind === 'Service'), ingress: manifests.find((m) => m.kind === 'Ingress'), manifests };
}

describe('ExposedWorkload', () => {
  test('node-port: a NodePort Service named after the workload in runai-<project>, selecting release: <workload>', () => {
    const { service, manifests } = build({ ports: [{ port: 8888, targetPort: 8888, nodePort: 30888 }] });
    expect(manifests).toHaveLength(1);
    expect(service).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'nb1', namespace: 'runai-team-a', labels: { 'app.kubernetes.io/managed-by': 'runai-access' } },
      spec: { type: 'NodePort', selector: { release: 'nb1' }, ports: [{ port: 8888, targetPort: 8888, nodePort: 30888 }] },
    });
  });

  test('has no noise fields (externalIPs, empty lists, empty names)', () => {
    const { service } = build();
    expect(service.spec).not.toHaveProperty('externalIPs');
    expect(service.spec).not.toHaveProperty('loadBalancerSourceRanges');
    expect(service.spec.ports[0]).not.toHaveProperty('name');
  });

  test('matches what kubectl create service nodeport writes for the same port', () => {
    const reference = yamlDocs(
      kubectl([
        'create',
        'service',
        'nodeport',
        'nb1',
        '-n',
        'runai-team-a',
        '--tcp=8888:80',
        '--node-port=30888',
        '--dry-run=client',
        '-o',
        'yaml',
      ]),
    )[0];
    const { service } = build({ ports: [{ port: 8888, targetPort: 80, nodePort: 30888 }] });
    expect(service.spec.type).toBe(reference.spec.type);
    const { name: _name, protocol: _protocol, ...port } = reference.spec.ports[0];
    expect(service.spec.ports[0]).toEqual(port);
  });

  test('port-forward: a ClusterIP Service and the exact kubectl port-forward command', () => {
    const { service, w } = build({
      type: ExposeType.PORT_FORWARD,
      workload: 'ssh1',
      project: 'team-b',
      ports: [{ port: 2222, targetPort: 22 }],
    });
    expect(service.spec).toEqual({ type: 'ClusterIP', selector: { release: 'ssh1' }, ports: [{ port: 2222, targetPort: 22 }] });
    expect(w.accessHints()).toEqual(['kubectl port-forward -n runai-team-b service/ssh1 2222:2222  (then connect to localhost:2222)']);
  });

  // A port under 1024 gets a local port 10000 above it, which needs no root; when that one is
  // forwarded too, 20000 above (rather than take 10022 twice, or 22, which needs root).
  test.each([
    [[22, 8888], '10022:22 8888:8888  (then connect to localhost:10022, localhost:8888)'],
    [[22, 10022], '20022:22 10022:10022  (then connect to localhost:20022, localhost:10022)'],
  ])('port-forward of ports %j: the hint forwards a local port that needs no root', (ports, hint) => {
    const { w } = build({
      type: ExposeType.PORT_FORWARD,
      workload: 'ssh1',
      project: 'team-b',
      ports: ports.map((port) => ({ port, targetPort: port })),
    });
    expect(w.accessHints()).toEqual([`kubectl port-forward -n runai-team-b service/ssh1 ${hint}`]);
  });

  test('load-balancer: source ranges, and a hint that says how to find the address', () => {
    const { service, w } = build({
      type: ExposeType.LOAD_BALANCER,
      workload: 'tb1',
      ports: [{ port: 6006, targetPort: 6006 }],
      loadBalancerSourceRanges: ['10.0.0.0/8'],
    });
    expect(service.spec).toMatchObject({ type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/8'] });
    expect(w.openToInternet).toBe(false);
    expect(w.accessHints()).toEqual([
      `<load-balancer address>:6006  (kubectl get -n runai-team-a service/tb1 -o jsonpath='{.status.loadBalancer.ingress[0]}')`,
    ]);
    const open = build({ type: ExposeType.LOAD_BALANCER, workload: 'tb1', ports: [{ port: 6006, targetPort: 6006 }] }).w;
    expect(open.openToInternet).toBe(true);
    expect(open.accessHints()[1]).toBe('open to any address: set loadBalancerSourceRanges to limit it');
  });

  test('node-port hints: the fixed node port, or how to read the assigned one', () => {
    expect(build({ ports: [{ port: 8888, targetPort: 8888, nodePort: 30888 }] }).w.accessHints()).toEqual(['<node-ip>:30888  (port 8888)']);
    expect(build().w.accessHints()).toEqual([
      `<node-ip>:<node port>  (port 8888; kubectl get -n runai-team-a service/nb1 -o jsonpath='{.spec.ports[?(@.port==8888)].nodePort}')`,
    ]);
  });

  test('subdomain: a ClusterIP Service and an Ingress for <project>-<workload>.<url>, without tls', () => {
    const { service, ingress, w } = build({
      type: ExposeType.SUBDOMAIN,
      project: 'team-b',
      workload: 'web1',
      ports: [{ port: 8080, targetPort: 8080 }],
    });
    expect(service.spec.type).toBe('ClusterIP');
    expect(ingress).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web1', namespace: 'runai-team-b', labels: { 'app.kubernetes.io/managed-by': 'runai-access' } },
      spec: {
        ingressClassName: 'nginx',
        rules: [
          {
            host: 'team-b-web1.runai.example.com',
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web1', port: { number: 8080 } } } }] },
          },
        ],
      },
    });
    expect(w.accessHints()).toEqual(['https://team-b-web1.runai.example.com/']);
  });

  test('subdomain follows the cluster ingress class, null included', () => {
    const { ingress } = build({ type: ExposeType.SUBDOMAIN, ingressClassName: null });
    expect(ingress.spec).not.toHaveProperty('ingressClassName');
  });

  test('several ports get names, as Kubernetes requires; given names are kept', () => {
    const { service } = build({
      ports: [
        { port: 8888, targetPort: 8888 },
        { port: 6006, targetPort: 'tb', name: 'tensorboard' },
      ],
    });
    expect(service.spec.ports).toEqual([
      { name: 'tcp-8888', port: 8888, targetPort: 8888 },
      { name: 'tensorboard', port: 6006, targetPort: 'tb' },
    ]);
  });

  test('takes a namespace and a selector', () => {
    const { service } = build({ namespace: 'lab', selector: { app: 'nb' } });
    expect(service.metadata.namespace).toBe('lab');
    expect(service.spec.selector).toEqual({ app: 'nb' });
  });

  test.each([
    [{ ports: [] }, 'ports: must hold at least one port'],
    [{ ports: [{ port: 0, targetPort: 1 }] }, 'ports: port 0 must be a whole number from 1 to 65535'],
    [
      { type: ExposeType.PORT_FORWARD, ports: [{ port: 80, targetPort: 80, nodePort: 30080 }] },
      'ports[0].nodePort: is only for type node-port or load-balancer, not port-forward',
    ],
    [
      { ports: [{ port: 80, targetPort: 80, nodePort: 80 }] },
      'ports: nodePort 80 must be a whole number from 30000 to 32767, the NodePort range',
    ],
    [
      { ports: [{ port: 80, targetPort: 80, nodePort: 30080.5 }] },
      'ports: nodePort 30080.5 must be a whole number from 30000 to 32767, the NodePort range',
    ],
    [
      { ports: [{ port: 80, targetPort: 80, nodePort: NaN }] },
      'ports: nodePort NaN must be a whole number from 30000 to 32767, the NodePort range',
    ],
    [
      { selector: {} },
      'selector: must name at least one pod label, such as {release: <workload>} (the default): a Service with no selector reaches no pods',
    ],
    [{ loadBalancerSourceRanges: ['10.0.0.0/8'] }, 'loadBalancerSourceRanges: is only for type load-balancer, not node-port'],
    [{ type: ExposeType.SUBDOMAIN, clusterUrl: undefined }, 'clusterUrl: type subdomain needs the cluster URL as a lower-case host name'],
    [
      {
        type: ExposeType.SUBDOMAIN,
        ports: [
          { port: 1, targetPort: 1 },
          { port: 2, targetPort: 2 },
        ],
      },
      'ports: must hold exactly one port for type subdomain, which routes https://<project>-<workload>.<clusterUrl>/ to it',
    ],
    [
      { type: ExposeType.SUBDOMAIN, workload: `w${'x'.repeat(56)}` },
      `workload: the subdomain team-a-w${'x'.repeat(56)} is 64 characters; <project>-<workload> must fit one DNS label (63)`,
    ],
    [
      {
        ports: [
          { port: 80, targetPort: 80, name: 'tcp-6006' },
          { port: 6006, targetPort: 6006 },
        ],
      },
      'ports[1]: is named tcp-6006, as a port without a name is, which is already the name of ports[0]; name one of them',
    ],
    [
      {
        ports: [
          { port: 80, targetPort: 80 },
          { port: 80, targetPort: 8080 },
        ],
      },
      'ports[1]: Service port 80 is already ports[0]',
    ],
  ] as [Partial<ExposedWorkloadProps>, string][])('fails when %j', (props, message) => {
    expect(() => build(props)).toThrow(new ValidationError(message));
  });
});

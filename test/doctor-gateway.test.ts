/**
 * doctor's Gateway checks: kube.gateway (the Gateway's own status: accepted, programmed, its
 * listeners' certificates, its address) and kube.gateway-routes (which HTTPRoutes name it and what
 * its controller said of them), judged from hand-built status, then read by the real kubectl from
 * a stand-in Kubernetes API server (node:http on 127.0.0.1).
 */
import * as path from 'node:path';

import { Deadline } from '../lib/doctor/check';
import { clusterChecks } from '../lib/doctor/cluster-checks';
import { readCluster } from '../lib/doctor/cluster-reads';
import { attachedRoutes, gatewayRoutesCheck } from '../lib/doctor/gateway-routes';
import { gatewayCheck, gatewayStatus } from '../lib/doctor/gateway-status';
import { clusterTargets } from '../lib/doctor/targets';
import { clearStandinKubectlEnv, StandinApi, standinKubectlEnv, startStandinApi } from './doctor-servers';
import { loadOne, tempDir } from './helpers';

const GW = { namespace: 'runai', name: 'runai-gateway' };

/** An HTTPRoute with its parentRefs and, per parent, the Accepted condition its controller wrote. */
function route(namespace: string, name: string, parentRefs: object[], accepted?: { status: string; reason: string }[]): object {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { namespace, name },
    spec: { parentRefs },
    ...(accepted && {
      status: {
        parents: accepted.map((a, i) => ({
          parentRef: parentRefs[i],
          controllerName: 'example.com/gateway',
          conditions: [{ type: 'Accepted', ...a }],
        })),
      },
    }),
  };
}
const ACCEPTED = { status: 'True', reason: 'Accepted' };
const REFUSED = { status: 'False', reason: 'NotAllowedByListeners' };
const CONTEXT = { gateway: GW, routeNamespaces: 'all' as const, runaiNamespaces: ['runai'], outDir: 'dist/prod', kubeMs: 8000 };

/** A Gateway as a controller leaves it when all is well: accepted, programmed, listeners resolved, an address. */
const LIVE_GATEWAY = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { namespace: 'runai', name: 'runai-gateway' },
  spec: { gatewayClassName: 'kgateway', listeners: [] },
  status: {
    conditions: [
      { type: 'Accepted', status: 'True', reason: 'Accepted' },
      { type: 'Programmed', status: 'True', reason: 'Programmed' },
    ],
    listeners: [{ name: 'https-workloads', conditions: [{ type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs' }] }],
    addresses: [{ type: 'IPAddress', value: '10.0.0.5' }],
  },
};
/** LIVE_GATEWAY with its status changed. */
const withStatus = (change: (s: any) => void) => {
  const g = structuredClone(LIVE_GATEWAY) as any;
  change(g.status);
  return g;
};

describe('kube.gateway', () => {
  const STATUS_CONTEXT = {
    gateway: GW,
    className: 'kgateway',
    outDir: 'dist/prod',
    wildcardAddresses: ['10.0.0.5'],
    clusterUrl: 'runai.example.com',
    kubeMs: 8000,
  };
  const check = (gateway: object, over = {}) => gatewayCheck({ value: gatewayStatus(gateway) }, { ...STATUS_CONTEXT, ...over });

  test('passes when it is accepted and programmed, its listeners resolved, and its address is where DNS points', () => {
    expect(check(LIVE_GATEWAY)).toEqual({
      name: 'kube.gateway',
      step: 'Gateway',
      status: 'pass',
      detail: 'Gateway runai/runai-gateway is accepted and programmed, address 10.0.0.5, where *.runai.example.com points',
    });
    expect(check(LIVE_GATEWAY, { wildcardAddresses: [] }).detail).toContain('(not compared: *.runai.example.com did not resolve)');
    // An IPv6 address in another form than DNS gives it is the same address.
    const v6 = withStatus((s) => (s.addresses = [{ type: 'IPAddress', value: '2001:DB8:0::5' }]));
    expect(check(v6, { wildcardAddresses: ['2001:db8::5'] }).status).toBe('pass');
    const named = withStatus((s) => (s.addresses = [{ type: 'Hostname', value: 'lb.cloud.example' }]));
    expect(check(named).detail).toContain('address lb.cloud.example (not compared: a host name');
  });

  test.each([
    [
      'no controller accepted it (no class, or its controller is down)',
      withStatus((s) => (s.conditions = [])),
      'no controller has accepted Gateway runai/runai-gateway (its status has no Accepted condition)',
      'check that its GatewayClass exists and its controller runs (kubectl get gatewayclass kgateway)',
    ],
    [
      'its controller refused it',
      withStatus((s) => (s.conditions[0] = { type: 'Accepted', status: 'False', reason: 'InvalidParameters' })),
      'Gateway runai/runai-gateway is not accepted: Accepted False (InvalidParameters)',
      'check that its GatewayClass exists',
    ],
    [
      'its status was written for an earlier spec (the last apply not processed yet)',
      (() => {
        const g = withStatus((s) => (s.conditions[0].observedGeneration = 1)) as any;
        g.metadata.generation = 2;
        return g;
      })(),
      'Gateway runai/runai-gateway has a status older than its spec (observedGeneration 1, generation 2): ' +
        'no controller has processed the last change yet',
      'run doctor again in a minute',
    ],
    [
      'it is not programmed',
      withStatus((s) => (s.conditions[1] = { type: 'Programmed', status: 'False', reason: 'Invalid' })),
      'Gateway runai/runai-gateway is accepted but not programmed: Programmed False (Invalid)',
      "see the Gateway controller's log",
    ],
    [
      'it got no address (no load balancer)',
      withStatus((s) => (s.conditions[1] = { type: 'Programmed', status: 'False', reason: 'AddressNotAssigned' })),
      'Gateway runai/runai-gateway is accepted but not programmed: Programmed False (AddressNotAssigned)',
      'a Service of type LoadBalancer needs a load balancer (on premises, MetalLB or the like)',
    ],
    [
      "a listener's Secret is missing, which also makes the Gateway not accepted: the listener is named",
      withStatus((s) => {
        s.conditions[0] = { type: 'Accepted', status: 'False', reason: 'ListenersNotValid' };
        s.listeners[0].conditions[0] = { type: 'ResolvedRefs', status: 'False', reason: 'InvalidCertificateRef' };
      }),
      'Gateway runai/runai-gateway: listener https-workloads ResolvedRefs False (InvalidCertificateRef)',
      "a listener's Secret is missing in runai",
    ],
    [
      'a listener conflicts with another on its port and host',
      withStatus((s) => s.listeners[0].conditions.push({ type: 'Conflicted', status: 'True', reason: 'HostnameConflict' })),
      'Gateway runai/runai-gateway: listener https-workloads Conflicted True (HostnameConflict)',
      'shows why',
    ],
    [
      "a listener's Secret is missing",
      withStatus((s) => (s.listeners[0].conditions[0] = { type: 'ResolvedRefs', status: 'False', reason: 'InvalidCertificateRef' })),
      'Gateway runai/runai-gateway: listener https-workloads ResolvedRefs False (InvalidCertificateRef)',
      "a listener's Secret is missing in runai or holds no TLS certificate",
    ],
    [
      'it has no address',
      withStatus((s) => (s.addresses = [])),
      'Gateway runai/runai-gateway is programmed but has no address in its status',
      'LoadBalancer',
    ],
    [
      'DNS points elsewhere',
      withStatus((s) => (s.addresses = [{ value: '10.9.9.9' }])),
      'Gateway runai/runai-gateway has address 10.9.9.9, but *.runai.example.com resolves to 10.0.0.5',
      'point *.runai.example.com and runai.example.com at 10.9.9.9',
    ],
  ])('fails when %s', (_what, gateway, detail, fix) => {
    const r = check(gateway);
    expect([r.status, r.detail]).toEqual(['fail', detail]);
    expect(r.fix).toContain(fix);
  });

  test('fails when it does not exist, with the apply command, and when the Gateway API is not installed', () => {
    expect(gatewayCheck({ failure: 'not-found' }, STATUS_CONTEXT)).toMatchObject({
      status: 'fail',
      detail: 'Gateway runai/runai-gateway does not exist',
      fix: 'apply it: kubectl apply --server-side --field-manager=runai-access -f dist/prod/',
    });
    expect(gatewayCheck({ failure: 'no-resource-type' }, STATUS_CONTEXT).fix).toContain('install the Gateway API CRDs');
  });

  test('a status of another shape (which no API server sends) is read as far as it goes, without an error', () => {
    expect(gatewayStatus({ status: { conditions: 'x', listeners: [null, { conditions: [1] }], addresses: {} } })).toEqual({
      conditions: [],
      listeners: [
        { name: undefined, conditions: [] },
        { name: undefined, conditions: [{ type: undefined, status: undefined, reason: undefined }] },
      ],
      addresses: [],
    });
  });
});

describe('the routes that name the Gateway', () => {
  test("a parentRef names it by name and namespace, its namespace the route's own when left out; other kinds and Gateways do not", () => {
    const items = [
      route('runai-team-a', 'nb1', [{ name: 'runai-gateway', namespace: 'runai' }], [ACCEPTED]),
      route('runai', 'control-plane', [{ name: 'runai-gateway', sectionName: 'https-cluster-domain' }], [ACCEPTED]),
      route('runai-team-a', 'other-gw', [{ name: 'runai-gateway' }], [ACCEPTED]),
      route('runai-team-a', 'a-service', [{ name: 'runai-gateway', namespace: 'runai', kind: 'Service', group: '' }]),
      route(
        'edge',
        'two-parents',
        [
          { name: 'other', namespace: 'edge' },
          { name: 'runai-gateway', namespace: 'runai' },
        ],
        [ACCEPTED, REFUSED],
      ),
    ];
    expect(attachedRoutes(items, GW)).toEqual([
      { id: 'runai-team-a/nb1', accepted: { status: 'True', reason: 'Accepted' } },
      { id: 'runai/control-plane', accepted: { status: 'True', reason: 'Accepted' } },
      { id: 'edge/two-parents', accepted: { status: 'False', reason: 'NotAllowedByListeners' } },
    ]);
  });

  test('a route that names the Gateway twice (two listeners) is refused when either entry is, and waits while either has no verdict', () => {
    const twice = [
      { name: 'runai-gateway', namespace: 'runai', sectionName: 'https-cluster-domain' },
      { name: 'runai-gateway', namespace: 'runai', sectionName: 'https-workloads' },
    ];
    const verdict = (statuses: ({ status: string; reason: string } | undefined)[]) => {
      const r = route('team', 'nb', twice, []) as any;
      r.status = { parents: statuses.map((a, i) => ({ parentRef: twice[i], conditions: a ? [{ type: 'Accepted', ...a }] : [] })) };
      return attachedRoutes([r], GW)[0].accepted;
    };
    expect(verdict([ACCEPTED, REFUSED])).toEqual(REFUSED);
    expect(verdict([ACCEPTED, ACCEPTED])).toEqual(ACCEPTED);
    expect(verdict([ACCEPTED, undefined])).toBeUndefined();
    expect(verdict([ACCEPTED])).toEqual(ACCEPTED);
  });

  test('a route of another shape (which no API server sends) is read as far as it goes, without an error', () => {
    expect(
      attachedRoutes(
        [
          null,
          'text',
          { spec: { parentRefs: 'x' } },
          { metadata: { namespace: 'runai' }, spec: { parentRefs: [{ name: 'runai-gateway' }] } },
        ],
        GW,
      ),
    ).toEqual([{ id: 'runai/?', accepted: undefined }]);
  });
});

describe('kube.gateway-routes', () => {
  const check = (routes: { id: string; accepted?: { status?: string; reason?: string } }[], over = {}) =>
    gatewayRoutesCheck({ value: routes }, { ...CONTEXT, ...over });

  test('passes when every route that names the Gateway is Accepted', () => {
    expect(
      check([
        { id: 'runai/a', accepted: ACCEPTED },
        { id: 'runai-team-a/b', accepted: ACCEPTED },
      ]),
    ).toEqual({
      name: 'kube.gateway-routes',
      step: 'Gateway',
      status: 'pass',
      detail: 'Gateway runai/runai-gateway accepts all 2 HTTPRoutes that name it, from 2 namespaces',
    });
  });

  test('fails naming the refused routes and why; with routeNamespaces: runai, the fix is the project label or all', () => {
    const routes = [{ id: 'runai/a', accepted: ACCEPTED }, ...[1, 2, 3, 4, 5, 6].map((i) => ({ id: `team-${i}/nb`, accepted: REFUSED }))];
    const r = check(routes, { routeNamespaces: 'runai' });
    expect([r.status, r.detail]).toEqual([
      'fail',
      'Gateway runai/runai-gateway refuses 6 of 7 HTTPRoutes: team-1/nb (NotAllowedByListeners), team-2/nb (NotAllowedByListeners), ' +
        'team-3/nb (NotAllowedByListeners), team-4/nb (NotAllowedByListeners), team-5/nb (NotAllowedByListeners) and 1 more',
    ]);
    expect(r.fix).toBe(
      'with gateway.routeNamespaces: runai the cluster URL admits only runai, the workspace hosts namespaces labelled runai/queue ' +
        "and the inference hosts knative-serving: label a project's namespace (kubectl label ns <namespace> runai/queue=<project>), " +
        'or set routeNamespaces: all, synth and apply',
    );
    expect(check(routes, { routeNamespaces: 'runai', runaiNamespaces: ['runai', 'runai-backend'] }).fix).toContain(
      'the cluster URL admits only runai and runai-backend,',
    );
    expect(check(routes).fix).toBe('apply dist/prod/: its Gateway admits every namespace, but on the inference hosts only knative-serving');
    expect(check([{ id: 'runai/a', accepted: { status: 'False', reason: 'UnsupportedValue' } }]).fix).toBe(
      'kubectl describe httproutes.gateway.networking.k8s.io -n <namespace> <name> shows why',
    );
  });

  test('fails when no controller has written a status for the Gateway (no class, or its controller is down)', () => {
    const r = check([
      { id: 'runai/a', accepted: ACCEPTED },
      { id: 'runai/b' },
      { id: 'runai/c', accepted: { status: 'Unknown', reason: 'Pending' } },
    ]);
    expect([r.status, r.detail]).toEqual([
      'fail',
      'no controller has accepted 2 of the 3 HTTPRoutes that name Gateway runai/runai-gateway: runai/b, runai/c',
    ]);
    expect(r.fix).toContain('kubectl get gateways.gateway.networking.k8s.io -n runai runai-gateway -o yaml');
  });

  test('fails when no route names the Gateway: Run:ai makes them once told to use it', () => {
    expect(check([])).toMatchObject({
      status: 'fail',
      detail: 'no HTTPRoute names Gateway runai/runai-gateway',
      fix: 'apply dist/prod/ and its Helm values: Run:ai makes its routes once gatewayAPI.enabled is true',
    });
  });

  test('fails when the cluster has no HTTPRoute type, saying to install the Gateway API', () => {
    expect(gatewayRoutesCheck({ failure: 'no-resource-type' }, CONTEXT)).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('install the Gateway API CRDs'),
    });
  });
});

test("the cluster checks of a Gateway cluster include both, with the config's routeNamespaces; those of an Ingress cluster neither", () => {
  const gateway = loadOne(
    '    exposure: gateway-api\n    gateway: {name: runai-gateway, namespace: runai, className: kgateway, routeNamespaces: runai}\n' +
      '    tls: {source: existing}\n',
  ).clusters[0];
  const facts = {
    runaiConfig: { value: {} },
    secret: { value: '' },
    gateway: { value: gatewayStatus(LIVE_GATEWAY) },
    gatewayRoutes: { value: [{ id: 'team/nb', accepted: REFUSED }] },
  };
  const context = { targets: clusterTargets(gateway), outDir: 'dist/g', wildcardAddresses: [], hostnameAddresses: {}, kubeMs: 1000 };
  const checks = clusterChecks(facts, { ...context, cluster: gateway });
  expect(checks.find((c) => c.name === 'kube.gateway-routes')?.fix).toContain(
    'with gateway.routeNamespaces: runai the cluster URL admits only runai,',
  );
  expect(checks.find((c) => c.name === 'kube.gateway')?.status).toBe('pass');
  const ingress = loadOne('    tls: {source: existing}\n').clusters[0];
  const names = clusterChecks(facts, { ...context, cluster: ingress, targets: clusterTargets(ingress) }).map((c) => c.name);
  expect(names.filter((n) => n.startsWith('kube.gateway'))).toEqual([]);
});

describe('read by kubectl from a stand-in API server', () => {
  let api: StandinApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
    clearStandinKubectlEnv();
  });
  const cluster = loadOne(
    '    exposure: gateway-api\n    gateway: {name: runai-gateway, namespace: runai, className: kgateway}\n    tls: {source: existing}\n',
  ).clusters[0];
  async function read(objects: object[], omit?: string[]) {
    api = await startStandinApi(objects, { omit });
    const kubeconfig = path.join(tempDir(), 'kubeconfig');
    api.writeKubeconfig(kubeconfig);
    Object.assign(process.env, standinKubectlEnv(kubeconfig));
    const facts = await readCluster(clusterTargets(cluster), { kubeMs: 20000, deadline: new Deadline(30000) });
    const gateway = gatewayCheck(facts.gateway!, {
      gateway: GW,
      outDir: 'dist/prod',
      wildcardAddresses: [],
      clusterUrl: 'runai.example.com',
      kubeMs: 8000,
    });
    return Object.assign(gatewayRoutesCheck(facts.gatewayRoutes!, CONTEXT), { gateway });
  }

  test('names the route its listeners refuse, among all namespaces', async () => {
    const r = await read([
      LIVE_GATEWAY,
      route('runai', 'control-plane', [{ name: 'runai-gateway' }], [ACCEPTED]),
      route('runai-team-a', 'nb1', [{ name: 'runai-gateway', namespace: 'runai' }], [REFUSED]),
      route('elsewhere', 'unrelated', [{ name: 'another', namespace: 'elsewhere' }], [ACCEPTED]),
    ]);
    expect([r.status, r.detail]).toEqual([
      'fail',
      'Gateway runai/runai-gateway refuses 1 of 2 HTTPRoutes: runai-team-a/nb1 (NotAllowedByListeners)',
    ]);
    expect(api!.requests.map((q) => q.method)).not.toContain('PATCH');
    expect([r.gateway.status, r.gateway.detail]).toEqual([
      'pass',
      'Gateway runai/runai-gateway is accepted and programmed, address 10.0.0.5 (not compared: *.runai.example.com did not resolve)',
    ]);
  });

  test('names a Gateway that was never applied', async () => {
    const r = await read([]);
    expect([r.gateway.status, r.gateway.detail]).toEqual(['fail', 'Gateway runai/runai-gateway does not exist']);
  });

  test('fails when the Gateway API is not installed (no HTTPRoute type)', async () => {
    const r = await read([], ['gateway.networking.k8s.io/v1']);
    expect([r.status, r.detail]).toEqual(['fail', expect.stringContaining('its CRD is not installed')]);
    expect([r.gateway.status, r.gateway.detail]).toEqual(['fail', expect.stringContaining('its CRD is not installed')]);
  });
});

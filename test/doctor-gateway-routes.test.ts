/**
 * doctor's kube.gateway-routes: which HTTPRoutes name the Gateway and what its controller said of
 * them, judged from hand-built lists, then read by the real kubectl from a stand-in Kubernetes API
 * server (node:http on 127.0.0.1).
 */
import * as path from 'node:path';

import { Deadline } from '../lib/doctor/check';
import { clusterChecks } from '../lib/doctor/cluster-checks';
import { readCluster } from '../lib/doctor/cluster-reads';
import { attachedRoutes, gatewayRoutesCheck } from '../lib/doctor/gateway-routes';
import { clusterTargets } from '../lib/doctor/targets';
import { StandinApi, startStandinApi } from './doctor-servers';
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
const CONTEXT = { gateway: GW, routeNamespaces: 'all' as const, outDir: 'dist/prod', kubeMs: 8000 };

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
    expect(r.fix).toContain('kubectl label ns <namespace> runai/queue=<project>, or set routeNamespaces: all');
    expect(check(routes).fix).toBe(
      'the listeners of Gateway runai/runai-gateway do not admit these namespaces: apply dist/prod/ (the Gateway it holds admits them)',
    );
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
    expect(r.fix).toContain('kubectl get gateway -n runai runai-gateway -o yaml');
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

test("the cluster checks of a Gateway cluster include it, with the config's routeNamespaces; those of an Ingress cluster do not", () => {
  const gateway = loadOne(
    '    exposure: gateway-api\n    gateway: {name: runai-gateway, namespace: runai, className: kgateway, routeNamespaces: runai}\n' +
      '    tls: {source: existing}\n',
  ).clusters[0];
  const facts = { runaiConfig: { value: {} }, secret: { value: '' }, gatewayRoutes: { value: [{ id: 'team/nb', accepted: REFUSED }] } };
  const context = { targets: clusterTargets(gateway), outDir: 'dist/g', wildcardAddresses: [], hostnameAddresses: {}, kubeMs: 1000 };
  const routes = clusterChecks(facts, { ...context, cluster: gateway }).find((c) => c.name === 'kube.gateway-routes');
  expect(routes?.fix).toContain('(gateway.routeNamespaces: runai)');
  const ingress = loadOne('    tls: {source: existing}\n').clusters[0];
  const names = clusterChecks(facts, { ...context, cluster: ingress, targets: clusterTargets(ingress) }).map((c) => c.name);
  expect(names).not.toContain('kube.gateway-routes');
});

describe('read by kubectl from a stand-in API server', () => {
  let api: StandinApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
    delete process.env.KUBECONFIG;
    delete process.env.KUBECACHEDIR;
  });
  const cluster = loadOne(
    '    exposure: gateway-api\n    gateway: {name: runai-gateway, namespace: runai, className: kgateway}\n    tls: {source: existing}\n',
  ).clusters[0];
  async function read(objects: object[], omit?: string[]) {
    api = await startStandinApi(objects, { omit });
    const kubeconfig = path.join(tempDir(), 'kubeconfig');
    api.writeKubeconfig(kubeconfig);
    process.env.KUBECONFIG = kubeconfig;
    process.env.KUBECACHEDIR = path.join(path.dirname(kubeconfig), 'cache');
    const facts = await readCluster(clusterTargets(cluster), { kubeMs: 20000, deadline: new Deadline(30000) });
    return gatewayRoutesCheck(facts.gatewayRoutes!, CONTEXT);
  }

  test('names the route its listeners refuse, among all namespaces', async () => {
    const r = await read([
      route('runai', 'control-plane', [{ name: 'runai-gateway' }], [ACCEPTED]),
      route('runai-team-a', 'nb1', [{ name: 'runai-gateway', namespace: 'runai' }], [REFUSED]),
      route('elsewhere', 'unrelated', [{ name: 'another', namespace: 'elsewhere' }], [ACCEPTED]),
    ]);
    expect([r.status, r.detail]).toEqual([
      'fail',
      'Gateway runai/runai-gateway refuses 1 of 2 HTTPRoutes: runai-team-a/nb1 (NotAllowedByListeners)',
    ]);
    expect(api!.requests.map((q) => q.method)).not.toContain('PATCH');
  });

  test('fails when the Gateway API is not installed (no HTTPRoute type)', async () => {
    const r = await read([], ['gateway.networking.k8s.io/v1']);
    expect([r.status, r.detail]).toEqual(['fail', expect.stringContaining('its CRD is not installed')]);
  });
});

/**
 * One model of a cluster's mode: ClusterMode computes it, and the summary, `validate` and
 * `validate --json` all report what it computed, for every mode of the corpus.
 */
import * as path from 'node:path';

import { ClusterMode, ControlPlane, IngressController, Migration, Platform, Routing, RoutingApi, RunaiVersion } from '../lib';
import { ROOT, runInProcess, tempDir } from './helpers';

const CORPUS = path.join(ROOT, 'test', 'fixtures', 'corpus', 'corpus.yaml');

describe('ClusterMode', () => {
  test.each([
    ['a current Run:ai', {}, 'dedicated-ingress', 'runai'],
    ['Run:ai 2.12 (SaaS)', { runaiVersion: RunaiVersion.parse('2.12') }, 'legacy-patch', 'runai'],
    [
      'Run:ai 2.9 (self-hosted)',
      { runaiVersion: RunaiVersion.parse('2.9'), controlPlane: ControlPlane.SELF_HOSTED },
      'legacy-patch',
      'runai-backend',
    ],
    ['the Gateway API', { api: RoutingApi.GATEWAY_API, gateway: { name: 'gw', namespace: 'gateways' } }, 'gateway-api', 'gateways'],
    ['OpenShift', { platform: Platform.OPENSHIFT }, 'openshift-router', 'runai'],
    ['path routing', { routing: Routing.PATH }, 'path-routing', 'runai'],
  ] as const)('%s', (_, props, wiring, namespace) => {
    const mode = ClusterMode.of(props);
    expect(mode.wiring).toBe(wiring);
    expect(mode.starSecretNamespace).toBe(namespace);
    expect(mode.needsWildcardCertificate).toBe(wiring !== 'openshift-router' && wiring !== 'path-routing');
  });

  test('a Gateway without RoutingApi.GATEWAY_API is not used', () => {
    expect(ClusterMode.of({ gateway: { name: 'gw', namespace: 'gateways' } }).wiring).toBe('dedicated-ingress');
  });

  test("the IngressClass is the controller's unless given, and Run:ai is told it unless it is the class the release assumes", () => {
    const v220 = RunaiVersion.parse('2.20');
    expect(ClusterMode.of({ runaiVersion: v220 }).ingressClassName).toBe('nginx');
    expect(ClusterMode.of({ runaiVersion: v220 }).runaiIngressClass).toBeUndefined();
    // 2.25 (and no version): haproxy by default, always told, since the docs disagree on Run:ai's own default.
    expect(ClusterMode.of().ingressClassName).toBe('haproxy');
    expect(ClusterMode.of().runaiIngressClass).toBe('haproxy');
    expect(ClusterMode.of({ controller: IngressController.NGINX }).runaiIngressClass).toBe('nginx');
    expect(ClusterMode.of({ controller: IngressController.HAPROXY }).runaiIngressClass).toBe('haproxy');
    expect(ClusterMode.of({ controller: IngressController.TRAEFIK, ingressClassName: 'edge' }).runaiIngressClass).toBe('edge');
    expect(ClusterMode.of({ ingressClassName: null }).ingressClassName).toBeNull();
    expect(ClusterMode.of({ controller: IngressController.OTHER }).ingressClassName).toBeNull();
    expect(
      ClusterMode.of({ controller: IngressController.HAPROXY, api: RoutingApi.GATEWAY_API, gateway: { name: 'g', namespace: 'n' } })
        .runaiIngressClass,
    ).toBeUndefined();
  });

  // One answer to "which Ingresses does each phase write, and which serves", for the chart and doctor.
  test.each([
    ['no migration', undefined, [{ current: true, nameSuffix: '', ingressClassName: 'nginx' }], ''],
    [
      'to haproxy, phase 1',
      Migration.of('haproxy', 1),
      [
        { current: true, nameSuffix: '', ingressClassName: 'nginx' },
        { current: false, nameSuffix: '-haproxy', ingressClassName: 'haproxy' },
      ],
      '',
    ],
    [
      'to traefik, phase 2',
      Migration.of('traefik', 2),
      [
        { current: true, nameSuffix: '', ingressClassName: 'nginx' },
        { current: false, nameSuffix: '-traefik', ingressClassName: 'traefik' },
      ],
      '-traefik',
    ],
    [
      'to haproxy, phase 3',
      Migration.of('haproxy', 3),
      [{ current: false, nameSuffix: '-haproxy', ingressClassName: 'haproxy' }],
      '-haproxy',
    ],
    ['to the Gateway API, phase 1', Migration.of('gateway-api', 1), [{ current: true, nameSuffix: '', ingressClassName: 'nginx' }], ''],
    [
      'to the Gateway API, phase 2',
      Migration.of('gateway-api', 2),
      [{ current: true, nameSuffix: '', ingressClassName: 'nginx' }],
      undefined,
    ],
    ['to the Gateway API, phase 3', Migration.of('gateway-api', 3), [], undefined],
  ] as const)('the Ingress sets of %s, and the one serving', (_, migration, sets, serving) => {
    const mode = ClusterMode.of({ controller: IngressController.NGINX, migration, gateway: { name: 'gw', namespace: 'gateways' } });
    expect(mode.ingressSets).toEqual(sets);
    expect(mode.servingIngressSet?.nameSuffix).toBe(serving);
  });

  test('the inference Secret is read in Knative, the Gateway, or both while a migration to the Gateway API keeps the knative Ingress', () => {
    const gateway = { name: 'gw', namespace: 'gateways' };
    const moving = (phase: 1 | 2 | 3) =>
      ClusterMode.of({ controller: IngressController.NGINX, migration: Migration.of('gateway-api', phase), gateway })
        .inferenceSecretNamespaces;
    expect(ClusterMode.of().inferenceSecretNamespaces).toEqual(['knative-serving']);
    expect(ClusterMode.of({ api: RoutingApi.GATEWAY_API, gateway }).inferenceSecretNamespaces).toEqual(['gateways']);
    expect([moving(1), moving(2), moving(3)]).toEqual([['knative-serving', 'gateways'], ['knative-serving', 'gateways'], ['gateways']]);
  });
});

describe('every report names the mode ClusterMode computed', () => {
  const expected: Record<string, [string, string]> = {
    'current-saas-files': ['dedicated-ingress', 'Run:ai 2.20: dedicated wildcard Ingress'],
    'unversioned-self-hosted': ['dedicated-ingress', 'dedicated wildcard Ingress'],
    'legacy-saas': ['legacy-patch', 'Run:ai 2.10: patch of researcher-service-ingress'],
    'legacy-self-hosted': ['legacy-patch', 'Run:ai 2.12.4: patch of runai-backend-ingress'],
    'sealed-cluster-wide': ['legacy-patch', 'Run:ai 2.11: patch of runai-backend-ingress'],
    'path-routing': ['path-routing', 'kubernetes, path routing'],
    openshift: ['openshift-router', 'openshift, host routing'],
    'gateway-api': ['gateway-api', 'Gateway API gateways/runai-gateway'],
  };
  const json = JSON.parse(runInProcess(['validate', '--json', '--config', CORPUS, '--at', '2030-01-01']).stdout);
  const text = runInProcess(['validate', '--config', CORPUS, '--at', '2030-01-01']).stdout;

  test.each(Object.entries(expected))('%s', (name, [wiring, reportText]) => {
    const cluster = json.clusters.find((c: { name: string }) => c.name === name);
    expect(cluster.wiring).toBe(wiring);
    expect(text).toContain(`${name}  runai.example.com  (`);
    expect(text.split('\n').find((l) => l.startsWith(`${name}  `))).toMatch(
      new RegExp(`, ${reportText.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)$`),
    );
  });

  test('the synth summary names each mode too', () => {
    const r = runInProcess(['synth', '--config', CORPUS, '--out', path.join(tempDir(), 'dist')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('openshift: workspaces at https://<project>-<workload>.runai.example.com/ (OpenShift router)');
    expect(r.stderr).toContain('path-routing: workspaces at https://runai.example.com/<project>/<workload> (path routing)');
    expect(r.stderr).toContain(
      'gateway-api: workspaces at https://<project>-<workload>.runai.example.com/ (Gateway API: gateways/runai-gateway)',
    );
    expect(r.stderr).toContain(
      'legacy-saas: workspaces at https://<project>-<workload>.runai.example.com/ (Run:ai 2.9-2.12: patch of the existing ingress)',
    );
  });
});

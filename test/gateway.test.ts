/** exposure: gateway-api — the Gateway, the inference HTTPRoute, where Secrets go, and refusals. */

import { validateReport } from '../lib/cli/report';
import { RunaiGateway, RunaiGatewayProps } from '../lib/constructs/gateway';
import { RunaiTlsSecret } from '../lib/constructs/tls-secret';
import { ValidationError } from '../lib/model/errors';
import { synthesize } from '../lib/output/render';
import { testChart } from './chart-scope';
import { DEMO_CERT, DEMO_KEY, emittedObjects, loadOne, problemLines } from './helpers';

const FILES = `{source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}`;

const GATEWAY = '    exposure: gateway-api\n    gateway: {name: runai-gateway, namespace: runai, className: kgateway}\n';
const load = (lines: string) => loadOne(lines);
const problems = (lines: string) => problemLines(() => load(lines), false);
function emitted(lines: string) {
  const e = emittedObjects(synthesize(load(lines).clusters)[0]);
  return { ...e, find: (kind: string) => e.docs.find((d) => d.kind === kind) };
}
const ALL = { from: 'All' };
const named = (name: string) => ({ from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
const PROJECTS = { from: 'Selector', selector: { matchExpressions: [{ key: 'runai/queue', operator: 'Exists' }] } };
const listener = (name: string, hostname: string, secret: string, namespaces: object = ALL) => ({
  name,
  hostname,
  port: 443,
  protocol: 'HTTPS',
  tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: secret }] },
  allowedRoutes: { kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }], namespaces },
});
/** Each listener's name and the namespaces it admits routes from. */
const admits = (lines: string) =>
  emitted(lines)
    .find('Gateway')
    .spec.listeners.map((l: { name: string; allowedRoutes: { namespaces: object } }) => [l.name, l.allowedRoutes.namespaces]);

describe('exposure: gateway-api', () => {
  const full = `${GATEWAY}    tls: {source: existing}\n    clusterTls: {source: existing}\n    inference: {domain: runai-inference.example.com, tls: {source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}}}\n`;

  test('a Gateway with the three HTTPS listeners, admitting HTTPRoutes: from all namespaces, inference from knative-serving', () => {
    const gateway = emitted(full).find('Gateway');
    expect(gateway).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'runai-gateway', namespace: 'runai' },
      spec: {
        gatewayClassName: 'kgateway',
        listeners: [
          listener('https-cluster-domain', 'runai.example.com', 'runai-cluster-domain-tls-secret'),
          listener('https-workloads', '*.runai.example.com', 'runai-cluster-domain-star-tls-secret'),
          listener('https-inference', '*.runai-inference.example.com', 'runai-cluster-inference-tls-secret', named('knative-serving')),
        ],
      },
    });
  });

  test('the inference HTTPRoute to kourier:80 through https-inference, and no Ingress at all', () => {
    const { find, kinds } = emitted(full);
    expect(find('HTTPRoute')).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'knative-serving-httproute', namespace: 'knative-serving' },
      spec: {
        parentRefs: [{ name: 'runai-gateway', namespace: 'runai', sectionName: 'https-inference' }],
        hostnames: ['*.runai-inference.example.com'],
        rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'kourier', port: 80 }] }],
      },
    });
    expect(kinds.filter((k) => k.startsWith('Ingress'))).toEqual([]);
  });

  test("every Secret goes to the Gateway's namespace", () => {
    const { kinds } = emitted(
      `    exposure: gateway-api\n    gateway: {name: gw, namespace: gateways, className: kgateway}\n    tls: {source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}}\n    clusterTls: {source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}}\n    inference: {domain: i.example.com, tls: {source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}}}\n`,
    );
    expect(kinds.filter((k) => k.startsWith('Certificate')).sort()).toEqual([
      'Certificate gateways/runai-cluster-domain-star-tls',
      'Certificate gateways/runai-cluster-domain-tls',
      'Certificate gateways/runai-cluster-inference-tls',
    ]);
  });

  test('the Helm values enable the Gateway API and disable ingress', () => {
    // Without runaiVersion the 2.25 profile sends subdomainSupport by Helm values too.
    expect(emitted(full).helm).toEqual({
      clusterConfig: {
        global: {
          gatewayAPI: { enabled: true, name: 'runai-gateway', namespace: 'runai' },
          ingress: { enabled: false },
          subdomainSupport: true,
        },
      },
    });
    expect(emitted(`${full}    runaiConfig: {via: overlay}\n`).helm).toEqual({
      clusterConfig: { global: { gatewayAPI: { enabled: true, name: 'runai-gateway', namespace: 'runai' }, ingress: { enabled: false } } },
    });
    expect(emitted(`${full}    runaiConfig: {via: both}\n`).helm.clusterConfig.global).toEqual({
      gatewayAPI: { enabled: true, name: 'runai-gateway', namespace: 'runai' },
      ingress: { enabled: false },
      subdomainSupport: true,
    });
  });

  test('path routing: no https-workloads listener', () => {
    const gateway = emitted(`${GATEWAY}    routing: path\n`).find('Gateway');
    expect(gateway.spec.listeners.map((l: { name: string }) => l.name)).toEqual(['https-cluster-domain']);
  });

  test('httpRedirect: a port-80 listener for every host that admits only runai-https-redirect, whose one route redirects to https', () => {
    const { find, docs } = emitted(`${GATEWAY.replace('kgateway}', 'kgateway, httpRedirect: true}')}    tls: {source: existing}\n`);
    expect(find('Gateway').spec.listeners.at(-1)).toEqual({
      name: 'http',
      port: 80,
      protocol: 'HTTP',
      allowedRoutes: {
        kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
        namespaces: named('runai-https-redirect'),
      },
    });
    expect(find('Namespace')).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'runai-https-redirect' } });
    expect(docs.filter((d) => d.kind === 'HTTPRoute')).toEqual([
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'https-redirect', namespace: 'runai-https-redirect' },
        spec: {
          parentRefs: [{ name: 'runai-gateway', namespace: 'runai', sectionName: 'http' }],
          rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
        },
      },
    ]);
    const notes = synthesize(
      load(`${GATEWAY.replace('kgateway}', 'kgateway, httpRedirect: true}')}    tls: {source: existing}\n`).clusters,
    )[0].notes;
    expect(notes).toContain(
      'Gateway API: listener http answers every http:// URL with a redirect to https:// (301), from the HTTPRoute in ' +
        "runai-https-redirect; the Gateway's load balancer must take port 80 too.",
    );
    // Without it: HTTPS only, and nothing of the redirect.
    const { kinds } = emitted(`${GATEWAY}    tls: {source: existing}\n`);
    expect(kinds.filter((k) => k.startsWith('Namespace') || k.startsWith('HTTPRoute'))).toEqual([]);
    expect(synthesize(load(`${GATEWAY}    tls: {source: existing}\n`).clusters)[0].notes.join('\n')).not.toContain('listener http answers');
    expect(problems(`${GATEWAY.replace('kgateway}', 'kgateway, httpRedirect: "yes"}')}    tls: {source: existing}\n`)).toEqual([
      'clusters[0].gateway.httpRedirect: must be true or false, got a string',
    ]);
  });

  describe('routeNamespaces: runai admits routes only from where Run:ai makes them', () => {
    const runaiOnly = GATEWAY.replace('className: kgateway}', 'className: kgateway, routeNamespaces: runai}');
    const inference = '    inference: {domain: i.example.com, tls: {source: existing}}\n';
    test('SaaS: the cluster URL from runai, the workspaces from namespaces with the project label', () => {
      expect(admits(`${runaiOnly}    tls: {source: existing}\n${inference}`)).toEqual([
        ['https-cluster-domain', named('runai')],
        ['https-workloads', PROJECTS],
        ['https-inference', named('knative-serving')],
      ]);
    });
    test('self-hosted: the cluster URL from runai and runai-backend, where the control plane makes its routes', () => {
      expect(admits(`${runaiOnly}    deployment: self-hosted\n    tls: {source: existing}\n`)).toEqual([
        [
          'https-cluster-domain',
          {
            from: 'Selector',
            selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['runai', 'runai-backend'] }] },
          },
        ],
        ['https-workloads', PROJECTS],
      ]);
    });
    test('fails with path routing, where workspaces are routed on the cluster URL from their projects: it would admit all', () => {
      expect(problems(`${runaiOnly}    routing: path\n`)).toEqual([
        'clusters[0].gateway.routeNamespaces: is not used with routing: path, where workspaces are routed on the cluster URL from ' +
          'their project namespaces, so it admits every namespace; remove gateway.routeNamespaces',
      ]);
      expect(admits(`${GATEWAY}    routing: path\n`)).toEqual([['https-cluster-domain', ALL]]);
    });
    test('a migration to the Gateway API takes it too', () => {
      const migrating =
        '    ingress: {controller: nginx}\n    tls: {source: existing}\n    migration: {to: gateway-api, phase: 1}\n' +
        '    gateway: {name: runai-gateway, namespace: runai, className: kgateway, routeNamespaces: runai}\n';
      expect(admits(migrating)).toEqual([
        ['https-cluster-domain', named('runai')],
        ['https-workloads', PROJECTS],
      ]);
    });
    test('the default, all, is written as every namespace', () => {
      expect(admits(`${GATEWAY.replace('kgateway}', 'kgateway, routeNamespaces: all}')}    tls: {source: existing}\n`)).toEqual([
        ['https-cluster-domain', ALL],
        ['https-workloads', ALL],
      ]);
    });
  });

  test("the summary names the mode and the Gateway's needs", () => {
    const { out } = emitted(full);
    expect(out.mode.summaryText).toBe('Gateway API: runai/runai-gateway');
    expect(out.mode.wiring).toBe('gateway-api');
    expect(out.notes).toContain(
      'Gateway API: this writes clusterConfig.global.ingress.enabled: false at once, for a cluster set up on the Gateway; a cluster that serves traffic through an Ingress today should move with migration: {to: gateway-api, phase: 1}, which disables ingress only in phase 3, after DNS has moved (a cluster that finished that migration keeps its config at phase 3).',
    );
    expect(out.notes).toContain(
      "Gateway API: the GatewayClass must exist; install or upgrade Run:ai with the Helm values fragment (gatewayAPI enabled, ingress disabled); TLS Secrets are in runai, the Gateway's namespace.",
    );
  });
});

describe('refusals', () => {
  test('fails when gateway-api has no gateway', () => {
    expect(problems('    exposure: gateway-api\n    tls: {source: existing}\n')).toEqual([
      'clusters[0].gateway: is required with exposure: gateway-api: {name, namespace, className}',
    ]);
  });
  test('fails when gateway settings come with exposure: ingress', () => {
    expect(problems('    tls: {source: existing}\n    gateway: {name: g, namespace: runai, className: kgateway}\n')).toEqual([
      'clusters[0].gateway: is only used with exposure: gateway-api or migration: {to: gateway-api}; set one or remove gateway',
    ]);
  });
  test('fails when ingress settings come with gateway-api', () => {
    expect(problems(`${GATEWAY}    tls: {source: existing}\n    ingress: {className: nginx}\n`)).toEqual([
      'clusters[0].ingress: is not used with exposure: gateway-api, which creates no Ingress; remove ingress',
    ]);
  });
  test('fails with a gateway on OpenShift (the Gateway Run:ai names is used) and with a legacy Run:ai', () => {
    expect(problems(`${GATEWAY}    platform: openshift\n`)).toEqual([
      'clusters[0].gateway: is not used on OpenShift, where inference goes through the Gateway of inference.gateway (default openshift-default in openshift-ingress); remove gateway',
    ]);
    expect(problems(`${GATEWAY}    tls: {source: existing}\n    runaiVersion: "2.12"\n`)).toEqual([
      'clusters[0].exposure: gateway-api needs Run:ai 2.25 or later, whose docs describe it, not runaiVersion "2.12"',
    ]);
  });
  test('fails with a Run:ai before 2.25, which takes the Gateway API only from 2.25 and would not create its routes', () => {
    expect(problems(`${GATEWAY}    tls: {source: existing}\n    runaiVersion: "2.24"\n`)).toEqual([
      'clusters[0].exposure: gateway-api needs Run:ai 2.25 or later, whose docs describe it, not runaiVersion "2.24"',
    ]);
    expect(problems(`${GATEWAY}    tls: {source: existing}\n    runaiVersion: "2.25"\n`)).toEqual([]);
    expect(problems(`${GATEWAY}    tls: {source: existing}\n    runaiVersion: "2.26"\n`)).toEqual([]);
  });
  test('fails when a workload is exposed by subdomain, which creates an Ingress', () => {
    expect(
      problems(`${GATEWAY}    tls: {source: existing}\n    expose: [{project: a, workload: w, type: subdomain, ports: ["80"]}]\n`),
    ).toEqual([
      'clusters[0].expose[0].type: subdomain creates an Ingress; with exposure: gateway-api use port-forward, node-port or load-balancer',
    ]);
  });
  test('fails when the gateway fields are wrong', () => {
    expect(
      problems('    exposure: gateway-api\n    tls: {source: existing}\n    gateway: {name: Gw, namespace: runai, className: "k g"}\n'),
    ).toEqual([
      'clusters[0].gateway.name: must be a DNS label such as runai-gateway',
      'clusters[0].gateway.className: must be a GatewayClass name: a lower-case DNS name such as kgateway',
    ]);
    expect(problems('    exposure: gateways\n    tls: {source: existing}\n')).toEqual([
      'clusters[0].exposure: must be one of: ingress, gateway-api',
    ]);
    expect(problems(GATEWAY.replace('kgateway}', 'kgateway, routeNamespaces: projects}') + '    tls: {source: existing}\n')).toEqual([
      'clusters[0].gateway.routeNamespaces: must be one of: all, runai',
    ]);
  });
});

describe('notes', () => {
  test('the Helm-upgrade note appears only when RunaiConfig settings go by Helm values', () => {
    const gatewayOnly = emitted(`${GATEWAY}    tls: {source: existing}\n    runaiConfig: {via: overlay}\n`).out.notes;
    expect(gatewayOnly.some((n) => n.startsWith('Helm-managed Run:ai'))).toBe(false);
    const viaHelm = emitted(`${GATEWAY}    tls: {source: existing}\n    runaiConfig: {via: helm-values}\n`).out.notes;
    expect(viaHelm).toContain(
      'Helm-managed Run:ai: merge helm/runai-cluster-values.yaml into the cluster release values (helm upgrade runai-cluster runai/runai-cluster -n runai --reuse-values -f <this folder>/helm/runai-cluster-values.yaml); a Helm upgrade reverts kubectl changes, and Run:ai says to manage settings through Helm values only.',
    );
  });
});

describe('Secrets the Gateway reads that runai-access does not write', () => {
  const EDGE = '    exposure: gateway-api\n    gateway: {name: gw, namespace: edge, className: kgateway}\n    tls: {source: existing}\n';
  const unwritten = (notes: readonly string[]) => notes.filter((n) => n.includes('not written by runai-access'));

  test("the summary names each, in the Gateway's namespace, with the listener that reads it and how to create it", () => {
    expect(unwritten(emitted(EDGE).out.notes)).toEqual([
      'Secret edge/runai-cluster-domain-tls-secret is read by listener https-cluster-domain of Gateway edge/gw and not written by ' +
        'runai-access: it must exist there (if not: kubectl create secret tls runai-cluster-domain-tls-secret -n edge --cert=<chain file> --key=<key file>).',
      'Secret edge/runai-cluster-domain-star-tls-secret is read by listener https-workloads of Gateway edge/gw and not written by ' +
        'runai-access: it must exist there (if not: kubectl create secret tls runai-cluster-domain-star-tls-secret -n edge --cert=<chain file> --key=<key file>).',
    ]);
  });

  test("validate names them with their namespace, the cluster URL listener's too when clusterTls is not set", () => {
    const report = validateReport('c.yaml', load(EDGE).clusters, [], new Date('2026-11-30T00:00:00Z'));
    expect(report).toContain('\n  certificate: existing Secret edge/runai-cluster-domain-star-tls-secret, not checked here\n');
    expect(report).toContain(
      "\n  cluster certificate: existing Secret edge/runai-cluster-domain-tls-secret (read by the Gateway's listener for " +
        'runai.example.com; clusterTls not set), not checked here\n',
    );
  });

  test('a Secret runai-access writes gets no such note, and neither does a cluster without a Gateway whose Secrets it writes', () => {
    const written = `    exposure: gateway-api\n    gateway: {name: gw, namespace: edge, className: kgateway}\n    tls: ${FILES}\n    clusterTls: ${FILES}\n`;
    expect(unwritten(emitted(written).out.notes)).toEqual([]);
    expect(unwritten(emitted(`    tls: ${FILES}\n`).out.notes)).toEqual([]);
    expect(unwritten(emitted('    tls: {source: existing}\n').out.notes)).toEqual([
      'Secret runai/runai-cluster-domain-star-tls-secret is read by the wildcard Ingress and not written by runai-access: ' +
        'it must exist there (if not: kubectl create secret tls runai-cluster-domain-star-tls-secret -n runai --cert=<chain file> --key=<key file>).',
    ]);
  });
});

describe('RunaiGateway construct', () => {
  /** A Gateway in runai with its cluster URL listener, and `props` over those. */
  const gatewayWith = (props: Partial<RunaiGatewayProps>) => () =>
    new RunaiGateway(testChart(), 'G', {
      name: 'gw',
      namespace: 'runai',
      className: 'kgateway',
      clusterUrl: 'runai.example.com',
      clusterSecret: RunaiTlsSecret.fromExisting('runai', 'runai-cluster-domain-tls-secret'),
      ...props,
    });
  test('fails when its name, namespace or class is not one the API server takes', () => {
    expect(
      () =>
        new RunaiGateway(testChart(), 'G', {
          name: 'G!',
          namespace: '',
          className: 'Bad_Class',
          clusterUrl: 'runai.example.com',
          clusterSecret: RunaiTlsSecret.fromExisting(''),
        }),
    ).toThrow(
      new ValidationError(
        'name: <2 characters of text, not shown> must be a lower-case DNS label: a-z, 0-9 and "-", such as runai; ' +
          'namespace: "" must be a lower-case DNS label: a-z, 0-9 and "-", such as runai; ' +
          'className: "Bad_Class" must be a lower-case DNS subdomain: a-z, 0-9, "-" and ".", such as nginx',
      ),
    );
  });
  test('fails when routeNamespaces or runaiNamespaces is not one it takes (a JavaScript caller)', () => {
    const gateway = (extra: object) => gatewayWith({ workloadsSecret: RunaiTlsSecret.fromExisting('runai', 'star'), ...extra });
    expect(gateway({ routeNamespaces: 'some' })).toThrow(
      new ValidationError("routeNamespaces: must be one of 'all', 'runai', got the string \"some\""),
    );
    expect(gateway({ routeNamespaces: 'runai', runaiNamespaces: ['runai', 'Not A Namespace'] })).toThrow(
      new ValidationError('runaiNamespaces: "Not A Namespace" must be a lower-case DNS label: a-z, 0-9 and "-", such as runai'),
    );
  });
  test('fails when the inference domain is no host name, also without a workspace listener (path routing)', () => {
    const gateway = (domain: string) =>
      gatewayWith({ inference: { domain, secret: RunaiTlsSecret.fromExisting('runai', 'runai-cluster-inference-tls-secret') } });
    expect(gateway('inference')).toThrow(/^inference\.domain: .*single-label name/);
    expect(gateway('runai-inference.example.com')).not.toThrow();
  });
  test("fails when a listener's Secret is not in the Gateway's namespace", () => {
    expect(
      gatewayWith({
        namespace: 'gateways',
        clusterSecret: RunaiTlsSecret.fromExisting('gateways', 'runai-cluster-domain-tls-secret'),
        workloadsSecret: RunaiTlsSecret.fromExisting('runai'),
      }),
    ).toThrow(
      new ValidationError(
        'https-workloads: namespace "runai" must be "gateways", the namespace of the gateway; a gateway listener can only use a tls secret of its own namespace',
      ),
    );
  });
});

/**
 * The rules about which settings go together are one table (lib/model/rules.ts). Each broken
 * rule is reported by both layers: the config as `clusters[0].<path>: message`, the chart as
 * a ValidationError naming its props.
 */
import * as fs from 'node:fs';

import { App } from 'cdk8s';

import {
  ControlPlane,
  ExposeType,
  IngressController,
  Migration,
  parseConfig,
  Platform,
  Routing,
  RoutingApi,
  RunaiAccessChart,
  RunaiAccessChartProps,
  RunaiVersion,
  TlsSource,
  ValidationError,
} from '../lib';
import { DEMO_CERT, DEMO_KEY, problemLines } from './helpers';

const files = TlsSource.fromPem({ certificatePem: fs.readFileSync(DEMO_CERT), privateKeyPem: fs.readFileSync(DEMO_KEY) });
const GATEWAY = { name: 'gw', namespace: 'runai', className: 'kgateway' };
const port = [{ port: 80, targetPort: 80 }];

/** A cluster URL of 251 characters, the most a valid one has (`*.` + it is 253): too long for any workspace host. */
const LONGEST_URL = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(55)}.com`;
/** A cluster URL of 249 characters, the longest with room for a workspace host: `a-b.` + it is 253. */
const LONG_URL = LONGEST_URL.replace('.com', '.c');

const ROOMLESS =
  'is 251 characters: with routing: host (the default), each workspace is served at <project>-<workload>.<clusterUrl>, ' +
  'at least 255 characters, and a host name has at most 253; use a cluster URL of at most 249 characters, or set routing: path';

/**
 * One rule: config lines for the cluster, the config problem, chart props and the chart's
 * message; and the cluster URL when not runai.example.com.
 */
const cases: [string, string, string, Partial<RunaiAccessChartProps>, string, string?][] = [
  [
    'tls is given on OpenShift',
    'platform: openshift\n    tls: {source: existing}',
    'clusters[0].tls: is not used on OpenShift, whose router serves TLS and routes; remove tls',
    { platform: Platform.OPENSHIFT, tls: files },
    'tls: is not used on OpenShift, whose router serves TLS and routes; remove tls',
  ],
  [
    'tls is given with path routing',
    'routing: path\n    tls: {source: existing}',
    'clusters[0].tls: is not used with routing: path, which needs no wildcard certificate or Ingress; remove tls',
    { routing: Routing.PATH, tls: files },
    'tls: is not used with routing: path, which needs no wildcard certificate or Ingress; remove tls',
  ],
  [
    'ingress annotations are given with path routing',
    'routing: path\n    ingress: {className: nginx, annotations: {a: b}}',
    'clusters[0].ingress.annotations: is not used with routing: path, which writes no wildcard Ingress for them to act on ' +
      '(controller and className set the class Run:ai and the inference Ingress use); remove ingress.annotations',
    { routing: Routing.PATH, ingressClassName: 'nginx', ingressAnnotations: { a: 'b' } },
    'ingressAnnotations: is not used with routing: path, which writes no wildcard Ingress for them to act on ' +
      '(controller and className set the class Run:ai and the inference Ingress use); remove ingressAnnotations',
  ],
  [
    'ingress settings are given with path routing on OpenShift',
    'platform: openshift\n    routing: path\n    ingress: {className: nginx}',
    'clusters[0].ingress: is not used on OpenShift, whose router serves TLS and routes; remove ingress',
    { platform: Platform.OPENSHIFT, routing: Routing.PATH, ingressClassName: 'nginx' },
    'ingressClassName: is not used on OpenShift, whose router serves TLS and routes; remove ingressClassName',
  ],
  [
    'ingress settings are given with path routing and the Gateway API',
    'routing: path\n    exposure: gateway-api\n    gateway: {name: gw, namespace: runai, className: kgateway}\n    ingress: {className: nginx, annotations: {a: b}}',
    'clusters[0].ingress: is not used with exposure: gateway-api, which creates no Ingress; remove ingress',
    {
      routing: Routing.PATH,
      exposure: RoutingApi.GATEWAY_API,
      gateway: GATEWAY,
      ingressClassName: 'nginx',
      ingressAnnotations: { a: 'b' },
    },
    'ingressClassName, ingressAnnotations: is not used with exposure: gateway-api, which creates no Ingress; remove ingressClassName, ingressAnnotations',
  ],
  [
    'clusterTls is given on OpenShift',
    'platform: openshift\n    clusterTls: {source: existing}',
    'clusters[0].clusterTls: is not used on OpenShift, whose router serves TLS and routes; remove clusterTls',
    { platform: Platform.OPENSHIFT, clusterTls: TlsSource.existing() },
    'clusterTls: is not used on OpenShift, whose router serves TLS and routes; remove clusterTls',
  ],
  [
    'inference is given on OpenShift without exposure gateway-api',
    'platform: openshift\n    inference: {domain: inference.example.com}',
    'clusters[0].inference: on OpenShift goes through a Gateway (inference.gateway, default openshift-default in openshift-ingress): set exposure: gateway-api, or remove inference',
    { platform: Platform.OPENSHIFT, inference: { domain: 'inference.example.com' } },
    'inference: on OpenShift goes through a Gateway (inference.gateway, default openshift-default in openshift-ingress): set exposure: gateway-api, or remove inference',
  ],
  [
    'inference has tls on OpenShift',
    'platform: openshift\n    exposure: gateway-api\n    inference: {domain: inference.example.com, tls: {source: existing}}',
    "clusters[0].inference.tls: is not used on OpenShift, where the inference route's Gateway serves the inference domain's TLS; remove inference.tls",
    {
      platform: Platform.OPENSHIFT,
      exposure: RoutingApi.GATEWAY_API,
      inference: { domain: 'inference.example.com', tls: TlsSource.existing() },
    },
    "inference.tls: is not used on OpenShift, where the inference route's Gateway serves the inference domain's TLS; remove inference.tls",
  ],
  [
    'inference has no tls on Kubernetes',
    'tls: {source: existing}\n    inference: {domain: inference.example.com}',
    'clusters[0].inference.tls: is required on Kubernetes: the *.<domain> certificate ({source: files, certFile, keyFile}, ...)',
    { tls: files, inference: { domain: 'inference.example.com' } },
    'inference.tls: is required on Kubernetes: the *.<domain> certificate ({source: files, certFile, keyFile}, ...)',
  ],
  [
    'host routing on Kubernetes has no tls',
    '',
    'clusters[0].tls: is required: where the wildcard certificate comes from ({source: files, certFile, keyFile}, {source: cert-manager, issuerRef}, ...)',
    {},
    'tls: is required: where the wildcard certificate comes from ({source: files, certFile, keyFile}, {source: cert-manager, issuerRef}, ...)',
  ],
  [
    'a subdomain expose is given with path routing',
    'routing: path\n    expose: [{project: a, workload: w, type: subdomain, ports: ["80"]}]',
    'clusters[0].expose[0].type: subdomain needs routing: host; use port-forward, node-port or load-balancer',
    { routing: Routing.PATH, expose: [{ project: 'a', workload: 'w', type: ExposeType.SUBDOMAIN, ports: port }] },
    'expose[0].type: subdomain needs routing: host; use port-forward, node-port or load-balancer',
  ],
  [
    'exposure gateway-api has no gateway',
    'exposure: gateway-api\n    tls: {source: existing}',
    'clusters[0].gateway: is required with exposure: gateway-api: {name, namespace, className}',
    { exposure: RoutingApi.GATEWAY_API, tls: files },
    'gateway: is required with exposure: gateway-api: {name, namespace, className}',
  ],
  [
    'a gateway is given on OpenShift',
    `platform: openshift\n    exposure: gateway-api\n    gateway: {name: gw, namespace: runai, className: kgateway}`,
    'clusters[0].gateway: is not used on OpenShift, where inference goes through the Gateway of inference.gateway (default openshift-default in openshift-ingress); remove gateway',
    { platform: Platform.OPENSHIFT, exposure: RoutingApi.GATEWAY_API, gateway: GATEWAY },
    'gateway: is not used on OpenShift, where inference goes through the Gateway of inference.gateway (default openshift-default in openshift-ingress); remove gateway',
  ],
  [
    'ingress settings are given with the Gateway API',
    'exposure: gateway-api\n    gateway: {name: gw, namespace: runai, className: kgateway}\n    ingress: {className: nginx}\n    tls: {source: existing}',
    'clusters[0].ingress: is not used with exposure: gateway-api, which creates no Ingress; remove ingress',
    { exposure: RoutingApi.GATEWAY_API, gateway: GATEWAY, tls: files, ingressAnnotations: {} },
    'ingressAnnotations: is not used with exposure: gateway-api, which creates no Ingress; remove ingressAnnotations',
  ],
  [
    'the Gateway API is given a legacy Run:ai',
    'runaiVersion: "2.11"\n    exposure: gateway-api\n    gateway: {name: gw, namespace: runai, className: kgateway}\n    tls: {source: existing}',
    'clusters[0].exposure: gateway-api needs Run:ai 2.25 or later, whose docs describe it, not runaiVersion "2.11"',
    { runaiVersion: RunaiVersion.parse('2.11'), exposure: RoutingApi.GATEWAY_API, gateway: GATEWAY, tls: files },
    'exposure: gateway-api needs Run:ai 2.25 or later, whose docs describe it, not runaiVersion "2.11"',
  ],
  [
    'the Gateway API is given a Run:ai before 2.25, which would not create its routes',
    'runaiVersion: "2.24"\n    exposure: gateway-api\n    gateway: {name: gw, namespace: runai, className: kgateway}\n    tls: {source: existing}',
    'clusters[0].exposure: gateway-api needs Run:ai 2.25 or later, whose docs describe it, not runaiVersion "2.24"',
    { runaiVersion: RunaiVersion.parse('2.24'), exposure: RoutingApi.GATEWAY_API, gateway: GATEWAY, tls: files },
    'exposure: gateway-api needs Run:ai 2.25 or later, whose docs describe it, not runaiVersion "2.24"',
  ],
  [
    'a subdomain expose is given with the Gateway API',
    'exposure: gateway-api\n    gateway: {name: gw, namespace: runai, className: kgateway}\n    tls: {source: existing}\n    expose: [{project: a, workload: w, type: subdomain, ports: ["80"]}]',
    'clusters[0].expose[0].type: subdomain creates an Ingress; with exposure: gateway-api use port-forward, node-port or load-balancer',
    {
      exposure: RoutingApi.GATEWAY_API,
      gateway: GATEWAY,
      tls: files,
      expose: [{ project: 'a', workload: 'w', type: ExposeType.SUBDOMAIN, ports: port }],
    },
    'expose[0].type: subdomain creates an Ingress; with exposure: gateway-api use port-forward, node-port or load-balancer',
  ],
  [
    'a gateway is given without exposure gateway-api',
    'gateway: {name: gw, namespace: runai, className: kgateway}\n    tls: {source: existing}',
    'clusters[0].gateway: is only used with exposure: gateway-api or migration: {to: gateway-api}; set one or remove gateway',
    { gateway: GATEWAY, tls: files },
    'gateway: is only used with exposure: gateway-api or migration: {to: gateway-api}; set one or remove gateway',
  ],
  [
    'controller other has no class',
    'ingress: {controller: other}\n    tls: {source: existing}',
    'clusters[0].ingress.className: is required with controller: other; name the IngressClass your controller watches',
    { ingressController: IngressController.OTHER, tls: files },
    'ingressClassName: is required with controller: other; name the IngressClass your controller watches',
  ],
  [
    'ingress settings are given with a legacy Run:ai',
    'runaiVersion: "2.12"\n    ingress: {className: nginx}\n    tls: {source: existing}',
    'clusters[0].ingress: is not used with runaiVersion "2.12": before 2.13 the existing ingress is patched and no wildcard Ingress is created; remove ingress',
    { runaiVersion: RunaiVersion.parse('2.12'), ingressClassName: 'nginx', tls: files },
    'ingressClassName: is not used with runaiVersion "2.12": before 2.13 the existing ingress is patched and no wildcard Ingress is created; remove ingressClassName',
  ],
  [
    // The chart took a controller here without a word, and told Run:ai its class.
    'an ingress controller is given with a legacy Run:ai',
    'runaiVersion: "2.10"\n    ingress: {controller: haproxy}\n    tls: {source: existing}',
    'clusters[0].ingress: is not used with runaiVersion "2.10": before 2.13 the existing ingress is patched and no wildcard Ingress is created; remove ingress',
    { runaiVersion: RunaiVersion.parse('2.10'), ingressController: IngressController.HAPROXY, tls: files },
    'ingressController: is not used with runaiVersion "2.10": before 2.13 the existing ingress is patched and no wildcard Ingress is created; remove ingressController',
  ],
  [
    'an ingress controller is given on OpenShift',
    'platform: openshift\n    ingress: {controller: haproxy}',
    'clusters[0].ingress: is not used on OpenShift, whose router serves TLS and routes; remove ingress',
    { platform: Platform.OPENSHIFT, ingressController: IngressController.HAPROXY },
    'ingressController: is not used on OpenShift, whose router serves TLS and routes; remove ingressController',
  ],
  [
    'an ingress controller and class are given with the Gateway API',
    'exposure: gateway-api\n    gateway: {name: gw, namespace: runai, className: kgateway}\n    ingress: {controller: haproxy, className: edge}\n    tls: {source: existing}',
    'clusters[0].ingress: is not used with exposure: gateway-api, which creates no Ingress; remove ingress',
    {
      exposure: RoutingApi.GATEWAY_API,
      gateway: GATEWAY,
      tls: files,
      ingressController: IngressController.HAPROXY,
      ingressClassName: 'edge',
    },
    'ingressController, ingressClassName: is not used with exposure: gateway-api, which creates no Ingress; remove ingressController, ingressClassName',
  ],
  [
    'a migration is given on OpenShift',
    'platform: openshift\n    migration: {to: traefik, phase: 1}',
    'clusters[0].migration: is not used on OpenShift, whose router serves TLS and routes; remove migration',
    { platform: Platform.OPENSHIFT, migration: Migration.of('traefik', 1) },
    'migration: is not used on OpenShift, whose router serves TLS and routes; remove migration',
  ],
  [
    'a migration is given with exposure gateway-api',
    'exposure: gateway-api\n    gateway: {name: gw, namespace: runai, className: kgateway}\n    tls: {source: existing}\n    migration: {to: traefik, phase: 1}',
    'clusters[0].migration: is not used with exposure: gateway-api, which already is the destination; remove migration',
    { exposure: RoutingApi.GATEWAY_API, gateway: GATEWAY, tls: files, migration: Migration.of('traefik', 1) },
    'migration: is not used with exposure: gateway-api, which already is the destination; remove migration',
  ],
  [
    'a migration is given with a legacy Run:ai',
    'runaiVersion: "2.12"\n    tls: {source: existing}\n    migration: {to: haproxy, phase: 1}',
    'clusters[0].migration: needs Run:ai 2.13 or later (a dedicated wildcard Ingress), not runaiVersion "2.12"; upgrade Run:ai first',
    { runaiVersion: RunaiVersion.parse('2.12'), tls: files, migration: Migration.of('haproxy', 1) },
    'migration: needs Run:ai 2.13 or later (a dedicated wildcard Ingress), not runaiVersion "2.12"; upgrade Run:ai first',
  ],
  [
    'a migration moves to the controller the cluster already has (the 2.25 profile: haproxy)',
    'tls: {source: existing}\n    migration: {to: haproxy, phase: 1}',
    'clusters[0].migration.to: "haproxy" is already the controller of this cluster (ingress.controller is not set: haproxy is the ' +
      'default of Run:ai profile 2.25); set ingress.controller to the controller the migration leaves, or, once it is done (phase 3 applied), remove migration',
    { tls: files, migration: Migration.of('haproxy', 1) },
    'migration.to: "haproxy" is already the controller of this cluster (ingress.controller); remove migration',
  ],
  [
    "a migration's new class is the class the current Ingresses already have",
    'runaiVersion: "2.20"\n    tls: {source: existing}\n    ingress: {className: haproxy}\n    migration: {to: haproxy, phase: 1}',
    "clusters[0].migration.to: haproxy's Ingresses get the class haproxy, which the current ones already have (ingress.className): " +
      'one controller would serve both copies of every Ingress; if haproxy already serves this cluster, set ingress.controller: ' +
      "haproxy and remove migration, else set ingress.className to the current controller's class",
    { runaiVersion: RunaiVersion.parse('2.20'), tls: files, ingressClassName: 'haproxy', migration: Migration.of('haproxy', 1) },
    "migration.to: haproxy's Ingresses get the class haproxy, which the current ones already have (ingress.className): " +
      'one controller would serve both copies of every Ingress; if haproxy already serves this cluster, set ingress.controller: ' +
      "haproxy and remove migration, else set ingress.className to the current controller's class",
  ],
  [
    'inference.gateway is given on Kubernetes',
    'tls: {source: existing}\n    inference: {domain: i.example.com, tls: {source: existing}, gateway: {name: g, namespace: n}}',
    'clusters[0].inference.gateway: is not used on Kubernetes, where the inference route attaches to the Gateway of gateway (or inference has an Ingress); remove inference.gateway',
    { tls: files, inference: { domain: 'i.example.com', tls: files, gateway: { name: 'g', namespace: 'n' } } },
    'inference.gateway: is not used on Kubernetes, where the inference route attaches to the Gateway of gateway (or inference has an Ingress); remove inference.gateway',
  ],
  [
    'a migration to the Gateway API has no gateway',
    'runaiVersion: "2.25"\n    tls: {source: existing}\n    migration: {to: gateway-api, phase: 1}',
    'clusters[0].gateway: is required with migration: {to: gateway-api}: {name, namespace: runai, className}',
    { runaiVersion: RunaiVersion.parse('2.25'), tls: files, migration: Migration.of('gateway-api', 1) },
    'gateway: is required with migration: {to: gateway-api}: {name, namespace: runai, className}',
  ],
  [
    'a migration to the Gateway API is given a Run:ai before 2.25',
    'runaiVersion: "2.20"\n    tls: {source: existing}\n    gateway: {name: gw, namespace: runai, className: kgateway}\n    migration: {to: gateway-api, phase: 1}',
    'clusters[0].migration.to: gateway-api needs Run:ai 2.25 or later, whose docs describe it, not runaiVersion "2.20"; upgrade Run:ai first, or migrate to an ingress controller',
    { runaiVersion: RunaiVersion.parse('2.20'), tls: files, gateway: GATEWAY, migration: Migration.of('gateway-api', 1) },
    'migration.to: gateway-api needs Run:ai 2.25 or later, whose docs describe it, not runaiVersion "2.20"; upgrade Run:ai first, or migrate to an ingress controller',
  ],
  [
    "a migration's Gateway is not in runai",
    'ingress: {controller: nginx}\n    gateway: {name: gw, namespace: gateways, className: kgateway}\n    tls: {source: existing}\n    migration: {to: gateway-api, phase: 2}',
    "clusters[0].gateway.namespace: must be runai during a migration, so that the Gateway and the current Ingress serve the same certificate Secrets (Run:ai's example Gateway is in runai)",
    {
      ingressController: IngressController.NGINX,
      gateway: { ...GATEWAY, namespace: 'gateways' },
      tls: files,
      migration: Migration.of('gateway-api', 2),
    },
    "gateway.namespace: must be runai during a migration, so that the Gateway and the current Ingress serve the same certificate Secrets (Run:ai's example Gateway is in runai)",
  ],
  [
    'a migration to the Gateway API has a subdomain expose',
    'ingress: {controller: nginx}\n    gateway: {name: gw, namespace: runai, className: kgateway}\n    tls: {source: existing}\n    migration: {to: gateway-api, phase: 1}\n    expose: [{project: a, workload: w, type: subdomain, ports: ["80"]}]',
    'clusters[0].expose[0].type: subdomain creates an Ingress, which phase 3 of migration to gateway-api removes; use port-forward, node-port or load-balancer',
    {
      ingressController: IngressController.NGINX,
      gateway: GATEWAY,
      tls: files,
      migration: Migration.of('gateway-api', 1),
      expose: [{ project: 'a', workload: 'w', type: ExposeType.SUBDOMAIN, ports: port }],
    },
    'expose[0].type: subdomain creates an Ingress, which phase 3 of migration to gateway-api removes; use port-forward, node-port or load-balancer',
  ],
  [
    'the inference domain is the cluster URL itself, with the Gateway API',
    'exposure: gateway-api\n    gateway: {name: gw, namespace: runai, className: kgateway}\n    tls: {source: existing}\n    inference: {domain: "https://RUNAI.example.com/", tls: {source: existing}}',
    "clusters[0].inference.domain: is the cluster's own host runai.example.com; with the Gateway API inference needs a domain of its own, such as runai-inference.runai.example.com: the Gateway's workspace and inference listeners would share port, protocol and hostname, which the Gateway API refuses",
    {
      exposure: RoutingApi.GATEWAY_API,
      gateway: GATEWAY,
      tls: files,
      inference: { domain: 'runai.example.com', tls: TlsSource.existing() },
    },
    "inference.domain: is the cluster's own host runai.example.com; with the Gateway API inference needs a domain of its own, such as runai-inference.runai.example.com: the Gateway's workspace and inference listeners would share port, protocol and hostname, which the Gateway API refuses",
  ],
  [
    "an expose entry's namespace is Run:ai's own",
    'tls: {source: existing}\n    expose: [{project: a, namespace: runai, workload: w, type: port-forward, ports: ["80"]}]',
    "clusters[0].expose[0].namespace: runai is a namespace which holds Run:ai's own Services and Ingresses (such as the one a legacy install patches): an object of the same name would replace one of them; expose a workload in its project's namespace, such as runai-team-a",
    { tls: files, expose: [{ project: 'a', namespace: 'runai', workload: 'w', type: ExposeType.PORT_FORWARD, ports: port }] },
    "expose[0].namespace: runai is a namespace which holds Run:ai's own Services and Ingresses (such as the one a legacy install patches): an object of the same name would replace one of them; expose a workload in its project's namespace, such as runai-team-a",
  ],
  [
    "an expose entry's namespace is Kourier's on OpenShift (knative-serving-ingress), where inference is routed",
    'tls: {source: existing}\n    expose: [{project: a, namespace: knative-serving-ingress, workload: kourier, type: port-forward, ports: ["80"]}]',
    "clusters[0].expose[0].namespace: knative-serving-ingress is a namespace which holds Kourier's Services, such as kourier, to which inference is routed: an object of the same name would replace one of them; expose a workload in its project's namespace, such as runai-team-a",
    {
      tls: files,
      expose: [{ project: 'a', namespace: 'knative-serving-ingress', workload: 'kourier', type: ExposeType.PORT_FORWARD, ports: port }],
    },
    "expose[0].namespace: knative-serving-ingress is a namespace which holds Kourier's Services, such as kourier, to which inference is routed: an object of the same name would replace one of them; expose a workload in its project's namespace, such as runai-team-a",
  ],
  [
    "an expose entry's namespace is Kourier's in a Knative installed from YAML (kourier-system)",
    'tls: {source: existing}\n    expose: [{project: a, namespace: kourier-system, workload: w, type: port-forward, ports: ["80"]}]',
    "clusters[0].expose[0].namespace: kourier-system is a namespace which holds Kourier's Services, such as kourier, to which inference is routed: an object of the same name would replace one of them; expose a workload in its project's namespace, such as runai-team-a",
    { tls: files, expose: [{ project: 'a', namespace: 'kourier-system', workload: 'w', type: ExposeType.PORT_FORWARD, ports: port }] },
    "expose[0].namespace: kourier-system is a namespace which holds Kourier's Services, such as kourier, to which inference is routed: an object of the same name would replace one of them; expose a workload in its project's namespace, such as runai-team-a",
  ],
  [
    "an expose entry's project makes the self-hosted control plane's namespace",
    'deployment: self-hosted\n    tls: {source: existing}\n    expose: [{project: backend, workload: w, type: port-forward, ports: ["80"]}]',
    "clusters[0].expose[0].project: makes the namespace runai-backend (runai-<project>), which holds the self-hosted control plane's Services and Ingresses: an object of the same name would replace one of them; set namespace to the project's own",
    {
      deployment: ControlPlane.SELF_HOSTED,
      tls: files,
      expose: [{ project: 'backend', workload: 'w', type: ExposeType.PORT_FORWARD, ports: port }],
    },
    "expose[0].project: makes the namespace runai-backend (runai-<project>), which holds the self-hosted control plane's Services and Ingresses: an object of the same name would replace one of them; set namespace to the project's own",
  ],
  [
    'a subdomain expose entry is on OpenShift (an Ingress with the Kubernetes default class was written)',
    'platform: openshift\n    expose: [{project: a, workload: w, type: subdomain, ports: ["80"]}]',
    'clusters[0].expose[0].type: subdomain writes an Ingress, and on OpenShift its router serves routes, so runai-access writes no Ingress there; use port-forward, node-port or load-balancer',
    { platform: Platform.OPENSHIFT, expose: [{ project: 'a', workload: 'w', type: ExposeType.SUBDOMAIN, ports: port }] },
    'expose[0].type: subdomain writes an Ingress, and on OpenShift its router serves routes, so runai-access writes no Ingress there; use port-forward, node-port or load-balancer',
  ],
  [
    "a subdomain expose entry's host is longer than a host name may be (the Ingress was written)",
    'tls: {source: existing}\n    expose: [{project: team-a, workload: nb1, type: subdomain, ports: ["80"]}]',
    `clusters[0].expose[0].workload: the host team-a-nb1.${LONG_URL} is 260 characters; a host name has at most 253; use a shorter project or workload name`,
    { tls: TlsSource.existing(), expose: [{ project: 'team-a', workload: 'nb1', type: ExposeType.SUBDOMAIN, ports: port }] },
    `expose[0].workload: the host team-a-nb1.${LONG_URL} is 260 characters; a host name has at most 253; use a shorter project or workload name`,
    LONG_URL,
  ],
  [
    'the cluster URL leaves no room for a workspace host with routing: host (no workspace could be reached)',
    'tls: {source: existing}\n    expose: [{project: team-a, workload: nb1, type: subdomain, ports: ["80"]}]',
    `clusters[0].clusterUrl: ${ROOMLESS}`,
    { tls: TlsSource.existing(), expose: [{ project: 'team-a', workload: 'nb1', type: ExposeType.SUBDOMAIN, ports: port }] },
    `clusterUrl: ${ROOMLESS}`,
    LONGEST_URL,
  ],
  [
    'the cluster URL is one character too long for a workspace host',
    'platform: openshift',
    `clusters[0].clusterUrl: ${ROOMLESS.replace('251', '250').replace('255', '254')}`,
    { platform: Platform.OPENSHIFT },
    `clusterUrl: ${ROOMLESS.replace('251', '250').replace('255', '254')}`,
    LONGEST_URL.replace('.com', '.co'),
  ],
];

describe.each(cases)('fails when %s', (_, yaml, configProblem, props, chartMessage, clusterUrl = 'runai.example.com') => {
  test('in the config', () => {
    const config = `clusters:\n  - name: prod\n    clusterUrl: ${clusterUrl}\n    ${yaml}\n`;
    expect(problemLines(() => parseConfig(config, 'runai-access.yaml', '/'))).toEqual([configProblem]);
  });

  test('in the chart', () => {
    expect(() => new RunaiAccessChart(new App(), 'prod', { clusterUrl, ...props })).toThrow(new ValidationError(chartMessage));
  });
});

test('every place the table breaks a rule has a case above', () => {
  const source = ['../lib/model/rules', '../lib/model/migration-rules'].map((m) => fs.readFileSync(require.resolve(m), 'utf8')).join('\n');
  const messages = (source.match(/(at\([^)]*\)\(|unused\()/g) ?? []).length;
  expect(messages).toBeGreaterThan(10);
  expect(cases.length).toBeGreaterThanOrEqual(messages);
});

test("a shared inference domain's problem offers runai-inference.<host> only where that name is not too long", () => {
  const problem = (host: string) =>
    problemLines(() =>
      parseConfig(
        `clusters:\n  - name: prod\n    clusterUrl: ${host}\n    exposure: gateway-api\n    gateway: {name: gw, namespace: runai, className: kgateway}\n` +
          `    tls: {source: existing}\n    inference: {domain: ${host}, tls: {source: existing}}\n`,
        'c.yaml',
        '/',
      ),
    );
  // 16 characters more: 236 + 16 = 252, over the 251 a domain may have.
  const long = LONG_URL.slice(LONG_URL.length - 236);
  expect(problem(long)).toEqual([
    `clusters[0].inference.domain: is the cluster's own host ${long}; with the Gateway API inference needs a domain of its own: ` +
      "the Gateway's workspace and inference listeners would share port, protocol and hostname, which the Gateway API refuses",
  ]);
  const fits = long.slice(1);
  expect(problem(fits)[0]).toContain(`a domain of its own, such as runai-inference.${fits}: `);
});

test('passes when the cluster URL leaves room for the shortest workspace host, or with routing: path, which needs none', () => {
  const config = (url: string, more: string) => parseConfig(`clusters:\n  - {name: prod, clusterUrl: ${url}, ${more}}\n`, 'c.yaml', '/');
  expect(config(LONG_URL, 'tls: {source: existing}').clusters[0].clusterUrl).toHaveLength(249);
  expect(config(LONGEST_URL, 'routing: path').clusters[0].clusterUrl).toHaveLength(251);
  expect(() => new RunaiAccessChart(new App(), 'prod', { clusterUrl: LONGEST_URL, routing: Routing.PATH })).not.toThrow();
});

describe('output.kustomization with a plaintext-key Secret (a config rule only: the chart writes no kustomization)', () => {
  const problems = (lines: string) =>
    problemLines(() =>
      parseConfig(`clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n    ${lines}\n`, 'runai-access.yaml', '/'),
    );
  const line = (slots: string, where = slots) =>
    `clusters[0].output.kustomization: cannot list the plaintext-key Secret of ${slots} (source: files), which the generated .gitignore keeps out of git: kubectl kustomize would fail in a clone; use another tls source (sealed-secret, external-secret, cert-manager, existing), set commitPlaintextKey: true in ${where} for a repository that is itself secret, or leave kustomization off and apply with kubectl apply -f (with Flux delivery, only while the cluster writes no Helm values file)`;

  test('fails when tls has source files', () => {
    expect(problems(`tls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}\n    output: {kustomization: true}`)).toEqual([
      line('tls'),
    ]);
  });

  test('fails when another TLS setting has source files, naming each', () => {
    expect(
      problems(
        `deployment: self-hosted\n    tls: {source: existing}\n    clusterTls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}\n    output: {kustomization: true}`,
      ),
    ).toContain(line('clusterTls'));
  });

  test('names the setting to change, which takes commitPlaintextKey (tls with source existing did not), and each when several', () => {
    const cluster = `clusterTls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}`;
    expect(problems(`deployment: self-hosted\n    tls: {source: existing}\n    ${cluster}\n    output: {kustomization: true}`)).toEqual([
      line('clusterTls'),
    ]);
    expect(
      problems(
        `deployment: self-hosted\n    tls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}\n    ${cluster}\n    output: {kustomization: true}`,
      ),
    ).toEqual([line('tls, clusterTls', 'each')]);
    // Only the one that does not commit its key is named.
    expect(
      problems(
        `deployment: self-hosted\n    tls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}, commitPlaintextKey: true}\n    ${cluster}\n    output: {kustomization: true}`,
      ),
    ).toEqual([line('clusterTls')]);
  });

  test('passes when tls.commitPlaintextKey commits the key, or without a kustomization', () => {
    const tls = `tls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}, commitPlaintextKey: true}`;
    expect(() =>
      parseConfig(
        `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n    ${tls}\n    output: {kustomization: true}\n`,
        'r.yaml',
        '/',
      ),
    ).not.toThrow();
    expect(() =>
      parseConfig(
        `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n    tls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}\n`,
        'r.yaml',
        '/',
      ),
    ).not.toThrow();
  });
});

test('the chart takes an ingress controller and class with path routing, and an empty annotations map', () => {
  const chart = new RunaiAccessChart(new App(), 'prod', {
    clusterUrl: 'runai.example.com',
    routing: Routing.PATH,
    runaiVersion: RunaiVersion.parse('2.20'),
    ingressController: IngressController.HAPROXY,
    ingressClassName: 'edge',
    ingressAnnotations: {},
  });
  expect(chart.mode.ingressClassName).toBe('edge');
  expect(chart.mode.runaiIngressClass).toBe('edge');
});

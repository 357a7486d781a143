/**
 * The schema of `runai-access.yaml`: strict objects, so a misspelt key is an error, and
 * messages that say what is allowed. The committed JSON Schema
 * (`schema/runai-access.schema.json`) is generated from this file by `npm run schema`.
 */
import { z } from 'zod';

import { parseClusterUrl } from '../model/cluster-url';
import { CONTROL_PLANE_NAMES } from '../model/control-plane';
import { cdk8sNameProblem, DNS_LABEL, DNS_LABEL_MAX_LENGTH } from '../model/dns-names';
import { shown } from '../model/errors';
import { MIGRATION_TARGETS } from '../model/migration';
import { RUNAI_CONFIG_VIAS } from '../model/mode';
import { INGRESS_CONTROLLER_NAMES, PLATFORM_NAMES, ROUTE_NAMESPACES, ROUTING_API_NAMES, ROUTING_NAMES } from '../model/routing';
import { RunaiVersion } from '../model/runai-version';
import { delivery } from './delivery-schema';
import { expose } from './expose-schema';
import { annotations, describe, expected, expectedText, labelName, objectName, oneOfMessage, refuse, strict } from './schema-helpers';
import { tls } from './tls-schema';

const INGRESS_ANNOTATION_KEY = 'must be an annotation key such as nginx.ingress.kubernetes.io/ssl-redirect';

const ingress = strict(
  {
    controller: z
      .enum(INGRESS_CONTROLLER_NAMES, { error: oneOfMessage(INGRESS_CONTROLLER_NAMES) })
      .optional()
      .meta({
        description:
          'The ingress controller; sets the default className, also told to Run:ai ' +
          '(spec.global.ingress.ingressClass) unless it is the class Run:ai assumes. Default: the ' +
          "release profile's (haproxy for Run:ai 2.25 and without runaiVersion, nginx for 2.9-2.24).",
      }),
    className: z
      .union(
        [
          objectName('an IngressClass name such as nginx', 'must be an IngressClass name (lower-case DNS subdomain), such as nginx'),
          z.null(),
        ],
        { error: 'must be an IngressClass name such as nginx, or null to leave ingressClassName out' },
      )
      .optional()
      .meta({
        description:
          "spec.ingressClassName of the wildcard Ingress (and the inference Ingress); null leaves the field out. Default: the controller's class.",
      }),
    annotations: annotations(INGRESS_ANNOTATION_KEY, 'a mapping of annotation keys to string values')
      .optional()
      .meta({
        description:
          'Extra annotations on the wildcard Ingress, which has no paths: TLS- and server-level annotations act, ' +
          "per-route ones (HAProxy's ssl-redirect) reach no workspace.",
        default: {},
      }),
  },
  'a mapping with controller, className and annotations',
).meta({
  description:
    'The dedicated wildcard Ingress (Run:ai 2.13 and later). With routing: path, controller and className set the class ' +
    'Run:ai is told and the inference Ingress gets; annotations are not used.',
});

const runaiVersion = z
  .string({
    error: (issue) =>
      typeof issue.input === 'number'
        ? `must be a quoted string such as "2.20", got ${describe(issue.input)}: YAML reads an unquoted version as a number; quote it`
        : `must be a quoted string such as "2.20", got ${describe(issue.input)}`,
  })
  .superRefine((text, ctx) => {
    const problem = RunaiVersion.check(text);
    if (problem) ctx.addIssue({ code: 'custom', message: `${shown(text)} ${problem}` });
  })
  .meta({
    description:
      'Run:ai cluster version, quoted ("2.20"). Before 2.13 the existing ingress is patched instead of creating a dedicated one.',
    pattern: '^[0-9]+\\.[0-9]+(\\.[0-9]+)?$',
  });

const cluster = strict(
  {
    name: z
      .string({ error: expectedText('a DNS label such as prod') })
      .max(DNS_LABEL_MAX_LENGTH, { error: `must be at most ${DNS_LABEL_MAX_LENGTH} characters` })
      .regex(DNS_LABEL, { error: 'must be a DNS-1123 label: lower-case a-z, 0-9 and "-", not at either end, such as prod' })
      .superRefine(refuse(cdk8sNameProblem))
      .meta({ description: 'Cluster name, a DNS-1123 label; output goes to dist/<name>/.' }),
    clusterUrl: z
      .string({ error: expectedText('a host name such as runai.example.com') })
      .superRefine((text, ctx) => {
        const url = parseClusterUrl(text);
        if (!url.ok) ctx.addIssue({ code: 'custom', message: url.message });
      })
      .meta({ description: 'The Run:ai cluster URL: runai.example.com or https://runai.example.com/.' }),
    deployment: z
      .enum(CONTROL_PLANE_NAMES, { error: oneOfMessage(CONTROL_PLANE_NAMES) })
      .optional()
      .meta({ description: 'Where the Run:ai control plane runs; picks the legacy ingress to patch.', default: 'saas' }),
    runaiVersion: runaiVersion.optional(),
    platform: z
      .enum(PLATFORM_NAMES, { error: oneOfMessage(PLATFORM_NAMES) })
      .optional()
      .meta({ description: 'openshift: the router serves TLS; no TLS Secrets or Ingresses are emitted.', default: 'kubernetes' }),
    routing: z
      .enum(ROUTING_NAMES, { error: oneOfMessage(ROUTING_NAMES) })
      .optional()
      .meta({
        description: 'host: https://<project>-<workload>.<clusterUrl>/; path: https://<clusterUrl>/<project>/<workload> only.',
        default: 'host',
      }),
    ingress: ingress.optional(),
    exposure: z
      .enum(ROUTING_API_NAMES, { error: oneOfMessage(ROUTING_API_NAMES) })
      .optional()
      .meta({
        description: 'gateway-api (Run:ai 2.25 or later): a Gateway with HTTPS listeners instead of the wildcard and inference Ingresses.',
        default: 'ingress',
      }),
    gateway: strict(
      {
        name: labelName('the Gateway name such as runai-gateway', 'must be a DNS label such as runai-gateway'),
        namespace: labelName('the Gateway namespace such as runai', 'must be a namespace: a DNS label such as runai'),
        className: objectName(
          'a GatewayClass name such as kgateway',
          'must be a GatewayClass name: a lower-case DNS name such as kgateway',
        ),
        routeNamespaces: z
          .enum(ROUTE_NAMESPACES, { error: oneOfMessage(ROUTE_NAMESPACES) })
          .optional()
          .meta({
            description:
              'Which namespaces may attach HTTPRoutes to the cluster URL and workspace listeners: all, or runai: the cluster ' +
              'URL only runai (and runai-backend when self-hosted; not with routing: path), the workspaces only namespaces ' +
              "labelled runai/queue (Run:ai's projects). Check first that Run:ai's routes are there: kubectl get httproute -A. " +
              'The inference listener admits knative-serving only, always.',
            default: 'all',
          }),
        httpRedirect: z
          .boolean({ error: expected('true or false') })
          .optional()
          .meta({
            description:
              'A port-80 listener whose one route, in namespace runai-https-redirect, answers every http:// URL with a redirect ' +
              "to https://, as ingress-nginx does. Default false: HTTPS only, as on Run:ai's Gateway API page.",
            default: false,
          }),
      },
      'a mapping with name, namespace, className, routeNamespaces and httpRedirect',
    )
      .optional()
      .meta({ description: 'The Gateway for exposure: gateway-api; every TLS Secret goes to its namespace.' }),
    tls: tls.optional(),
    clusterTls: tls
      .optional()
      .meta({ description: 'The certificate of <clusterUrl> itself: Secret runai-cluster-domain-tls-secret in runai.' }),
    inference: strict(
      {
        domain: z.string({ error: expectedText('the inference domain such as runai-inference.example.com') }).superRefine((text, ctx) => {
          const url = parseClusterUrl(text);
          if (!url.ok) ctx.addIssue({ code: 'custom', message: url.message });
        }),
        tls: tls.optional().meta({ description: 'Required on Kubernetes; not used on OpenShift, whose Gateway serves TLS.' }),
        gateway: strict(
          {
            name: labelName('the Gateway name such as openshift-default', 'must be a DNS label such as openshift-default'),
            namespace: labelName(
              'the Gateway namespace such as openshift-ingress',
              'must be a namespace: a DNS label such as openshift-ingress',
            ),
          },
          'a mapping with name and namespace',
        )
          .optional()
          .meta({
            description:
              'OpenShift only: the Gateway the inference HTTPRoute attaches to; default openshift-default in openshift-ingress, as Run:ai names it.',
          }),
      },
      'a mapping with domain, tls and gateway',
    )
      .optional()
      .meta({
        description:
          'Inference serving: Secret runai-cluster-inference-tls-secret for *.<domain> and the knative-serving Ingress to kourier.',
      }),
    privateCa: strict(
      {
        caFile: z
          .string({ error: expectedText('a file path to the PEM CA certificate') })
          .min(1, { error: 'must be a file path to the PEM CA certificate' })
          .meta({
            description: "The PEM CA certificate (or bundle) that signed the cluster's certificates, relative to this config file.",
          }),
      },
      'a mapping with caFile',
    )
      .optional()
      .meta({ description: 'A private CA: emits the runai-ca-cert Secrets and global.customCA.enabled in the Helm values.' }),
    subdomainSupport: z
      .boolean({ error: expected('true or false') })
      .optional()
      .meta({
        description:
          "Write Run:ai's spec.global.subdomainSupport (in the RunaiConfig overlay or the Helm values): true with host " +
          'routing, false with path routing. false leaves it to you; the ingress class Run:ai must be told is still written.',
        default: true,
      }),
    expose: expose.optional(),
    migration: strict(
      {
        to: z
          .enum(MIGRATION_TARGETS, { error: oneOfMessage(MIGRATION_TARGETS) })
          .meta({ description: 'The controller or API to move to, off ingress.controller (gateway-api: Run:ai 2.25 or later).' }),
        phase: z
          .union([z.literal(1), z.literal(2), z.literal(3)], {
            error: (issue) =>
              issue.input === undefined
                ? 'is required: 1, 2 or 3'
                : typeof issue.input === 'string' && /^[123]$/.test(issue.input)
                  ? `must be the number 1, 2 or 3, got the string "${issue.input}": write phase: ${issue.input}, without quotes`
                  : `must be 1, 2 or 3, got ${describe(issue.input)}`,
          })
          .meta({
            description:
              '1: add the new objects beside the current ones; 2: switch Run:ai to them while DNS ' +
              'moves; 3: remove the current ones (and, for gateway-api, disable Run:ai ingress).',
          }),
        className: objectName(
          'an IngressClass name such as haproxy',
          'must be an IngressClass name (lower-case DNS subdomain), such as haproxy',
        )
          .optional()
          .meta({
            description:
              "The IngressClass the new controller watches, for its Ingresses and Run:ai. Default: the controller's " +
              '(haproxy, traefik); not used with to: gateway-api, whose class is gateway.className.',
          }),
      },
      'a mapping with to, phase and className',
    )
      .optional()
      .meta({ description: 'A phased move off the current ingress controller (README "Leaving ingress-nginx").' }),
    runaiConfig: strict(
      {
        via: z.enum(RUNAI_CONFIG_VIAS, { error: oneOfMessage(RUNAI_CONFIG_VIAS) }).meta({
          description:
            'overlay: the RunaiConfig overlay; helm-values: a values fragment for Helm-managed ' +
            "installs; both. Default: the release profile's (helm-values for Run:ai 2.25 and without " +
            'runaiVersion, overlay before).',
        }),
      },
      'a mapping with via',
    ).optional(),
    gitops: strict(
      {
        argocd: z
          .boolean({ error: expected('true or false') })
          .optional()
          .meta({ description: 'Annotate the overlay so Argo CD never prunes or deletes the RunaiConfig.', default: true }),
        flux: z
          .boolean({ error: expected('true or false') })
          .optional()
          .meta({ description: 'Annotate the overlay so Flux never prunes it and merges with server-side apply.', default: true }),
      },
      'a mapping with argocd and flux',
    ).optional(),
    output: strict(
      {
        kustomization: z
          .boolean({ error: expected('true or false') })
          .optional()
          .meta({ description: 'Write a kustomization.yaml in the cluster folder (apply with kubectl apply -k).', default: false }),
      },
      'a mapping with kustomization',
    ).optional(),
  },
  'a mapping with name, clusterUrl and tls',
);

/** The whole config file. */
export const configSchema = strict(
  {
    clusters: z
      .array(cluster, { error: expected('a list of clusters', ': a list of clusters, each with name, clusterUrl and tls') })
      .min(1, { error: 'must list at least one cluster' })
      .meta({ description: 'One entry per Run:ai cluster.' }),
    delivery: delivery.optional(),
  },
  'a mapping with a clusters list',
).meta({
  title: 'runai-access configuration',
  description: 'Generates the wildcard TLS Secret, wildcard Ingress and RunaiConfig overlay for Run:ai host-based routing.',
});

/** The config file as the schema returns it, before files are read and defaults applied. */
export type RawConfig = z.output<typeof configSchema>;
/** One cluster entry as the schema returns it. */
export type RawCluster = RawConfig['clusters'][number];

/** The JSON Schema of the config file, as committed in `schema/runai-access.schema.json`. */
export function jsonSchema(): string {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify(schema, undefined, 2)}\n`;
}

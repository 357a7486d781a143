/**
 * What the summary of a migration phase must name, read from the chart: the new wildcard
 * Ingress or Gateway, the current controller's objects phase 3 removes, and the files Run:ai is
 * told through. The steps themselves are `migrationSteps` (model/migration.ts).
 */
import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';

import { INFERENCE_TLS_GATEWAY_ID, RunaiAccessChart } from '../constructs/runai-access-chart';
import { IRunaiTlsSecret } from '../constructs/tls-secret';
import { ExposeType } from '../model/expose';
import { MigrationFacts } from '../model/migration';
import {
  deletable,
  INFERENCE_INGRESS_NAME,
  INFERENCE_LISTENER,
  INFERENCE_TLS_SECRET_NAME,
  KNATIVE_NAMESPACE,
  probeName,
  RUNAI_CLUSTER_RELEASE,
  RUNAI_CONTROL_PLANE_RELEASE,
  RUNAI_NAMESPACE,
  STAR_INGRESS_NAME,
} from '../model/names';

/** The facts of a chart's migration, without the output folder; `undefined` without a migration. */
export function migrationFacts(chart: RunaiAccessChart): MigrationFacts | undefined {
  const mode = chart.mode;
  const m = mode.migration;
  if (!m) return undefined;
  // The object whose address DNS moves to: the Gateway, the new wildcard Ingress, or (path
  // routing) the new inference Ingress; with path routing and neither, none: Run:ai's own
  // Ingresses move once it is told the new class.
  const inference = chart.migrationInferenceIngress;
  const newObject = chart.gateway
    ? { namespace: chart.gateway.namespace, name: chart.gateway.name }
    : chart.migrationIngress
      ? { namespace: RUNAI_NAMESPACE, name: m.ingressName(STAR_INGRESS_NAME) }
      : inference
        ? { namespace: KNATIVE_NAMESPACE, name: m.ingressName(INFERENCE_INGRESS_NAME) }
        : undefined;
  // What phase 1's check asks for, and the names DNS moves: the cluster URL, the workspace
  // wildcard with host routing, and the inference wildcard where the new controller or the
  // Gateway serves it (its new Ingress, or the Gateway's inference listener).
  const url = chart.clusterUrl;
  const host = mode.needsWildcardCertificate;
  const probe = host
    ? { host: probeName('probe', url), certificate: `*.${url}` }
    : inference && !chart.gateway
      ? { host: probeName('probe', inference.domain), certificate: `*.${inference.domain}` }
      : chart.gateway
        ? { host: url, certificate: url }
        : undefined;
  const servesInference = inference !== undefined || chart.gateway?.listenerSecrets.some((l) => l.listener === INFERENCE_LISTENER);
  const names = [url, ...(host ? [`*.${url}`] : []), ...(servesInference && chart.inferenceDomain ? [`*.${chart.inferenceDomain}`] : [])];
  const dnsNames = [...new Set(names)];
  // Every object phase 1 adds, for its undo: those the chart built for the migration (the new
  // controller's Ingresses: wildcard, inference, researchers'; or the Gateway, its HTTPRoute and
  // the inference certificate's copy in its namespace), never matched by name.
  const built: (IConstruct | undefined)[] = [
    chart.migrationIngress,
    chart.migrationInferenceIngress,
    ...chart.exposed.map((e) => e.node.tryFindChild(`Ingress${m.nameSuffix}`)),
    ...(m.to === 'gateway-api' ? [chart.gateway, chart.inferenceRoute, chart.node.tryFindChild(INFERENCE_TLS_GATEWAY_ID)] : []),
  ];
  const newObjects = built
    .flatMap((c) => c?.node.findAll() ?? [])
    .filter((c): c is ApiObject => ApiObject.isApiObject(c))
    .flatMap((o) => {
      const line = deletable(o.kind, o.metadata.namespace, o.name);
      // cert-manager keeps the Secret it issued when its Certificate is deleted (unless --enable-certificate-owner-ref).
      const issued = o.kind === 'Certificate' ? (o.toJson() as { spec?: { secretName?: string } }).spec?.secretName : undefined;
      return issued ? [line, `secret -n ${o.metadata.namespace} ${issued}`] : [line];
    });
  const currentObjects = [
    ...(chart.secret ? [`ingress -n ${RUNAI_NAMESPACE} ${STAR_INGRESS_NAME}`] : []),
    ...(chart.inferenceSecret ? [`ingress -n ${KNATIVE_NAMESPACE} ${INFERENCE_INGRESS_NAME}`] : []),
    ...chart.exposed.filter((e) => e.type === ExposeType.SUBDOMAIN).map((e) => `ingress -n ${e.namespace} ${e.name}`),
  ];
  const strandedSecrets = m.to === 'gateway-api' ? knativeCopies(chart.inferenceSecret) : [];
  const cluster = chart.helmValues ? [{ path: chart.helmValues.path, release: RUNAI_CLUSTER_RELEASE }] : [];
  const controlPlane = chart.controlPlaneHelmValues
    ? [{ path: chart.controlPlaneHelmValues.path, release: RUNAI_CONTROL_PLANE_RELEASE }]
    : [];
  // Run:ai's order: to the Gateway API the cluster first (its Gateway API page); to another
  // controller the control plane first (its 2.25 upgrade page, "Migrate from NGINX to HAProxy").
  const helmFiles = mode.migrationGateway ? [...cluster, ...controlPlane] : [...controlPlane, ...cluster];
  return {
    clusterUrl: chart.clusterUrl,
    currentClass: mode.ingressClassName,
    newClass: mode.migrationIngressClassName,
    newObject,
    probe,
    dnsNames,
    newObjects,
    currentObjects,
    strandedSecrets,
    helmFiles,
    overlay: chart.overlay !== undefined && mode.runaiIngressClass !== undefined,
  };
}

/**
 * Moving to the Gateway API, the inference certificate's objects in knative-serving (the knative
 * Ingress's copy, made as the Gateway's copy `secret` is) stay behind after phase 3, which writes
 * only the Gateway's: each as `kubectl delete` takes it, with why it must be named. A SealedSecret
 * or ExternalSecret takes its Secret with it; cert-manager keeps the Secret of a deleted
 * Certificate; a plaintext Secret is kept out of git, so no pruning removes it.
 */
function knativeCopies(secret: IRunaiTlsSecret | undefined): { readonly object: string; readonly why: string }[] {
  if (!secret || !Construct.isConstruct(secret)) return [];
  const copy = "the knative Ingress's copy, which phase 3 no longer writes";
  return secret.node
    .findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c))
    .flatMap((o) => {
      const object = deletable(o.kind, KNATIVE_NAMESPACE, o.name);
      switch (o.kind) {
        case 'Secret':
          return [{ object, why: `${copy}; pruning leaves it unless commitPlaintextKey put it in git` }];
        case 'Certificate': {
          const issued = (o.toJson() as { spec?: { secretName?: string } }).spec?.secretName ?? INFERENCE_TLS_SECRET_NAME;
          return [
            { object, why: `${copy}; GitOps tools with pruning do this for you` },
            { object: deletable('Secret', KNATIVE_NAMESPACE, issued), why: 'cert-manager keeps the Secret of a deleted Certificate' },
          ];
        }
        default:
          return [{ object, why: `${copy}; GitOps tools with pruning do this for you, and its Secret goes with it` }];
      }
    });
}

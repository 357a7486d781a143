/**
 * What the summary of a migration phase must name, read from the chart: the new wildcard
 * Ingress or Gateway, the current controller's objects phase 3 removes, and the files Run:ai is
 * told through. The steps themselves are `migrationSteps` (model/migration.ts).
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

import { INFERENCE_TLS_GATEWAY_ID, RunaiAccessChart } from '../constructs/runai-access-chart';
import { controlPlaneIngressClass } from '../constructs/runai-values';
import { ControlPlane } from '../model/control-plane';
import { ExposeType } from '../model/expose';
import { MigrationContext } from '../model/migration';
import {
  INFERENCE_INGRESS_NAME,
  KNATIVE_NAMESPACE,
  OPENSHIFT_DEFAULT_GATEWAY,
  OPENSHIFT_DEFAULT_GATEWAY_TEXT,
  OPENSHIFT_KOURIER_NAMESPACE,
  RUNAI_CLUSTER_RELEASE,
  RUNAI_CONTROL_PLANE_RELEASE,
  RUNAI_NAMESPACE,
  STAR_INGRESS_NAME,
} from '../model/names';
import { documentsIngressClassKey } from '../model/release-profiles';

/** The facts of a chart's migration, without the output folder; `undefined` without a migration. */
export function migrationFacts(chart: RunaiAccessChart): Omit<MigrationContext, 'dir' | 'kustomized'> | undefined {
  const mode = chart.mode;
  const m = mode.migration;
  if (!m) return undefined;
  // The object whose address DNS moves to: the Gateway, the new wildcard Ingress, or (path routing) the new inference Ingress.
  const newObject = chart.gateway
    ? `${chart.gateway.namespace}/${chart.gateway.name}`
    : chart.migrationIngress || !chart.migrationInferenceIngress
      ? `${RUNAI_NAMESPACE}/${m.ingressName(STAR_INGRESS_NAME)}`
      : `${KNATIVE_NAMESPACE}/${m.ingressName(INFERENCE_INGRESS_NAME)}`;
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
      const line = `${o.kind.toLowerCase()} -n ${o.metadata.namespace} ${o.name}`;
      // cert-manager keeps the Secret it issued when its Certificate is deleted (unless --enable-certificate-owner-ref).
      const issued = o.kind === 'Certificate' ? (o.toJson() as { spec?: { secretName?: string } }).spec?.secretName : undefined;
      return issued ? [line, `secret -n ${o.metadata.namespace} ${issued}`] : [line];
    });
  const currentObjects = [
    ...(chart.secret ? [`ingress -n ${RUNAI_NAMESPACE} ${STAR_INGRESS_NAME}`] : []),
    ...(chart.inferenceSecret ? [`ingress -n ${KNATIVE_NAMESPACE} ${INFERENCE_INGRESS_NAME}`] : []),
    ...chart.exposed.filter((e) => e.type === ExposeType.SUBDOMAIN).map((e) => `ingress -n ${e.namespace} ${e.name}`),
  ];
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
    newObjects,
    currentObjects,
    helmFiles,
    overlay: chart.overlay !== undefined && mode.runaiIngressClass !== undefined,
  };
}

/** Notes on what the release profile and the Gateway API sequencing mean for this cluster. */
export function profileNotes(chart: RunaiAccessChart): string[] {
  const mode = chart.mode;
  const notes: string[] = [];
  if (mode.gateway) {
    notes.push(
      'Gateway API: this writes clusterConfig.global.ingress.enabled: false at once, for a ' +
        'cluster set up on the Gateway; a cluster that serves traffic through an Ingress today ' +
        'should move with migration: {to: gateway-api, phase: 1}, which disables ingress only in ' +
        'phase 3, after DNS has moved.',
    );
  }
  // The 2.18-2.24 cluster-configuration page lists subdomainSupport and no ingress key; the pair
  // clusterConfig.global.ingress.ingressClass / spec.global.ingress.ingressClass is in 2.25's table.
  if (mode.runaiIngressClass !== undefined && !documentsIngressClassKey(mode.profile) && (chart.overlay || chart.helmValues)) {
    const sets = [
      ...(chart.overlay ? ['the RunaiConfig overlay sets spec.global.ingress.ingressClass'] : []),
      ...(chart.helmValues ? ['the Helm values set clusterConfig.global.ingress.ingressClass'] : []),
    ];
    notes.push(
      `${sets.join(' and ')} ${mode.runaiIngressClass}, which Run:ai documents from 2.25; the docs of ${mode.profile.id} read ` +
        'for this tool do not list it: check that your release takes it (kubectl explain runaiconfig.spec.global.ingress) ' +
        'before relying on it.',
    );
  }
  if (chart.inferenceRoute && !chart.gateway) {
    const parent = chart.inferenceRoute.gateway;
    const named =
      parent.name === OPENSHIFT_DEFAULT_GATEWAY.name && parent.namespace === OPENSHIFT_DEFAULT_GATEWAY.namespace
        ? `the Gateway ${OPENSHIFT_DEFAULT_GATEWAY_TEXT}, as Run:ai 2.25's Gateway API page (OpenShift tab) does; OpenShift ` +
          'does not create it (openshift-default is the name of its GatewayClass): create a Gateway of that name and class, or ' +
          'name yours in inference.gateway, with'
        : `the Gateway ${parent.name} in ${parent.namespace} (inference.gateway), which needs`;
    notes.push(
      `inference on OpenShift: the HTTPRoute attaches to ${named} an HTTPS listener for the inference domain's wildcard ` +
        'that admits routes from knative-serving; OpenShift creates the DNS records of its listeners. The route goes to kourier in ' +
        `${OPENSHIFT_KOURIER_NAMESPACE}, where OpenShift Serverless installs Kourier (Run:ai's page names knative-serving, ` +
        'which has none), through the ReferenceGrant there.',
    );
  }
  const ingressClass = controlPlaneIngressClass(mode);
  if (chart.controlPlaneHelmValues) {
    const global = chart.controlPlaneHelmValues.values.global as Readonly<Record<string, unknown>>;
    const sets = [
      ...('gatewayAPI' in global ? ["global.gatewayAPI, as Run:ai's Gateway API page sets it"] : []),
      ...(ingressClass
        ? [`global.ingress.ingressClass ${ingressClass}, the class of its own Ingress, as Run:ai 2.25's upgrade page sets it`]
        : []),
    ];
    notes.push(
      `self-hosted control plane: helm upgrade ${RUNAI_CONTROL_PLANE_RELEASE} ` +
        `--reuse-values -f <this folder>/${chart.controlPlaneHelmValues.path} ` +
        `(${sets.join('; ')}).`,
    );
  }
  if (mode.controlPlane === ControlPlane.SELF_HOSTED && mode.runaiIngressClass && !mode.gateway && !ingressClass) {
    notes.push(
      `self-hosted control plane on this cluster: set ` +
        `global.ingress.ingressClass=${mode.runaiIngressClass} in the runai-backend release too ` +
        `(Run:ai 2.25 upgrade page).`,
    );
  }
  return notes;
}

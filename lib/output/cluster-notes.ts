/**
 * The notes the synth summary prints under a cluster: what its platform, routing, controller,
 * Gateway and TLS source mean for the admin, and how Run:ai is told (Helm values, and what the
 * release profile and the Gateway API sequencing mean: `profileNotes`).
 */
import { Construct } from 'constructs';

import { SealedTlsSecret, WildcardCertificate } from '../constructs/gitops-tls';
import { RunaiAccessChart } from '../constructs/runai-access-chart';
import { RunaiHelmValues } from '../constructs/runai-helm-values';
import { controlPlaneIngressClass } from '../constructs/runai-values';
import { IRunaiTlsSecret } from '../constructs/tls-secret';
import { ControlPlane } from '../model/control-plane';
import {
  HTTPS_REDIRECT,
  OPENSHIFT_DEFAULT_GATEWAY,
  OPENSHIFT_DEFAULT_GATEWAY_TEXT,
  OPENSHIFT_KOURIER_NAMESPACE,
  RUNAI_CLUSTER_RELEASE,
  RUNAI_CONTROL_PLANE_RELEASE,
} from '../model/names';
import { documentsIngressClassKey } from '../model/release-profiles';
import { IngressController, Platform, Routing } from '../model/routing';
import { CERT_MANAGER_GROUP } from '../model/tls-sources';

/** Notes on the TLS source and the RunaiConfig delivery, for the summary. */
export function notesFor(chart: RunaiAccessChart): string[] {
  const notes: string[] = [];
  if (chart.platform === Platform.OPENSHIFT) {
    notes.push(
      'OpenShift: its router serves TLS for routes, so no TLS Secrets or Ingresses are written; ' +
        'the wildcard certificate belongs to the router (its default certificate or the Route).',
    );
  } else if (chart.routing === Routing.PATH) {
    // Inference serving keeps its own host names (*.<inference.domain>) in either routing.
    const inference = chart.inferenceDomain
      ? `; inference serving still needs a DNS record for *.${chart.inferenceDomain}, with the certificate and routing written for it`
      : '';
    notes.push(
      `path routing: workspaces get https://${chart.clusterUrl}/<project>/<workload>; ` +
        `they need no wildcard certificate, DNS record or Ingress${inference}.`,
    );
  } else if (chart.controller !== IngressController.NGINX && !chart.mode.gateway && (chart.mode.migration?.keepsCurrent ?? true)) {
    // Phase 3 writes none of the current controller's Ingresses: nothing for it to serve.
    notes.push(`ingress controller ${chart.controller.name}: ${chart.controller.certificateNote}`);
  }
  if (chart.gateway && chart.mode.gateway) {
    notes.push(
      `Gateway API: the GatewayClass must exist; install or upgrade Run:ai with the Helm values ` +
        `fragment (gatewayAPI enabled, ingress disabled); TLS Secrets are in ` +
        `${chart.gateway.namespace}, the Gateway's namespace.`,
    );
  }
  if (chart.httpsRedirect) {
    notes.push(
      `Gateway API: listener http answers every http:// URL with a redirect to https:// (301), from the HTTPRoute in ` +
        `${HTTPS_REDIRECT.namespace}; the Gateway's load balancer must take port 80 too.`,
    );
  }
  notes.push(...unwrittenSecretNotes(chart));
  if (chart.privateCa)
    notes.push('private CA: install or upgrade Run:ai with global.customCA.enabled: true (in the Helm values fragment).');
  const secret = chart.secret;
  if (secret instanceof WildcardCertificate) {
    notes.push(
      `cert-manager issues *.${chart.clusterUrl}: from an ACME issuer, a wildcard name needs a DNS-01 solver (HTTP-01 cannot issue it).`,
    );
  }
  // An Issuer (not a ClusterIssuer) serves only Certificates of its own namespace.
  const namespacedIssuers = new Set(
    chart.node
      .findAll()
      .filter((c): c is WildcardCertificate => c instanceof WildcardCertificate)
      .filter((c) => c.issuerRef.kind === 'Issuer' && (c.issuerRef.group ?? CERT_MANAGER_GROUP) === CERT_MANAGER_GROUP)
      .map((c) => `the Issuer ${c.issuerRef.name} must be in ${c.namespace}`),
  );
  if (namespacedIssuers.size > 0) {
    notes.push(`cert-manager: ${[...namespacedIssuers].join(', ')}: an Issuer serves only its own namespace (a ClusterIssuer serves all).`);
  }
  // Every SealedSecret of the cluster (the wildcard's, the cluster's, inference's in each namespace).
  const sealed = chart.node.findAll().filter((c): c is SealedTlsSecret => c instanceof SealedTlsSecret);
  if (sealed.length === 1) {
    notes.push(
      sealed[0].reused
        ? 'the SealedSecret keeps its ciphertexts: its inputs match the previous sealing.'
        : 'the SealedSecret was sealed afresh for the controller certificate given.',
    );
  } else if (sealed.length > 1) {
    const afresh = sealed.filter((s) => !s.reused).map((s) => `${s.namespace}/${s.name}`);
    notes.push(
      afresh.length === 0
        ? 'the SealedSecrets keep their ciphertexts: their inputs match the previous sealings.'
        : `sealed afresh for the controller certificate given: ${afresh.join(', ')}` +
            `${afresh.length < sealed.length ? '; the others keep their ciphertexts' : ''}.`,
    );
  }
  if (chart.helmValues && chart.runaiConfigVia !== 'overlay') {
    notes.push(
      `Helm-managed Run:ai: merge ${RunaiHelmValues.PATH} into the cluster release values ` +
        `(helm upgrade ${RUNAI_CLUSTER_RELEASE} --reuse-values -f <this folder>/${RunaiHelmValues.PATH}); ` +
        `a Helm upgrade reverts kubectl changes, and Run:ai says to manage settings through Helm values only.`,
    );
  }
  notes.push(...profileNotes(chart));
  return notes;
}

/** Notes on what the release profile and the Gateway API sequencing mean for this cluster. */
function profileNotes(chart: RunaiAccessChart): string[] {
  const mode = chart.mode;
  const notes: string[] = [];
  if (mode.gateway) {
    notes.push(
      'Gateway API: this writes clusterConfig.global.ingress.enabled: false at once, for a ' +
        'cluster set up on the Gateway; a cluster that serves traffic through an Ingress today ' +
        'should move with migration: {to: gateway-api, phase: 1}, which disables ingress only in ' +
        'phase 3, after DNS has moved (a cluster that finished that migration keeps its config at phase 3).',
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

/**
 * The Secrets the cluster's Ingresses and Gateway read that runai-access does not write (a TLS
 * setting's `existing` source, or the Gateway's cluster URL listener without `clusterTls`): each
 * must be created where it is read, since an Ingress or a listener reads only its own namespace.
 */
function unwrittenSecretNotes(chart: RunaiAccessChart): string[] {
  const readers = new Map<string, { secret: IRunaiTlsSecret; by: string[] }>();
  const reads = (secret: IRunaiTlsSecret | undefined, reader: string) => {
    if (!secret || Construct.isConstruct(secret)) return;
    const at = `${secret.namespace}/${secret.name}`;
    readers.set(at, { secret, by: [...(readers.get(at)?.by ?? []), reader] });
  };
  // The current Ingresses, or a migration's new ones once phase 3 writes only those.
  reads(chart.ingress || chart.migrationIngress ? chart.secret : undefined, 'the wildcard Ingress');
  reads(chart.legacyPatch ? chart.secret : undefined, `the patched ${chart.mode.controlPlane.legacyIngressName}`);
  reads(chart.inferenceIngress || chart.migrationInferenceIngress ? chart.inferenceSecret : undefined, 'the inference Ingress');
  for (const { listener, secret } of chart.gateway?.listenerSecrets ?? []) {
    reads(secret, `listener ${listener} of Gateway ${chart.gateway!.namespace}/${chart.gateway!.name}`);
  }
  return [...readers.values()].map(
    ({ secret, by }) =>
      `Secret ${secret.namespace}/${secret.name} is read by ${by.join(', ')} and not written by runai-access: it must exist there ` +
      `(if not: kubectl create secret tls ${secret.name} -n ${secret.namespace} --cert=<chain file> --key=<key file>).`,
  );
}

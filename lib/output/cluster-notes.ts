/**
 * The notes the synth summary prints under a cluster: what its platform, routing, controller,
 * Gateway and TLS source mean for the admin, and how Run:ai is told (Helm values, profile).
 */
import { SealedTlsSecret, WildcardCertificate } from '../constructs/gitops-tls';
import { RunaiAccessChart } from '../constructs/runai-access-chart';
import { RunaiHelmValues } from '../constructs/runai-helm-values';
import { RUNAI_CLUSTER_RELEASE } from '../model/names';
import { IngressController, Platform, Routing } from '../model/routing';
import { CERT_MANAGER_GROUP } from '../model/tls-sources';
import { profileNotes } from './migration-output';

/** Notes on the TLS source and the RunaiConfig delivery, for the summary. */
export function notesFor(chart: RunaiAccessChart): string[] {
  const notes: string[] = [];
  if (chart.platform === Platform.OPENSHIFT) {
    notes.push(
      'OpenShift: its router serves TLS for routes, so no TLS Secrets or Ingresses are written; ' +
        'the wildcard certificate belongs to the router (its default certificate or the Route).',
    );
  } else if (chart.routing === Routing.PATH) {
    notes.push(
      `path routing: workspaces get https://${chart.clusterUrl}/<project>/<workload>; no wildcard certificate, DNS record or Ingress is needed.`,
    );
  } else if (chart.controller !== IngressController.NGINX && !chart.mode.gateway) {
    notes.push(`ingress controller ${chart.controller.name}: ${chart.controller.certificateNote}`);
  }
  if (chart.gateway && chart.mode.gateway) {
    notes.push(
      `Gateway API: the GatewayClass must exist; install or upgrade Run:ai with the Helm values ` +
        `fragment (gatewayAPI enabled, ingress disabled); TLS Secrets are in ` +
        `${chart.gateway.namespace}, the Gateway's namespace.`,
    );
  }
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
        ? 'the SealedSecret is unchanged: its inputs match the previous sealing.'
        : 'the SealedSecret was sealed afresh for the controller certificate given.',
    );
  } else if (sealed.length > 1) {
    const afresh = sealed.filter((s) => !s.reused).map((s) => `${s.namespace}/${s.name}`);
    notes.push(
      afresh.length === 0
        ? 'the SealedSecrets are unchanged: their inputs match the previous sealings.'
        : `sealed afresh for the controller certificate given: ${afresh.join(', ')}` +
            `${afresh.length < sealed.length ? '; the others are unchanged' : ''}.`,
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

/**
 * Warnings (and the migration's and controllers' problems) about normalized clusters: what
 * loads but will not work as the admin expects, each naming the field it is about. Run by
 * load.ts after every cluster is normalized, since some compare clusters with each other.
 */
import { Problem } from '../model/errors';
import { admitsEveryAddress, subdomainHostWarning } from '../model/expose';
import { groupBy } from '../model/group-by';
import { ingressClassAnnotationProblem } from '../model/labels';
import { andList } from '../model/list-text';
import { retiredControllerMessage } from '../model/migration';
import { INGRESS_CLASS_ANNOTATION, workspaceLabel } from '../model/names';
import { IngressController } from '../model/routing';
import { clusterHost } from './normalize';
import { RawCluster } from './schema';
import { certificateOf, ClusterSpec, tlsSettings } from './spec';
/** Warnings about exposed workloads: a load balancer without source ranges is open to all. */
export function exposeWarnings(clusters: readonly ClusterSpec[], source: string): Problem[] {
  return clusters.flatMap((c) =>
    c.expose.flatMap((e, j) => {
      const warn = (message: string, code: string) => ({
        source,
        path: `clusters[${c.index}].expose[${j}]`,
        message,
        code,
        severity: 'warning' as const,
        cluster: c.name,
      });
      const everyAddress = e.loadBalancerSourceRanges.find(admitsEveryAddress);
      if (e.type === 'load-balancer' && (e.loadBalancerSourceRanges.length === 0 || everyAddress !== undefined))
        return [
          warn(
            `load balancer ${e.namespace}/${e.workload} accepts any address, the internet included` +
              (everyAddress ? ` (its source range ${everyAddress}); give narrower ranges` : '; set loadBalancerSourceRanges to limit it'),
            'expose-open-load-balancer',
          ),
        ];
      if (e.type !== 'subdomain') return [];
      const label = workspaceLabel(e.project, e.workload);
      const others = c.expose.flatMap((o, k) =>
        k !== j && o.type === 'subdomain' && workspaceLabel(o.project, o.workload) === label ? [`expose[${k}]`] : [],
      );
      return [warn(subdomainHostWarning(e.project, e.workload, c.clusterUrl, others), 'expose-host-collision')];
    }),
  );
}

/**
 * Problems of a cluster once its mode is known: ingress-nginx, set or defaulted, is retired (a
 * warning, `controller-retired`); an ingress.class annotation differs from the Ingress's class (an
 * error); and the warnings that need the whole cluster or its neighbours (a shared inference host
 * or cluster URL, an Ingress without a class for HAProxy, an unserved ExternalSecret version, an
 * inference Ingress the release's docs do not show).
 * @param raw every cluster of the config, as the schema read it, those not loaded too
 */
export function modeProblems(clusters: readonly ClusterSpec[], raw: readonly RawCluster[], source: string): Problem[] {
  // A loaded cluster's host is parsed already; only those left out (CheckOptions.cluster) are parsed here.
  const loaded = new Map(clusters.map((c) => [c.index, c.clusterUrl]));
  const urls = raw.map((r, k) => loaded.get(k) ?? clusterHost(r.clusterUrl));
  const byUrl = groupBy(
    raw.map((_, k) => k),
    (k) => urls[k],
  );
  // The inference domain of each cluster that has one; '' for none (never grouped).
  const inferenceOf = new Map(clusters.map((c) => [c.index, c.inference?.domain ?? '']));
  const domains = raw.map((r, k) => inferenceOf.get(k) ?? (r.inference ? clusterHost(r.inference.domain) : ''));
  const byDomain = groupBy(
    raw.map((_, k) => k).filter((k) => domains[k] !== ''),
    (k) => domains[k],
  );
  return clusters.flatMap((c) => {
    const i = c.index;
    const problems: Problem[] = [];
    if (c.mode.onRetiredController) {
      const path = raw[i]?.ingress?.controller
        ? `clusters[${i}].ingress.controller`
        : raw[i]?.runaiVersion !== undefined
          ? `clusters[${i}].runaiVersion`
          : `clusters[${i}]`;
      const message = retiredControllerMessage(c.mode.legacyRelease, c.mode.profileChoice.profile.gatewayApi);
      problems.push({ source, path, message, code: 'controller-retired', severity: 'warning' as const, cluster: c.name });
    }
    // The class the wildcard Ingress gets is the mode's (given or defaulted): only here are both known.
    // Phase 3 of a migration writes no current Ingress, and the new one carries no annotations.
    const annotated = c.mode.wiring === 'dedicated-ingress' && c.mode.ingressSets.some((set) => set.current);
    const classAnnotation = annotated ? ingressClassAnnotationProblem(c.ingressAnnotations, c.mode.ingressClassName) : undefined;
    if (classAnnotation) {
      problems.push({
        source,
        path: `clusters[${i}].ingress.annotations.${INGRESS_CLASS_ANNOTATION}`,
        message: classAnnotation,
        cluster: c.name,
      });
    }
    const warnings = [
      classOfAnotherController(c, raw[i]),
      sharedInferenceHostWarning(c),
      classlessIngressWarning(c),
      sharedHostWarning('clusterUrl', raw, urls, i, byUrl.get(urls[i])!),
      domains[i] === '' ? undefined : sharedHostWarning('inference.domain', raw, domains, i, byDomain.get(domains[i])!),
      ...unservedExternalSecretWarnings(c),
      undocumentedInferenceIngress(c),
      overlayUnderHelmWarning(c),
    ].filter((w): w is FieldWarning => w !== undefined);
    for (const w of warnings) {
      problems.push({ source, path: `clusters[${i}].${w.field}`, code: w.code, message: w.message, severity: 'warning', cluster: c.name });
    }
    return problems;
  });
}

/** A warning about one field of a cluster (`field` is relative to the cluster's entry). */
interface FieldWarning {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

/**
 * An `ingress.className` that another controller watches by default, beside a controller the
 * release profile chose: the bundled example (`className: nginx`, no controller) raised to 2.25
 * would take HAProxy's notes, lose `controller-retired` and refuse a migration to HAProxy, while
 * ingress-nginx still serves the class.
 */
function classOfAnotherController(c: ClusterSpec, raw: RawCluster | undefined): FieldWarning | undefined {
  const className = raw?.ingress?.className;
  if (raw?.ingress?.controller !== undefined || typeof className !== 'string' || !c.mode.usesIngressClass) return undefined;
  const current = c.mode.controller;
  const other = [IngressController.NGINX, IngressController.HAPROXY, IngressController.TRAEFIK].find(
    (k) => k !== current && k.defaultClassName === className,
  );
  if (!other) return undefined;
  return {
    field: 'ingress.className',
    code: 'class-of-another-controller',
    message:
      `${className} is the class the ${other.name} controller watches by default, while ingress.controller is ${current.name}, the ` +
      `default of Run:ai profile ${c.mode.profile.id}: set ingress.controller: ${other.name} if ${other.name} serves this cluster ` +
      `(its notes, the retired-controller warning and a migration away from it follow the controller), or ingress.controller: ${current.name}`,
  };
}

/**
 * `ingress.className: null` with HAProxy (haproxytech/kubernetes-ingress, pkg/store/store.go
 * IsIngressClassSupported): as its Helm chart runs it, an Ingress without a class is served only
 * with --empty-ingress-class, or when the default IngressClass is HAProxy's.
 */
function classlessIngressWarning(c: ClusterSpec): FieldWarning | undefined {
  if (c.mode.controller !== IngressController.HAPROXY || c.mode.ingressClassName !== null || !c.mode.usesIngressClass) {
    return undefined;
  }
  // Nor is Run:ai told a class then (mode.runaiIngressClass), so its own workspace Ingresses take
  // the class it assumes, nginx in its docs, unless a migration states one.
  const runaiDefault = "so the Ingresses it makes for workspaces take its own default (nginx in Run:ai's docs)";
  const written = c.mode.hostUrls ? 'the Ingresses' : c.inference ? 'the inference Ingress' : undefined;
  // Path routing without inference writes no Ingress: Run:ai's own are the whole story, unless a
  // migration tells it a class.
  if (!written && c.mode.runaiIngressClass !== undefined) return undefined;
  if (!written)
    return {
      field: 'ingress.className',
      code: 'ingress-class-none',
      message: `null tells Run:ai no class, ${runaiDefault}, which the HAProxy Ingress Controller does not serve: set className: haproxy`,
    };
  const runaiToo = c.mode.runaiIngressClass === undefined ? `, and Run:ai is told no class, ${runaiDefault}` : '';
  return {
    field: 'ingress.className',
    code: 'ingress-class-none',
    message:
      `null writes ${written} without a class${runaiToo}; the HAProxy Ingress Controller as its Helm chart runs it ` +
      "(--ingress.class=haproxy) serves an Ingress without a class only when the cluster's default IngressClass " +
      '(ingressclass.kubernetes.io/is-default-class) is its own or it runs with --empty-ingress-class: set className: ' +
      'haproxy unless one of these holds',
  };
}

/**
 * `runaiConfig.via: overlay` where the release profile's docs manage Run:ai through Helm values
 * (2.25: "manage configurations exclusively through Helm values"): Helm's three-way merge
 * restores its own values of the RunaiConfig on the next `helm upgrade`, so the overlay's
 * settings do not last.
 */
function overlayUnderHelmWarning(c: ClusterSpec): FieldWarning | undefined {
  if (c.mode.runaiConfigVia !== 'overlay' || c.mode.profile.runaiConfigVia !== 'helm-values') return undefined;
  return {
    field: 'runaiConfig.via',
    code: 'runaiconfig-overlay-under-helm',
    message:
      `overlay patches the RunaiConfig that Helm renders, and Run:ai ${c.mode.profile.id} says to manage configurations ` +
      'exclusively through Helm values: the next helm upgrade of runai-cluster puts its own values back; use helm-values ' +
      '(or both), and for Flux delivery output: {kustomization: true} with a TLS source other than files',
  };
}

/** Each ExternalSecret asked for as external-secrets.io/v1beta1 (the default is v1). */
function unservedExternalSecretWarnings(c: ClusterSpec): FieldWarning[] {
  return tlsSettings(c).flatMap((setting) =>
    setting.tls?.source === 'external-secret' && setting.tls.apiVersion === 'external-secrets.io/v1beta1'
      ? [{ field: `${setting.key}.apiVersion`, code: 'external-secrets-v1beta1', message: V1BETA1_EXTERNAL_SECRET }]
      : [],
  );
}

/**
 * Clusters with one `clusterUrl`, or one `inference.domain`: DNS points it at one of them. Said
 * once per value, at the second cluster that has it, naming the others; fine while a new cluster
 * replaces an old one.
 * @param values the host of each cluster of `raw` (its URL or inference domain)
 * @param same the indices of the clusters with cluster i's value, i among them, in order
 */
function sharedHostWarning(
  field: 'clusterUrl' | 'inference.domain',
  raw: readonly RawCluster[],
  values: readonly string[],
  i: number,
  same: readonly number[],
): FieldWarning | undefined {
  const named = othersSharing(raw, i, same);
  if (named === undefined) return undefined;
  const host = values[i];
  return field === 'clusterUrl'
    ? {
        field,
        code: 'cluster-url-shared',
        message:
          `${host} is also the clusterUrl of ${named}: DNS points ${host} and *.${host} at one address, so researchers ` +
          'reach only one of these clusters; fine while one replaces the other, else give each cluster its own URL',
      }
    : {
        field,
        code: 'inference-domain-shared',
        message:
          `${host} is also the inference.domain of ${named}: DNS points *.${host} at one address, so inference ` +
          'endpoints reach only one of these clusters; fine while one replaces the other, else give each cluster its own domain',
      };
}

/**
 * The other clusters of `same` (the indices of the clusters that share a value, `i` among them,
 * in order), named for cluster `i` when it is the second of them: said once per value, at the
 * second cluster that has it; `undefined` otherwise.
 */
function othersSharing(raw: readonly RawCluster[], i: number, same: readonly number[]): string | undefined {
  if (same.length < 2 || same[1] !== i) return undefined;
  const sharing = same.map((k) => `clusters[${k}] (${raw[k].name})`);
  const more = sharing.slice(2);
  return andList([sharing[0], ...(more.length <= 4 ? more : [...more.slice(0, 3), `${more.length - 3} more clusters`])]);
}

/**
 * The External Secrets Operator serves `external-secrets.io/v1` from 0.16.0 and stopped serving
 * v1beta1 in 0.17.0 (external-secrets/external-secrets 196252d32, "unserve v1beta1 and mark it as
 * deprecated"; the ExternalSecret CRD of v0.17.0 through v2.9.0 has `served: false` for it).
 */
const V1BETA1_EXTERNAL_SECRET =
  'external-secrets.io/v1beta1 is served only by the External Secrets Operator 0.16 and earlier (0.17.0 stopped serving it): ' +
  'on a later operator the apply fails with no matches for kind ExternalSecret; leave apiVersion out for external-secrets.io/v1, ' +
  'served since 0.16.0';

/**
 * The knative-serving Ingress (to the Service `kourier`, port 80, in `knative-serving`) is what
 * Run:ai 2.25's system requirements write. The docs of earlier releases that could be read show
 * no such Ingress: they install Knative and its Kourier from plain YAML, which puts `kourier` in
 * `kourier-system`, and reach it at its own address (2.10–2.12: `kubectl get service -n
 * kourier-system kourier`; the DGX SuperPOD guides of 2.20–2.22: a LoadBalancer IP of its own
 * for `*.<inference domain>`). Written for such a release, the Ingress is our choice, and it
 * only reaches Kourier where the Knative Operator (as 2.25 installs it) put it in knative-serving.
 */
function undocumentedInferenceIngress(c: ClusterSpec): FieldWarning | undefined {
  const profile = c.mode.profileChoice.profile;
  if (!c.inference?.tls || !c.mode.platform.ownsTls || c.mode.gateway || profile.documentedKnativeClass) return undefined;
  return {
    field: 'inference',
    code: 'inference-ingress-undocumented',
    message:
      `the knative-serving Ingress is Run:ai 2.25's: the docs of ${profile.id} read for this tool show none, and reach Kourier at ` +
      `an address of its own; the Ingress written here sends *.${c.inference.domain} to the Service kourier in knative-serving, ` +
      'where only the Knative Operator installs it (a Knative install from YAML puts it in kourier-system): check where kourier ' +
      "runs, or remove inference and expose Kourier as your release's docs do",
  };
}

/**
 * An inference domain that is the cluster's own host, with Ingresses: the inference Ingress and
 * the wildcard Ingress both list `*.<host>` for TLS, each with its own Secret, and a controller
 * serves one certificate for a host. Harmless when both Secrets hold the same leaf certificate. (With
 * the Gateway API it is an error: sharedListenerHostMessage.)
 */
function sharedInferenceHostWarning(c: ClusterSpec): FieldWarning | undefined {
  if (!c.inference || c.inference.domain !== c.clusterUrl || !c.mode.needsWildcardCertificate || c.mode.gateway) return undefined;
  // The same leaf, whatever its file's line ends or the chain beside it.
  const [workspaces, inference] = [certificateOf(c.tls)?.fingerprint256, certificateOf(c.inference.tls)?.fingerprint256];
  if (workspaces && workspaces === inference) return undefined;
  return {
    field: 'inference.domain',
    code: 'inference-domain-shared',
    message:
      `is the cluster's own host ${c.clusterUrl}: the inference and wildcard Ingresses both serve TLS for *.${c.clusterUrl} from ` +
      'two Secrets, and a controller serves one certificate for a host (which one varies); give inference a domain of its own, ' +
      `such as runai-inference.${c.clusterUrl}, or the same certificate in tls and inference.tls`,
  };
}

/**
 * Turns a schema-valid cluster entry into a `ClusterSpec`: reads its files (through the
 * `InputFiles` cache), applies every default and computes its mode once.
 */
import { parseClusterUrl } from '../model/cluster-url';
import { ControlPlane } from '../model/control-plane';
import { Problem } from '../model/errors';
import { admitsEveryAddress, subdomainHostWarning } from '../model/expose';
import { ingressClassAnnotationProblem } from '../model/labels';
import { Migration, retiredControllerMessage } from '../model/migration';
import { ClusterMode } from '../model/mode';
import { INGRESS_CLASS_ANNOTATION, projectNamespace, workloadSelector, workspaceLabel } from '../model/names';
import { IngressController, Platform, Routing, RoutingApi } from '../model/routing';
import { RunaiVersion } from '../model/runai-version';
import {
  DEFAULT_EXTERNAL_SECRETS_API_VERSION,
  DEFAULT_INCLUDE_APEX,
  DEFAULT_REFRESH_INTERVAL,
  DEFAULT_SEALING_SCOPE,
  DEFAULT_SECRET_STORE_KIND,
} from '../model/tls-sources';
import { readCertificates } from '../tls/pem';
import { toPort } from './expose-schema';
import { InputFiles, TlsWhere } from './input-files';
import { RawCluster } from './schema';
import { certificateOf, ClusterSpec, tlsSettings, TlsSpec } from './spec';

/** A cluster entry with its defaults applied, its files read and checked (problems go to `files`). */
export function normalize(c: RawCluster, at: string, baseDir: string, files: InputFiles): ClusterSpec {
  const url = parseClusterUrl(c.clusterUrl);
  if (!url.ok) throw new Error(`schema accepted an invalid clusterUrl: ${url.message}`);
  // Read first: the private CA is a trust anchor for every certificate of the cluster.
  const caPem = c.privateCa && files.readCa(baseDir, c.privateCa.caFile, `${at}.privateCa.caFile`, c.name);
  const privateCa = caPem ? readCertificates(caPem) : undefined;
  const tls = normalizeTls(
    c.tls,
    { at: `${at}.tls`, cluster: c.name, clusterUrl: url.host, coverage: 'wildcard-and-apex', privateCa },
    baseDir,
    files,
  );
  const clusterTls = normalizeTls(
    c.clusterTls,
    { at: `${at}.clusterTls`, cluster: c.name, clusterUrl: url.host, coverage: 'host', privateCa },
    baseDir,
    files,
  );
  const inferenceDomain = c.inference && parseClusterUrl(c.inference.domain);
  const inference =
    c.inference && inferenceDomain?.ok
      ? {
          domain: inferenceDomain.host,
          tls: normalizeTls(
            c.inference.tls,
            { at: `${at}.inference.tls`, cluster: c.name, clusterUrl: inferenceDomain.host, coverage: 'wildcard', privateCa },
            baseDir,
            files,
          ),
          gateway: c.inference.gateway,
        }
      : undefined;
  const runaiVersion = c.runaiVersion === undefined ? undefined : RunaiVersion.parse(c.runaiVersion);
  const mode = ClusterMode.of({
    platform: c.platform && Platform.of(c.platform),
    routing: c.routing && Routing.of(c.routing),
    api: c.exposure && RoutingApi.of(c.exposure),
    controlPlane: c.deployment && ControlPlane.of(c.deployment),
    runaiVersion,
    controller: c.ingress?.controller && IngressController.of(c.ingress.controller),
    gateway: c.gateway,
    ingressClassName: c.ingress?.className,
    runaiConfigVia: c.runaiConfig?.via,
    migration: c.migration && Migration.of(c.migration.to, c.migration.phase),
  });
  return {
    name: c.name,
    clusterUrl: url.host,
    deployment: mode.controlPlane,
    mode,
    runaiVersion,
    platform: c.platform ?? 'kubernetes',
    exposure: c.exposure ?? 'ingress',
    gateway: c.gateway,
    routing: c.routing ?? 'host',
    ingressController: mode.controller.name,
    ingressClassName: mode.ingressClassName,
    ingressAnnotations: c.ingress?.annotations ?? {},
    tls,
    clusterTls,
    inference,
    privateCa: caPem ? { caPem } : undefined,
    subdomainSupport: c.subdomainSupport ?? true,
    expose: (c.expose ?? []).map((e) => ({
      project: e.project,
      workload: e.workload,
      type: e.type,
      namespace: e.namespace ?? projectNamespace(e.project),
      selector: e.selector ?? workloadSelector(e.workload),
      ports: e.ports.map(toPort),
      loadBalancerSourceRanges: e.loadBalancerSourceRanges ?? [],
    })),
    runaiConfigVia: mode.runaiConfigVia,
    gitops: { argocd: c.gitops?.argocd ?? true, flux: c.gitops?.flux ?? true },
    output: { kustomization: c.output?.kustomization ?? false },
  };
}

/**
 * The certificate and key of a `files` or `sealed-secret` block, checked as a pair; a key missing
 * from a clone (tolerated with `allowMissingKeys`) is an empty key and `keyMissing`.
 */
function readPair(raw: { certFile: string; keyFile: string }, where: TlsWhere, baseDir: string, files: InputFiles) {
  const pair = files.checkPair(baseDir, raw.certFile, raw.keyFile, where);
  return (
    pair && {
      certificatePem: pair.cert,
      privateKeyPem: pair.key ?? Buffer.alloc(0),
      ...(pair.key ? {} : { keyMissing: raw.keyFile }),
      certificate: pair.summary,
    }
  );
}

/** Reads and checks a `tls` block's files; `undefined` when it is absent or has errors (recorded). */
function normalizeTls(raw: RawCluster['tls'], where: TlsWhere, baseDir: string, files: InputFiles): TlsSpec | undefined {
  switch (raw?.source) {
    case undefined:
      return undefined;
    case 'existing':
      return { source: 'existing' };
    case 'files': {
      const pair = readPair(raw, where, baseDir, files);
      return pair && { source: 'files', ...pair, commitPlaintextKey: raw.commitPlaintextKey ?? false };
    }
    case 'sealed-secret': {
      const pair = readPair(raw, where, baseDir, files);
      const controller = files.readControllerCert(baseDir, raw.controllerCertFile, `${where.at}.controllerCertFile`, where.cluster);
      return (
        pair &&
        controller && {
          source: 'sealed-secret',
          ...pair,
          controllerKey: controller.key,
          controllerFingerprint: controller.fingerprint,
          scope: raw.scope ?? DEFAULT_SEALING_SCOPE,
        }
      );
    }
    case 'cert-manager':
      return {
        source: 'cert-manager',
        issuerRef: raw.issuerRef,
        includeApex: raw.includeApex ?? DEFAULT_INCLUDE_APEX,
        secretTemplate: raw.secretTemplate,
      };
    case 'external-secret':
      return {
        source: 'external-secret',
        secretStoreRef: { name: raw.secretStoreRef.name, kind: raw.secretStoreRef.kind ?? DEFAULT_SECRET_STORE_KIND },
        remoteRef: raw.remoteRef,
        apiVersion: raw.apiVersion ?? DEFAULT_EXTERNAL_SECRETS_API_VERSION,
        refreshInterval: raw.refreshInterval ?? DEFAULT_REFRESH_INTERVAL,
      };
  }
}

/** Warnings about exposed workloads: a load balancer without source ranges is open to all. */
export function exposeWarnings(clusters: readonly ClusterSpec[], source: string): Problem[] {
  return clusters.flatMap((c, i) =>
    c.expose.flatMap((e, j) => {
      const warn = (message: string, code: string) => ({
        source,
        path: `clusters[${i}].expose[${j}]`,
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
 */
export function modeProblems(clusters: readonly ClusterSpec[], raw: readonly RawCluster[], source: string): Problem[] {
  return clusters.flatMap((c, i) => {
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
    const annotated = c.mode.wiring === 'dedicated-ingress' && (c.mode.migration?.keepsCurrent ?? true);
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
      sharedInferenceHostWarning(c),
      classlessIngressWarning(c),
      sharedClusterUrlWarning(clusters, i),
      ...unservedExternalSecretWarnings(c),
      undocumentedInferenceIngress(c),
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
 * `ingress.className: null` with HAProxy (haproxytech/kubernetes-ingress, pkg/store/store.go
 * IsIngressClassSupported): as its Helm chart runs it, an Ingress without a class is served only
 * with --empty-ingress-class, or when the default IngressClass is HAProxy's.
 */
function classlessIngressWarning(c: ClusterSpec): FieldWarning | undefined {
  if (c.mode.controller !== IngressController.HAPROXY || c.mode.ingressClassName !== null || c.mode.wiring !== 'dedicated-ingress') {
    return undefined;
  }
  // Nor is Run:ai told a class then (mode.runaiIngressClass), so its own workspace Ingresses take
  // the class it assumes, nginx in its docs, unless a migration states one.
  const runaiToo =
    c.mode.runaiIngressClass === undefined
      ? ", and Run:ai is told no class, so the Ingresses it makes for workspaces take its own default (nginx in Run:ai's docs)"
      : '';
  return {
    field: 'ingress.className',
    code: 'ingress-class-none',
    message:
      `null writes the Ingresses without a class${runaiToo}; the HAProxy Ingress Controller as its Helm chart runs it ` +
      "(--ingress.class=haproxy) serves an Ingress without a class only when the cluster's default IngressClass " +
      '(ingressclass.kubernetes.io/is-default-class) is its own or it runs with --empty-ingress-class: set className: ' +
      'haproxy unless one of these holds',
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
 * Clusters with one `clusterUrl`: DNS points it at one of them. Said once per URL, at the second
 * cluster that has it, naming the others; fine while a new cluster replaces an old one.
 */
function sharedClusterUrlWarning(clusters: readonly ClusterSpec[], i: number): FieldWarning | undefined {
  const url = clusters[i].clusterUrl;
  const sharing = clusters.flatMap((c, k) => (c.clusterUrl === url ? [`clusters[${k}] (${c.name})`] : []));
  if (sharing.length < 2 || sharing[1] !== `clusters[${i}] (${clusters[i].name})`) return undefined;
  const more = sharing.slice(2);
  const others = [sharing[0], ...(more.length <= 4 ? more : [...more.slice(0, 3), `${more.length - 3} more clusters`])];
  const named = others.length === 1 ? others[0] : `${others.slice(0, -1).join(', ')} and ${others[others.length - 1]}`;
  return {
    field: 'clusterUrl',
    code: 'cluster-url-shared',
    message:
      `${url} is also the clusterUrl of ${named}: DNS points ${url} and *.${url} at one address, so researchers ` +
      'reach only one of these clusters; fine while one replaces the other, else give each cluster its own URL',
  };
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

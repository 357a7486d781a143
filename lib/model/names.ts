/**
 * The names the tool writes or looks for in a cluster: Run:ai's object names and namespaces, the
 * Kubernetes names it relies on, and the regexes for PEM blocks. Sources: Run:ai's "External
 * access to containers" and "Set up HTTPS / wildcard certificate" pages (README "Run:ai versions"
 * links each). How the output is laid out is model/output-layout.ts; the rules for DNS names and
 * labels are model/dns-names.ts.
 */
import { DNS_LABEL_MAX_LENGTH, DNS_SUBDOMAIN_MAX_LENGTH } from './dns-names';

/** Run:ai's own namespace: the dedicated wildcard Ingress, its Secret and the RunaiConfig live here. */
export const RUNAI_NAMESPACE = 'runai';
/** The self-hosted control plane's namespace (`runai-backend-ingress`, the private CA copy). */
export const RUNAI_BACKEND_NAMESPACE = 'runai-backend';

/** Where Knative serving runs; the inference Ingress and its Secret live here. */
export const KNATIVE_NAMESPACE = 'knative-serving';
/** The label Run:ai puts on a project's namespace (and an admin on one made by hand), naming its project. */
export const RUNAI_PROJECT_LABEL = 'runai/queue';
/** The label the API server sets on every namespace to its name, which no one else can change. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * The namespaces of the HTTPRoutes Run:ai makes for the cluster URL: `runai`, and `runai-backend`
 * where the control plane is self-hosted (its routes live with it).
 */
export function runaiRouteNamespaces(selfHosted: boolean): readonly string[] {
  return selfHosted ? [RUNAI_NAMESPACE, RUNAI_BACKEND_NAMESPACE] : [RUNAI_NAMESPACE];
}

/**
 * Whose own objects `namespace` holds, when it is a namespace no `expose` entry may write into
 * (an object of the same name would replace one of theirs): Run:ai's, Knative's (with Kourier's,
 * where OpenShift Serverless or a Knative install from YAML puts it), and on a self-hosted
 * cluster the control plane's; otherwise `undefined`.
 */
export function reservedNamespaceOwner(namespace: string, selfHosted: boolean): string | undefined {
  if (namespace === RUNAI_NAMESPACE) return "Run:ai's own Services and Ingresses (such as the one a legacy install patches)";
  if (namespace === KNATIVE_NAMESPACE) return "Knative Serving's own Services and the inference Ingress";
  if (namespace === OPENSHIFT_KOURIER_NAMESPACE || namespace === KOURIER_SYSTEM_NAMESPACE)
    return "Kourier's Services, such as kourier, to which inference is routed";
  if (namespace === RUNAI_BACKEND_NAMESPACE && selfHosted) return "the self-hosted control plane's Services and Ingresses";
  return undefined;
}
/** Why an `expose` entry's `namespace`, which `owner` fills ({@link reservedNamespaceOwner}), is refused. */
export function reservedNamespaceMessage(namespace: string, owner: string): string {
  return `${namespace} is a namespace ${reservedNamespaceClause(owner)}; expose a workload in its project's namespace, such as runai-team-a`;
}

/** Why a namespace that holds `owner` takes no researcher's objects, as a clause: `which holds …: …`. */
export function reservedNamespaceClause(owner: string): string {
  return `which holds ${owner}: an object of the same name would replace one of them`;
}

/** OpenShift's monitoring namespace, which reads the private CA too. */
export const OPENSHIFT_MONITORING_NAMESPACE = 'openshift-monitoring';
/** Run:ai project namespaces are `runai-<project>`. */
export const PROJECT_NAMESPACE_PREFIX = 'runai-';

/** The `*.<CLUSTER_URL>` certificate's Secret. */
export const STAR_TLS_SECRET_NAME = 'runai-cluster-domain-star-tls-secret';
/** The dedicated wildcard Ingress (Run:ai 2.13 and later). */
export const STAR_INGRESS_NAME = 'runai-cluster-domain-star-ingress';
/** The cert-manager Certificate that issues the wildcard Secret. */
export const STAR_CERTIFICATE_NAME = 'runai-cluster-domain-star-tls';
/** The cluster's own certificate (for `<CLUSTER_URL>` itself). */
export const CLUSTER_TLS_SECRET_NAME = 'runai-cluster-domain-tls-secret';
/** The inference domain's wildcard certificate. */
export const INFERENCE_TLS_SECRET_NAME = 'runai-cluster-inference-tls-secret';
/** Run:ai's inference Ingress to Knative. */
export const INFERENCE_INGRESS_NAME = 'knative-serving';
/** The inference HTTPRoute with the Gateway API. */
export const INFERENCE_HTTPROUTE_NAME = 'knative-serving-httproute';
/** Knative's ingress Service that inference traffic goes to, and its port. */
export const KOURIER_SERVICE = { name: 'kourier', port: 80 } as const;
/**
 * Where OpenShift Serverless puts Kourier: the KnativeServing namespace with `-ingress`
 * (openshift-knative/serverless-operator, openshift-knative-operator/pkg/serving/kourier.go:
 * `kourierNamespace(servingNs) = servingNs + "-ingress"`, "to be backwards compatible"). Run:ai
 * 2.25's OpenShift tab routes to `kourier` in the route's own namespace, knative-serving, where
 * there is none; the upstream Knative Operator (the Kubernetes tab) does put it there.
 */
export const OPENSHIFT_KOURIER_NAMESPACE = `${KNATIVE_NAMESPACE}-ingress`;
/** Where a Knative installed from YAML (net-kourier's release files) puts Kourier. */
export const KOURIER_SYSTEM_NAMESPACE = 'kourier-system';
/**
 * The Gateway Run:ai 2.25's Gateway API page attaches the inference HTTPRoute to on OpenShift
 * (its Ingress Operator creates the DNS records of a Gateway's listeners). OpenShift does not make
 * it: `openshift-default` is the name OpenShift's docs give the GatewayClass of its Gateway
 * controller; the admin creates Gateways of that class in openshift-ingress.
 */
export const OPENSHIFT_DEFAULT_GATEWAY = { name: 'openshift-default', namespace: 'openshift-ingress' } as const;
/** {@link OPENSHIFT_DEFAULT_GATEWAY} for messages: `openshift-default in openshift-ingress`. */
export const OPENSHIFT_DEFAULT_GATEWAY_TEXT = `${OPENSHIFT_DEFAULT_GATEWAY.name} in ${OPENSHIFT_DEFAULT_GATEWAY.namespace}`;
/** The Gateway listener for the inference domain. */
export const INFERENCE_LISTENER = 'https-inference';
/** With `gateway.httpRedirect`: the Gateway's plain-HTTP listener, and the namespace and name of its one route, which redirects to https. */
export const HTTP_LISTENER = 'http';
export const HTTPS_REDIRECT = { namespace: 'runai-https-redirect', name: 'https-redirect' } as const;
/** The ingresses Run:ai 2.9–2.12 already have, which the legacy patch extends. */
export const LEGACY_SAAS_INGRESS = 'researcher-service-ingress';
export const LEGACY_SELF_HOSTED_INGRESS = 'runai-backend-ingress';

/** The operator's config object: `run.ai/v1` `RunaiConfig` `runai/runai`. */
export const RUNAI_CONFIG_NAME = 'runai';
/** The private CA Secret and its key. */
export const CA_SECRET_NAME = 'runai-ca-cert';
export const CA_SECRET_KEY = 'runai-ca.pem';
/** The labels Run:ai's docs put on the private CA copy in `runai`. */
export const CA_SECRET_LABELS: Readonly<Record<string, string>> = { 'run.ai/cluster-wide': 'true', 'run.ai/name': CA_SECRET_NAME };

/** The pod label the Run:ai CLI's chart puts on a workload's pods: the default expose selector. */
export const WORKLOAD_LABEL = 'release';

/** The namespace of a Run:ai project: `runai-<project>`. */
export function projectNamespace(project: string): string {
  return `${PROJECT_NAMESPACE_PREFIX}${project}`;
}

/** Why a project's namespace `runai-<project>` cannot be one, for a message on the project, or `undefined`. */
export function projectNamespaceProblem(project: string): string | undefined {
  const namespace = projectNamespace(project);
  return namespace.length > DNS_LABEL_MAX_LENGTH
    ? `makes the namespace ${namespace} longer than ${DNS_LABEL_MAX_LENGTH} characters; shorten it or set namespace`
    : undefined;
}

/** The default selector of a workload's pods: `{release: <workload>}`. */
export function workloadSelector(workload: string): Record<string, string> {
  return { [WORKLOAD_LABEL]: workload };
}

/**
 * The one DNS label Run:ai gives a workspace with host routing, `<project>-<workload>` (Run:ai's
 * "External access to containers": `https://<project>-<workload>.<CLUSTER_URL>/`).
 */
export function workspaceLabel(project: string, workload: string): string {
  return `${project}-${workload}`;
}

/** A workspace's host with host routing: `<project>-<workload>.<clusterUrl>`. */
export function workspaceHost(project: string, workload: string, clusterUrl: string): string {
  return `${workspaceLabel(project, workload)}.${clusterUrl}`;
}

/** Why `<project>-<workload>` is not one DNS label, as a clause (`the subdomain … is N characters; …`), or `undefined`. */
export function workspaceLabelProblem(project: string, workload: string): string | undefined {
  const label = workspaceLabel(project, workload);
  return label.length > DNS_LABEL_MAX_LENGTH
    ? `the subdomain ${label} is ${label.length} characters; <project>-<workload> must fit one DNS label (${DNS_LABEL_MAX_LENGTH})`
    : undefined;
}

/**
 * Why a workspace's host `<project>-<workload>.<clusterUrl>` is longer than a host name may be
 * (253 characters, which an Ingress rule's host is held to), as a clause, or `undefined`. A
 * cluster URL of up to 249 characters is valid with host routing (see {@link clusterUrlRoomProblem}),
 * so a long one leaves less room for the label.
 */
export function workspaceHostLengthProblem(project: string, workload: string, clusterUrl: string): string | undefined {
  const host = workspaceHost(project, workload, clusterUrl);
  return host.length > DNS_SUBDOMAIN_MAX_LENGTH
    ? `the host ${host} is ${host.length} characters; a host name has at most ${DNS_SUBDOMAIN_MAX_LENGTH}`
    : undefined;
}

/**
 * Why no workspace host fits under `clusterUrl` with host routing, as a clause, or `undefined`:
 * the shortest host, `a-b.<clusterUrl>` (one-character project and workload), is longer than a
 * host name may be. A cluster URL of 250 or 251 characters is valid (`*.` + it fits 253) and
 * leaves no room. `pathRoutingFix`: the other way out, as the caller can take it.
 */
export function clusterUrlRoomProblem(clusterUrl: string, pathRoutingFix = ', or set routing: path'): string | undefined {
  const shortest = workspaceHost('a', 'b', clusterUrl).length;
  return shortest > DNS_SUBDOMAIN_MAX_LENGTH
    ? `is ${clusterUrl.length} characters: with routing: host (the default), each workspace is served at ` +
        `<project>-<workload>.<clusterUrl>, at least ${shortest} characters, and a host name has at most ${DNS_SUBDOMAIN_MAX_LENGTH}; ` +
        `use a cluster URL of at most ${DNS_SUBDOMAIN_MAX_LENGTH - (shortest - clusterUrl.length)} characters${pathRoutingFix}`
    : undefined;
}

/**
 * A name to look up or connect to under `domain`, `label.domain`, with the label cut from its
 * start (its end, random where it is, kept) where the whole would pass DNS's 253 characters, as it
 * would under a long cluster URL or inference domain, which the config allows. Doctor's probes
 * and the migration's checks use it.
 */
export function probeName(label: string, domain: string): string {
  const room = DNS_SUBDOMAIN_MAX_LENGTH - domain.length - 1;
  const cut = label.length > room ? label.slice(label.length - room).replace(/^-+/, '') : label;
  return `${cut || label.slice(-1)}.${domain}`;
}

/**
 * The Helm releases Run:ai's docs install, as `helm upgrade` names them: release, chart and
 * namespace (the cluster: `runai-cluster`; a self-hosted control plane: `runai-backend`).
 */
export const RUNAI_CLUSTER_RELEASE = `runai-cluster runai/runai-cluster -n ${RUNAI_NAMESPACE}`;
export const RUNAI_CONTROL_PLANE_RELEASE = `runai-backend runai-backend/control-plane -n ${RUNAI_BACKEND_NAMESPACE}`;

/** Records what a SealedSecret was sealed from, so unchanged inputs keep their ciphertext. */
export const SEALED_FROM_ANNOTATION = 'runai-access/sealed-from';
/**
 * Records the SHA-256 of a SealedSecret's ciphertexts as sealed, so a value changed afterwards
 * (by hand, or damaged: the controller could not open it) is seen without the controller's key.
 */
export const SEALED_AS_ANNOTATION = 'runai-access/sealed-as';
/**
 * The SHA-256 fingerprint of the controller certificate a SealedSecret was sealed for, in the
 * clear: a clone without the private key cannot tell whom a ciphertext was sealed for, so `check`
 * there compares this with the controller certificate the config names now.
 */
export const SEALED_FOR_ANNOTATION = 'runai-access/sealed-for';
/**
 * Records the SHA-256 of the certificate chain (tls.crt) a SealedSecret seals, in the clear, as
 * `certificates.sha256` does: a clone without the private key cannot open the ciphertext, so
 * `check` there compares this with the certificate file the config names now, and a SealedSecret
 * left from before a renewal (its certificate committed, the SealedSecret not) is drift there too.
 */
export const SEALED_CERTIFICATE_ANNOTATION = 'runai-access/sealed-certificate';

/** The field manager of `kubectl apply --server-side`, so the overlay's fields are owned by this tool. */
export const FIELD_MANAGER = 'runai-access';
/** The tool's name where Kubernetes wants one: the managed-by label, the ApplicationSet, the source of CLI-level problems. */
export const TOOL_NAME = FIELD_MANAGER;

/**
 * The command that applies `target` as runai-access tells it: server-side, as {@link FIELD_MANAGER};
 * `-k` for a kustomization folder. `target` is a shell word already (`shellPath` in errors.ts).
 */
export function kubectlApply(target: string, kustomize = false): string {
  return `kubectl apply --server-side --field-manager=${FIELD_MANAGER} ${kustomize ? '-k' : '-f'} ${target}`;
}
/** The label on researchers' Services and Ingresses that says who made them. */
export const MANAGED_BY_LABEL = { 'app.kubernetes.io/managed-by': TOOL_NAME } as const;

/** The prefix of the Argo CD Application and Flux Kustomization of a cluster: `runai-access-<cluster>`. */
export const DELIVERY_NAME_PREFIX = 'runai-access-';

/** The port Run:ai serves workspaces on: https. */
export const HTTPS_PORT = 443;
/** The plain-HTTP port, which `gateway.httpRedirect` answers with a redirect to https. */
export const HTTP_PORT = 80;

/** The annotation IngressClass replaced; the API server refuses it beside a different `ingressClassName`. */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** The start of any PEM private key block (PKCS#1, PKCS#8, SEC1, encrypted). */
export const PRIVATE_KEY_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
/** The start of a PEM certificate block. */
export const CERTIFICATE_BEGIN = '-----BEGIN CERTIFICATE-----';

/**
 * The resource of each kind runai-access writes whose short name other APIs also use (Istio's
 * Gateway, Knative's Certificate), with its group, so that a pasted command names only ours.
 */
const QUALIFIED_KINDS: Readonly<Record<string, string>> = {
  Gateway: 'gateway.gateway.networking.k8s.io',
  HTTPRoute: 'httproute.gateway.networking.k8s.io',
  ReferenceGrant: 'referencegrant.gateway.networking.k8s.io',
  Certificate: 'certificate.cert-manager.io',
  SealedSecret: 'sealedsecret.bitnami.com',
  ExternalSecret: 'externalsecret.external-secrets.io',
};

/**
 * An object as `kubectl delete` takes it: `ingress -n runai runai-cluster-domain-star-ingress`,
 * `gateway.gateway.networking.k8s.io -n runai runai-gateway` (`-n` left out without a namespace).
 */
export function deletable(kind: string, namespace: string | undefined, name: string): string {
  return `${QUALIFIED_KINDS[kind] ?? kind.toLowerCase()}${namespace === undefined ? '' : ` -n ${namespace}`} ${name}`;
}

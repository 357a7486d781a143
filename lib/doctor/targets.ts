/**
 * What `doctor` reads and probes for a cluster, from its mode: the objects kubectl reads (the
 * Secret, the Ingress that serves now, the RunaiConfig) and the TLS connections it makes, each
 * with what must be served and by what.
 */
import { certificateOf, ClusterSpec, TlsSpec } from '../config/spec';
import {
  CLUSTER_TLS_SECRET_NAME,
  INFERENCE_INGRESS_NAME,
  INFERENCE_TLS_SECRET_NAME,
  KNATIVE_NAMESPACE,
  RUNAI_CONFIG_NAME,
  RUNAI_NAMESPACE,
  STAR_INGRESS_NAME,
  STAR_TLS_SECRET_NAME,
} from '../model/names';
import { RUNAI_DEFAULT_INGRESS_CLASS } from '../model/release-profiles';
import { CheckName } from './check';
import { ClusterTargets } from './cluster-reads';
import { Expectation } from './served-certificate';

/** The objects to read, from the cluster's mode. */
export function clusterTargets(cluster: ClusterSpec): ClusterTargets {
  // The Gateway that serves now, whose HTTPRoutes must be Accepted (with any routing).
  const gateway = cluster.mode.servingGateway;
  const objects = objectTargets(cluster);
  return gateway ? { ...objects, gateway: { namespace: gateway.namespace, name: gateway.name } } : objects;
}

/** The Secret, the Ingress that serves now and the RunaiConfig. */
function objectTargets(cluster: ClusterSpec): ClusterTargets {
  const mode = cluster.mode;
  const runaiConfig = { namespace: RUNAI_NAMESPACE, name: RUNAI_CONFIG_NAME };
  if (!mode.needsWildcardCertificate) {
    // Path routing on Kubernetes with Ingresses: Run:ai's own Ingresses serve the workspaces, with
    // the class it is told, or its default (NGINX, when told none).
    const pathIngresses = mode.usesIngressClass && !mode.hostUrls;
    return pathIngresses ? { runaiConfig, ingressClass: { name: mode.runaiIngressClass ?? RUNAI_DEFAULT_INGRESS_CLASS } } : { runaiConfig };
  }
  const secret = { namespace: mode.starSecretNamespace, name: STAR_TLS_SECRET_NAME };
  switch (mode.wiring) {
    case 'dedicated-ingress': {
      // From phase 2 the new controller's Ingress serves (Run:ai is told, DNS moves); none with a migration to the Gateway API.
      const serving = mode.servingIngressSet;
      return serving
        ? {
            secret,
            ingress: { namespace: RUNAI_NAMESPACE, name: `${STAR_INGRESS_NAME}${serving.nameSuffix}`, className: serving.ingressClassName },
            runaiConfig,
          }
        : { secret, runaiConfig };
    }
    case 'legacy-patch':
      return {
        secret,
        ingress: { namespace: mode.controlPlane.legacyNamespace, name: mode.controlPlane.legacyIngressName, className: null },
        runaiConfig,
      };
    default:
      return { secret, runaiConfig };
  }
}

/** What the probe compares the served certificate with: the config's certificate, when it has one. */
function configured(tls: TlsSpec | undefined): Pick<Expectation, 'fingerprint256' | 'configuredValidTo'> {
  const certificate = certificateOf(tls);
  return { fingerprint256: certificate?.fingerprint256, configuredValidTo: certificate?.validTo };
}

/** One TLS connection doctor makes: the SNI name, the address, and what must be served. */
export interface TlsProbe {
  readonly name: CheckName;
  readonly sni: string;
  readonly at?: string;
  readonly expect: Expectation;
}

/**
 * The TLS probes of a cluster on Kubernetes: the workspace wildcard (host routing), the cluster URL
 * with its own certificate, and the inference wildcard, each with what should serve it.
 */
export function tlsProbes(
  cluster: ClusterSpec,
  targets: ClusterTargets,
  at: { probeHost: string; inferenceProbe?: string; workspaceAt?: string; clusterAt?: string; inferenceAt?: string },
): TlsProbe[] {
  const mode = cluster.mode;
  const inference = cluster.inference;
  // What serves the workspace and inference hosts: from phase 2 of a migration, the new
  // controller's objects or the Gateway (as clusterTargets reads them).
  const servingGateway = mode.servingGateway;
  const servingClass = targets.ingress?.className ?? mode.ingressClassName;
  const watchedBy = servingGateway
    ? `the GatewayClass of Gateway ${servingGateway.namespace}/${servingGateway.name}`
    : servingClass === null
      ? 'the default IngressClass'
      : `IngressClass ${servingClass}`;
  const wiredBy = targets.ingress
    ? `Ingress ${targets.ingress.namespace}/${targets.ingress.name}`
    : servingGateway
      ? `Gateway ${servingGateway.namespace}/${servingGateway.name}`
      : 'the wildcard Ingress';
  const inferenceIngress = `${INFERENCE_INGRESS_NAME}${mode.servingIngressSet?.nameSuffix ?? ''}`;
  const probes: TlsProbe[] = [];
  if (mode.hostUrls)
    probes.push({
      name: 'tls.workspace',
      sni: at.probeHost,
      at: at.workspaceAt,
      expect: {
        ...configured(cluster.tls),
        source: cluster.tls?.source ?? 'existing',
        secret: `${mode.starSecretNamespace}/${STAR_TLS_SECRET_NAME}`,
        wiredBy,
        watchedBy,
      },
    });
  if (cluster.clusterTls) {
    probes.push({
      name: 'tls.cluster',
      sni: cluster.clusterUrl,
      at: at.clusterAt,
      expect: {
        ...configured(cluster.clusterTls),
        source: cluster.clusterTls.source,
        secret: `${mode.clusterSecretNamespace}/${CLUSTER_TLS_SECRET_NAME}`,
        wiredBy: "Run:ai's ingress for the cluster URL",
        watchedBy,
      },
    });
  }
  if (inference && at.inferenceProbe) {
    probes.push({
      name: 'tls.inference',
      sni: at.inferenceProbe,
      at: at.inferenceAt,
      expect: {
        ...configured(inference.tls),
        source: inference.tls?.source ?? 'existing',
        secret: `${servingGateway ? servingGateway.namespace : mode.inferenceSecretNamespace}/${INFERENCE_TLS_SECRET_NAME}`,
        wiredBy: servingGateway ? wiredBy : `Ingress ${KNATIVE_NAMESPACE}/${inferenceIngress}`,
        watchedBy,
      },
    });
  }
  return probes;
}

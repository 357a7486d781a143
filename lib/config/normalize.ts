/**
 * Turns a schema-valid cluster entry into a `ClusterSpec`: reads its files (through the
 * `InputFiles` cache), applies every default and computes its mode once.
 */
import { parseClusterUrl } from '../model/cluster-url';
import { ControlPlane } from '../model/control-plane';
import { Migration } from '../model/migration';
import { ClusterMode } from '../model/mode';
import { projectNamespace, workloadSelector } from '../model/names';
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
import { ClusterSpec, TlsSpec } from './spec';

/**
 * A cluster entry with its defaults applied, its files read and checked (problems go to `files`).
 * @param index its place in the config's `clusters` list
 */
export function normalize(c: RawCluster, index: number, baseDir: string, files: InputFiles): ClusterSpec {
  const at = `clusters[${index}]`;
  const host = clusterHost(c.clusterUrl);
  // Read first: the private CA is a trust anchor for every certificate of the cluster.
  const caPem = c.privateCa && files.readCa(baseDir, c.privateCa.caFile, `${at}.privateCa.caFile`, c.name);
  const privateCa = caPem ? readCertificates(caPem) : undefined;
  const tls = normalizeTls(
    c.tls,
    { at: `${at}.tls`, cluster: c.name, clusterUrl: host, coverage: 'wildcard-and-apex', privateCa },
    baseDir,
    files,
  );
  const clusterTls = normalizeTls(
    c.clusterTls,
    { at: `${at}.clusterTls`, cluster: c.name, clusterUrl: host, coverage: 'host', privateCa },
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
    migration: c.migration && Migration.of(c.migration.to, c.migration.phase, c.migration.className),
  });
  return {
    name: c.name,
    index,
    clusterUrl: host,
    mode,
    runaiVersion,
    gateway: c.gateway,
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

/** The host of a `clusterUrl` the schema accepted, as `ClusterSpec.clusterUrl` holds it. */
export function clusterHost(clusterUrl: string): string {
  const url = parseClusterUrl(clusterUrl);
  if (!url.ok) throw new Error(`schema accepted an invalid clusterUrl: ${url.message}`);
  return url.host;
}

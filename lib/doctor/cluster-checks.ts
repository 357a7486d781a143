/**
 * Judges what `cluster-reads.ts` found: the Secret holds the configured (or the served)
 * certificate where the Ingress needs it, the Ingress and its IngressClass exist and it has an
 * address DNS points at, and RunaiConfig switches subdomains on. Each failure says what to do.
 */
import { X509Certificate } from 'node:crypto';

import { certificateOf, ClusterSpec } from '../config/spec';
import { ControlPlane } from '../model/control-plane';
import { RUNAI_CONFIG_NAME, runaiRouteNamespaces, STAR_CERTIFICATE_NAME } from '../model/names';
import { HELM_VALUES_PATH, objectFileName, PATCHES_DIR } from '../model/output-layout';
import { CertFinding } from '../tls/findings';
import { coversWildcard } from '../tls/inspect';
import { readChain } from '../tls/pem';
import { applyCommand, CheckName, CheckResult, fail, pass, skip } from './check';
import { ClusterFacts, ClusterTargets, IngressObject, Read } from './cluster-reads';
import { gatewayRoutesCheck } from './gateway-routes';
import { gatewayCheck } from './gateway-status';
import { accessFix, failureText, KubectlFailure } from './kubectl';
import { commonName, configuredCertificateFix, defaultCertificateOf } from './served-certificate';

/** What the checks compare the cluster with. */
export interface ClusterContext {
  readonly cluster: ClusterSpec;
  readonly targets: ClusterTargets;
  /** The cluster's output folder, as the admin would type it (`dist/prod`). */
  readonly outDir: string;
  /** The leaf the controller served for the workspace name, when the TLS probe got one. */
  readonly servedLeaf?: X509Certificate;
  /** What `*.<CLUSTER_URL>` resolved to; empty when it did not. */
  readonly wildcardAddresses: readonly string[];
  /** Addresses of host names in the Ingress status (cloud load balancers), resolved with the same resolver. */
  readonly hostnameAddresses: Readonly<Record<string, readonly string[]>>;
  readonly kubeMs: number;
}

const ACCESS_FAILURES: readonly KubectlFailure[] = [
  'not-installed',
  'timeout',
  'unreachable',
  'no-context',
  'no-current-context',
  'unauthorized',
  'no-credentials',
  'credential-plugin',
];

/** The failed read that stops every cluster check, if one does: its failure and the wait kubectl had. */
export function accessFailure(facts: ClusterFacts): { readonly failure: KubectlFailure; readonly waitedMs?: number } | undefined {
  const reads = [facts.secret, facts.ingress, facts.runaiConfig, facts.gateway, facts.gatewayRoutes];
  const blocked = reads.find((r) => r?.failure !== undefined && ACCESS_FAILURES.includes(r.failure));
  return blocked?.failure ? { failure: blocked.failure, waitedMs: blocked.waitedMs } : undefined;
}

/** All cluster checks, in the order of the path: Secret, Ingress, IngressClass, address, the Gateway's routes, RunaiConfig. */
export function clusterChecks(facts: ClusterFacts, c: ClusterContext): CheckResult[] {
  return [secretCheck(facts, c), ...ingressChecks(facts, c), ...gatewayChecks(facts, c), runaiConfigCheck(facts, c)];
}

/** With the Gateway API: the Gateway's status, then the routes that name it. */
function gatewayChecks(facts: ClusterFacts, c: ClusterContext): CheckResult[] {
  const gateway = c.targets.gateway;
  if (!gateway || !facts.gateway || !facts.gatewayRoutes) return [];
  const { outDir, kubeMs } = c;
  return [
    gatewayCheck(facts.gateway, {
      gateway,
      className: c.cluster.gateway?.className,
      outDir,
      wildcardAddresses: c.wildcardAddresses,
      clusterUrl: c.cluster.clusterUrl,
      kubeMs,
    }),
    gatewayRoutesCheck(facts.gatewayRoutes, {
      gateway,
      routeNamespaces: c.cluster.gateway?.routeNamespaces ?? 'all',
      runaiNamespaces: runaiRouteNamespaces(c.cluster.mode.controlPlane === ControlPlane.SELF_HOSTED),
      outDir,
      kubeMs,
    }),
  ];
}

function secretCheck(facts: ClusterFacts, c: ClusterContext): CheckResult {
  const t = c.targets.secret;
  if (!t || !facts.secret) return skip('kube.secret', `no wildcard Secret with ${c.cluster.mode.summaryText}`);
  const id = `Secret ${t.namespace}/${t.name}`;
  const r = facts.secret;
  if (r.failure === 'not-found') {
    const elsewhere = facts.secretElsewhere ?? [];
    if (elsewhere.length > 0) {
      return fail(
        'kube.secret',
        `${id} does not exist; a Secret of that name is in ${elsewhere.join(', ')}, but an Ingress can only use a Secret of its own namespace`,
        `create it in ${t.namespace} (${applyCommand(c.outDir)}), and delete the copy in ${elsewhere.join(', ')} if nothing else uses it`,
      );
    }
    return fail('kube.secret', `${id} does not exist`, missingSecretFix(c));
  }
  if (r.failure) return readFailed('kube.secret', id, r, c, 'secret');
  if (!r.value)
    return fail('kube.secret', `${id} has no tls.crt`, `a kubernetes.io/tls Secret needs tls.crt and tls.key; ${missingSecretFix(c)}`);
  // Read as the controllers (Go) read it: a byte-order mark or a misplaced BEGIN line hides a
  // certificate from them, though a lenient parser would find it; a key beside the certificates
  // is left out, as they leave it out, rather than failing the Secret.
  const findings: CertFinding[] = [];
  const leaf: X509Certificate | undefined = readChain(Buffer.from(r.value, 'latin1'), findings, { skipKeys: true })[0];
  const refused = findings.find((f) => f.severity === 'error');
  if (!leaf || refused) {
    return fail(
      'kube.secret',
      `${id}: tls.crt ${refused ? refused.message.split('; ')[0] : 'holds no PEM certificate the controller can parse'}, ` +
        'so the controller serves its default certificate',
      `tls.crt must be the PEM chain, leaf first; ${missingSecretFix(c)}`,
    );
  }
  const url = c.cluster.clusterUrl;
  if (!coversWildcard(leaf, url)) {
    return fail(
      'kube.secret',
      `${id} holds ${commonName(leaf)} for ${leaf.subjectAltName ?? 'no names'}, which does not cover *.${url}`,
      `put the *.${url} certificate in it: ${missingSecretFix(c)}`,
    );
  }
  const configured = certificateOf(c.cluster.tls);
  if (configured && leaf.fingerprint256 !== configured.fingerprint256) {
    return fail(
      'kube.secret',
      `${id} holds ${commonName(leaf)} valid until ${leaf.validTo}, not the configured certificate`,
      configuredCertificateFix(configured.validTo, new Date(), applyCommand(c.outDir)),
    );
  }
  const served = c.servedLeaf && !defaultCertificateOf(c.servedLeaf) ? c.servedLeaf : undefined;
  if (served && served.fingerprint256 !== leaf.fingerprint256) {
    return fail(
      'kube.secret',
      `${id} holds ${commonName(leaf)} valid until ${leaf.validTo}, but the controller serves ` +
        `another certificate (${commonName(served)}) for *.${url}`,
      `another Ingress's tls entry for *.${url} wins, or the controller has not reloaded; check: kubectl get ingress -A | grep ${url}`,
    );
  }
  const what = configured ? 'the configured certificate' : served ? 'the certificate the controller serves' : commonName(leaf);
  return pass('kube.secret', `${id} holds ${what}, covering *.${url}`);
}

/**
 * A check that failed because kubectl could not read `what`: why (a timeout names the wait it
 * had: `--kube`, or less when the doctor's total deadline was near), and `fix`, else the fix for that failure, else to run `kubectl get <resource>`.
 */
function readFailed(check: CheckName, what: string, r: Read<unknown>, c: ClusterContext, resource: string, fix?: string): CheckResult {
  const f = r.failure ?? 'error';
  return fail(
    check,
    failureText(what, f, r.waitedMs ?? c.kubeMs),
    fix ?? accessFix(f) ?? `run kubectl get ${resource} yourself to see why`,
  );
}

function missingSecretFix(c: ClusterContext): string {
  const t = c.targets.secret!;
  switch (c.cluster.tls?.source) {
    case 'cert-manager':
      return `cert-manager writes it once the Certificate is issued: kubectl describe certificate ${STAR_CERTIFICATE_NAME} -n ${t.namespace}`;
    case 'external-secret':
      return `the External Secrets Operator writes it: kubectl describe externalsecret ${t.name} -n ${t.namespace}`;
    case 'existing':
      return `create it: kubectl create secret tls ${t.name} -n ${t.namespace} --cert fullchain.pem --key private.pem`;
    default:
      return applyCommand(c.outDir);
  }
}

function ingressChecks(facts: ClusterFacts, c: ClusterContext): CheckResult[] {
  const t = c.targets.ingress;
  const names: CheckName[] = ['kube.ingress', 'kube.ingress-class', 'kube.ingress-address'];
  const noIngress = (n: CheckName) => skip(n, `no wildcard Ingress with ${c.cluster.mode.summaryText}`);
  // Path routing: no Ingress of ours to read, but the class Run:ai's own take must exist.
  if (!t && c.targets.ingressClass)
    return [noIngress('kube.ingress'), ingressClassCheck(facts, RUNAI_WORKSPACE_INGRESSES, c), noIngress('kube.ingress-address')];
  if (!t || !facts.ingress) return names.map(noIngress);
  const id = `Ingress ${t.namespace}/${t.name}`;
  const url = c.cluster.clusterUrl;
  const r = facts.ingress;
  const legacy = c.cluster.mode.wiring === 'legacy-patch';
  if (!r.value) {
    const fix =
      r.failure !== 'not-found'
        ? undefined
        : legacy
          ? `it is Run:ai's own ingress: check that Run:ai ${c.cluster.mode.runaiVersion?.text ?? ''} ` +
            `is installed and runaiVersion in the config is right`
          : applyCommand(c.outDir);
    return [readFailed('kube.ingress', id, r, c, 'ingress', fix), ...names.slice(1).map((n) => skip(n, `${id} could not be read`))];
  }
  const ing = r.value;
  const secretName = c.targets.secret?.name;
  const entry = (ing.spec?.tls ?? []).find((e) => (e.hosts ?? []).includes(`*.${url}`) && e.secretName === secretName);
  const expectedClass = t.className;
  const actualClass = ing.spec?.ingressClassName ?? null;
  let ingress: CheckResult;
  if (!entry) {
    ingress = fail(
      'kube.ingress',
      `${id} has no tls entry for *.${url} with Secret ${secretName}`,
      legacy ? `run the patch in ${c.outDir}/${PATCHES_DIR}/ (a Run:ai upgrade may have reset the ingress)` : applyCommand(c.outDir),
    );
  } else if (!legacy && expectedClass !== null && actualClass !== expectedClass) {
    ingress = fail(
      'kube.ingress',
      `${id} has ingressClassName ${actualClass ?? '(none)'}, the config says ${expectedClass}`,
      `${applyCommand(c.outDir)} (or set ingress.className in the config to the class your controller watches)`,
    );
  } else {
    ingress = pass('kube.ingress', `${id}: tls *.${url} -> Secret ${secretName}, class ${actualClass ?? '(default)'}`);
  }
  return [ingress, ingressClassCheck(facts, id, c), addressCheck(ing, id, c)];
}

/** What the class is checked for with path routing: the Ingresses Run:ai makes, told their class by the RunaiConfig. */
const RUNAI_WORKSPACE_INGRESSES = "Run:ai's workspace Ingresses";

function ingressClassCheck(facts: ClusterFacts, id: string, c: ClusterContext): CheckResult {
  const r = facts.ingressClass;
  if (!r?.value) return readFailed('kube.ingress-class', `the IngressClass of ${id}`, r ?? {}, c, 'ingressclass');
  const cls = r.value;
  if (!cls.name) {
    return fail(
      'kube.ingress-class',
      `${id} names no IngressClass and the cluster has no default class: no controller serves it`,
      'set ingress.className in the config to a class of `kubectl get ingressclass`, then synth and apply',
    );
  }
  if (!cls.exists) {
    return fail(
      'kube.ingress-class',
      `IngressClass ${cls.name} does not exist: no controller watches ${id}`,
      'install the ingress controller, or set ingress.className in the config to a class of `kubectl get ingressclass`',
    );
  }
  return pass(
    'kube.ingress-class',
    `IngressClass ${cls.name}${cls.isDefault ? ' (the default class)' : ''} exists, controller ${cls.controller ?? 'not named'}`,
  );
}

function addressCheck(ing: IngressObject, id: string, c: ClusterContext): CheckResult {
  const entries = ing.status?.loadBalancer?.ingress ?? [];
  const shown = entries.map((e) => e.ip ?? e.hostname).filter((a): a is string => !!a);
  if (shown.length === 0) {
    return fail(
      'kube.ingress-address',
      `${id} has no address (status.loadBalancer is empty): no controller has admitted it`,
      'check that a running controller watches its IngressClass and publishes its address ' +
        "(ingress-nginx: --publish-service); see the controller's log",
    );
  }
  const addresses = entries.flatMap((e) => (e.ip ? [e.ip] : e.hostname ? [...(c.hostnameAddresses[e.hostname] ?? [])] : []));
  const url = c.cluster.clusterUrl;
  if (c.wildcardAddresses.length === 0) {
    return pass('kube.ingress-address', `${id} has address ${shown.join(', ')} (not compared: *.${url} did not resolve)`);
  }
  if (!addresses.some((a) => c.wildcardAddresses.includes(a))) {
    return fail(
      'kube.ingress-address',
      `${id} has address ${shown.join(', ')}, but *.${url} resolves to ${c.wildcardAddresses.join(', ')}`,
      `point *.${url} and ${url} at ${shown.join(', ')}`,
    );
  }
  return pass('kube.ingress-address', `${id} has address ${shown.join(', ')}, where *.${url} points`);
}

function runaiConfigCheck(facts: ClusterFacts, c: ClusterContext): CheckResult {
  const t = c.targets.runaiConfig;
  const id = `RunaiConfig ${t.namespace}/${t.name}`;
  const r = facts.runaiConfig;
  if (!r.value) {
    const f = r.failure ?? 'error';
    const fix =
      f === 'no-resource-type' || f === 'not-found'
        ? "install Run:ai's cluster components first (check --context); apply the overlay only after them"
        : undefined;
    return readFailed('kube.runaiconfig', id, r, c, 'runaiconfig', fix);
  }
  const global = (r.value.spec?.global ?? {}) as { subdomainSupport?: unknown; ingress?: { ingressClass?: unknown } };
  // The cluster's routing decides the value (host: true, path: false), whether or not
  // runai-access writes it (the config's subdomainSupport: false leaves it to the admin).
  const want = c.cluster.mode.hostUrls;
  const helm = c.cluster.mode.runaiConfigVia !== 'overlay';
  if (global.subdomainSupport !== want) {
    return fail(
      'kube.runaiconfig',
      `${id} has spec.global.subdomainSupport ${JSON.stringify(global.subdomainSupport) ?? 'unset'}, ` +
        `the config's ${c.cluster.mode.routing.name} routing needs ${want}`,
      !c.cluster.subdomainSupport
        ? `set spec.global.subdomainSupport: ${want} on the cluster yourself (in your Run:ai Helm values if Helm ` +
            `manages Run:ai): the config has subdomainSupport: false, so runai-access writes no such setting`
        : helm
          ? `set clusterConfig.global.subdomainSupport: ${want} in your Run:ai Helm values ` +
            `(${c.outDir}/${HELM_VALUES_PATH}) and helm upgrade; a Helm upgrade reverts kubectl ` +
            `patches`
          : `${applyCommand(c.outDir, objectFileName('RunaiConfig', RUNAI_CONFIG_NAME))}; if Run:ai ` +
            `is Helm-managed, set it in the Helm values instead (runaiConfig.via: helm-values), or the ` +
            `next upgrade reverts it`,
    );
  }
  const cls = c.cluster.mode.runaiIngressClass;
  if (cls !== undefined && global.ingress?.ingressClass !== cls) {
    return fail(
      'kube.runaiconfig',
      `${id} has spec.global.ingress.ingressClass ${JSON.stringify(global.ingress?.ingressClass) ?? 'unset'}, the config's controller needs ${cls}`,
      helm
        ? `set clusterConfig.global.ingress.ingressClass: ${cls} in your Run:ai Helm values and helm upgrade`
        : applyCommand(c.outDir, objectFileName('RunaiConfig', RUNAI_CONFIG_NAME)),
    );
  }
  return pass('kube.runaiconfig', `${id} has spec.global.subdomainSupport ${want}${cls ? ` and ingress class ${cls}` : ''}`);
}

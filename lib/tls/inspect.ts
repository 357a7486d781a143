/**
 * Certificate inspection with `node:crypto`: the mistakes that make a researcher's browser
 * refuse a workspace, or kubectl and the ingress controllers refuse the Secret, found before
 * anything is written. Two stages: `parseTlsPair` reads the files the way kubectl does (once
 * per pair of files, however many clusters use them) and checks what does not depend on the
 * cluster; `inspectTlsPair` checks the pair against one cluster URL, a time and its private CA.
 *
 * Messages describe the files; they never quote them, so key bytes cannot leak.
 */
import { KeyObject, X509Certificate } from 'node:crypto';

import { someOf } from '../model/list-text';
import { chainEnd, chainValidity, checkChain, withoutCopies } from './chain';
import { ANY_EKU, chainAuthority, SERVER_AUTH } from './chain-authority';
import { chainCriticalExtensions, chainSha1 } from './chain-refusals';
import { CertFinding, cn, DAY_MS, DEFAULT_WARN_DAYS, finding, inDays, iso } from './findings';
import { goFindings } from './go-x509';
import { readKey } from './key-file';
import { leafKeyFindings, leafKeyUsageFindings } from './key-type';
import { readChain } from './pem';

export type { CertFinding, FindingCode, Severity } from './findings';
export { FINDINGS } from './findings';

/** What a cluster's summary shows of its certificate. */
export interface CertificateSummary {
  /** The leaf itself, for host checks; not part of any printed output. */
  readonly leaf: X509Certificate;
  readonly subject: string;
  readonly dnsNames: readonly string[];
  readonly validFrom: Date;
  readonly validTo: Date;
  readonly fingerprint256: string;
  readonly chainLength: number;
}

/** A parsed pair, with the findings that do not depend on the cluster or the time. */
export interface ParsedTlsPair {
  readonly chain: readonly X509Certificate[];
  readonly key?: KeyObject;
  readonly findings: readonly CertFinding[];
}

/** Options of {@link inspectTlsPair}. */
export interface InspectOptions {
  /** The domain the certificate is for: the cluster URL, or the inference domain. */
  readonly clusterUrl: string;
  /**
   * What the leaf must cover: `wildcard-and-apex` (workspaces: `<label>.<domain>`, and a warning
   * without the apex), `wildcard` (inference: `<label>.<domain>`) or `host` (the cluster's own
   * certificate: `<domain>` itself).
   * @default 'wildcard-and-apex'
   */
  readonly coverage?: 'wildcard-and-apex' | 'wildcard' | 'host';
  /** The time validity is checked at. @default - now */
  readonly now?: Date;
  /** Warn when the leaf expires within this many days. @default 30 */
  readonly warnDays?: number;
  /**
   * The cluster's private CA (`privateCa.caFile`): a chain that ends at one of these
   * certificates, or under one, is complete; one that ends at another self-signed root is not.
   * @default - none: Node's root store (`tls.rootCertificates`) and self-signed roots only
   */
  readonly privateCa?: readonly X509Certificate[];
}

/** A label no certificate lists by name: only a wildcard covers it. */
const PROBE_LABEL = 'runai-access-probe';

/**
 * Reads the chain and the key and checks everything that depends on the files alone. Without
 * `keyPem` (a clone without the private key) only the chain is read and checked.
 */
export function parseTlsPair(certPem: Buffer, keyPem: Buffer | undefined): ParsedTlsPair {
  const findings: CertFinding[] = [];
  const { chain, findings: copies } = withoutCopies(readChain(certPem, findings));
  findings.push(...copies);
  const read = keyPem && readKey(keyPem, findings);
  if (chain.length > 0) findings.push(...goFindings(chain));
  if (chain.length > 0 && read && !findings.some((f) => f.code === 'cert-go-refuses'))
    findings.push(...checkChain(chain, read.key, read.halvesAgree));
  return { chain, key: read ? read.key : undefined, findings };
}

/** True when `cert` covers `host` by browser rules: SANs only, one leftmost `*` label, no partial wildcards. */
export function coversHost(cert: X509Certificate, host: string): boolean {
  return cert.checkHost(host, { subject: 'never', wildcards: true, partialWildcards: false, multiLabelWildcards: false }) !== undefined;
}

/** True when `cert` covers every name `*.<domain>` covers: a wildcard for the domain (a name no certificate lists). */
export function coversWildcard(cert: X509Certificate, domain: string): boolean {
  return coversHost(cert, `${PROBE_LABEL}.${domain}`);
}

/** At most this many of a leaf's names are listed in a line; the rest are counted. */
const SHOWN_NAMES = 10;

/**
 * All findings for `pair` used by a cluster at `opts.clusterUrl`, at `opts.now`. A certificate file
 * that could not be read as a chain in order stops here, and so does a key that cannot be used
 * (`key-invalid`: its type or numbers, which the leaf's own checks would say again); a key file
 * that is the wrong one or cannot be read does not hide what is wrong with the certificate
 * (expired, not covering the host): one line for each problem.
 */
export function inspectTlsPair(pair: ParsedTlsPair, opts: InspectOptions): CertFinding[] {
  const stops = (f: CertFinding) => f.severity === 'error' && (f.file !== 'key' || f.code === 'key-invalid');
  if (pair.findings.some(stops) || pair.chain.length === 0) return [...pair.findings];
  const findings = [...pair.findings];
  const leaf = pair.chain[0];
  const now = opts.now ?? new Date();
  const warnDays = opts.warnDays ?? DEFAULT_WARN_DAYS;
  // A leaf may name thousands: the first ten make the point.
  const names = someOf(dnsNames(leaf), SHOWN_NAMES) || 'no DNS names';

  const coverage = opts.coverage ?? 'wildcard-and-apex';
  if (coverage === 'host') {
    if (!coversHost(leaf, opts.clusterUrl)) {
      findings.push(
        finding(
          'leaf-host-not-covered',
          'cert',
          `does not cover ${opts.clusterUrl}: the leaf names ${names}; it needs ${opts.clusterUrl} in its subject alternative names`,
        ),
      );
    }
  } else if (!coversWildcard(leaf, opts.clusterUrl)) {
    const what = coverage === 'wildcard' ? `hosts <name>.${opts.clusterUrl}` : `workspace hosts <project>-<workload>.${opts.clusterUrl}`;
    findings.push(
      finding(
        'leaf-host-not-covered',
        'cert',
        `does not cover ${what}: the leaf names ${names}; it needs *.${opts.clusterUrl} in its subject alternative names`,
      ),
    );
  }
  if (coverage === 'wildcard-and-apex' && !coversHost(leaf, opts.clusterUrl)) {
    findings.push(
      finding(
        'leaf-apex-not-covered',
        'cert',
        `does not cover ${opts.clusterUrl} itself (names: ${names}); fine when the cluster's own certificate covers it`,
      ),
    );
  }
  const from = new Date(leaf.validFrom);
  const to = new Date(leaf.validTo);
  if (now < from) {
    findings.push(finding('leaf-not-yet-valid', 'cert', `is not valid until ${iso(from)}`));
  } else if (now > to) {
    findings.push(finding('leaf-expired', 'cert', `expired on ${iso(to)}; renew it`));
  } else if (to.getTime() - now.getTime() < warnDays * DAY_MS) {
    const days = Math.floor((to.getTime() - now.getTime()) / DAY_MS);
    findings.push(finding('leaf-expires-soon', 'cert', `expires on ${iso(to)}, ${inDays(days)}; renew it soon`));
  }
  if (leaf.ca)
    findings.push(
      finding(
        'leaf-is-ca',
        'cert',
        'has a CA leaf (basicConstraints CA:TRUE, as openssl req -x509 makes by default); the first certificate must be the ' +
          'server certificate (a self-signed one with -addext basicConstraints=critical,CA:FALSE)',
      ),
    );
  const eku = leaf.keyUsage;
  if (eku && eku.length > 0 && !eku.includes(SERVER_AUTH) && !eku.includes(ANY_EKU)) {
    findings.push(
      finding('leaf-no-server-auth', 'cert', 'has a leaf whose extended key usage lacks serverAuth; browsers refuse it for https'),
    );
  }
  findings.push(...leafKeyUsageFindings(leaf));
  findings.push(...leafKeyFindings(leaf));
  findings.push(...chainValidity(pair.chain, now, opts.privateCa, warnDays));
  findings.push(...chainAuthority(pair.chain, opts.privateCa));
  findings.push(...chainEnd(pair.chain, opts.privateCa));
  findings.push(...chainSha1(pair.chain));
  findings.push(...chainCriticalExtensions(pair.chain));
  return findings;
}

/** The summary of a well-formed pair's leaf. */
export function summarize(pair: ParsedTlsPair): CertificateSummary | undefined {
  const leaf = pair.chain[0];
  if (!leaf) return undefined;
  return {
    leaf,
    subject: cn(leaf),
    dnsNames: dnsNames(leaf),
    validFrom: new Date(leaf.validFrom),
    validTo: new Date(leaf.validTo),
    fingerprint256: leaf.fingerprint256,
    chainLength: pair.chain.length,
  };
}

function dnsNames(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(', ')
    .filter((n) => n.startsWith('DNS:'))
    .map((n) => n.slice(4));
}

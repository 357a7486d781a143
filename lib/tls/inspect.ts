/**
 * Certificate inspection with `node:crypto`: the mistakes that make a researcher's browser
 * refuse a workspace, found before anything is written. Two stages: `parseTlsPair` reads the
 * files (once per pair of files, however many clusters use them) and checks what does not
 * depend on the cluster; `inspectTlsPair` checks the pair against one cluster URL and a time.
 *
 * Messages describe the files; they never quote them, so key bytes cannot leak.
 */
import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';

import { PRIVATE_KEY_BEGIN } from '../model/names';

/** Every finding code, what it means and how severe it is. Codes are stable: scripts match them. */
export const FINDINGS = {
  'cert-no-pem': ['error', 'certFile holds no PEM certificate (empty, DER, garbage or a key)'],
  'cert-invalid': ['error', 'a PEM block in certFile is not a valid X.509 certificate'],
  'cert-has-key': ['error', 'certFile also holds a private key'],
  'key-no-pem': ['error', 'keyFile holds no PEM private key'],
  'key-multiple': ['error', 'keyFile holds more than one private key'],
  'key-encrypted': ['error', 'keyFile is encrypted'],
  'key-invalid': ['error', 'the private key block cannot be read'],
  'key-mismatch': ['error', 'the key does not belong to the first (leaf) certificate'],
  'chain-out-of-order': ['error', 'certificates are not leaf first, each followed by its issuer'],
  'chain-unrelated': ['error', "certFile holds a certificate that is not part of the leaf's chain"],
  'leaf-host-not-covered': ['error', 'the leaf does not cover <label>.<clusterUrl> by browser rules'],
  'leaf-not-yet-valid': ['error', 'the leaf is not valid yet'],
  'leaf-expired': ['error', 'the leaf has expired'],
  'leaf-is-ca': ['error', 'the leaf is a CA certificate'],
  'leaf-no-server-auth': ['error', 'the leaf has an extended key usage without serverAuth'],
  'leaf-rsa-too-small': ['error', 'the leaf has an RSA key under 2048 bits'],
  'leaf-expires-soon': ['warning', 'the leaf expires within --warn-days (default 30) days'],
  'leaf-apex-not-covered': ['warning', 'the leaf does not cover <clusterUrl> itself'],
  'chain-incomplete': ['warning', 'the chain ends in a certificate that is neither self-signed nor issued by a known root'],
  'chain-sha1': ['warning', 'a certificate is signed with SHA-1'],
} as const;

export type FindingCode = keyof typeof FINDINGS;
export type Severity = 'error' | 'warning';

/** One certificate problem, about the cert file or the key file. */
export interface CertFinding {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly file: 'cert' | 'key';
  readonly message: string;
}

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
  /** Roots a chain may end under without being self-signed. @default - Node's root store, `tls.rootCertificates` */
  readonly trustedRoots?: readonly X509Certificate[];
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const KEY_BEGIN = new RegExp(PRIVATE_KEY_BEGIN.source, 'g');
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const ANY_EKU = '2.5.29.37.0';
const DAY_MS = 24 * 60 * 60 * 1000;
/** A label no certificate lists by name: only a wildcard covers it. */
const PROBE_LABEL = 'runai-access-probe';

/**
 * DER encodings of the SHA-1 signature algorithm identifiers (sha1WithRSAEncryption,
 * ecdsa-with-SHA1, dsa-with-SHA1). Node 20 does not expose a certificate's signature
 * algorithm, and they appear in a certificate only as its signature algorithm.
 */
const SHA1_OIDS = [
  Buffer.from('06092a864886f70d010105', 'hex'),
  Buffer.from('06072a8648ce3d0401', 'hex'),
  Buffer.from('06072a8648ce380403', 'hex'),
];

function finding(code: FindingCode, file: 'cert' | 'key', message: string): CertFinding {
  return { code, severity: FINDINGS[code][0], file, message };
}

/**
 * Reads the chain and the key and checks everything that depends on the files alone. Without
 * `keyPem` (a clone without the private key) only the chain is read and checked.
 */
export function parseTlsPair(certPem: Buffer, keyPem: Buffer | undefined): ParsedTlsPair {
  const findings: CertFinding[] = [];
  const chain = readChain(certPem, findings);
  const key = keyPem && readKey(keyPem, findings);
  if (chain.length > 0 && key) findings.push(...checkChain(chain, key));
  return { chain, key, findings };
}

/** True when `cert` covers `host` by browser rules: SANs only, one leftmost `*` label, no partial wildcards. */
export function coversHost(cert: X509Certificate, host: string): boolean {
  return cert.checkHost(host, { subject: 'never', wildcards: true, partialWildcards: false, multiLabelWildcards: false }) !== undefined;
}

/** All findings for `pair` used by a cluster at `opts.clusterUrl`, at `opts.now`. */
export function inspectTlsPair(pair: ParsedTlsPair, opts: InspectOptions): CertFinding[] {
  if (pair.findings.some((f) => f.severity === 'error') || pair.chain.length === 0) return [...pair.findings];
  const findings = [...pair.findings];
  const leaf = pair.chain[0];
  const now = opts.now ?? new Date();
  const warnDays = opts.warnDays ?? 30;
  const host = `${PROBE_LABEL}.${opts.clusterUrl}`;
  const names = dnsNames(leaf).join(', ') || 'no DNS names';

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
  } else if (!coversHost(leaf, host)) {
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
    findings.push(finding('leaf-expires-soon', 'cert', `expires on ${iso(to)}, in ${days} day${days === 1 ? '' : 's'}; renew it soon`));
  }
  if (leaf.ca)
    findings.push(
      finding('leaf-is-ca', 'cert', 'has a CA leaf (basicConstraints CA:TRUE); the first certificate must be the server certificate'),
    );
  const eku = leaf.keyUsage;
  if (eku && eku.length > 0 && !eku.includes(SERVER_AUTH) && !eku.includes(ANY_EKU)) {
    findings.push(
      finding('leaf-no-server-auth', 'cert', 'has a leaf whose extended key usage lacks serverAuth; browsers refuse it for https'),
    );
  }
  const details = leaf.publicKey.asymmetricKeyDetails;
  if (leaf.publicKey.asymmetricKeyType === 'rsa' && (details?.modulusLength ?? 0) < 2048) {
    findings.push(finding('leaf-rsa-too-small', 'cert', `has a ${details?.modulusLength}-bit RSA leaf key; at least 2048 bits are needed`));
  }
  const last = pair.chain[pair.chain.length - 1];
  if (!isSelfSigned(last) && !(opts.trustedRoots ?? nodeRoots()).some((root) => issued(root, last))) {
    findings.push(
      finding(
        'chain-incomplete',
        'cert',
        `ends in certificate ${pair.chain.length} (${cn(last)}), which is not self-signed and whose issuer (${cn(last, 'issuer')}) is not a root Node trusts; add the missing intermediate, or append your private CA's root certificate`,
      ),
    );
  }
  pair.chain.forEach((cert, i) => {
    // The byte search first: it is cheap, and a signature check is not.
    if (SHA1_OIDS.some((oid) => cert.raw.includes(oid)) && !isSelfSigned(cert)) {
      findings.push(
        finding('chain-sha1', 'cert', `certificate ${i + 1} (${cn(cert)}) is signed with SHA-1, which browsers no longer trust`),
      );
    }
  });
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

function readChain(pem: Buffer, findings: CertFinding[]): X509Certificate[] {
  const text = pem.toString('latin1');
  const blocks = text.match(CERT_BLOCK) ?? [];
  const hasKey = KEY_BEGIN.test(text);
  KEY_BEGIN.lastIndex = 0;
  if (blocks.length === 0) {
    findings.push(
      finding(
        'cert-no-pem',
        'cert',
        hasKey
          ? 'holds a private key, not a certificate; certFile must be the PEM certificate chain (fullchain.pem) and keyFile the key'
          : 'holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the PEM certificate chain, leaf first',
      ),
    );
    return [];
  }
  if (hasKey) findings.push(finding('cert-has-key', 'cert', 'also holds a private key; keep the key only in keyFile'));
  const chain: X509Certificate[] = [];
  blocks.forEach((block, i) => {
    try {
      chain.push(i === 0 ? new X509Certificate(block) : issuerCertificate(block));
    } catch {
      findings.push(finding('cert-invalid', 'cert', `certificate ${i + 1} of ${blocks.length} is not a valid X.509 certificate`));
    }
  });
  return findings.some((f) => f.file === 'cert') ? [] : chain;
}

function readKey(pem: Buffer, findings: CertFinding[]): KeyObject | undefined {
  const text = pem.toString('latin1');
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text)) {
    findings.push(finding('key-encrypted', 'key', 'is encrypted; decrypt it first with: openssl pkey -in encrypted.pem -out private.pem'));
    return undefined;
  }
  const blocks = text.match(KEY_BEGIN) ?? [];
  if (blocks.length === 0) {
    findings.push(
      finding(
        'key-no-pem',
        'key',
        /-----BEGIN CERTIFICATE-----/.test(text)
          ? 'holds a certificate, not a private key; keyFile must be the PEM private key (private.pem)'
          : 'holds no PEM private key (-----BEGIN PRIVATE KEY-----); give the unencrypted PEM key of the leaf certificate',
      ),
    );
    return undefined;
  }
  if (blocks.length > 1) {
    findings.push(finding('key-multiple', 'key', `holds ${blocks.length} private keys; give only the key of the leaf certificate`));
    return undefined;
  }
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // The OpenSSL message is dropped on purpose: it is the only text here that could echo the input.
    findings.push(finding('key-invalid', 'key', 'holds a PEM private key block that cannot be read; export it again as unencrypted PEM'));
    return undefined;
  }
}

/** Key match and chain order: each certificate must be issued by the next one. */
function checkChain(chain: readonly X509Certificate[], key: KeyObject): CertFinding[] {
  const owner = chain.findIndex((c) => c.checkPrivateKey(key));
  if (owner > 0) {
    return [
      finding(
        'chain-out-of-order',
        'cert',
        `has the certificate of keyFile at position ${owner + 1} of ${chain.length}; put the leaf first, then each certificate's issuer`,
      ),
    ];
  }
  const findings: CertFinding[] = [];
  if (owner < 0) {
    findings.push(
      finding('key-mismatch', 'key', 'does not match the first (leaf) certificate in certFile; give the private key of that certificate'),
    );
  }
  for (let i = 1; i < chain.length; i++) {
    if (issued(chain[i], chain[i - 1])) continue;
    const child = chain.findIndex((c, j) => j !== i && issued(chain[i], c));
    const parent = chain.findIndex((c, j) => j !== i - 1 && issued(c, chain[i - 1]));
    findings.push(
      child < 0 && parent < 0
        ? finding(
            'chain-unrelated',
            'cert',
            `certificate ${i + 1} (${cn(chain[i])}) did not issue certificate ${i} (${cn(chain[i - 1])}) nor any other in the file; remove it or add the missing link`,
          )
        : finding(
            'chain-out-of-order',
            'cert',
            `certificate ${i + 1} (${cn(chain[i])}) did not issue certificate ${i} (${cn(chain[i - 1])}); order the chain leaf first, then each certificate's issuer`,
          ),
    );
    break;
  }
  return findings;
}

/**
 * Intermediates and roots, parsed once per process: a fleet's certificates usually share
 * their CA chain, while each leaf (always parsed) is its own. Keyed by the PEM block.
 */
const issuerCertificates = new Map<string, X509Certificate>();
function issuerCertificate(block: string): X509Certificate {
  let cert = issuerCertificates.get(block);
  if (!cert) {
    cert = new X509Certificate(block);
    issuerCertificates.set(block, cert);
  }
  return cert;
}

/** Outcomes of {@link issued} by the two certificates' fingerprints; shared links are checked once. */
const issuedOutcomes = new Map<string, boolean>();

/** True when `issuer` issued `cert`: names match and its key verifies the signature. */
function issued(issuer: X509Certificate, cert: X509Certificate): boolean {
  const key = `${issuer.fingerprint256}>${cert.fingerprint256}`;
  let outcome = issuedOutcomes.get(key);
  if (outcome === undefined) {
    outcome = cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
    issuedOutcomes.set(key, outcome);
  }
  return outcome;
}

function isSelfSigned(cert: X509Certificate): boolean {
  return issued(cert, cert);
}

let parsedNodeRoots: X509Certificate[] | undefined;
/** Node's bundled root store, parsed on first use only (a chain that ends self-signed never needs it). */
function nodeRoots(): X509Certificate[] {
  parsedNodeRoots ??= rootCertificates.map((pem) => new X509Certificate(pem));
  return parsedNodeRoots;
}

function dnsNames(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(', ')
    .filter((n) => n.startsWith('DNS:'))
    .map((n) => n.slice(4));
}

/** `CN=…` of the subject or issuer, or the whole name when it has no CN. */
function cn(cert: X509Certificate, which: 'subject' | 'issuer' = 'subject'): string {
  const name = cert[which];
  const m = /^CN=(.*)$/m.exec(name);
  return m ? `CN=${m[1]}` : name.replace(/\n/g, ', ');
}

function iso(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}

/**
 * What a TLS client refuses in a chain whatever its order and dates (chain.ts): SHA-1 signatures,
 * and extensions marked critical that it does not handle.
 */
import { X509Certificate } from 'node:crypto';

import { readableFields } from './certificate-fields';
import { CertFinding, finding, nthIn } from './findings';
import { isSelfSigned } from './issuers';

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

/** SHA-1 signatures anywhere but on a self-signed root (whose signature no one checks). */
export function chainSha1(chain: readonly X509Certificate[]): CertFinding[] {
  // The byte search first: it is cheap, and a signature check is not.
  return chain.flatMap((cert, i) =>
    SHA1_OIDS.some((oid) => cert.raw.includes(oid)) && !isSelfSigned(cert)
      ? [
          finding(
            'chain-sha1',
            'cert',
            `${nthIn(chain, i)} is signed with SHA-1, which browsers and OpenSSL-based servers refuse; have it issued again with SHA-256`,
          ),
        ]
      : [],
  );
}

/**
 * The extensions every TLS client here handles when marked critical: Go (crypto/x509 parser.go
 * `processExtensions`), OpenSSL (v3_purp.c `X509_supported_extension`) and Chrome (BoringSSL
 * pki/verify_certificate_chain.cc `IsHandledCriticalExtension`): keyUsage, subjectAltName,
 * basicConstraints, nameConstraints, certificatePolicies, policyMappings, policyConstraints,
 * extKeyUsage and inhibitAnyPolicy. Go also handles cRLDistributionPoints and OpenSSL 3 does,
 * but Chrome does not.
 */
const HANDLED_CRITICAL = new Set(['15', '17', '19', '30', '32', '33', '36', '37', '54'].map((n) => `2.5.29.${n}`));
const CRL_DISTRIBUTION_POINTS = '2.5.29.31';

/**
 * Extensions marked critical that a client does not handle: it must then refuse the certificate
 * (RFC 5280 4.2), and Go (`UnhandledCriticalExtension`), OpenSSL (`unhandled critical extension`)
 * and browsers do, for the leaf and every certificate above it. kubectl, which only parses,
 * takes them.
 */
export function chainCriticalExtensions(chain: readonly X509Certificate[]): CertFinding[] {
  return chain.flatMap((cert, i) =>
    (readableFields(cert)?.criticalExtensionOids ?? [])
      .filter((oid) => !HANDLED_CRITICAL.has(oid))
      .map((oid) => {
        const [name, who] =
          oid === CRL_DISTRIBUTION_POINTS ? [' (cRLDistributionPoints)', 'Chrome does'] : ['', 'browsers, Go and OpenSSL do'];
        return finding(
          'chain-critical-extension',
          'cert',
          `${nthIn(chain, i)} marks the extension ${oid}${name} critical, which ${who} not handle, so they refuse the chain; ` +
            'have it issued again with that extension not critical',
        );
      }),
  );
}

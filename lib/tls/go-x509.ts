/**
 * What Go's `crypto/x509` refuses that OpenSSL (and so Node) accepts. kubectl, ingress-nginx
 * and the HAProxy controllers are Go programs: a certificate Go cannot parse makes
 * `kubectl create secret tls` fail (for the leaf) and a controller fall back to its default
 * certificate; every Go TLS client (the runai CLI among them) parses each certificate a server
 * sends, intermediates included.
 *
 * Sources: golang/go src/crypto/x509/parser.go (`parseCertificate`: "negative serial number",
 * "certificate contains duplicate extension with OID", `parsePublicKey`: "invalid ECDSA
 * parameters", "unsupported elliptic curve"); doc/godebug.md (Go 1.23, `x509negativeserial`);
 * src/crypto/tls/handshake_client.go (`verifyServerCertificate` parses every certificate the
 * server sends: "tls: failed to parse certificate from server: x509: negative serial number").
 */
import { X509Certificate } from 'node:crypto';

import { fieldsOf } from './der';
import { CertFinding, finding, nth } from './findings';

const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
/** The named curves Go's `crypto/x509` parses, by OID. */
const GO_CURVES: Readonly<Record<string, string>> = {
  '1.3.132.0.33': 'P-224',
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
};
const EXTENSION_NAMES: Readonly<Record<string, string>> = {
  '2.5.29.17': 'subjectAltName',
  '2.5.29.19': 'basicConstraints',
  '2.5.29.15': 'keyUsage',
  '2.5.29.37': 'extendedKeyUsage',
  '2.5.29.14': 'subjectKeyIdentifier',
  '2.5.29.35': 'authorityKeyIdentifier',
};
const REISSUE = 'kubectl and the ingress controllers (Go) refuse it; have it issued again';

/** Why Go would refuse `cert`, or undefined when it parses it. */
function goRefusal(cert: X509Certificate): string | undefined {
  let fields;
  try {
    fields = fieldsOf(cert);
  } catch {
    return `is not DER that Go can read; ${REISSUE}`;
  }
  if (fields.negativeSerial) return `has a negative serial number (refused since Go 1.23); ${REISSUE}`;
  const seen = new Set<string>();
  const dup = fields.extensionOids.find((oid) => seen.has(oid) || !seen.add(oid));
  if (dup) {
    const name = EXTENSION_NAMES[dup] ? ` (${EXTENSION_NAMES[dup]})` : '';
    return `has the extension ${dup}${name} twice; ${REISSUE}`;
  }
  if (fields.keyAlgorithm === EC_PUBLIC_KEY) {
    if (fields.keyParameters === 'explicit')
      return `has an ECDSA key with explicit curve parameters instead of a named curve; ${REISSUE} with a named curve (P-256)`;
    if (!fields.keyParameters || !GO_CURVES[fields.keyParameters])
      return `has an ECDSA key on a curve Go does not support (${fields.keyParameters ?? 'none'}); ${REISSUE} on P-256 or P-384`;
  }
  return undefined;
}

/** One `cert-go-refuses` finding per certificate Go would refuse. */
export function goFindings(chain: readonly X509Certificate[]): CertFinding[] {
  return chain.flatMap((cert, i) => {
    const why = goRefusal(cert);
    return why ? [finding('cert-go-refuses', 'cert', `${nth(cert, i)} ${why}`)] : [];
  });
}

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
 *
 * parser.go also refuses a certificate whose two signature algorithm fields differ ("inner and
 * outer signature algorithm identifiers don't match") and one that marks subjectKeyIdentifier,
 * authorityKeyIdentifier or authorityInfoAccess critical ("… incorrectly marked critical").
 *
 * RSA keys: parser.go (`parsePublicKey`: "RSA key missing NULL parameters", "RSA modulus is not a
 * positive number", "RSA public exponent is not a positive number", and an exponent that does not
 * fit Go's 64-bit int: "invalid RSA public exponent"); crypto/rsa and
 * crypto/internal/fips140/rsa (`checkPublicKey`: e from 2 to 2^31−1, and odd since Go 1.24, or
 * the key is not used: kubectl refuses the leaf's private key, a client cannot verify with it);
 * crypto/tls handshake_client.go (`verifyServerCertificate`: "server sent certificate containing
 * RSA key larger than 8192 bits", since Go 1.21); Go 1.24's minimum of 1024 bits for verifying a
 * signature (golang/go#68762, GODEBUG `rsa1024min`).
 */
import { X509Certificate } from 'node:crypto';

import { fieldsOf, RsaPublicKeyFields } from './certificate-fields';
import { derAsWritten } from './der';
import { CertFinding, finding, nthIn } from './findings';
import { goParseError } from './go-parse';

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
/**
 * Who refuses a certificate Go cannot read, by its place: kubectl (`tls.X509KeyPair`) and the
 * controllers parse only the leaf; a Go TLS client parses every certificate the server sends.
 */
const reissue = (position: number) =>
  position === 0
    ? 'kubectl and the ingress controllers (Go) refuse it; have it issued again'
    : 'Go TLS clients refuse the chain (kubectl reads only the leaf); have it issued again';
/** The extensions RFC 5280 says a CA must not mark critical, and Go refuses to parse when it does. */
const NEVER_CRITICAL: Readonly<Record<string, string>> = {
  '2.5.29.14': 'subjectKeyIdentifier',
  '2.5.29.35': 'authorityKeyIdentifier',
  '1.3.6.1.5.5.7.1.1': 'authorityInfoAccess',
};

/** Why Go would refuse `cert`, or undefined when it parses it. */
function goRefusal(cert: X509Certificate, position: number): string | undefined {
  const REISSUE = reissue(position);
  let fields;
  try {
    fields = fieldsOf(cert);
  } catch {
    return `is not DER that Go can read; ${REISSUE}`;
  }
  if (fields.negativeSerial) return `has a negative serial number (refused since Go 1.23); ${REISSUE}`;
  if (!fields.signatureAlgorithmsMatch)
    return `has a signature algorithm inside its signed part that differs from the one outside it; ${REISSUE}`;
  const wronglyCritical = fields.criticalExtensionOids.find((oid) => NEVER_CRITICAL[oid]);
  if (wronglyCritical)
    return `has its ${NEVER_CRITICAL[wronglyCritical]} extension (${wronglyCritical}) marked critical, which RFC 5280 forbids; ${REISSUE}`;
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
  const rsa = fields.rsa && rsaRefusal(fields.rsa, position, REISSUE);
  if (rsa) return rsa;
  // Go parses the bytes as written; OpenSSL's `raw` is its own re-encoding of what it read.
  // Go 1.24's parser refuses all that 1.23's does, and more: one parse for a certificate both take.
  const der = derAsWritten(cert);
  const laterError = goParseError(der, 24);
  if (!laterError) return undefined;
  const parseError = goParseError(der, 23);
  if (parseError) return `is refused by Go's parser (${parseError}); ${REISSUE}`;
  const who =
    position === 0
      ? 'kubectl 1.33 and later and ingress controllers built with Go 1.24 or later refuse it (kubectl 1.32 takes it)'
      : 'Go TLS clients built with Go 1.24 or later refuse the chain';
  return `is refused by the parser of Go 1.24 and later (${laterError}): ${who}; have it issued again`;
}

/** The largest RSA key Go's TLS clients take from a server (crypto/tls `maxRSAKeySize`). */
const GO_MAX_RSA_BITS = 8192;
/** The smallest RSA key Go 1.24 and later verify a signature with. */
const GO_MIN_RSA_BITS = 1024;

/** Why Go refuses a certificate's RSA key, or undefined; `position` 0 is the leaf. */
function rsaRefusal(rsa: RsaPublicKeyFields, position: number, REISSUE: string): string | undefined {
  const { modulus: n, exponent: e } = rsa;
  if (!rsa.nullParameters) return `has an RSA key without the NULL parameters RFC 3279 requires; ${REISSUE}`;
  if (n <= 0n || e <= 0n || e >= 1n << 63n)
    return `has an RSA key whose modulus or exponent is not a positive number Go can read; ${REISSUE}`;
  if (e < 3n || e > 0x7fffffffn || e % 2n === 0n)
    return `has an RSA key whose public exponent (${e}) Go does not use (it takes an odd e from 3 to 2^31−1); ${REISSUE} with a new key (e = 65537)`;
  if (n % 2n === 0n) return `has an RSA key with an even modulus, which Go 1.24 and later do not use; ${REISSUE}`;
  const bits = n.toString(2).length;
  if (bits > GO_MAX_RSA_BITS)
    return (
      `has a ${bits}-bit RSA key; Go TLS clients refuse a server certificate with an RSA key over ${GO_MAX_RSA_BITS} bits: ` +
      'have it issued again with a smaller key'
    );
  if (position > 0 && bits < GO_MIN_RSA_BITS)
    return (
      `has a ${bits}-bit RSA key, which Go 1.24 and later do not verify signatures with (${GO_MIN_RSA_BITS} bits at least): ` +
      'have it issued again with a 2048-bit key or larger'
    );
  return undefined;
}

/** One `cert-go-refuses` finding per certificate Go would refuse. */
export function goFindings(chain: readonly X509Certificate[]): CertFinding[] {
  return chain.flatMap((cert, i) => {
    const why = goRefusal(cert, i);
    return why ? [finding('cert-go-refuses', 'cert', `${nthIn(chain, i)} ${why}`)] : [];
  });
}

/**
 * The leaf key types browsers accept for a server certificate: RSA of 2048 bits or more,
 * ECDSA P-256 and P-384. P-521 is a warning: Firefox accepts it, Chrome does not.
 *
 * Sources: CA/Browser Forum Baseline Requirements §6.1.5 (cabforum/servercert docs/BR.md:
 * RSA ≥ 2048 bits, ECDSA P-256/P-384/P-521, "no other algorithms or key sizes are permitted");
 * BoringSSL ssl/extensions.cc `kVerifySignatureAlgorithms` (Chrome's default list: no
 * ecdsa_secp521r1_sha512, no ed25519; commit e9fc3e547 removed P-521); Mozilla Root Store
 * Policy 3.0 §5.1 (P-521 allowed).
 */
import { createPublicKey, KeyObject, X509Certificate } from 'node:crypto';

import { readableFields } from './certificate-fields';
import { spkiAlgorithm } from './der';
import { CertFinding, finding } from './findings';

const REISSUE = 'issue it with an ECDSA P-256 or an RSA 2048 key';

/** Node's `asymmetricKeyType` names as written in prose, with their article: `an EC`, `a DSA`. */
const KEY_TYPE_NAMES: Readonly<Record<string, string>> = {
  rsa: 'an RSA',
  'rsa-pss': 'an RSA-PSS',
  dsa: 'a DSA',
  dh: 'a DH',
  ec: 'an EC',
  ed25519: 'an Ed25519',
  ed448: 'an Ed448',
  x25519: 'an X25519',
  x448: 'an X448',
  sm2: 'an SM2',
};

/** `an EC`, `an Ed25519`, `a DSA`: a key type with its article, for "has … key". */
export function keyTypeWithArticle(type: string | undefined): string {
  return KEY_TYPE_NAMES[type ?? ''] ?? (type === undefined ? 'an unknown-type' : `a ${type}`);
}

/** The curve OID of SM2 (GB/T 32918), on which OpenSSL writes SM2 keys as id-ecPublicKey. */
const SM2_CURVE_OID = '1.2.156.10197.1.301';

/**
 * Node's `asymmetricKeyType`, and `sm2` for a key on the SM2 curve, which Node leaves undefined
 * (OpenSSL 3 gives such keys a type of their own). Undefined for any other key Node does not name.
 */
export function keyTypeOf(key: KeyObject): string | undefined {
  if (key.asymmetricKeyType !== undefined) return key.asymmetricKeyType;
  try {
    const spki = (key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' });
    return spkiAlgorithm(spki).curve === SM2_CURVE_OID ? 'sm2' : undefined;
  } catch {
    return undefined;
  }
}

/** Findings about the leaf's key type and size. */
export function leafKeyFindings(leaf: X509Certificate): CertFinding[] {
  const key = leaf.publicKey;
  const details = key.asymmetricKeyDetails;
  switch (key.asymmetricKeyType) {
    case 'rsa': {
      const bits = details?.modulusLength ?? 0;
      return bits < 2048 ? [finding('leaf-rsa-too-small', 'cert', `has a ${bits}-bit RSA leaf key; at least 2048 bits are needed`)] : [];
    }
    case 'ec':
      if (details?.namedCurve === 'prime256v1' || details?.namedCurve === 'secp384r1') return [];
      if (details?.namedCurve === 'secp521r1')
        return [finding('leaf-ec-p521', 'cert', `has an ECDSA P-521 leaf key, which Chrome does not accept (Firefox does); ${REISSUE}`)];
      return [
        finding(
          'leaf-key-type',
          'cert',
          `has an ECDSA leaf key on curve ${details?.namedCurve ?? 'unknown'}, which browsers do not accept; ${REISSUE}`,
        ),
      ];
    default: // Ed25519, Ed448, and anything else
      return [
        finding(
          'leaf-key-type',
          'cert',
          `has ${keyTypeWithArticle(keyTypeOf(key))} leaf key, which browsers do not accept for https; ${REISSUE}`,
        ),
      ];
  }
}

/**
 * The leaf's keyUsage, when it has one, must allow what a TLS server does with its key: sign the
 * handshake (digitalSignature), which TLS 1.3 always does. Chrome refuses an ECDSA leaf without it
 * (BoringSSL's key usage check), and an RSA one since Chrome 124 (ERR_SSL_KEY_USAGE_INCOMPATIBLE:
 * chromium policy `RSAKeyUsageForLocalAnchorsEnabled`, "Starting in Google Chrome 124, this check
 * is always enabled"). OpenSSL clients refuse a keyUsage with none of digitalSignature,
 * keyEncipherment and keyAgreement (X509_check_purpose: "unsuitable certificate purpose"), and an
 * OpenSSL server (HAProxy, ingress-nginx) has no TLS 1.2 cipher for an ECDSA key that may not sign
 * (no shared cipher). Go does not check it: kubectl takes such a leaf. Test: test/inspect.test.ts
 * serves each with node:tls.
 */
export function leafKeyUsageFindings(leaf: X509Certificate): CertFinding[] {
  const usage = readableFields(leaf)?.keyUsage;
  // A CA leaf has a CA's keyUsage: leaf-is-ca says what to mend.
  if (!usage || usage.includes('digitalSignature') || leaf.ca) return [];
  const listed = usage.length > 0 ? usage.join(', ') : 'no bits set';
  const rsa = leaf.publicKey.asymmetricKeyType === 'rsa';
  const clients = !usage.includes('keyEncipherment') && !usage.includes('keyAgreement');
  const who = [
    rsa ? 'Chrome refuses it (ERR_SSL_KEY_USAGE_INCOMPATIBLE, since Chrome 124)' : 'Chrome refuses it (ERR_SSL_KEY_USAGE_INCOMPATIBLE)',
    ...(clients ? ['OpenSSL clients too (unsuitable certificate purpose)'] : []),
    ...(rsa ? [] : ['OpenSSL-based servers (HAProxy, ingress-nginx) cannot serve it over TLS 1.2']),
  ].join(', ');
  return [
    finding(
      'leaf-key-usage',
      'cert',
      `has a leaf whose keyUsage (${listed}) lacks digitalSignature, which a TLS server signs the handshake with: ${who}; ` +
        `have it issued again with keyUsage digitalSignature${rsa ? ', keyEncipherment' : ''}`,
    ),
  ];
}

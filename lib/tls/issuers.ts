/**
 * Who issued whom in a chain, as OpenSSL and Node see it (names, then the issuer's key verifying
 * the signature), and the roots Node trusts: what chain.ts and chain-authority.ts build paths from.
 */
import { X509Certificate } from 'node:crypto';

import { readableFields } from './certificate-fields';
import { forgetBeforeSnapshot } from './snapshot-safe';

/** Outcomes of {@link issued} by the two certificates' fingerprints; shared links are checked once. */
const issuedOutcomes = new Map<string, boolean>();

/** True when `issuer` issued `cert`: names match and its key verifies the signature. */
export function issued(issuer: X509Certificate, cert: X509Certificate): boolean {
  const key = `${issuer.fingerprint256}>${cert.fingerprint256}`;
  let outcome = issuedOutcomes.get(key);
  if (outcome === undefined) {
    try {
      outcome = cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
    } catch {
      outcome = false;
    }
    issuedOutcomes.set(key, outcome);
  }
  return outcome;
}

/** True when `issuer`'s subject is `cert`'s issuer and its key verifies `cert`'s signature, whatever its extensions say. */
export function signedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.issuer === issuer.subject && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** True when `cert` has a keyUsage without keyCertSign. */
export function mayNotSignCertificates(cert: X509Certificate): boolean {
  const usage = readableFields(cert)?.keyUsage;
  return usage !== undefined && !usage.includes('keyCertSign');
}

/** The roots of `privateCa` that issued `last`, the chain's last certificate (not `last` itself). */
export function rootsAbove(last: X509Certificate, privateCa: readonly X509Certificate[]): X509Certificate[] {
  return privateCa.filter((ca) => ca.fingerprint256 !== last.fingerprint256 && issued(ca, last));
}

/** True when `cert` is `ca` as far as a client is concerned: its subject and key (a root renewed, or cross-signed). */
export function isCopyOf(cert: X509Certificate, ca: X509Certificate): boolean {
  try {
    return cert.subject === ca.subject && cert.publicKey.equals(ca.publicKey);
  } catch {
    return false; // a key OpenSSL cannot decode (pem.ts reports the chain's own)
  }
}

/** True when `cert` issued itself (a root, or a self-signed leaf). */
export function isSelfSigned(cert: X509Certificate): boolean {
  return issued(cert, cert);
}

let parsedNodeRoots: X509Certificate[] | undefined;
forgetBeforeSnapshot(() => {
  issuedOutcomes.clear();
  parsedNodeRoots = undefined;
});
/**
 * Node's bundled root store, parsed on first use only (a chain that ends self-signed never needs
 * it). `node:tls` is loaded here, not imported at the top: a V8 start-up snapshot (snapshot.ts)
 * cannot hold that module, and only a chain that does not end self-signed needs it.
 */
export function nodeRoots(): X509Certificate[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  parsedNodeRoots ??= (require('node:tls') as typeof import('node:tls')).rootCertificates.map((pem) => new X509Certificate(pem));
  return parsedNodeRoots;
}

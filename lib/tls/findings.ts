/**
 * The certificate finding codes, their severity and meaning, and the small helpers every
 * check shares. Codes are stable: scripts match them, and the README lists each one.
 */
import { X509Certificate } from 'node:crypto';

import { plural } from '../model/errors';

/** Days before a certificate's end that it is warned about, unless `--warn-days` says otherwise. */
export const DEFAULT_WARN_DAYS = 30;

/** Every finding code, what it means and how severe it is. */
export const FINDINGS = {
  'cert-no-pem': ['error', 'certFile holds no PEM certificate (empty, DER, garbage or a key)'],
  'cert-bom': ['error', 'certFile starts with a UTF-8 byte-order mark that hides its first PEM block from kubectl and Go'],
  'cert-pem-misplaced': ['error', 'a -----BEGIN line in certFile is indented or follows text on its line; Go does not see it'],
  'cert-trusted-block': ['error', 'certFile holds a BEGIN TRUSTED CERTIFICATE block, which kubectl and Go skip'],
  'cert-old-label': ['error', 'certFile holds a BEGIN X509 CERTIFICATE block, which kubectl and Go skip and OpenSSL reads'],
  'cert-invalid': ['error', 'a PEM block in certFile is not a valid X.509 certificate'],
  'cert-go-refuses': [
    'error',
    'a certificate that Go refuses (negative serial, duplicate extension, EC parameters, an RSA key it does not read or use)',
  ],
  'cert-has-key': ['error', 'certFile also holds a private key'],
  'key-no-pem': ['error', 'keyFile holds no PEM private key'],
  'key-bom': ['error', 'keyFile starts with a UTF-8 byte-order mark that hides its PEM block from kubectl and Go'],
  'key-pem-misplaced': ['error', 'the -----BEGIN line in keyFile is indented or follows text on its line; Go does not see it'],
  'key-multiple': ['error', 'keyFile holds more than one private key'],
  'key-encrypted': ['error', 'keyFile is encrypted'],
  'key-invalid': ['error', 'the private key block cannot be read'],
  'key-mismatch': ['error', 'the key does not belong to the first (leaf) certificate'],
  'chain-out-of-order': ['error', 'certificates are not leaf first, each followed by its issuer'],
  'chain-unrelated': ['error', "certFile holds a certificate that is not part of the leaf's chain"],
  'chain-expired': ['error', 'a certificate after the leaf (an intermediate or root) has expired'],
  'chain-sha1': ['error', 'a certificate other than a self-signed root is signed with SHA-1'],
  'chain-critical-extension': [
    'error',
    'a certificate marks an extension critical that TLS clients do not handle, so they refuse the chain',
  ],
  'chain-not-yet-valid': ['error', 'a certificate after the leaf (an intermediate or root) is not valid yet'],
  'chain-issuer-not-ca': ['error', 'an intermediate that issued the certificate before it is not a CA (basicConstraints CA:TRUE)'],
  'chain-path-too-long': ['error', 'a CA above the leaf has more CAs below it than its pathLenConstraint allows'],
  'chain-issuer-no-server-auth': ['error', 'a CA above the leaf lists extended key usages without serverAuth'],
  'chain-name-not-permitted': [
    'error',
    "a CA above the leaf (or the privateCa root) has name constraints that do not allow the leaf's DNS names",
  ],
  'leaf-host-not-covered': ['error', 'the leaf does not cover <label>.<clusterUrl> by browser rules'],
  'leaf-not-yet-valid': ['error', 'the leaf is not valid yet'],
  'leaf-expired': ['error', 'the leaf has expired'],
  'leaf-is-ca': ['error', 'the leaf is a CA certificate'],
  'leaf-no-server-auth': ['error', 'the leaf has an extended key usage without serverAuth'],
  'leaf-key-usage': ['error', 'the leaf has a keyUsage without digitalSignature, which Chrome refuses'],
  'leaf-rsa-too-small': ['error', 'the leaf has an RSA key under 2048 bits'],
  'leaf-key-type': ['error', 'the leaf key is not RSA or ECDSA P-256/P-384/P-521: browsers or kubectl refuse it'],
  'leaf-ec-p521': ['warning', 'the leaf key is ECDSA P-521, which Chrome does not accept'],
  'leaf-expires-soon': ['warning', `the leaf expires within --warn-days days (default ${DEFAULT_WARN_DAYS})`],
  'chain-expires-soon': ['warning', 'a certificate after the leaf, or the privateCa root it ends under, expires within --warn-days days'],
  'leaf-apex-not-covered': ['warning', 'the leaf does not cover <clusterUrl> itself'],
  'chain-incomplete': [
    'warning',
    'the chain ends in a certificate that is neither self-signed nor issued by a known root or the privateCa',
  ],
  'chain-untrusted-root': ['warning', "the chain ends at a self-signed root that is not the cluster's privateCa"],
  'chain-duplicate': ['warning', 'certFile holds a certificate twice (not a self-signed root at its end); clients skip the copy'],
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

export function finding(code: FindingCode, file: 'cert' | 'key', message: string): CertFinding {
  return { code, severity: FINDINGS[code][0], file, message };
}

/** `CN=…` of the subject or issuer, or the whole name when it has no CN. */
export function cn(cert: X509Certificate, which: 'subject' | 'issuer' = 'subject'): string {
  const name = cert[which];
  const m = /^CN=(.*)$/m.exec(name);
  return m ? `CN=${m[1]}` : name.replace(/\n/g, ', ');
}

/** `certificate 2 (CN=…)`: how a message names a certificate of the chain (position from 0). */
export function nth(cert: X509Certificate, i: number): string {
  return `certificate ${i + 1} (${cn(cert)})`;
}

/**
 * Where the certificates of a chain that left out copies are in certFile (from 0), and how many
 * certificates the file holds: chain.ts `withoutCopies` says so, and messages number by the file.
 */
const FILE_POSITIONS = new WeakMap<readonly X509Certificate[], { readonly at: readonly number[]; readonly count: number }>();
export function rememberFilePositions(chain: readonly X509Certificate[], at: readonly number[], count: number): void {
  FILE_POSITIONS.set(chain, { at, count });
}

/** The number (from 1) in certFile of the `i`th certificate of `chain`. */
export function numberIn(chain: readonly X509Certificate[], i: number): number {
  return (FILE_POSITIONS.get(chain)?.at[i] ?? i) + 1;
}

/** `certificate 3 (CN=…)`: the `i`th certificate of `chain`, numbered as in certFile. */
export function nthIn(chain: readonly X509Certificate[], i: number): string {
  return `certificate ${numberIn(chain, i)} (${cn(chain[i])})`;
}

/** How many certificates certFile holds: `chain`'s, and the copies it left out. */
export function countIn(chain: readonly X509Certificate[]): number {
  return FILE_POSITIONS.get(chain)?.count ?? chain.length;
}

/** One day, in milliseconds: how `--warn-days` and the days left are counted. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** `in 9 days`, or `in less than a day` in the last day (whole days are counted down, so that would read "in 0 days"). */
export function inDays(days: number): string {
  return days < 1 ? 'in less than a day' : `in ${plural(days, 'day')}`;
}

export function iso(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}

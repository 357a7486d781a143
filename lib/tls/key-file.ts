/**
 * Reading a key file the way kubectl and the ingress controllers do: Go's `tls.X509KeyPair` takes
 * the first `… PRIVATE KEY` block of the file and reads it as PKCS#1, PKCS#8 or SEC1, whatever its
 * label; OpenSSL-based servers read the label as the form. What either would refuse is refused
 * with its fix. The certificate file is pem.ts's.
 *
 * Sources: golang/go src/crypto/tls/tls.go (`X509KeyPair`, `parsePrivateKey`), src/crypto/x509
 * (pkcs1.go, pkcs8.go, sec1.go).
 */
import { createPrivateKey, KeyObject } from 'node:crypto';

import { EcKeyProblem, ecKeyProblem, firstElementEnd } from './der';
import { CertFinding, finding } from './findings';
import { GO_CURVE_NAMES } from './go-curves';
import { brokenBlocks, goPemBlocks, hiddenBegins } from './go-pem';
import { canonicalPrivateKey, KeyEncoding, otherRsaPrimes } from './key-jwk';
import { keyTypeOf, keyTypeWithArticle } from './key-type';
import { bomFix, boms, CR_FIX, crLineEnds, HEADERS_REFUSED, INDENT_FIX, isCertType, isKeyType, widePemProblem } from './pem-text';

/**
 * A key file's private key, and whether its two halves are known to agree: then a signature made
 * with it verifies with its public half, which `checkPrivateKey` compares with the certificate's,
 * and the pair's signature check (chain.ts) is not needed. Known only for an EC key read with its
 * public point (key-jwk.ts: d·G is that point). Not for RSA, even when its numbers agree
 * ({@link rsaKeyProblem}): a factor that is not prime, an e above what Go and OpenSSL take, or
 * a size OpenSSL does not sign at still make a pair whose signatures do not verify.
 */
export interface ReadKey {
  readonly key: KeyObject;
  readonly halvesAgree: boolean;
}

/** The private key of a key file, as kubectl would read it, or a finding saying why not. */
export function readKey(pem: Buffer, findings: CertFinding[]): ReadKey | undefined {
  const fail = (...f: Parameters<typeof finding>) => {
    findings.push(finding(...f));
    return undefined;
  };
  const blocks = goPemBlocks(pem);
  // Any block a byte-order mark hides: OpenSSL still reads what Go skips (an EC PARAMETERS block), and may refuse the file.
  const begins = hiddenBegins(pem);
  const behindBom = begins.find((h) => h.boms > 0);
  const hidden = begins.filter((h) => isKeyType(h.type));
  if (behindBom)
    return fail(
      'key-bom',
      'key',
      isKeyType(behindBom.type)
        ? `starts with ${boms(behindBom.boms)}, which hides the key from kubectl and the ingress controllers; ${bomFix(behindBom.boms)}`
        : `starts with ${boms(behindBom.boms)}, which hides its ${behindBom.type} block from kubectl and Go but not from ` +
            `OpenSSL, which ingress controllers load keys with and may refuse the file; ${bomFix(behindBom.boms)}`,
    );
  if (hidden.length > 0 || (blocks.length === 0 && crLineEnds(pem)))
    return fail(
      'key-pem-misplaced',
      'key',
      `holds a key that kubectl and the ingress controllers do not see: ${crLineEnds(pem) ? CR_FIX : INDENT_FIX}`,
    );
  if (brokenBlocks(pem, blocks) > 0)
    return fail(
      'key-invalid',
      'key',
      'has a PEM block that is cut off or broken (no matching -----END line, or bad base64); export the key again',
    );
  const keys = blocks.filter((b) => isKeyType(b.type));
  if (keys.some((b) => b.type === 'ENCRYPTED PRIVATE KEY' || b.headers['Proc-Type']?.includes('ENCRYPTED')))
    return fail('key-encrypted', 'key', 'is encrypted; decrypt it first with: openssl pkey -in encrypted.pem -out private.pem');
  if (keys.length === 0) {
    return fail(
      'key-no-pem',
      'key',
      blocks.some((b) => isCertType(b.type))
        ? 'holds a certificate, not a private key; keyFile must be the PEM private key (private.pem)'
        : (widePemProblem(pem) ??
            'holds no PEM private key (-----BEGIN PRIVATE KEY-----); give the unencrypted PEM key of the leaf certificate'),
    );
  }
  if (keys.length > 1)
    return fail(
      'key-multiple',
      'key',
      `holds ${keys.length} private keys: kubectl and the servers use the first, and the Secret would carry the others ` +
        'into the cluster; give only the key of the leaf certificate',
    );
  // OpenSSL 3's key decoder reads a header only when it is longer than 10 characters (decode_pem2der.c), as node:tls shows.
  if (keys[0].headerLength > 10)
    return fail('key-invalid', 'key', `has header lines (Name: value) after its BEGIN line, ${HEADERS_REFUSED}`);
  if (keys[0].blankLineInBody)
    return fail('key-invalid', 'key', 'has a blank line inside its PEM block, which OpenSSL-based servers refuse; remove it');
  const der = keys[0].der;
  const accepted = (key: KeyObject, type: KeyEncoding, halvesAgree = false): ReadKey | undefined => {
    const rsaProblem = key.asymmetricKeyType === 'rsa' ? rsaKeyProblem(key, otherRsaPrimes(der)) : undefined;
    if (rsaProblem) return fail('key-invalid', 'key', rsaProblem);
    // Go's parsePrivateKey takes RSA, ECDSA on its curves and Ed25519, in any form (an SM2 key is SEC1 too).
    const keyType = keyTypeOf(key);
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (!GO_KEY_TYPES.has(keyType ?? '') || (keyType === 'ec' && !GO_CURVE_NAMES.has(curve ?? '')))
      return fail(
        'key-invalid',
        'key',
        `holds ${keyTypeWithArticle(keyType)} key${keyType === 'ec' ? ` on curve ${curve ?? 'unnamed'}` : ''}, which kubectl and ` +
          `the ingress controllers cannot use; issue the certificate with an RSA (2048 bits or more) or ECDSA P-256 key`,
      );
    if (!openSslReadsUnder(keys[0].type, type, key))
      return fail(
        'key-invalid',
        'key',
        `holds a ${FORM_NAMES[type]} key under the PEM label ${keys[0].type}: kubectl reads it, OpenSSL-based servers ` +
          `(HAProxy, ingress-nginx) refuse it; change its BEGIN and END lines to ${PEM_LABELS[type]}`,
      );
    return { key, halvesAgree };
  };
  // The common forms first, read without OpenSSL's decoders (key-jwk.ts): the same key, faster.
  const canonical = canonicalPrivateKey(der);
  if (canonical) return accepted(canonical.key, canonical.type, canonical.halvesAgree);
  // Go's order: PKCS#1, then PKCS#8 (RSA, ECDSA and Ed25519 only), then SEC1; the block's type is not
  // used. A DER key parses as one of the three at most, so trying the one its label names first gives
  // Go's result and saves a failed parse (about 0.3 ms a key, which a fleet of clusters pays per key).
  const hinted = { 'RSA PRIVATE KEY': 'pkcs1', 'PRIVATE KEY': 'pkcs8', 'EC PRIVATE KEY': 'sec1' }[keys[0].type];
  const order = (['pkcs1', 'pkcs8', 'sec1'] as const).slice().sort((x, y) => Number(y === hinted) - Number(x === hinted));
  for (const type of order) {
    // Go's ParsePKCS1PrivateKey refuses bytes after the key ("trailing data"); OpenSSL reads past them.
    if (type === 'pkcs1' && firstElementEnd(der) !== der.length) continue;
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: der, format: 'der', type });
    } catch {
      // The OpenSSL message is dropped on purpose: it is the only text here that could echo the input.
      continue;
    }
    // The fast path (key-jwk.ts) reads only the EC keys Go reads; here OpenSSL reads more.
    const ecProblem = key.asymmetricKeyType === 'ec' && type !== 'pkcs1' ? ecKeyProblem(der, type) : undefined;
    if (ecProblem) return fail('key-invalid', 'key', EC_KEY_PROBLEMS[ecProblem]);
    return accepted(key, type);
  }
  return fail(
    'key-invalid',
    'key',
    keys[0].type === 'OPENSSH PRIVATE KEY'
      ? // ssh-keygen's own format (openssh-key-v1): an SSH key, which kubectl and OpenSSL do not read.
        'holds an OpenSSH private key, which kubectl and the ingress controllers do not read; give the PEM key the certificate ' +
          'was issued for (BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)'
      : 'holds a PEM private key block that cannot be read as PKCS#1, PKCS#8 or SEC1; export it again as unencrypted PEM',
  );
}

const FORM_NAMES: Readonly<Record<KeyEncoding, string>> = { pkcs1: 'PKCS#1 (RSA)', pkcs8: 'PKCS#8', sec1: 'SEC1 (EC)' };
const PEM_LABELS: Readonly<Record<KeyEncoding, string>> = { pkcs1: 'RSA PRIVATE KEY', pkcs8: 'PRIVATE KEY', sec1: 'EC PRIVATE KEY' };

/** The key types Go's `tls.X509KeyPair` takes (crypto/tls `parsePrivateKey`), as {@link keyTypeOf} names them. */
const GO_KEY_TYPES: ReadonlySet<string> = new Set(['rsa', 'ec', 'ed25519']);

/**
 * Whether OpenSSL reads a key of this form under this PEM label: Go ignores the label, OpenSSL's
 * PEM reader takes it as the form (`PRIVATE KEY` PKCS#8 only; `RSA PRIVATE KEY` PKCS#1, or PKCS#8
 * of an RSA key; `EC PRIVATE KEY` SEC1, or PKCS#8 of an EC key; any other label, such as
 * `SM2 PRIVATE KEY` or `DSA PRIVATE KEY`, none of the keys Go takes), as node:tls shows in
 * test/pem.test.ts.
 */
function openSslReadsUnder(label: string, type: KeyEncoding, key: KeyObject): boolean {
  if (label === 'PRIVATE KEY') return type === 'pkcs8';
  if (label === 'RSA PRIVATE KEY') return key.asymmetricKeyType === 'rsa';
  if (label === 'EC PRIVATE KEY') return key.asymmetricKeyType === 'ec';
  return false;
}

/** What Go refuses in an EC private key that OpenSSL reads (der.ts `ecKeyProblem`), and the mend. */
const EC_KEY_PROBLEMS: Readonly<Record<EcKeyProblem, string>> = {
  explicit:
    'holds an EC key with its curve written out as numbers (explicit parameters), which kubectl and Go refuse; ' +
    'write it with the curve named: openssl ec -in KEY -param_enc named_curve -out KEY',
  'two-curves':
    'holds a PKCS#8 EC key that names one curve outside and another inside: Go (kubectl) reads it on the first and ' +
    'OpenSSL on the second; export the key again: openssl pkey -in KEY -out KEY',
  version: 'holds an EC key whose version is not 1, which kubectl and Go refuse; export the key again: openssl ec -in KEY -out KEY',
  range:
    "holds an EC key whose private value is not below its curve's order (damaged, or edited by hand), which kubectl " +
    'and Go refuse; give the key the certificate was issued for',
};

const big = (b64url: string | undefined) => BigInt(`0x${Buffer.from(b64url ?? '', 'base64url').toString('hex') || '0'}`);
const bitLength = (x: bigint) => (x > 0n ? x.toString(2).length : 0);

/**
 * Why Go refuses an RSA private key's numbers, or `undefined`. OpenSSL checks none of this: such
 * a key loads, and OpenSSL 3 even signs right with damaged CRT values (it checks the result and
 * falls back to d).
 *
 * - Every Go: primes above 1, and for a key of two primes n = p·q.
 * - Go before 1.24 (`rsa.PrivateKey.Validate`, kubectl 1.32 and earlier): n is the product of all
 *   primes, a key of three or more (`otherPrimes`) too, and d·e ≡ 1 mod each prime − 1. Go 1.24
 *   and later use the CRT values and check d only against n; a key of more primes they read
 *   without CRT values, and check nothing more of it.
 * - Go 1.24 and later, for a key of two primes (crypto/internal/fips140/rsa `checkPrivateKey`,
 *   reached from `x509.ParsePKCS1PrivateKey` and `ParsePKCS8PrivateKey`; golang/go#70643): the
 *   CRT values as stored (dp·e ≡ 1 mod p−1, dq·e ≡ 1 mod q−1, qi·q ≡ 1 mod p; GODEBUG
 *   `x509rsacrt=0` restores the old recomputation), d, dp, dq and qi each below its modulus (n,
 *   p−1, q−1, p), |p − q| above 2^(bits/2 − 100) (Fermat's factorization), and d above
 *   2^(bits/2) (small-d attacks). kubectl 1.33 and later are built with Go 1.24 or later, and so
 *   are current Go ingress controllers.
 *
 * The public exponent's range (2 to 2^31−1) is checked on the certificate's key (go-x509.ts),
 * which a matching pair shares, so that one problem is one finding.
 */
function rsaKeyProblem(key: KeyObject, otherPrimes: readonly bigint[]): string | undefined {
  const j = key.export({ format: 'jwk' });
  const [n, e, d, p, q, dp, dq, qi] = [j.n, j.e, j.d, j.p, j.q, j.dp, j.dq, j.qi].map(big);
  const de = d * e;
  const primes = [p, q, ...otherPrimes];
  const product = primes.reduce((a, b) => a * b, 1n);
  if (primes.some((r) => r <= 1n) || (otherPrimes.length === 0 && product !== n))
    return 'holds an RSA key whose numbers do not agree with each other (damaged, or edited by hand); kubectl refuses it: export the key again';
  const before124 = (why: string) =>
    `holds an RSA key ${why} (damaged, or edited by hand), which Go before 1.24 refuses (kubectl 1.32 and earlier): export the key again`;
  if (product !== n) return before124('whose primes do not multiply to its modulus');
  if (primes.some((r) => de % (r - 1n) !== 1n)) return before124('whose private exponent d does not agree with its primes');
  const go124 = (why: string) =>
    `holds an RSA key ${why}, which Go 1.24 and later refuse (kubectl 1.33 and later, and the Go ingress controllers built with it): `;
  // A key of more than two primes: Go 1.24 reads it without its CRT values, and checks only d < n.
  if (otherPrimes.length > 0)
    return d >= n ? `${go124('with its private exponent d not below its modulus')}export the key again` : undefined;
  if (dp !== d % (p - 1n) || dq !== d % (q - 1n) || (qi * q) % p !== 1n)
    return `${go124('whose CRT values (dp, dq, qi) do not agree with its other numbers (damaged, or edited by hand)')}export the key again`;
  if (d >= n || qi >= p)
    return `${go124(`with ${d >= n ? 'its private exponent d' : 'its CRT coefficient qi'} not below its modulus`)}export the key again`;
  const half = Math.floor(bitLength(n) / 2);
  if (bitLength(p > q ? p - q : q - p) <= half - 100)
    return `${go124('whose primes p and q are so close that its modulus can be factored')}make a new key`;
  if (bitLength(d) <= half) return `${go124(`whose private exponent d is too small (${half} bits or fewer)`)}make a new key`;
  return undefined;
}

/**
 * Reading PEM files the way kubectl and the ingress controllers do: Go's `encoding/pem`
 * (a block starts at the start of the file or of a line), then `tls.X509KeyPair` (only
 * `CERTIFICATE` blocks in the certificate file; the first `… PRIVATE KEY` block of the key
 * file, read as PKCS#1, PKCS#8 or SEC1). What Go would not see is refused with its own fix,
 * so the bytes we write are bytes kubectl accepts.
 *
 * Sources: golang/go src/crypto/tls/tls.go (`X509KeyPair`, `parsePrivateKey`); the decoder of
 * src/encoding/pem/pem.go is ported in `go-pem.ts`.
 */
import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';

import { PRIVATE_KEY_BEGIN } from '../model/names';
import { decodeWide, INVALID, markedEncoding, WIDE_ENCODINGS } from '../model/wide-text';
import { EcKeyProblem, ecKeyProblem, firstElementEnd, rememberDer } from './der';
import { CertFinding, finding } from './findings';
import { brokenBlocks, goPemBlocks, hiddenBegins } from './go-pem';
import { canonicalPrivateKey, KeyEncoding, otherRsaPrimes } from './key-jwk';
import { keyTypeOf, keyTypeWithArticle } from './key-type';
import { forgetBeforeSnapshot } from './snapshot-safe';

const isKeyType = (type: string) => type === 'PRIVATE KEY' || type.endsWith(' PRIVATE KEY');
const isCertType = (type: string) => type === 'CERTIFICATE' || type === 'TRUSTED CERTIFICATE';
const EXPORT_AGAIN = 'export the certificate chain again';
/** The byte-order marks a file starts with, for messages: `a UTF-8 byte-order mark`, `2 UTF-8 byte-order marks`. */
function boms(n: number): string {
  return n === 1 ? 'a UTF-8 byte-order mark' : `${n} UTF-8 byte-order marks`;
}

/** How to remove `n` byte-order marks (3 bytes each), for messages. */
function bomFix(n: number): string {
  return `remove the first ${3 * n} bytes (tail -c +${3 * n + 1} FILE > FILE.new), or save the file as UTF-8 without BOM`;
}

/**
 * Why a PEM file saved as UTF-16 or UTF-32 (Windows PowerShell 5's `>` writes UTF-16LE) holds no
 * PEM for kubectl, with the iconv command that makes it UTF-8, when a BEGIN line is there in such
 * a reading; `undefined` otherwise. kubectl and the controllers read PEM as bytes, where such a
 * file holds no BEGIN line.
 */
function widePemProblem(pem: Buffer): string | undefined {
  const sample = pem.subarray(0, 4096);
  const wide = WIDE_ENCODINGS.find((encoding) =>
    String.fromCodePoint(...decodeWide(sample, encoding).map((u) => (u === INVALID ? 0xfffd : u))).includes('-----BEGIN '),
  );
  if (!wide) return undefined;
  // With a byte-order mark, iconv's UTF-16 and UTF-32 read it and take it away (kept, it is a UTF-8 mark: cert-bom).
  const encoding = markedEncoding(pem) ?? wide;
  return (
    `holds its PEM as ${encoding} text, which kubectl and the ingress controllers do not read; save it as UTF-8 ` +
    `(iconv -f ${encoding} -t UTF-8 FILE > FILE.new)`
  );
}
// No five-dash marker in the text: a message with one would be taken for key text and redacted.
const INDENT_FIX = "each PEM block's BEGIN and END lines must start at the beginning of their line; remove the leading spaces or text";
const CR_FIX =
  "its lines end in a lone CR (classic Mac OS), so its BEGIN lines do not start a line; save it with LF line ends (tr '\\r' '\\n' < FILE > FILE.new)";

/**
 * True for PEM text whose lines end in a lone CR more often than in LF: a file saved with classic
 * Mac OS line ends (as encoding.ts judges a config). Binary data (DER) holds CR bytes too, and no BEGIN line.
 */
function crLineEnds(pem: Buffer): boolean {
  const text = pem.toString('latin1');
  if (!text.includes('-----BEGIN ')) return false;
  const loneCr = (text.match(/\r(?!\n)/g) ?? []).length;
  return loneCr > 0 && loneCr > (text.match(/\n/g) ?? []).length;
}

/** How {@link readChain} reads a certificate file. */
export interface ReadChainOptions {
  /**
   * Leaves a private-key block beside the certificates out, as the ingress controllers do with a
   * live Secret's `tls.crt` (Go's `tls.X509KeyPair` reads only its `CERTIFICATE` blocks), instead
   * of the error `cert-has-key` that a config's `certFile` gets.
   * @default false - a key block in the file is the finding `cert-has-key`
   */
  readonly skipKeys?: boolean;
}

/** The certificates of a certificate file, as kubectl would read them, with every problem found. */
export function readChain(pem: Buffer, findings: CertFinding[], options: ReadChainOptions = {}): X509Certificate[] {
  const blocks = goPemBlocks(pem);
  const hidden = hiddenBegins(pem).filter((h) => isCertType(h.type));
  const marked = hidden.find((h) => h.boms > 0);
  if (marked) {
    findings.push(
      finding(
        'cert-bom',
        'cert',
        `starts with ${boms(marked.boms)}, which hides its first certificate from kubectl and the ingress controllers; ${bomFix(marked.boms)}`,
      ),
    );
    return [];
  }
  if (hidden.length > 0 || (blocks.length === 0 && crLineEnds(pem))) {
    const fix = crLineEnds(pem) ? CR_FIX : INDENT_FIX;
    findings.push(finding('cert-pem-misplaced', 'cert', `has a certificate that kubectl and the ingress controllers do not see: ${fix}`));
    return [];
  }
  if (blocks.some((b) => b.type === 'TRUSTED CERTIFICATE')) {
    findings.push(
      finding(
        'cert-trusted-block',
        'cert',
        'holds a BEGIN TRUSTED CERTIFICATE block (openssl x509 -trustout), which kubectl and the ' +
          'ingress controllers skip; convert it with: openssl x509 -in cert.pem -out plain.pem',
      ),
    );
    return [];
  }
  if (brokenBlocks(pem, blocks) > 0) {
    findings.push(
      finding(
        'cert-invalid',
        'cert',
        `has a PEM block that is cut off or broken (no matching -----END line, or bad base64); ${EXPORT_AGAIN}`,
      ),
    );
    return [];
  }
  const certs = blocks.filter((b) => b.type === 'CERTIFICATE');
  // A key block Go does not see (after text on its line) would still be copied into tls.crt.
  const hasKey = blocks.some((b) => isKeyType(b.type)) || hiddenBegins(pem).some((h) => isKeyType(h.type));
  if (certs.length === 0) {
    findings.push(
      finding(
        'cert-no-pem',
        'cert',
        hasKey
          ? 'holds a private key, not a certificate; certFile must be the PEM certificate chain (fullchain.pem) and keyFile the key'
          : (widePemProblem(pem) ?? 'holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the PEM certificate chain, leaf first'),
      ),
    );
    return [];
  }
  if (hasKey && !options.skipKeys) findings.push(finding('cert-has-key', 'cert', 'also holds a private key; keep the key only in keyFile'));
  const chain: X509Certificate[] = [];
  certs.forEach((block, i) => {
    if (block.blankLineInBody) {
      findings.push(
        finding(
          'cert-invalid',
          'cert',
          `certificate ${i + 1} of ${certs.length} has a blank line inside its PEM block, which OpenSSL-based servers refuse; remove it`,
        ),
      );
      return;
    }
    try {
      const cert = i === 0 ? new X509Certificate(block.der) : issuerCertificate(block.der);
      chain.push(cert);
      rememberDer(cert, block.der);
      // OpenSSL reads the certificate and ignores what follows it in the block; Go refuses it.
      const end = firstElementEnd(block.der); // undefined: a length Go refuses, which go-x509.ts quotes
      if (end !== undefined && end !== block.der.length)
        findings.push(
          finding(
            'cert-go-refuses',
            'cert',
            `certificate ${i + 1} of ${certs.length} has bytes after its end inside its PEM block (x509: trailing data); ` +
              `${i === 0 ? 'kubectl and the ingress controllers (Go) refuse it' : 'Go TLS clients refuse the chain'}; ` +
              'export the certificate chain again',
          ),
        );
    } catch {
      findings.push(finding('cert-invalid', 'cert', `certificate ${i + 1} of ${certs.length} is not a valid X.509 certificate`));
      return;
    }
    try {
      void chain[chain.length - 1].publicKey; // OpenSSL decodes the key when it is asked for, not when it reads the certificate
    } catch {
      findings.push(
        finding(
          'cert-invalid',
          'cert',
          `certificate ${i + 1} of ${certs.length} has a public key OpenSSL cannot read (a point off its curve, bits written ` +
            'with padding, an unknown algorithm): OpenSSL-based servers (HAProxy, ingress-nginx) and clients refuse it; have it issued again',
        ),
      );
    }
  });
  return findings.some((f) => f.file === 'cert') ? [] : chain;
}

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
  if (keys.length > 1) return fail('key-multiple', 'key', `holds ${keys.length} private keys; give only the key of the leaf certificate`);
  if (keys[0].blankLineInBody)
    return fail('key-invalid', 'key', 'has a blank line inside its PEM block, which OpenSSL-based servers refuse; remove it');
  const der = keys[0].der;
  const accepted = (key: KeyObject, type: KeyEncoding, halvesAgree = false): ReadKey | undefined => {
    const rsaProblem = key.asymmetricKeyType === 'rsa' ? rsaKeyProblem(key, otherRsaPrimes(der)) : undefined;
    if (rsaProblem) return fail('key-invalid', 'key', rsaProblem);
    if (type === 'pkcs8' && !['rsa', 'ec', 'ed25519'].includes(key.asymmetricKeyType ?? ''))
      return fail(
        'key-invalid',
        'key',
        `holds ${keyTypeWithArticle(keyTypeOf(key))} key, which kubectl and the ingress controllers ` +
          `cannot use; issue the certificate with an RSA (2048 bits or more) or ECDSA P-256 key`,
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
    'holds a PEM private key block that cannot be read as PKCS#1, PKCS#8 or SEC1; export it again as unencrypted PEM',
  );
}

const FORM_NAMES: Readonly<Record<KeyEncoding, string>> = { pkcs1: 'PKCS#1 (RSA)', pkcs8: 'PKCS#8', sec1: 'SEC1 (EC)' };
const PEM_LABELS: Readonly<Record<KeyEncoding, string>> = { pkcs1: 'RSA PRIVATE KEY', pkcs8: 'PRIVATE KEY', sec1: 'EC PRIVATE KEY' };

/**
 * Whether OpenSSL reads a key of this form under this PEM label: Go ignores the label, OpenSSL's
 * PEM reader takes it as the form (`PRIVATE KEY` PKCS#8 only; `RSA PRIVATE KEY` PKCS#1, or PKCS#8
 * of an RSA key; `EC PRIVATE KEY` SEC1, or PKCS#8 of an EC key), as node:tls shows in test/pem.test.ts.
 */
function openSslReadsUnder(label: string, type: KeyEncoding, key: KeyObject): boolean {
  if (label === 'PRIVATE KEY') return type === 'pkcs8';
  if (label === 'RSA PRIVATE KEY') return key.asymmetricKeyType === 'rsa';
  if (label === 'EC PRIVATE KEY') return key.asymmetricKeyType === 'ec';
  return true;
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

/**
 * Intermediates and roots, parsed once per process: a fleet's certificates usually share
 * their CA chain, while each leaf (always parsed) is its own. Keyed by the DER bytes.
 */
const issuerCertificates = new Map<string, X509Certificate>();
forgetBeforeSnapshot(() => issuerCertificates.clear());
function issuerCertificate(der: Buffer): X509Certificate {
  const id = der.toString('base64');
  let cert = issuerCertificates.get(id);
  if (!cert) {
    cert = new X509Certificate(der);
    issuerCertificates.set(id, cert);
  }
  return cert;
}

/**
 * Why a private CA file cannot be Run:ai's `runai-ca-cert` as its Go services read it
 * ({@link readCertificates}), with its finding code, or `undefined`: the Secret is Opaque and
 * committed, so no key; Go must see a certificate, and the first must be a CA. One rule for the
 * config's `privateCa.caFile` and the `PrivateCaSecrets` construct.
 */
export function privateCaProblem(pem: Buffer): { code: string; message: string } | undefined {
  // A mark before a BEGIN line hides that block from Go; before a comment line it is harmless.
  const marked = hiddenBegins(pem).find((h) => h.boms > 0 && isCertType(h.type));
  if (marked)
    return {
      code: 'ca-bom',
      message: `starts with ${boms(marked.boms)}, which hides its first certificate from Go; ${bomFix(marked.boms)}`,
    };
  if (PRIVATE_KEY_BEGIN.test(pem.toString('latin1')))
    return { code: 'ca-has-key', message: 'holds a private key; give only the CA certificate' };
  const [cert] = readCertificates(pem);
  const wide = cert ? undefined : widePemProblem(pem);
  if (wide) return { code: 'ca-invalid', message: wide };
  if (!cert)
    return {
      code: 'ca-invalid',
      message:
        'holds no CERTIFICATE block that Go reads; give the CA certificate (or bundle) in PEM, each block starting with ' +
        'BEGIN CERTIFICATE at the start of its line (a TRUSTED CERTIFICATE block, from openssl x509 -trustout, is skipped)',
    };
  if (!cert.ca)
    return {
      code: 'ca-not-ca',
      message: "holds a certificate that is not a CA (basicConstraints CA:TRUE); give the CA that signed the cluster's certificates",
    };
  return undefined;
}

/**
 * The certificates of a CA bundle (`privateCa.caFile`) as Go's `x509.CertPool.AppendCertsFromPEM`
 * takes them: `CERTIFICATE` blocks without headers that parse, in order; any other block (a
 * `TRUSTED CERTIFICATE` of `openssl x509 -trustout`, a key) is skipped. Source: golang/go
 * src/crypto/x509/cert_pool.go.
 */
export function readCertificates(pem: Buffer): X509Certificate[] {
  return goPemBlocks(pem).flatMap((b) => {
    if (b.type !== 'CERTIFICATE' || Object.keys(b.headers).length > 0) return [];
    try {
      const cert = issuerCertificate(b.der);
      void cert.publicKey; // a key OpenSSL cannot decode: no trust anchor for OpenSSL either
      return [cert];
    } catch {
      return [];
    }
  });
}

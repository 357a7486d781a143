/**
 * Just enough DER to see what Node's `X509Certificate` does not show: the serial number's
 * sign, the extensions and which are critical, whether the two signature algorithm fields
 * agree, the public key's algorithm parameters and an RSA key's numbers as written, and a CA's
 * DNS name constraints. Reads, never builds.
 */
import type { X509Certificate } from 'node:crypto';

import { GO_CURVES } from './go-curves';

/** One DER element: its tag and where its content lies in the buffer. */
export interface Der {
  readonly tag: number;
  readonly content: Buffer;
}

/** The element at `offset`, and the offset after it. Throws on a malformed or indefinite length. */
function readDer(buf: Buffer, offset = 0): { der: Der; next: number } {
  if (offset + 2 > buf.length) throw new Error('DER: truncated');
  const tag = buf[offset];
  let length = buf[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || start + bytes > buf.length) throw new Error('DER: bad length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + buf[start + i];
    start += bytes;
  }
  if (start + length > buf.length) throw new Error('DER: truncated');
  return { der: { tag, content: buf.subarray(start, start + length) }, next: start + length };
}

/**
 * A BIT STRING's content (its padding count, then the bits) as encoding/asn1's `RightAlign` gives
 * the bits: shifted right by the padding count, which is how Go reads a public key written with one.
 */
export function rightAlignedBits(content: Buffer): Buffer {
  const shift = content[0];
  const bytes = content.subarray(1);
  if (shift === 0 || bytes.length === 0) return bytes;
  return Buffer.from(bytes.map((byte, i) => ((i > 0 ? bytes[i - 1] << (8 - shift) : 0) | (byte >> shift)) & 0xff));
}

/** The bytes each certificate was read from (its PEM block's DER), where OpenSSL's `raw` is its own re-encoding. */
const writtenDer = new WeakMap<X509Certificate, Buffer>();
/** Remembers that `cert` was read from `der` (pem.ts). */
export function rememberDer(cert: X509Certificate, der: Buffer): void {
  writtenDer.set(cert, der);
}
/** The bytes `cert` was read from, as Go parses them: OpenSSL rewrites what it reads (a length in a longer form, a padding bit). */
export function derAsWritten(cert: X509Certificate): Buffer {
  return writtenDer.get(cert) ?? cert.raw;
}

/** Why Go refuses an EC private key OpenSSL reads: see {@link ecKeyProblem}. */
export type EcKeyProblem = 'explicit' | 'two-curves' | 'version' | 'range';

/**
 * Why Go's x509 refuses an EC private key (`sec1`, or `pkcs8`) that OpenSSL reads, or `undefined`
 * (crypto/x509 sec1.go `parseECPrivateKey`, pkcs8.go): `explicit`, no curve named by an OID (Go
 * takes PKCS#8's parameters, else the key's own `[0]`; `openssl ec -param_enc explicit` writes the
 * curve's numbers instead); `two-curves`, PKCS#8 names one curve and the key's `[0]` another (Go
 * uses the first, OpenSSL the second); `version`, an ECPrivateKey version other than 1; `range`, a
 * private value not below the curve's order. Undefined also for DER it cannot follow.
 */
export function ecKeyProblem(der: Buffer, type: 'pkcs8' | 'sec1'): EcKeyProblem | undefined {
  try {
    let sec1 = der;
    let outer: Buffer | undefined;
    if (type === 'pkcs8') {
      const [, algorithm, inner] = children(readDer(der).der);
      const params = children(algorithm)[1];
      outer = params?.tag === TAG.OID ? params.content : undefined;
      sec1 = inner.content;
    }
    const fields = children(readDer(sec1).der);
    const own = fields.find((e) => e.tag === TAG.EXPLICIT_0);
    const ownCurve = own && children(own)[0];
    const ownOid = ownCurve?.tag === TAG.OID ? ownCurve.content : undefined;
    const curve = outer ?? ownOid;
    if (!curve) return 'explicit';
    if (outer && ownOid && !outer.equals(ownOid)) return 'two-curves';
    const [version, d] = fields;
    if (version?.tag !== TAG.INTEGER || !version.content.equals(Buffer.from([1]))) return 'version';
    const order = GO_CURVES[curve.toString('hex')]?.n;
    if (order !== undefined && d?.tag === TAG.OCTET_STRING && BigInt(`0x${d.content.toString('hex') || '0'}`) >= order) return 'range';
    return undefined;
  } catch {
    return undefined;
  }
}

/** An ECPrivateKey's (SEC1) private value d. Throws when it is not one. */
export function sec1PrivateValue(der: Buffer): Buffer {
  const d = children(readDer(der).der)[1];
  if (d?.tag !== TAG.OCTET_STRING) throw new Error('DER: no EC private value');
  return d.content;
}

/**
 * A SubjectPublicKeyInfo's algorithm OID and, when its parameters are an OID (a named curve), that
 * one, both as dotted text. Throws when the DER is not a SubjectPublicKeyInfo.
 */
export function spkiAlgorithm(spki: Buffer): { oid: string; curve?: string } {
  const [algorithm] = children(readDer(spki).der);
  const [oid, params] = algorithm ? children(algorithm) : [];
  if (oid?.tag !== TAG.OID) throw new Error('DER: no algorithm OID');
  return { oid: oidText(oid.content), curve: params?.tag === TAG.OID ? oidText(params.content) : undefined };
}

/** Where the first element of `buf` ends, or `undefined` when it cannot be read. */
export function firstElementEnd(buf: Buffer): number | undefined {
  try {
    return readDer(buf).next;
  } catch {
    return undefined;
  }
}

/** The elements inside a constructed element (a SEQUENCE, a SET or an explicit tag). */
export function children(parent: Der): Der[] {
  const out: Der[] = [];
  for (let at = 0; at < parent.content.length;) {
    const { der, next } = readDer(parent.content, at);
    out.push(der);
    at = next;
  }
  return out;
}

/** An OBJECT IDENTIFIER's content as dotted text, e.g. `2.5.29.17`. */
export function oidText(content: Buffer): string {
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  const first = arcs.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

/** The DER tags read here and in key-jwk.ts. */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  EXPLICIT_0: 0xa0,
  EXPLICIT_1: 0xa1,
  EXPLICIT_3: 0xa3,
  /** NameConstraints' permittedSubtrees and excludedSubtrees (IMPLICIT, constructed). */
  PERMITTED: 0xa0,
  EXCLUDED: 0xa1,
  /** GeneralName's dNSName (IMPLICIT IA5String). */
  DNS_NAME: 0x82,
} as const;

/** rsaEncryption (RFC 3279 2.3.1), the algorithm of an RSA public key. */
const RSA_ENCRYPTION_OID = '1.2.840.113549.1.1.1';
/** The name constraints extension (RFC 5280 4.2.1.10). */
const NAME_CONSTRAINTS_OID = '2.5.29.30';
/** The basic constraints extension (RFC 5280 4.2.1.9): cA and pathLenConstraint. */
const BASIC_CONSTRAINTS_OID = '2.5.29.19';
/** The key usage extension (RFC 5280 4.2.1.3): a BIT STRING of {@link KEY_USAGE_BITS}. */
const KEY_USAGE_OID = '2.5.29.15';
/** KeyUsage's bits (RFC 5280 4.2.1.3), bit 0 first. */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsage = (typeof KEY_USAGE_BITS)[number];

/** A CA's DNS name constraints: the subtrees its certificates' DNS names must be in, and must not be. */
export interface DnsNameConstraints {
  readonly permitted: readonly string[];
  readonly excluded: readonly string[];
}

/** The parts of a certificate that Go's parser is stricter about than OpenSSL. */
export interface CertificateFields {
  /** True when the serial number's DER INTEGER is negative. */
  readonly negativeSerial: boolean;
  /** The OID of each extension, in order. */
  readonly extensionOids: readonly string[];
  /** The OIDs of the extensions marked critical, in order. */
  readonly criticalExtensionOids: readonly string[];
  /** Whether the signature algorithm inside the signed part is the one outside it, byte for byte (RFC 5280 4.1.1.2). */
  readonly signatureAlgorithmsMatch: boolean;
  /** The public key's algorithm OID. */
  readonly keyAlgorithm: string;
  /** Its parameters: a named curve's OID, `explicit` for inline curve parameters, or none. */
  readonly keyParameters?: string;
  /** The DNS names of its name constraints extension, when it has one. */
  readonly dnsNameConstraints?: DnsNameConstraints;
  /** basicConstraints' pathLenConstraint: how many CAs may follow it down to a leaf, when it sets one. */
  readonly pathLen?: number;
  /** The bits its keyUsage sets, in bit order; `undefined` without a keyUsage extension. */
  readonly keyUsage?: readonly KeyUsage[];
  /** Its RSA public key (rsaEncryption), as written: Go is stricter about it than OpenSSL. */
  readonly rsa?: RsaPublicKeyFields;
}

/** An RSA public key's numbers as its DER writes them (RFC 3279 2.3.1), signed. */
export interface RsaPublicKeyFields {
  /** Whether the algorithm's parameters are NULL, as RFC 3279 says and Go requires. */
  readonly nullParameters: boolean;
  readonly modulus: bigint;
  readonly exponent: bigint;
}

/**
 * Each certificate's fields, or why they cannot be read, read once: Go's checks and the chain's
 * read the same certificates, and a fleet's chains share their intermediates (pem.ts keeps one
 * `X509Certificate` for each). Weak, so a certificate's entry goes with it.
 */
const fieldsByCertificate = new WeakMap<X509Certificate, CertificateFields | Error>();

/** The {@link certificateFields} of `cert`, read once. Throws when its DER cannot be read. */
export function fieldsOf(cert: X509Certificate): CertificateFields {
  let fields = fieldsByCertificate.get(cert);
  if (fields === undefined) {
    try {
      fields = certificateFields(cert.raw);
    } catch (err) {
      fields = err instanceof Error ? err : new Error(String(err));
    }
    fieldsByCertificate.set(cert, fields);
  }
  if (fields instanceof Error) throw fields;
  return fields;
}

/**
 * {@link fieldsOf} a certificate for a check that reads one of its extensions, or `undefined`
 * when its DER cannot be read: that is reported once, as `cert-go-refuses`.
 */
export function readableFields(cert: X509Certificate): CertificateFields | undefined {
  try {
    return fieldsOf(cert);
  } catch {
    return undefined;
  }
}

/** Reads the fields of a DER certificate (`X509Certificate.raw`). Throws when it is not one. */
function certificateFields(raw: Buffer): CertificateFields {
  const [tbs, outerAlgorithm] = children(readDer(raw).der);
  const fields = children(tbs);
  const at = fields[0]?.tag === TAG.EXPLICIT_0 ? 1 : 0;
  const serial = fields[at];
  const innerAlgorithm = fields[at + 1];
  const spki = fields[at + 5];
  if (serial?.tag !== TAG.INTEGER || spki?.tag !== TAG.SEQUENCE) throw new Error('not a certificate');
  const [algorithm, publicKey] = children(spki);
  const [oid, params] = children(algorithm);
  const keyAlgorithm = oidText(oid.content);
  const extensions = fields.slice(at + 6).find((f) => f.tag === TAG.EXPLICIT_3);
  const exts = extensions
    ? children(children(extensions)[0]).map((ext) => {
        const parts = children(ext);
        // Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue }
        const critical = parts.length === 3 && parts[1].tag === TAG.BOOLEAN && parts[1].content[0] !== 0;
        return { oid: oidText(parts[0].content), parts, critical };
      })
    : [];
  const constraints = exts.find((e) => e.oid === NAME_CONSTRAINTS_OID);
  const basic = exts.find((e) => e.oid === BASIC_CONSTRAINTS_OID);
  const pathLen = basic ? pathLenOf(basic.parts) : undefined;
  const usage = exts.find((e) => e.oid === KEY_USAGE_OID);
  const keyUsage = usage ? keyUsageOf(usage.parts) : undefined;
  return {
    negativeSerial: serial.content.length > 0 && (serial.content[0] & 0x80) !== 0,
    extensionOids: exts.map((e) => e.oid),
    criticalExtensionOids: exts.filter((e) => e.critical).map((e) => e.oid),
    signatureAlgorithmsMatch:
      innerAlgorithm !== undefined && innerAlgorithm.tag === outerAlgorithm?.tag && innerAlgorithm.content.equals(outerAlgorithm.content),
    keyAlgorithm,
    keyParameters: params?.tag === TAG.OID ? oidText(params.content) : params?.tag === TAG.SEQUENCE ? 'explicit' : undefined,
    ...(constraints ? { dnsNameConstraints: dnsConstraints(constraints.parts) } : {}),
    ...(pathLen !== undefined ? { pathLen } : {}),
    ...(keyUsage !== undefined ? { keyUsage } : {}),
    ...(keyAlgorithm === RSA_ENCRYPTION_OID ? { rsa: rsaPublicKey(params, publicKey) } : {}),
  };
}

/** A DER INTEGER's content as a signed number (two's complement, big-endian). */
function signedInteger(content: Buffer): bigint {
  if (content.length === 0) throw new Error('DER: empty INTEGER');
  const value = BigInt(`0x${content.toString('hex')}`);
  return content[0] & 0x80 ? value - (1n << BigInt(content.length * 8)) : value;
}

/** RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }, inside the key's BIT STRING. */
function rsaPublicKey(params: Der | undefined, publicKey: Der | undefined): RsaPublicKeyFields {
  if (publicKey?.tag !== TAG.BIT_STRING || publicKey.content[0] > 7) throw new Error('DER: RSA key is not a BIT STRING');
  const [modulus, exponent] = children(readDer(rightAlignedBits(publicKey.content)).der);
  if (modulus?.tag !== TAG.INTEGER || exponent?.tag !== TAG.INTEGER) throw new Error('DER: RSA key without its numbers');
  return {
    nullParameters: params?.tag === TAG.NULL && params.content.length === 0,
    modulus: signedInteger(modulus.content),
    exponent: signedInteger(exponent.content),
  };
}

/** KeyUsage ::= BIT STRING: its first content byte counts the unused bits, then bit 0 is 0x80 of the next byte; the bits it sets. */
function keyUsageOf(extension: readonly Der[]): KeyUsage[] {
  const value = extension.at(-1);
  if (value?.tag !== TAG.OCTET_STRING) throw new Error('DER: key usage without a value');
  const bits = readDer(value.content).der;
  if (bits.tag !== TAG.BIT_STRING) throw new Error('DER: key usage is not a BIT STRING');
  return KEY_USAGE_BITS.filter((_, i) => ((bits.content[1 + (i >> 3)] ?? 0) & (0x80 >> (i & 7))) !== 0);
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }: the INTEGER, if any. */
function pathLenOf(extension: readonly Der[]): number | undefined {
  const value = extension.at(-1);
  if (value?.tag !== TAG.OCTET_STRING) throw new Error('DER: basic constraints without a value');
  const integer = children(readDer(value.content).der).find((d) => d.tag === TAG.INTEGER);
  return integer ? integer.content.reduce((n, byte) => n * 256 + byte, 0) : undefined;
}

/**
 * The dNSName bases of NameConstraints ::= SEQUENCE { permittedSubtrees [0], excludedSubtrees [1] },
 * each a SEQUENCE OF GeneralSubtree ::= SEQUENCE { base GeneralName, ... }; other name types are left out.
 */
function dnsConstraints(extension: readonly Der[]): DnsNameConstraints {
  const value = extension.at(-1);
  if (value?.tag !== TAG.OCTET_STRING) throw new Error('DER: name constraints without a value');
  const subtrees = children(readDer(value.content).der);
  const dns = (tag: number) =>
    subtrees
      .filter((s) => s.tag === tag)
      .flatMap((s) => children(s))
      .map((subtree) => children(subtree)[0])
      .filter((base) => base?.tag === TAG.DNS_NAME)
      .map((base) => base.content.toString('latin1'));
  return { permitted: dns(TAG.PERMITTED), excluded: dns(TAG.EXCLUDED) };
}

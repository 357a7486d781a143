/**
 * Just enough DER to see what Node's `X509Certificate` and `KeyObject` do not show: the elements
 * of a buffer, an EC private key's curve and version as written, a public key's algorithm, and
 * the bytes a certificate was read from. A certificate's fields are read in
 * `certificate-fields.ts`. Reads, never builds.
 */
import type { X509Certificate } from 'node:crypto';

import { GO_CURVES } from './go-curves';

/** One DER element: its tag and where its content lies in the buffer. */
export interface Der {
  readonly tag: number;
  readonly content: Buffer;
}

/** The element at `offset`, and the offset after it. Throws on a malformed or indefinite length. */
export function readDer(buf: Buffer, offset = 0): { der: Der; next: number } {
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

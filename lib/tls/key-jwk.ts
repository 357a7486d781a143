/**
 * The common private-key encodings read into a JWK, which Node imports about five times faster
 * than OpenSSL 3 decodes the DER (its decoder framework costs about 0.5 ms a key, whatever the
 * key: a fleet of clusters pays it once per cluster). Only the canonical forms that OpenSSL and
 * Go both read are taken, in strict DER; anything else is `undefined`, and the caller decodes it
 * with `createPrivateKey` as before:
 *
 * - PKCS#1 `RSAPrivateKey` (RFC 8017 A.1.2), two primes (version 0);
 * - PKCS#8 `PrivateKeyInfo` (RFC 5208) version 0, no attributes, holding either of these:
 *   rsaEncryption with NULL parameters and a PKCS#1 key, or id-ecPublicKey with a named curve
 *   (P-256, P-384 or P-521) and a SEC1 key without parameters or with the same curve;
 * - SEC1 `ECPrivateKey` (RFC 5915) version 1, with its curve, its private value at the curve's
 *   length (1 ≤ d < n), and its public point, uncompressed.
 *
 * An EC key without its public point is left to OpenSSL, which computes the point. The JWK gets
 * the file's public point as it is, as OpenSSL keeps it: a point that is not the private value's
 * is caught by the signature check of the pair, the same way for both readings; a point that
 * is, is known here (`halvesAgree`), and that check is not needed.
 */
import { createECDH, createPrivateKey, JsonWebKey, KeyObject } from 'node:crypto';

import { Der, TAG } from './der';

/** The form a key was read in, as `createPrivateKey` names it. */
export type KeyEncoding = 'pkcs1' | 'pkcs8' | 'sec1';

const { INTEGER, BIT_STRING, OCTET_STRING, NULL, OID, SEQUENCE } = TAG;
/** ECPrivateKey's parameters [0] and publicKey [1] (RFC 5915). */
const EC_PARAMETERS = TAG.EXPLICIT_0;
const EC_PUBLIC_KEY = TAG.EXPLICIT_1;

const RSA_ENCRYPTION = Buffer.from('2a864886f70d010101', 'hex');
const ID_EC_PUBLIC_KEY = Buffer.from('2a8648ce3d0201', 'hex');

/** The curves a JWK names and Go reads, by their OID's content: JWK name, OpenSSL's name, field size in bytes, order n. */
const CURVES: readonly { oid: Buffer; crv: string; openssl: string; size: number; order: bigint }[] = [
  {
    oid: Buffer.from('2a8648ce3d030107', 'hex'),
    crv: 'P-256',
    openssl: 'prime256v1',
    size: 32,
    order: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  },
  {
    oid: Buffer.from('2b81040022', 'hex'),
    crv: 'P-384',
    openssl: 'secp384r1',
    size: 48,
    order: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  },
  {
    oid: Buffer.from('2b81040023', 'hex'),
    crv: 'P-521',
    openssl: 'secp521r1',
    size: 66,
    order:
      0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
  },
];

/**
 * The elements that fill `buf` exactly, in strict DER: low tag numbers, definite lengths in their
 * shortest form (X.690 10.1). `undefined` when `buf` is anything else. (der.ts reads certificates
 * as OpenSSL hands them back, leniently; a key taken here must be one OpenSSL and Go both read.)
 */
function elements(buf: Buffer): Der[] | undefined {
  const out: Der[] = [];
  for (let at = 0; at < buf.length;) {
    const next = element(buf, at);
    if (!next) return undefined;
    out.push(next.der);
    at = next.end;
  }
  return out;
}

/** The element at `at` in strict DER, and where it ends; `undefined` when there is none. */
function element(buf: Buffer, at: number): { der: Der; end: number } | undefined {
  if (at + 2 > buf.length || (buf[at] & 0x1f) === 0x1f) return undefined;
  const tag = buf[at];
  let length = buf[at + 1];
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 3 || start + bytes > buf.length || buf[start] === 0) return undefined;
    length = buf.readUIntBE(start, bytes);
    if (length < 0x80) return undefined;
    start += bytes;
  }
  if (start + length > buf.length) return undefined;
  return { der: { tag, content: buf.subarray(start, start + length) }, end: start + length };
}

/** The elements inside `e` when it is a SEQUENCE of `min` to `max` of them, else `undefined`. */
function sequence(e: Der | undefined, min: number, max = min): Der[] | undefined {
  if (e?.tag !== SEQUENCE) return undefined;
  const inner = elements(e.content);
  return inner && inner.length >= min && inner.length <= max ? inner : undefined;
}

/** The only element of `buf`, in strict DER. */
function only(buf: Buffer): Der | undefined {
  const all = elements(buf);
  return all?.length === 1 ? all[0] : undefined;
}

/** A positive INTEGER in its shortest form, as unsigned big-endian bytes; `undefined` for anything else. */
function positive(e: Der | undefined): Buffer | undefined {
  if (e?.tag !== INTEGER || e.content.length === 0 || e.content[0] & 0x80) return undefined;
  if (e.content[0] !== 0) return e.content;
  // A leading zero only where the next byte's high bit is set; zero itself is not positive.
  return e.content.length > 1 && e.content[1] & 0x80 ? e.content.subarray(1) : undefined;
}

/** Whether `e` is the INTEGER `value` (0 or 1, a version). */
function isSmall(e: Der | undefined, value: 0 | 1): boolean {
  return e?.tag === INTEGER && e.content.length === 1 && e.content[0] === value;
}

const b64 = (bytes: Buffer) => bytes.toString('base64url');

/** A key's JWK, and whether its private half is known to be its public half's (see {@link canonicalPrivateKey}). */
interface Reading {
  readonly jwk: JsonWebKey;
  readonly halvesAgree: boolean;
}

/** A PKCS#1 RSAPrivateKey's numbers as a JWK (whether they agree is the caller's check, and its signature the pair's). */
function rsaJwk(key: Der | undefined): Reading | undefined {
  const fields = sequence(key, 9);
  if (!fields || !isSmall(fields[0], 0)) return undefined;
  const numbers = fields.slice(1).map(positive);
  if (numbers.some((n) => n === undefined)) return undefined;
  const [n, e, d, p, q, dp, dq, qi] = (numbers as Buffer[]).map(b64);
  return { jwk: { kty: 'RSA', n, e, d, p, q, dp, dq, qi }, halvesAgree: false };
}

/** A SEC1 ECPrivateKey as a JWK; `curveOid` is the PKCS#8 algorithm's curve, when it is wrapped in one. */
function ecJwk(key: Der | undefined, curveOid?: Buffer): Reading | undefined {
  const fields = sequence(key, 3, 4);
  if (!fields || !isSmall(fields[0], 1) || fields[1].tag !== OCTET_STRING) return undefined;
  const [params, publicKey] =
    fields.length === 4 ? fields.slice(2) : fields[2].tag === EC_PARAMETERS ? [fields[2]] : [undefined, fields[2]];
  const named = params && only(params.content);
  if (params && (params.tag !== EC_PARAMETERS || named?.tag !== OID)) return undefined;
  if (curveOid && named && !named.content.equals(curveOid)) return undefined;
  const oid = curveOid ?? named?.content;
  const curve = oid && CURVES.find((c) => c.oid.equals(oid));
  if (!curve || publicKey?.tag !== EC_PUBLIC_KEY) return undefined;
  const bits = only(publicKey.content);
  const point = bits?.tag === BIT_STRING && bits.content[0] === 0 ? bits.content.subarray(1) : undefined;
  if (point?.length !== 1 + 2 * curve.size || point[0] !== 0x04) return undefined;
  const d = fields[1].content;
  if (d.length !== curve.size) return undefined;
  const value = BigInt(`0x${d.toString('hex')}`);
  if (value === 0n || value >= curve.order) return undefined;
  const jwk = { kty: 'EC', crv: curve.crv, d: b64(d), x: b64(point.subarray(1, 1 + curve.size)), y: b64(point.subarray(1 + curve.size)) };
  // d·G, one multiplication by the curve's base point (about 0.05 ms for P-256).
  const ecdh = createECDH(curve.openssl);
  ecdh.setPrivateKey(d);
  return { jwk, halvesAgree: ecdh.getPublicKey().equals(point) };
}

/** A PKCS#8 PrivateKeyInfo's key as a JWK. */
function pkcs8Jwk(fields: Der[]): Reading | undefined {
  if (fields.length !== 3 || !isSmall(fields[0], 0) || fields[2].tag !== OCTET_STRING) return undefined;
  const algorithm = sequence(fields[1], 2);
  if (algorithm?.[0].tag !== OID) return undefined;
  const [oid, params] = algorithm;
  if (oid.content.equals(RSA_ENCRYPTION))
    return params.tag === NULL && params.content.length === 0 ? rsaJwk(only(fields[2].content)) : undefined;
  if (oid.content.equals(ID_EC_PUBLIC_KEY) && params.tag === OID) return ecJwk(only(fields[2].content), params.content);
  return undefined;
}

/**
 * The primes after p and q of a multi-prime RSA key (PKCS#1 with OtherPrimeInfos, RFC 8017 A.1.2;
 * `openssl genpkey -pkeyopt rsa_keygen_primes:3` makes one), plain or in PKCS#8: Node's JWK
 * export leaves them out. Empty for a two-prime key or anything else.
 */
export function otherRsaPrimes(der: Buffer): bigint[] {
  // Go's ParsePKCS8PrivateKey ignores what follows the key (encoding/asn1 returns it as the rest).
  const top = element(der, 0)?.der;
  const fields = sequence(top, 3, 10);
  const pkcs1 = fields?.[1].tag === SEQUENCE && fields[2]?.tag === OCTET_STRING ? only(fields[2].content) : top;
  const others = sequence(pkcs1, 10)?.[9];
  const infos = others?.tag === SEQUENCE ? elements(others.content) : undefined;
  return (infos ?? []).flatMap((info) => {
    const prime = positive(sequence(info, 3)?.[0]);
    return prime ? [BigInt(`0x${prime.toString('hex')}`)] : [];
  });
}

/**
 * The key, the form it was read in, and `halvesAgree`: true for an EC key whose private value
 * times the curve's base point is the public point it carries (the point `checkPrivateKey`
 * compares with a certificate's); then a signature made with the key verifies with that point,
 * and the signature check of the pair can be left out. False for an RSA key (key-file.ts `ReadKey`
 * says why). `undefined` when `der` is not one of the canonical forms above (or Node refuses its
 * numbers).
 */
export function canonicalPrivateKey(der: Buffer): { key: KeyObject; type: KeyEncoding; halvesAgree: boolean } | undefined {
  const top = only(der);
  const fields = top?.tag === SEQUENCE ? elements(top.content) : undefined;
  if (!fields) return undefined;
  // The three shapes cannot be mistaken for each other: PKCS#1 has nine INTEGERs, SEC1 an OCTET
  // STRING second, PKCS#8 a SEQUENCE second.
  const [type, reading]: [KeyEncoding, Reading | undefined] =
    fields[1]?.tag === SEQUENCE
      ? ['pkcs8', pkcs8Jwk(fields)]
      : fields[1]?.tag === OCTET_STRING
        ? ['sec1', ecJwk(top)]
        : ['pkcs1', rsaJwk(top)];
  if (!reading) return undefined;
  try {
    return { key: createPrivateKey({ key: reading.jwk, format: 'jwk' }), type, halvesAgree: reading.halvesAgree };
  } catch {
    // A point off its curve, say: OpenSSL's reading decides, with the caller's message.
    return undefined;
  }
}

/**
 * What Node's `X509Certificate` does not show of a certificate, read from its DER: the serial
 * number's sign, the extensions and which are critical, whether the two signature algorithm
 * fields agree, the public key's algorithm parameters and an RSA key's numbers as written, its
 * keyUsage and pathLenConstraint, and a CA's DNS name constraints. Read once per certificate.
 */
import type { X509Certificate } from 'node:crypto';

import { children, Der, oidText, readDer, rightAlignedBits, TAG } from './der';

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

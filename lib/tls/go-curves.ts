/**
 * The elliptic curves Go's crypto/x509 parses keys on (P-224, P-256, P-384 and P-521), with what
 * the ports of its checks need: the name OpenSSL gives each, the field size in bytes, the field
 * prime p and b of y² = x³ − 3x + b, and the order n, as `openssl ecparam -param_enc explicit`
 * prints them (test/go-parse.test.ts compares the curve with points OpenSSL makes).
 */
export interface GoCurve {
  /** OpenSSL's name, as `KeyObject.asymmetricKeyDetails.namedCurve` gives it. */
  readonly openssl: string;
  readonly size: number;
  readonly p: bigint;
  readonly b: bigint;
  readonly n: bigint;
}

/** By the content of the curve's OBJECT IDENTIFIER, in hex. */
export const GO_CURVES: Readonly<Record<string, GoCurve>> = {
  '2b81040021': {
    openssl: 'secp224r1',
    size: 28,
    p: 0xffffffffffffffffffffffffffffffff000000000000000000000001n,
    b: 0xb4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4n,
    n: 0xffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3dn,
  },
  '2a8648ce3d030107': {
    openssl: 'prime256v1',
    size: 32,
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  },
  '2b81040022': {
    openssl: 'secp384r1',
    size: 48,
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  },
  '2b81040023': {
    openssl: 'secp521r1',
    size: 66,
    p: (1n << 521n) - 1n,
    b: 0x51953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
    n: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
  },
};

/** OpenSSL's names of the curves Go parses keys on. */
export const GO_CURVE_NAMES: ReadonlySet<string> = new Set(Object.values(GO_CURVES).map((c) => c.openssl));

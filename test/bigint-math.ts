/** The number theory the RSA key tests build keys with: bigints and their base64url form (JWK). */

/** The base64url of a JWK number (big-endian, no leading zero byte). */
export function b64(x: bigint): string {
  const hex = x.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex').toString('base64url');
}

/** A JWK number's value (0 for none). */
export const num = (b64url: string | undefined) => BigInt(`0x${Buffer.from(b64url ?? '', 'base64url').toString('hex') || '0'}`);

export const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

/** a⁻¹ mod m (extended Euclid); throws when a and m are not coprime. */
export function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [a % m, m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new Error('not coprime');
  return ((s0 % m) + m) % m;
}

/**
 * Go durations (`time.ParseDuration`), which the External Secrets Operator's `refreshInterval`
 * and Flux's `interval` are: the longest one Go reads is 2562047h47m16.854775807s (2^63 - 1 ns);
 * a longer one fails to decode, and the controller cannot read the object.
 */

/** Nanoseconds in each unit Go's `time.ParseDuration` takes. */
const UNIT_NS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  '\u00b5s': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX_NS = (1n << 63n) - 1n;
/** One part of a duration: digits, maybe a fraction, and a unit (µ escaped: the bundle stays ASCII, see tls-schema.ts). */
const PART = new RegExp('([0-9]+)(?:\\.([0-9]+))?(ns|us|\u00b5s|ms|s|m|h)', 'g');
/** The longest Go duration, as `time.Duration.String()` writes it. */
export const MAX_GO_DURATION = '2562047h47m16.854775807s';

/**
 * True when `text` (a duration in Go's form, such as `1h30m` or `0.5h`) is longer than Go reads,
 * counted as Go counts it: each part's whole and fractional digits times its unit, truncated.
 */
export function goDurationTooLong(text: string): boolean {
  let total = 0n;
  for (const [, whole, fraction = '', unit] of text.matchAll(PART)) {
    const ns = UNIT_NS[unit];
    total += BigInt(whole) * ns + (fraction ? (BigInt(fraction) * ns) / 10n ** BigInt(fraction.length) : 0n);
    if (total > MAX_NS) return true;
  }
  return false;
}

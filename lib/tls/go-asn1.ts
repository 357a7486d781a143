/**
 * The DER reader under Go's certificate parser (golang.org/x/crypto/cryptobyte): lengths in their
 * shortest form, integers without redundant leading bytes, BOOLEAN as 00 or FF, OIDs in base 128
 * without leading 0x80, BIT STRINGs with zero padding bits, UTCTime and GeneralizedTime in exactly
 * one form each; and the string types Go takes in a name (`parseASN1String`). Reads, never builds:
 * go-parse.ts and go-extensions.ts say what Go makes of what it reads.
 */

/** One DER element as cryptobyte reads it: its tag byte, its content, and the whole element. */
export interface Element {
  readonly tag: number;
  readonly content: Buffer;
  readonly whole: Buffer;
}

export const SEQUENCE = 0x30;
export const SET = 0x31;
export const INTEGER = 0x02;
export const BOOLEAN = 0x01;
export const BIT_STRING = 0x03;
export const OCTET_STRING = 0x04;
export const OID = 0x06;
export const UTC_TIME = 0x17;
export const GENERALIZED_TIME = 0x18;
/** Context-specific tags: `[n]` primitive is 0x80 + n, constructed 0xa0 + n. */
export const ctx = (n: number, constructed = false) => (constructed ? 0xa0 : 0x80) + n;

/** A cursor over DER bytes with cryptobyte's rules; every read returns `undefined` where cryptobyte returns false. */
export class Reader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}

  empty(): boolean {
    return this.at >= this.buf.length;
  }

  peek(tag: number): boolean {
    return !this.empty() && this.buf[this.at] === tag;
  }

  /** The next element, whatever its tag (cryptobyte `ReadAnyASN1Element`). */
  any(): Element | undefined {
    const s = this.buf;
    const start = this.at;
    if (s.length - start < 2) return undefined;
    const tag = s[start];
    if ((tag & 0x1f) === 0x1f) return undefined; // high tag numbers
    const lenByte = s[start + 1];
    let header = 2;
    let length = lenByte;
    if (lenByte & 0x80) {
      const lenLen = lenByte & 0x7f;
      if (lenLen === 0 || lenLen > 4 || s.length - start < 2 + lenLen) return undefined;
      length = s.readUIntBE(start + 2, lenLen);
      // X.690 10.1: the shortest length form.
      if (length < 128 || length >>> ((lenLen - 1) * 8) === 0) return undefined;
      header = 2 + lenLen;
    }
    if (s.length - start - header < length) return undefined;
    this.at = start + header + length;
    return { tag, content: s.subarray(start + header, this.at), whole: s.subarray(start, this.at) };
  }

  /** The next element when it has `tag` (cryptobyte `ReadASN1`). */
  read(tag: number): Element | undefined {
    const before = this.at;
    const e = this.any();
    if (e && e.tag === tag) return e;
    this.at = before;
    return undefined;
  }

  /** An optional element: `null` when absent, `undefined` when present but unreadable. */
  optional(tag: number): Element | null | undefined {
    return this.peek(tag) ? this.read(tag) : null;
  }
}

/** cryptobyte `checkASN1Integer`: not empty, no redundant leading 00 or FF. */
export function integerOk(b: Buffer): boolean {
  if (b.length === 0) return false;
  if (b.length === 1) return true;
  return !((b[0] === 0 && (b[1] & 0x80) === 0) || (b[0] === 0xff && (b[1] & 0x80) === 0x80));
}
export const isNegative = (b: Buffer) => (b[0] & 0x80) !== 0;
/** An INTEGER that fits Go's 64-bit `int`. */
export const int64Ok = (e: Element | undefined): e is Element => !!e && integerOk(e.content) && e.content.length <= 8;
/** The value of an INTEGER that fits 64 bits, as a bigint. */
export function int64(e: Element): bigint {
  const v = BigInt(`0x${e.content.toString('hex')}`);
  return isNegative(e.content) ? v - (1n << BigInt(e.content.length * 8)) : v;
}

/** cryptobyte `ReadASN1ObjectIdentifier`: components in minimal base 128, each below 2^31. */
export function oidOk(e: Element | undefined): boolean {
  if (!e || e.tag !== OID || e.content.length === 0) return false;
  const b = e.content;
  for (let at = 0; at < b.length;) {
    let value = 0;
    for (let i = 0; ; i++) {
      if (i === 5 || at >= b.length || value >= 1 << 24) return false;
      const byte = b[at++];
      if (i === 0 && byte === 0x80) return false;
      value = value * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) break;
    }
  }
  return true;
}

/** cryptobyte `ReadASN1BitString`: a padding count of 0 to 7, and those bits zero. */
export function bitStringOk(e: Element | undefined): boolean {
  if (!e || e.tag !== BIT_STRING || e.content.length === 0) return false;
  const padding = e.content[0];
  const bytes = e.content.subarray(1);
  if (padding > 7 || (bytes.length === 0 && padding !== 0)) return false;
  return bytes.length === 0 || (bytes[bytes.length - 1] & ((1 << padding) - 1)) === 0;
}

/** cryptobyte `ReadASN1Boolean`: one byte, 00 or FF. */
export const booleanOk = (e: Element | undefined) => !!e && e.content.length === 1 && (e.content[0] === 0 || e.content[0] === 0xff);

/** Go's `isIA5String`: every byte ASCII. */
export const ia5 = (b: Buffer) => b.every((c) => c < 0x80);

const utf8 = new TextDecoder('utf-8', { fatal: true });
function validUtf8(b: Buffer): boolean {
  try {
    utf8.decode(b);
    return true;
  } catch {
    return false;
  }
}

/** Go's `isPrintable`, with the `*` and `&` it lets through. */
const printable = (c: number) =>
  (c >= 0x61 && c <= 0x7a) ||
  (c >= 0x41 && c <= 0x5a) ||
  (c >= 0x30 && c <= 0x39) ||
  (c >= 0x27 && c <= 0x29) ||
  (c >= 0x2b && c <= 0x2f) ||
  [0x20, 0x3a, 0x3d, 0x3f, 0x2a, 0x26].includes(c);

/** Go's `parseASN1String`: why a name's attribute value is refused, or undefined. */
export function stringProblem(tag: number, v: Buffer): string | undefined {
  switch (tag) {
    case 0x14: // T61String
      return undefined;
    case 0x13: // PrintableString
      return v.every(printable) ? undefined : 'invalid PrintableString';
    case 0x0c: // UTF8String
      return validUtf8(v) ? undefined : 'invalid UTF-8 string';
    case 0x1e: // BMPString
      return v.length % 2 === 0 ? undefined : 'invalid BMPString';
    case 0x16: // IA5String
      return ia5(v) ? undefined : 'invalid IA5String';
    case 0x12: // NumericString
      return v.every((c) => (c >= 0x30 && c <= 0x39) || c === 0x20) ? undefined : 'invalid NumericString';
    default:
      return `unsupported string type: ${tag}`;
  }
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * cryptobyte's UTCTime (`YYMMDDhhmm[ss]` then `Z` or an offset) and GeneralizedTime
 * (`YYYYMMDDhhmmss` then `Z` or an offset): Go parses with a layout and refuses what it would not
 * write back the same (an offset of zero written as +0000, a fraction of a second).
 */
export function timeOk(e: Element): boolean {
  const text = e.content.toString('latin1');
  const m =
    e.tag === UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/.exec(text)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{4})$/.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute] = m.slice(1, 6).map(Number);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const fullYear = e.tag === UTC_TIME ? (year < 69 ? 2000 + year : 1900 + year) : year;
  if (month < 1 || month > 12 || day < 1 || day > DAYS[month - 1] + (month === 2 && leap(fullYear) ? 1 : 0)) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  const zone = m[7];
  if (zone === 'Z') return true;
  const [zh, zm] = [Number(zone.slice(1, 3)), Number(zone.slice(3))];
  // Go writes a zero offset as Z, and reads offset hours up to 24 (time.Parse) and minutes up to 59.
  return zh <= 24 && zm <= 59 && zh + zm > 0;
}

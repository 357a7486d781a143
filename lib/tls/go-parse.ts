/**
 * Go's certificate parser, as far as it refuses what OpenSSL (and so Node) reads: a port of the
 * checks of `x509.ParseCertificate` (golang/go src/crypto/x509/parser.go, Go 1.23, and Go 1.24's
 * reading of the policy extensions) and
 * of the DER reader under it (golang.org/x/crypto/cryptobyte: lengths in their shortest form,
 * integers without redundant leading bytes, BOOLEAN as 00 or FF, OIDs in base 128 without
 * leading 0x80, BIT STRINGs with zero padding bits, UTCTime and GeneralizedTime in exactly one
 * form each). kubectl and the Go ingress controllers parse the leaf with it, and Go TLS clients
 * every certificate a server sends.
 *
 * {@link goParseError} returns Go's own error text, so a finding can quote what kubectl prints.
 * A URI subject alternative name is parsed as Go's `url.Parse` does (go-url.ts). What Go then does
 * with a parsed certificate is go-x509.ts's.
 *
 * Checked against the kubectl on PATH (test/go-parse.test.ts; kubectl 1.32.4, Go 1.23.8). Not
 * ported, as no kubectl built with a later Go is here to compare with: what later parser.go refuses
 * besides (an IPv4-mapped IPv6 address in a subjectAltName or an IP constraint, an empty list of
 * subtrees in name constraints, BMPString surrogates, its stricter `domainNameValid`), and the
 * later URL rules go-url.ts lists.
 */
import { isIP } from 'node:net';

import { oidText, rightAlignedBits } from './der';
import { GO_CURVES } from './go-curves';
import { goParseUrl, goQuote } from './go-url';

/** One DER element as cryptobyte reads it: its tag byte, its content, and the whole element. */
interface Element {
  readonly tag: number;
  readonly content: Buffer;
  readonly whole: Buffer;
}

const SEQUENCE = 0x30;
const SET = 0x31;
const INTEGER = 0x02;
const BOOLEAN = 0x01;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const OID = 0x06;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
/** Context-specific tags: `[n]` primitive is 0x80 + n, constructed 0xa0 + n. */
const ctx = (n: number, constructed = false) => (constructed ? 0xa0 : 0x80) + n;

/** A cursor over DER bytes with cryptobyte's rules; every read returns `undefined` where cryptobyte returns false. */
class Reader {
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
function integerOk(b: Buffer): boolean {
  if (b.length === 0) return false;
  if (b.length === 1) return true;
  return !((b[0] === 0 && (b[1] & 0x80) === 0) || (b[0] === 0xff && (b[1] & 0x80) === 0x80));
}
const isNegative = (b: Buffer) => (b[0] & 0x80) !== 0;
/** An INTEGER that fits Go's 64-bit `int`. */
const int64Ok = (e: Element | undefined): e is Element => !!e && integerOk(e.content) && e.content.length <= 8;
/** The value of an INTEGER that fits 64 bits, as a bigint. */
function int64(e: Element): bigint {
  const v = BigInt(`0x${e.content.toString('hex')}`);
  return isNegative(e.content) ? v - (1n << BigInt(e.content.length * 8)) : v;
}

/** cryptobyte `ReadASN1ObjectIdentifier`: components in minimal base 128, each below 2^31. */
function oidOk(e: Element | undefined): boolean {
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
function bitStringOk(e: Element | undefined): boolean {
  if (!e || e.tag !== BIT_STRING || e.content.length === 0) return false;
  const padding = e.content[0];
  const bytes = e.content.subarray(1);
  if (padding > 7 || (bytes.length === 0 && padding !== 0)) return false;
  return bytes.length === 0 || (bytes[bytes.length - 1] & ((1 << padding) - 1)) === 0;
}

/** cryptobyte `ReadASN1Boolean`: one byte, 00 or FF. */
const booleanOk = (e: Element | undefined) => !!e && e.content.length === 1 && (e.content[0] === 0 || e.content[0] === 0xff);

/** Go's `isIA5String`: every byte ASCII. */
const ia5 = (b: Buffer) => b.every((c) => c < 0x80);

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
function stringProblem(tag: number, v: Buffer): string | undefined {
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

/** Go's `parseName`. */
function nameProblem(e: Element | undefined, missing: string): string | undefined {
  if (!e) return missing;
  const rdns = new Reader(e.content);
  while (!rdns.empty()) {
    const set = rdns.read(SET);
    if (!set) return 'x509: invalid RDNSequence';
    const atavs = new Reader(set.content);
    while (!atavs.empty()) {
      const atav = atavs.read(SEQUENCE);
      if (!atav) return 'x509: invalid RDNSequence: invalid attribute';
      const r = new Reader(atav.content);
      if (!oidOk(r.read(OID))) return 'x509: invalid RDNSequence: invalid attribute type';
      const value = r.any();
      if (!value) return 'x509: invalid RDNSequence: invalid attribute value';
      const problem = stringProblem(value.tag, value.content);
      if (problem) return `x509: invalid RDNSequence: invalid attribute value: ${problem}`;
    }
  }
  return undefined;
}

/** Go's `parseAI`: an OID and, optionally, one element of parameters. */
function algorithm(e: Element): { oid: Buffer; params?: Element } | string {
  const r = new Reader(e.content);
  const oid = r.read(OID);
  if (!oidOk(oid)) return 'x509: malformed OID';
  if (r.empty()) return { oid: oid!.content };
  const params = r.any();
  return params ? { oid: oid!.content, params } : 'x509: malformed parameters';
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * cryptobyte's UTCTime (`YYMMDDhhmm[ss]` then `Z` or an offset) and GeneralizedTime
 * (`YYYYMMDDhhmmss` then `Z` or an offset): Go parses with a layout and refuses what it would not
 * write back the same (an offset of zero written as +0000, a fraction of a second).
 */
function timeOk(e: Element): boolean {
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

/** Go's `domainToReverseLabels` (verify.go): labels not empty, characters 33 to 126, no final dot. */
function domainOk(domain: string): boolean {
  if (domain.length === 0) return true;
  const labels = domain.split('.');
  return labels.every((l) => l.length > 0 && [...l].every((c) => c.charCodeAt(0) >= 33 && c.charCodeAt(0) <= 126));
}

/** Go's `net.ParseIP` succeeds: dotted IPv4 without leading zeros, or IPv6 without a zone. */
const goIp = (text: string) => isIP(text) !== 0 && !text.includes('%');

/** RFC 5322's atext and the dot, which Go's `parseRFC2821Mailbox` takes in an unquoted local part. */
const ATEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]$/;
/** Bytes a quoted local part holds as they are (qtext, with the space Go takes), and after a backslash. */
const qtext = (c: number) => (c >= 1 && c <= 8) || c === 11 || c === 12 || (c >= 14 && c <= 33) || (c >= 35 && c <= 127 && c !== 92);
const quotedPair = (c: number) => (c >= 1 && c <= 9) || c === 11 || c === 12 || (c >= 14 && c <= 127);

/** Go's `parseRFC2821Mailbox` (verify.go) succeeds: a local part (atoms or a quoted string), `@`, and a domain. */
function mailboxOk(text: string): boolean {
  let at = 0;
  if (text[0] === '"') {
    for (at = 1; ; at++) {
      if (at >= text.length) return false;
      const c = text.charCodeAt(at);
      if (c === 0x22) break;
      if (c === 0x5c) {
        if (at + 1 >= text.length || !quotedPair(text.charCodeAt(++at))) return false;
      } else if (!qtext(c)) return false;
    }
    at++;
  } else {
    let local = '';
    for (; at < text.length; at++) {
      if (text[at] === '\\') {
        if (++at >= text.length) return false;
      } else if (!ATEXT.test(text[at])) break;
      local += text[at];
    }
    if (local === '' || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  }
  return text[at] === '@' && domainOk(text.slice(at + 1));
}

/**
 * Go's `elliptic.Unmarshal` for the curve of OID content `curveOid` (hex): an uncompressed point
 * whose coordinates are below p, on y² = x³ − 3x + b. False for a curve Go does not parse.
 */
export function goEcPointOk(curveOid: string, key: Buffer): boolean {
  const curve = GO_CURVES[curveOid];
  if (!curve || key.length !== 1 + 2 * curve.size || key[0] !== 4) return false;
  const x = BigInt(`0x${key.subarray(1, 1 + curve.size).toString('hex')}`);
  const y = BigInt(`0x${key.subarray(1 + curve.size).toString('hex')}`);
  const { p, b } = curve;
  if (x >= p || y >= p) return false;
  return (((y * y - (x * x * x - 3n * x + b)) % p) + p) % p === 0n;
}
const RSA_OID = '2a864886f70d010101';
const EC_OID = '2a8648ce3d0201';
const ED25519_OID = '2b6570';
const DSA_OID = '2a8648ce380401';

/** Go's `parsePublicKey`, for the parts about the encoding (go-x509.ts judges the RSA numbers it reads). */
function publicKeyProblem(oid: string, params: Element | undefined, key: Buffer): string | undefined {
  const r = new Reader(key);
  switch (oid) {
    case RSA_OID: {
      if (!params || params.whole.toString('hex') !== '0500') return 'x509: RSA key missing NULL parameters';
      const seq = r.read(SEQUENCE);
      if (!seq) return 'x509: invalid RSA public key';
      const numbers = new Reader(seq.content);
      const n = numbers.read(INTEGER);
      if (!n || !integerOk(n.content)) return 'x509: invalid RSA modulus';
      const e = numbers.read(INTEGER);
      if (!int64Ok(e)) return 'x509: invalid RSA public exponent';
      if (isNegative(n.content) || n.content.every((b) => b === 0)) return 'x509: RSA modulus is not a positive number';
      if (int64(e) <= 0n) return 'x509: RSA public exponent is not a positive number';
      return undefined;
    }
    case EC_OID: {
      const curve = params && params.tag === OID && oidOk(params) ? params.content.toString('hex') : undefined;
      if (curve === undefined) return 'x509: invalid ECDSA parameters';
      if (!GO_CURVES[curve]) return 'x509: unsupported elliptic curve';
      return goEcPointOk(curve, key) ? undefined : 'x509: failed to unmarshal elliptic curve point';
    }
    case ED25519_OID:
      if (params) return 'x509: Ed25519 key encoded with illegal parameters';
      return key.length === 32 ? undefined : 'x509: wrong Ed25519 public key size';
    case DSA_OID: {
      const y = r.read(INTEGER);
      if (!y || !integerOk(y.content)) return 'x509: invalid DSA public key';
      const p = params && params.tag === SEQUENCE ? new Reader(params.content) : undefined;
      const pqg = p ? [p.read(INTEGER), p.read(INTEGER), p.read(INTEGER)] : [];
      if (pqg.length !== 3 || pqg.some((x) => !x || !integerOk(x.content))) return 'x509: invalid DSA parameters';
      const positive = (x: Element) => !isNegative(x.content) && x.content.some((b) => b !== 0);
      return [y, ...(pqg as Element[])].every(positive) ? undefined : 'x509: zero or negative DSA parameter';
    }
    default:
      return undefined; // an algorithm Go does not know: it keeps the key unparsed
  }
}

/** Go's `forEachSAN` and `parseSANExtension`. */
function sanProblem(value: Buffer): string | undefined {
  const seq = new Reader(value).read(SEQUENCE);
  if (!seq) return 'x509: invalid subject alternative names';
  const names = new Reader(seq.content);
  while (!names.empty()) {
    const name = names.any();
    if (!name) return 'x509: invalid subject alternative name';
    const kind = name.tag ^ 0x80;
    if (kind === 1 && !ia5(name.content)) return 'x509: SAN rfc822Name is malformed';
    if (kind === 2 && !ia5(name.content)) return 'x509: SAN dNSName is malformed';
    if (kind === 6) {
      if (!ia5(name.content)) return 'x509: SAN uniformResourceIdentifier is malformed';
      const uri = name.content.toString('latin1');
      const url = goParseUrl(uri);
      if ('error' in url) return `x509: cannot parse URI ${goQuote(uri)}: ${url.error}`;
      if (!domainOk(url.host)) return `x509: cannot parse URI ${goQuote(uri)}: invalid domain`;
    }
    if (kind === 7 && name.content.length !== 4 && name.content.length !== 16)
      return `x509: cannot parse IP address of length ${name.content.length}`;
  }
  return undefined;
}

/** Go's `isValidIPMask`: ones, then zeros. */
function ipMaskOk(mask: Buffer): boolean {
  let zero = false;
  for (const b of mask) {
    if (zero ? b !== 0 : ![0x00, 0x80, 0xc0, 0xe0, 0xf0, 0xf8, 0xfc, 0xfe, 0xff].includes(b)) return false;
    if (b !== 0xff) zero = true;
  }
  return true;
}

/** Go's `parseNameConstraintsExtension`, for what makes it fail. */
function nameConstraintsProblem(value: Buffer): string | undefined {
  const invalid = 'x509: invalid NameConstraints extension';
  const outer = new Reader(value);
  const top = outer.read(SEQUENCE);
  if (!top || !outer.empty()) return invalid;
  const r = new Reader(top.content);
  const permitted = r.optional(ctx(0, true));
  const excluded = r.optional(ctx(1, true));
  if (permitted === undefined || excluded === undefined || !r.empty()) return invalid;
  if ((permitted?.content.length ?? 0) === 0 && (excluded?.content.length ?? 0) === 0) return 'x509: empty name constraints extension';
  for (const subtrees of [permitted, excluded]) {
    const list = new Reader(subtrees?.content ?? Buffer.alloc(0));
    while (!list.empty()) {
      const subtree = list.read(SEQUENCE);
      const base = subtree && new Reader(subtree.content).any();
      if (!base) return invalid;
      const text = base.content.toString('latin1');
      const notIa5 = `x509: invalid constraint value: x509: ${goQuote(text)} cannot be encoded as an IA5String`;
      if (base.tag === ctx(2)) {
        if (!ia5(base.content)) return notIa5;
        if (!domainOk(text.replace(/^\./, ''))) return `x509: failed to parse dnsName constraint ${goQuote(text)}`;
      } else if (base.tag === ctx(7)) {
        if (base.content.length !== 8 && base.content.length !== 32)
          return `x509: IP constraint contained value of length ${base.content.length}`;
        const mask = base.content.subarray(base.content.length / 2);
        if (!ipMaskOk(mask)) return `x509: IP constraint contained invalid mask ${mask.toString('hex')}`;
      } else if (base.tag === ctx(1)) {
        if (!ia5(base.content)) return notIa5;
        if (text.includes('@') ? !mailboxOk(text) : !domainOk(text.replace(/^\./, '')))
          return `x509: failed to parse rfc822Name constraint ${goQuote(text)}`;
      } else if (base.tag === ctx(6)) {
        if (!ia5(base.content)) return notIa5;
        if (goIp(text)) return `x509: failed to parse URI constraint ${goQuote(text)}: cannot be IP address`;
        if (!domainOk(text.replace(/^\./, ''))) return `x509: failed to parse URI constraint ${goQuote(text)}`;
      }
    }
  }
  return undefined;
}

/** A SEQUENCE whose elements must each read as `each`, or `error`. */
function listProblem(value: Buffer, error: string, each: (r: Reader) => boolean): string | undefined {
  const seq = new Reader(value).read(SEQUENCE);
  if (!seq) return error;
  const r = new Reader(seq.content);
  while (!r.empty()) if (!each(r)) return error;
  return undefined;
}

/** Go's `processExtensions`, for what makes it fail. */
function extensionProblem(oid: string, critical: boolean, value: Buffer, goMinor: number): string | undefined {
  switch (oid) {
    case '551d0f': // keyUsage
      return bitStringOk(new Reader(value).read(BIT_STRING)) ? undefined : 'x509: invalid key usage';
    case '551d13': {
      // basicConstraints
      const seq = new Reader(value).read(SEQUENCE);
      const r = seq && new Reader(seq.content);
      const ok = r && (!r.peek(BOOLEAN) || booleanOk(r.read(BOOLEAN))) && (!r.peek(INTEGER) || int64Ok(r.read(INTEGER)));
      return ok ? undefined : 'x509: invalid basic constraints';
    }
    case '551d11': // subjectAltName
      return sanProblem(value);
    case '551d1e': // nameConstraints
      return nameConstraintsProblem(value);
    case '551d1f': // cRLDistributionPoints
      return crlPointsProblem(value);
    case '551d23': {
      // authorityKeyIdentifier
      if (critical) return 'x509: authority key identifier incorrectly marked critical';
      const seq = new Reader(value).read(SEQUENCE);
      const r = seq && new Reader(seq.content);
      return r && (!r.peek(ctx(0)) || r.read(ctx(0))) ? undefined : 'x509: invalid authority key identifier';
    }
    case '551d24': {
      // policyConstraints (read since Go 1.24's policy validation)
      if (goMinor < 24) return undefined;
      const seq = new Reader(value).read(SEQUENCE);
      const r = seq && new Reader(seq.content);
      const ok = r && (!r.peek(ctx(0)) || int64Ok(r.read(ctx(0)))) && (!r.peek(ctx(1)) || int64Ok(r.read(ctx(1))));
      return ok ? undefined : 'x509: invalid policy constraints extension';
    }
    case '551d25': // extKeyUsage
      return listProblem(value, 'x509: invalid extended key usages', (r) => oidOk(r.read(OID)));
    case '551d0e': // subjectKeyIdentifier
      if (critical) return 'x509: subject key identifier incorrectly marked critical';
      return new Reader(value).read(OCTET_STRING) ? undefined : 'x509: invalid subject key identifier';
    case '551d20': {
      // certificatePolicies: each policy's OID, minimal base 128 (of any length), and no OID twice (Go 1.24 and later)
      const seen = new Set<string>();
      return listProblem(value, 'x509: invalid certificate policies', (r) => {
        const policy = r.read(SEQUENCE);
        const id = policy && new Reader(policy.content).read(OID);
        if (!id || id.content.length === 0 || id.content[id.content.length - 1] & 0x80) return false;
        if (goMinor >= 24 && seen.has(id.content.toString('hex'))) return false;
        seen.add(id.content.toString('hex'));
        return id.content.every((b, i) => b !== 0x80 || (i > 0 && (id.content[i - 1] & 0x80) !== 0));
      });
    }
    case '551d21': // policyMappings (read since Go 1.24)
      if (goMinor < 24) return undefined;
      return listProblem(value, 'x509: invalid policy mappings extension', (r) => {
        const mapping = r.read(SEQUENCE);
        const m = mapping && new Reader(mapping.content);
        return !!m && !!m.read(OID) && !!m.read(OID);
      });
    case '551d36': // inhibitAnyPolicy (read since Go 1.24)
      if (goMinor < 24) return undefined;
      return int64Ok(new Reader(value).read(INTEGER)) ? undefined : 'x509: invalid inhibit any policy extension';
    case '2b06010505070101': // authorityInfoAccess
      if (critical) return 'x509: authority info access incorrectly marked critical';
      return listProblem(value, 'x509: invalid authority info access', (r) => {
        const access = r.read(SEQUENCE);
        const a = access && new Reader(access.content);
        if (!a || !oidOk(a.read(OID))) return false;
        return !a.peek(ctx(6)) || !!a.read(ctx(6));
      });
    default:
      return undefined;
  }
}

/** cRLDistributionPoints (RFC 5280 4.2.1.13): the distribution points' full names, as Go reads their URIs. */
function crlPointsProblem(value: Buffer): string | undefined {
  const seq = new Reader(value).read(SEQUENCE);
  if (!seq) return 'x509: invalid CRL distribution points';
  const points = new Reader(seq.content);
  while (!points.empty()) {
    const point = points.read(SEQUENCE);
    if (!point) return 'x509: invalid CRL distribution point';
    const name = new Reader(point.content).optional(ctx(0, true));
    if (name === undefined) return 'x509: invalid CRL distribution point';
    if (name === null) continue;
    const full = new Reader(name.content).read(ctx(0, true));
    if (!full) return 'x509: invalid CRL distribution point';
    const uris = new Reader(full.content);
    while (uris.peek(ctx(6))) if (!uris.read(ctx(6))) return 'x509: invalid CRL distribution point';
  }
  return undefined;
}

/** Go's `parseExtension`, the duplicate check and `processExtensions`. */
function extensionsProblem(e: Element, goMinor: number): string | undefined {
  const seq = new Reader(e.content).read(SEQUENCE);
  if (!seq) return 'x509: malformed extensions';
  const list = new Reader(seq.content);
  const exts: { oid: string; critical: boolean; value: Buffer }[] = [];
  while (!list.empty()) {
    const ext = list.read(SEQUENCE);
    if (!ext) return 'x509: malformed extension';
    const r = new Reader(ext.content);
    const oid = r.read(OID);
    if (!oidOk(oid)) return 'x509: malformed extension OID field';
    let critical = false;
    if (r.peek(BOOLEAN)) {
      const flag = r.read(BOOLEAN);
      if (!booleanOk(flag)) return 'x509: malformed extension critical field';
      critical = flag!.content[0] === 0xff;
    }
    const value = r.read(OCTET_STRING);
    if (!value) return 'x509: malformed extension value field';
    const id = oid!.content.toString('hex');
    if (exts.some((x) => x.oid === id)) return `x509: certificate contains duplicate extension with OID ${goQuote(oidText(oid!.content))}`;
    exts.push({ oid: id, critical, value: value.content });
  }
  for (const x of exts) {
    const problem = extensionProblem(x.oid, x.critical, x.value, goMinor);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Why Go's `x509.ParseCertificate` refuses `der`, in Go's words (`x509: malformed UTCTime`), or
 * `undefined` when it parses it. `goMinor`: the Go whose parser to follow, 23 (kubectl 1.32) or 24
 * (kubectl 1.33 and later), which also reads policyConstraints, policyMappings and
 * inhibitAnyPolicy and refuses a policy listed twice.
 */
export function goParseError(der: Buffer, goMinor = 23): string | undefined {
  const input = new Reader(der);
  const cert = input.read(SEQUENCE);
  if (!cert) return 'x509: malformed certificate';
  const c = new Reader(cert.content);
  const tbsElement = c.read(SEQUENCE);
  if (!tbsElement) return 'x509: malformed tbs certificate';
  const tbs = new Reader(tbsElement.content);
  let version = 0n;
  const explicitVersion = tbs.optional(ctx(0, true));
  if (explicitVersion === undefined) return 'x509: malformed version';
  if (explicitVersion) {
    const v = new Reader(explicitVersion.content);
    const int = v.read(INTEGER);
    if (!int64Ok(int) || !v.empty()) return 'x509: malformed version';
    version = int64(int);
  }
  if (version < 0n) return 'x509: malformed version';
  if (version > 2n) return 'x509: invalid version';
  const serial = tbs.read(INTEGER);
  if (!serial || !integerOk(serial.content)) return 'x509: malformed serial number';
  if (isNegative(serial.content)) return 'x509: negative serial number';
  const inner = tbs.read(SEQUENCE);
  if (!inner) return 'x509: malformed signature algorithm identifier';
  const outer = c.read(SEQUENCE);
  if (!outer) return 'x509: malformed algorithm identifier';
  if (!inner.content.equals(outer.content)) return "x509: inner and outer signature algorithm identifiers don't match";
  const signatureAlgorithm = algorithm(inner);
  if (typeof signatureAlgorithm === 'string') return signatureAlgorithm;
  const issuer = nameProblem(tbs.read(SEQUENCE), 'x509: malformed issuer');
  if (issuer) return issuer;
  const validity = tbs.read(SEQUENCE);
  if (!validity) return 'x509: malformed validity';
  const times = new Reader(validity.content);
  for (let i = 0; i < 2; i++) {
    const utc = times.peek(UTC_TIME);
    if (!utc && !times.peek(GENERALIZED_TIME)) return 'x509: unsupported time format';
    const t = times.any();
    if (!t || !timeOk(t)) return utc ? 'x509: malformed UTCTime' : 'x509: malformed GeneralizedTime';
  }
  const subject = nameProblem(tbs.read(SEQUENCE), 'x509: malformed issuer');
  if (subject) return subject;
  const spkiElement = tbs.read(SEQUENCE);
  if (!spkiElement) return 'x509: malformed spki';
  const spki = new Reader(spkiElement.content);
  const keyAlgorithmElement = spki.read(SEQUENCE);
  if (!keyAlgorithmElement) return 'x509: malformed public key algorithm identifier';
  const keyAlgorithm = algorithm(keyAlgorithmElement);
  if (typeof keyAlgorithm === 'string') return keyAlgorithm;
  const key = spki.read(BIT_STRING);
  if (!bitStringOk(key)) return 'x509: malformed subjectPublicKey';
  const keyProblem = publicKeyProblem(keyAlgorithm.oid.toString('hex'), keyAlgorithm.params, rightAlignedBits(key!.content));
  if (keyProblem) return keyProblem;
  if (version >= 1n) {
    if (tbs.optional(ctx(1)) === undefined) return 'x509: malformed issuerUniqueID';
    if (tbs.optional(ctx(2)) === undefined) return 'x509: malformed subjectUniqueID';
    if (version === 2n) {
      const extensions = tbs.optional(ctx(3, true));
      if (extensions === undefined) return 'x509: malformed extensions';
      const problem = extensions && extensionsProblem(extensions, goMinor);
      if (problem) return problem;
    }
  }
  if (!bitStringOk(c.read(BIT_STRING))) return 'x509: malformed signature';
  // ParseCertificate checks for bytes after the certificate once parseCertificate has read it.
  return input.empty() ? undefined : 'x509: trailing data';
}

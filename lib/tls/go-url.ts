/**
 * Go's `net/url.Parse`, as far as it fails, and Go's `strconv.Quote`: what `x509.ParseCertificate`
 * needs to refuse a URI subject alternative name in Go's own words (`x509: cannot parse URI %q: %s`).
 *
 * Ported from Go 1.23 (src/net/url/url.go: `Parse`, `parse`, `getScheme`, `parseAuthority`,
 * `parseHost`, `unescape`, `shouldEscape`, `validUserinfo`, `validOptionalPort`,
 * `stringContainsCTLByte`), the Go that builds kubectl 1.32, and checked against that kubectl
 * (test/go-parse.test.ts). Later Go refuses more hosts, not ported: a bracketed host that is not
 * an IPv6 address (1.25.2, CVE-2025-47912) and an IPv6 literal after other characters (1.25.8,
 * CVE-2026-25679).
 */

const HEX = '0123456789abcdef';
const hex2 = (b: number) => HEX[b >> 4] + HEX[b & 15];
const SHORT_ESCAPES: Readonly<Record<number, string>> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };
/**
 * Go's `unicode.IsPrint` without the space: letters, marks, numbers, punctuation and symbols. Node's
 * tables are of a later Unicode than Go 1.23's 15.0, so a rune assigned since (U+2FFC) prints here
 * and is escaped by Go: a difference only in how such a rune is quoted.
 */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** The rune UTF-8 `bytes` start with at `at` and its length, as Go's `utf8.DecodeRune`; `undefined` where Go sees RuneError of width 1. */
function decodeRune(bytes: Buffer, at: number): { rune: number; size: number } | undefined {
  const b0 = bytes[at];
  const size = b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 0;
  if (size === 0 || at + size > bytes.length) return undefined;
  // The second byte's range excludes overlong forms, surrogates and runes over U+10FFFF.
  const [low, high] =
    b0 === 0xe0 ? [0xa0, 0xbf] : b0 === 0xed ? [0x80, 0x9f] : b0 === 0xf0 ? [0x90, 0xbf] : b0 === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
  if (bytes[at + 1] < low || bytes[at + 1] > high) return undefined;
  for (let i = 2; i < size; i++) if ((bytes[at + i] & 0xc0) !== 0x80) return undefined;
  let rune = b0 & (0xff >> (size + 1));
  for (let i = 1; i < size; i++) rune = (rune << 6) | (bytes[at + i] & 0x3f);
  return { rune, size };
}

/** Go's `strconv.Quote` (what `%q` prints) of a Go string: `text` holds its bytes, one per character (latin1). */
export function goQuote(text: string): string {
  const bytes = Buffer.from(text, 'latin1');
  let out = '"';
  for (let at = 0; at < bytes.length;) {
    const b = bytes[at];
    if (b < 0x80) {
      at++;
      if (b === 0x22 || b === 0x5c) out += '\\' + String.fromCharCode(b);
      else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
      else out += SHORT_ESCAPES[b] ?? `\\x${hex2(b)}`;
      continue;
    }
    const decoded = decodeRune(bytes, at);
    if (!decoded) {
      out += `\\x${hex2(b)}`;
      at++;
      continue;
    }
    at += decoded.size;
    const char = String.fromCodePoint(decoded.rune);
    if (PRINTABLE.test(char)) out += char;
    else if (decoded.rune < 0x10000) out += `\\u${decoded.rune.toString(16).padStart(4, '0')}`;
    else out += `\\U${decoded.rune.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}

/** Where Go's `unescape` reads a string: the host and an IPv6 zone take fewer characters than the rest. */
type Part = 'host' | 'zone' | 'other';

const isHex = (c: string) => /^[0-9a-fA-F]$/.test(c);
/** `shouldEscape(c, encodeHost)`, which is also `encodeZone`'s: an ASCII byte a host may not hold as it is. */
const notInHost = (c: string) => !/^[A-Za-z0-9!$&'()*+,;=:[\]<>"\-_.~]$/.test(c);

/** Go's `unescape`: the decoded string, or the error. */
function unescape(s: string, part: Part): { text: string } | { error: string } {
  for (let i = 0; i < s.length;) {
    if (s[i] === '%') {
      const escape = s.slice(i, i + 3);
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) return { error: `invalid URL escape ${goQuote(escape)}` };
      const byte = parseInt(escape.slice(1), 16);
      // A host %-encodes only bytes outside ASCII, and %25 (RFC 6874); a zone only what a host could hold as it is, or a space.
      if (part === 'host' && byte < 0x80 && escape !== '%25') return { error: `invalid URL escape ${goQuote(escape)}` };
      if (part === 'zone' && escape !== '%25' && byte !== 0x20 && notInHost(String.fromCharCode(byte)))
        return { error: `invalid URL escape ${goQuote(escape)}` };
      i += 3;
      continue;
    }
    if (part !== 'other' && s.charCodeAt(i) < 0x80 && notInHost(s[i])) return { error: `invalid character ${goQuote(s[i])} in host name` };
    i++;
  }
  return { text: s.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))) };
}

/** Go's `validOptionalPort`: empty, or a colon and digits. */
const portOk = (colonPort: string) => /^(:\d*)?$/.test(colonPort);

/** Go's `parseHost`: host[:port] with its escapes decoded, or the error. */
function parseHost(host: string): { text: string } | { error: string } {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) return { error: "missing ']' in host" };
    const colonPort = host.slice(close + 1);
    if (!portOk(colonPort)) return { error: `invalid port ${goQuote(colonPort)} after host` };
    const zone = host.slice(0, close).indexOf('%25');
    if (zone >= 0) {
      const parts = [unescape(host.slice(0, zone), 'host'), unescape(host.slice(zone, close), 'zone'), unescape(host.slice(close), 'host')];
      for (const p of parts) if ('error' in p) return p;
      return { text: parts.map((p) => ('text' in p ? p.text : '')).join('') };
    }
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0 && !portOk(host.slice(colon))) return { error: `invalid port ${goQuote(host.slice(colon))} after host` };
  }
  return unescape(host, 'host');
}

/** Go's `validUserinfo` (RFC 3986 3.2.1, escapes checked later). */
const userinfoOk = (s: string) => /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(s);

/** Go's `parseAuthority`: the host, or the error. */
function parseAuthority(authority: string): { text: string } | { error: string } {
  const at = authority.lastIndexOf('@');
  const host = parseHost(authority.slice(at + 1));
  if ('error' in host || at < 0) return host;
  const userinfo = authority.slice(0, at);
  if (!userinfoOk(userinfo)) return { error: 'net/url: invalid userinfo' };
  const colon = userinfo.indexOf(':');
  for (const part of colon < 0 ? [userinfo] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)]) {
    const decoded = unescape(part, 'other');
    if ('error' in decoded) return decoded;
  }
  return host;
}

/** Go's `getScheme`: the scheme ('' for none) and the rest, or the error. */
function getScheme(raw: string): { scheme: string; rest: string } | { error: string } {
  const m = /^[A-Za-z][A-Za-z0-9+\-.]*:/.exec(raw);
  if (m) return { scheme: m[0].slice(0, -1), rest: raw.slice(m[0].length) };
  if (raw.startsWith(':')) return { error: 'missing protocol scheme' };
  return { scheme: '', rest: raw };
}

/** Go's `parse(rawURL, false)`: the URL's host ('' for none), or the error. */
function parseWithoutFragment(raw: string): { host: string } | { error: string } {
  if ([...raw].some((c) => c < ' ' || c === '\x7f')) return { error: 'net/url: invalid control character in URL' };
  if (raw === '*') return { host: '' };
  const split = getScheme(raw);
  if ('error' in split) return split;
  let rest = split.rest;
  const question = rest.indexOf('?');
  if (question >= 0) rest = rest.slice(0, question);
  if (!rest.startsWith('/')) {
    if (split.scheme !== '') return { host: '' }; // scheme:opaque
    if (rest.split('/')[0].includes(':')) return { error: 'first path segment in URL cannot contain colon' };
  }
  let host = '';
  if ((split.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = parseAuthority(slash < 0 ? rest.slice(2) : rest.slice(2, slash));
    if ('error' in authority) return authority;
    host = authority.text;
    rest = slash < 0 ? '' : rest.slice(slash);
  }
  const path = unescape(rest, 'other');
  return 'error' in path ? path : { host };
}

/**
 * Go's `url.Parse` of a string of bytes (latin1): the URL's host with its escapes decoded ('' for
 * none), or the error as Go prints it (`parse "…": …`).
 */
export function goParseUrl(raw: string): { host: string } | { error: string } {
  const hash = raw.indexOf('#');
  const url = hash < 0 ? raw : raw.slice(0, hash);
  const parsed = parseWithoutFragment(url);
  if ('error' in parsed) return { error: `parse ${goQuote(url)}: ${parsed.error}` };
  const fragment = unescape(hash < 0 ? '' : raw.slice(hash + 1), 'other');
  return 'error' in fragment ? { error: `parse ${goQuote(raw)}: ${fragment.error}` } : parsed;
}

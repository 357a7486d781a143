/**
 * The names Go's crypto/x509 checks as it parses a certificate (verify.go): DNS domains, IP
 * addresses and RFC 2821 mailboxes, in subject alternative names and name constraints
 * (go-extensions.ts).
 */
import { isIP } from 'node:net';

/** Go's `domainToReverseLabels` (verify.go): labels not empty, characters 33 to 126, no final dot. */
export function domainOk(domain: string): boolean {
  if (domain.length === 0) return true;
  const labels = domain.split('.');
  return labels.every((l) => l.length > 0 && [...l].every((c) => c.charCodeAt(0) >= 33 && c.charCodeAt(0) <= 126));
}

/** Go's `net.ParseIP` succeeds: dotted IPv4 without leading zeros, or IPv6 without a zone. */
export const goIp = (text: string) => isIP(text) !== 0 && !text.includes('%');

/** RFC 5322's atext and the dot, which Go's `parseRFC2821Mailbox` takes in an unquoted local part. */
const ATEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]$/;
/** Bytes a quoted local part holds as they are (qtext, with the space Go takes), and after a backslash. */
const qtext = (c: number) => (c >= 1 && c <= 8) || c === 11 || c === 12 || (c >= 14 && c <= 33) || (c >= 35 && c <= 127 && c !== 92);
const quotedPair = (c: number) => (c >= 1 && c <= 9) || c === 11 || c === 12 || (c >= 14 && c <= 127);

/** Go's `parseRFC2821Mailbox` (verify.go) succeeds: a local part (atoms or a quoted string), `@`, and a domain. */
export function mailboxOk(text: string): boolean {
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

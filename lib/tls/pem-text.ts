/**
 * What a PEM file's text looks like to Go and not to an editor, for the messages of pem.ts and
 * key-file.ts: the block types kubectl reads, byte-order marks, UTF-16 and UTF-32 text, and lines
 * that end in a lone CR; each with the command that mends it.
 */
import { decodeWide, INVALID, markedEncoding, WIDE_ENCODINGS } from '../model/wide-text';

export const isKeyType = (type: string) => type === 'PRIVATE KEY' || type.endsWith(' PRIVATE KEY');
export const isCertType = (type: string) => type === 'CERTIFICATE' || type === 'TRUSTED CERTIFICATE' || type === 'X509 CERTIFICATE';
/** The byte-order marks a file starts with, for messages: `a UTF-8 byte-order mark`, `2 UTF-8 byte-order marks`. */
export function boms(n: number): string {
  return n === 1 ? 'a UTF-8 byte-order mark' : `${n} UTF-8 byte-order marks`;
}

/**
 * The end of every fix command that rewrites a file in place (`tail -c +4 FILE > FILE.new && mv
 * FILE.new FILE`): the checks see only bytes, so they write `FILE`, and {@link namingFile} puts
 * the file's name in its place where the name is known. Only this text is replaced, never a
 * `FILE` that a certificate's own text put in a message.
 */
export const IN_PLACE = 'FILE > FILE.new && mv FILE.new FILE';

/** `message` with `word` (the file as one shell word) in each fix command's place of `FILE`. */
export function namingFile(message: string, word: string): string {
  // A function: "$&" or "$$" in a name is no replacement pattern.
  return message.replaceAll(IN_PLACE, () => `${word} > ${word}.new && mv ${word}.new ${word}`);
}

/** How to remove `n` byte-order marks (3 bytes each), for messages. */
export function bomFix(n: number): string {
  return `remove the first ${3 * n} bytes (tail -c +${3 * n + 1} ${IN_PLACE}), or save the file as UTF-8 without BOM`;
}

/**
 * Why a PEM file saved as UTF-16 or UTF-32 (Windows PowerShell 5's `>` writes UTF-16LE) holds no
 * PEM for kubectl, with the iconv command that makes it UTF-8, when a BEGIN line is there in such
 * a reading; `undefined` otherwise. kubectl and the controllers read PEM as bytes, where such a
 * file holds no BEGIN line.
 */
export function widePemProblem(pem: Buffer): string | undefined {
  const sample = pem.subarray(0, 4096);
  const wide = WIDE_ENCODINGS.find((encoding) =>
    String.fromCodePoint(...decodeWide(sample, encoding).map((u) => (u === INVALID ? 0xfffd : u))).includes('-----BEGIN '),
  );
  if (!wide) return undefined;
  // With a byte-order mark, iconv's UTF-16 and UTF-32 read it and take it away (kept, it is a UTF-8 mark: cert-bom).
  const encoding = markedEncoding(pem) ?? wide;
  return (
    `holds its PEM as ${encoding} text, which kubectl and the ingress controllers do not read; save it as UTF-8 ` +
    `(iconv -f ${encoding} -t UTF-8 ${IN_PLACE})`
  );
}
/**
 * Why PEM header lines (RFC 1421's `Name: value` after the BEGIN line) in a certificate or key block
 * matter: Go's decoder reads past them, OpenSSL's takes any header as the start of an encrypted
 * block's (`Proc-Type: 4,…`) and refuses the file otherwise ("not proc type"), as node:tls shows in
 * test/pem.test.ts.
 */
export const HEADERS_REFUSED =
  'which kubectl reads past and OpenSSL-based servers (HAProxy, ingress-nginx) refuse; remove them and the blank line after them';
// No five-dash marker in the text: a message with one would be taken for key text and redacted.
export const INDENT_FIX =
  "each PEM block's BEGIN and END lines must start at the beginning of their line; remove the leading spaces or text";
export const CR_FIX =
  'its lines end in a lone CR (classic Mac OS), so its BEGIN lines do not start a line; save it with LF line ends ' +
  `(tr '\\r' '\\n' < ${IN_PLACE})`;

/**
 * True for PEM text whose lines end in a lone CR more often than in LF: a file saved with classic
 * Mac OS line ends (as encoding.ts judges a config). Binary data (DER) holds CR bytes too, and no BEGIN line.
 */
export function crLineEnds(pem: Buffer): boolean {
  const text = pem.toString('latin1');
  if (!text.includes('-----BEGIN ')) return false;
  const loneCr = (text.match(/\r(?!\n)/g) ?? []).length;
  return loneCr > 0 && loneCr > (text.match(/\n/g) ?? []).length;
}

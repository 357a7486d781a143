/**
 * Go's `encoding/pem` decoder, ported: the blocks `pem.Decode` returns for a file (a block starts
 * at the start of the file or of a line), and what it passes over without a word (a BEGIN line
 * that is indented or after a byte-order mark, a block cut off or with bad base64). `pem.ts`
 * turns these into findings.
 *
 * Source: golang/go src/encoding/pem/pem.go (`Decode`, `getLine`).
 */

/** A PEM block as Go's `pem.Decode` finds it. */
export interface PemBlock {
  readonly type: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The decoded body. */
  readonly der: Buffer;
  /** True when a blank line splits the body: Go reads it, OpenSSL (HAProxy, Node) does not. */
  readonly blankLineInBody: boolean;
  /** The length of its header lines (`Name: value`), each with its line end, as OpenSSL counts them. */
  readonly headerLength: number;
}

const BEGIN = '-----BEGIN ';
const END = '\n-----END ';
const DASHES = '-----';
const BOM = '\ufeff';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Go's `getLine`: the line without its end and trailing spaces, tabs and CRs; and the rest. */
function getLine(text: string): [string, string] {
  const i = text.indexOf('\n');
  const [line, rest] = i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
  return [line.replace(/[ \t\r]+$/, ''), rest];
}

/** Every block `pem.Decode` returns for `data`, in order (a port of Go 1.23's `Decode` loop). */
export function goPemBlocks(data: Buffer): PemBlock[] {
  const blocks: PemBlock[] = [];
  let rest = data.toString('latin1');
  for (;;) {
    if (rest.startsWith(BEGIN)) rest = rest.slice(BEGIN.length);
    else {
      const i = rest.indexOf(`\n${BEGIN}`);
      if (i < 0) return blocks;
      rest = rest.slice(i + 1 + BEGIN.length);
    }
    let typeLine: string;
    [typeLine, rest] = getLine(rest);
    if (!typeLine.endsWith(DASHES)) continue;
    const type = typeLine.slice(0, -DASHES.length);
    const headers: Record<string, string> = {};
    let headerLength = 0;
    for (;;) {
      if (rest.length === 0) return blocks;
      const [line, next] = getLine(rest);
      const colon = line.indexOf(':');
      if (colon < 0) break;
      headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
      headerLength += line.length + 1;
      rest = next;
    }
    let endIndex: number;
    let trailerIndex: number;
    if (Object.keys(headers).length === 0 && rest.startsWith(END.slice(1))) [endIndex, trailerIndex] = [0, END.length - 1];
    else [endIndex, trailerIndex] = [rest.indexOf(END), rest.indexOf(END) + END.length];
    if (endIndex < 0) continue;
    const trailer = rest.slice(trailerIndex, trailerIndex + type.length + DASHES.length);
    if (trailer !== `${type}${DASHES}` || getLine(rest.slice(trailerIndex + trailer.length))[0] !== '') continue;
    const body = rest.slice(0, endIndex);
    const base64 = body.replace(/[ \t\r\n]/g, '');
    if (!BASE64.test(base64) || base64.length % 4 !== 0) continue;
    blocks.push({
      type,
      headers,
      der: Buffer.from(base64, 'base64'),
      // Also a blank line just before the END line: the body then ends in a newline of its own.
      blankLineInBody: Object.keys(headers).length === 0 && body.trim() !== '' && /\n[ \t\r]*\n/.test(`\n${body}\n`),
      headerLength,
    });
    rest = getLine(rest.slice(endIndex + END.length - 1))[1];
  }
}

/**
 * `-----BEGIN <type>` markers Go does not see: indented, after byte-order marks (`boms`: how
 * many, when nothing else comes before the marker) or after text on their line.
 */
export function hiddenBegins(data: Buffer): { type: string; boms: number }[] {
  const text = data.toString('utf8');
  const out: { type: string; boms: number }[] = [];
  for (const m of text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)) {
    const at = m.index ?? 0;
    if (at === 0 || text[at - 1] === '\n') continue;
    out.push({ type: m[1], boms: text.slice(0, at) === BOM.repeat(at) ? at : 0 });
  }
  return out;
}

/**
 * How many `-----BEGIN` lines Go's decoder did not turn into a block: cut off, without a
 * matching END line, or with bad base64. Go skips them silently; OpenSSL (HAProxy, Node) fails
 * on the whole file.
 */
export function brokenBlocks(data: Buffer, found: readonly PemBlock[]): number {
  return (data.toString('latin1').match(/(^|\n)-----BEGIN /g) ?? []).length - found.length;
}

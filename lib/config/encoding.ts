/**
 * What is wrong with a config file's bytes before YAML reads them: UTF-16 or UTF-32 text, binary
 * data, or classic Mac OS line ends. Read as UTF-8, each of them is noise or one long line, and
 * the YAML reader would say something about mappings instead.
 */

import { decodeWide, INVALID, markedEncoding, WIDE_ENCODINGS } from '../model/wide-text';

/** How much of a file is read to tell its encoding: a few hundred lines of a config (a multiple of 4). */
const WINDOW = 16384;
/** Characters that every YAML config has many of: line ends, spaces and its punctuation. */
const STRUCTURE = new Set([...'\n\r\t #:-"\'{}[],'].map((c) => c.codePointAt(0)!));

const CR_LINE_ENDS = "ends its lines with a lone CR (classic Mac OS); save it with LF line ends (tr '\\r' '\\n' < old.yaml > new.yaml)";
const BINARY = 'is not text: it reads as binary data (such as a DER certificate, a PKCS#12 bundle or a gzip file); give the YAML config';
const wideText = (encoding: string) =>
  `is ${encoding} text; save it as UTF-8 (iconv -f ${encoding} -t UTF-8, or your editor's "Save with encoding")`;

/** The problem with a config's `bytes` (`text` is them read as UTF-8), or `undefined` when YAML can read them. */
export function encodingProblem(bytes: Buffer, text: string): string | undefined {
  const wide = wideEncoding(bytes, text);
  if (wide === 'binary') return BINARY;
  if (wide) return wideText(wide);
  // Classic Mac OS line ends: the YAML reader sees one long line. Ending in one LF (an editor's final newline) still counts.
  const loneCr = (text.match(/\r(?!\n)/g) ?? []).length;
  return loneCr > 0 && loneCr > (text.match(/\n/g) ?? []).length ? CR_LINE_ENDS : undefined;
}

/**
 * The encoding of UTF-16 or UTF-32 text as iconv names it, `'binary'` for data that is no text,
 * or `undefined` for what the YAML reader is left to read. With a byte-order mark, the mark says
 * it. Without one, the first {@link WINDOW} bytes are first read as UTF-8: when an eighth or more
 * of that reading is NULs, other control characters or broken sequences, it is no UTF-8 text.
 * Then a wide reading with almost nothing that is no text (a sixty-fourth at most) and with line
 * ends, spaces or YAML punctuation names it, the one with the most of them (read in the wrong
 * width or byte order, those characters turn into others: a line end in UTF-16LE, 0A 00, is
 * U+0A00 in UTF-16BE; random bytes read wide hold surrogates and private-use characters).
 * Otherwise it is binary data if a thirty-second of it is NULs and control characters. A few
 * NULs or Latin-1 bytes in UTF-8 text are left to load.ts, which names them where they reach a value.
 */
function wideEncoding(bytes: Buffer, text: string): string | undefined {
  // With a mark, iconv's UTF-16 and UTF-32 read it and take it away.
  const marked = markedEncoding(bytes);
  if (marked) return marked;
  // Every config that is UTF-8 text without a control character or a broken sequence (as good as
  // all of them) is told by one native search of the text already read, not by decoding.
  if (!NO_TEXT_IN_UTF8.test(text.slice(0, WINDOW))) return undefined;
  const window = bytes.subarray(0, WINDOW);
  const utf8 = decodeUtf8(window);
  const controls = utf8.filter(isControl).length;
  const broken = utf8.filter((u) => u === INVALID).length;
  if ((controls + broken) * 8 < utf8.length) return undefined;
  // A wide reading names it when it has line ends, spaces or punctuation and almost nothing that
  // is no text; the one with the most of them wins.
  const readings = WIDE_ENCODINGS.map((encoding) => {
    const units = decodeWide(window, encoding);
    return { encoding, score: score(units), clean: units.filter(isNoText).length * 64 <= units.length };
  }).filter((r) => r.clean && r.score > 0);
  if (readings.length > 0) return readings.reduce((a, b) => (b.score > a.score ? b : a)).encoding;
  return controls * 32 >= utf8.length ? 'binary' : undefined;
}

/** What {@link isControl} finds, and U+FFFD, which a broken sequence reads as. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const NO_TEXT_IN_UTF8 = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/;

/** NUL and the other control characters, but tab and line ends. */
function isControl(u: number): boolean {
  return (u >= 0 && u < 0x20 && !STRUCTURE.has(u)) || (u >= 0x7f && u < 0xa0);
}

/** What text does not hold: NULs and other control characters, broken sequences, private-use characters. */
function isNoText(u: number): boolean {
  return u === INVALID || isControl(u) || (u >= 0xe000 && u < 0xf900);
}

/** Line ends, spaces and punctuation count for a reading; what is no text against it. */
function score(units: readonly number[]): number {
  let total = 0;
  for (const u of units) {
    if (STRUCTURE.has(u)) total += 1;
    else if (isNoText(u)) total -= 4;
  }
  return total;
}

/** The characters of `bytes` read as UTF-8, {@link INVALID} for a broken sequence. */
function decodeUtf8(bytes: Buffer): number[] {
  return [...new TextDecoder('utf-8').decode(bytes)].map((c) => (c === '\uFFFD' ? INVALID : c.codePointAt(0)!));
}

/**
 * A character no config value needs: the C0 and C1 control characters but tab and line ends
 * (NEL, U+0085, is one too: YAML 1.1 read it as a line end, and written raw it is one in some
 * readers), and a lone UTF-16 surrogate (from an escape such as `"\uD800"`), which is no
 * character and reaches the cluster as U+FFFD.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
export const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\p{Surrogate}/u;

/** True when `bytes` hold a sequence that is no UTF-8 (each read as U+FFFD). */
export function holdsBrokenUtf8(bytes: Buffer, text: string): boolean {
  if (!text.includes('\ufffd')) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return false;
  } catch {
    return true;
  }
}

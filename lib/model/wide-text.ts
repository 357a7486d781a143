/**
 * Text saved as UTF-16 or UTF-32, which a config or a PEM file may be by mistake (Windows
 * PowerShell 5's `>` writes UTF-16LE): the encodings as iconv names them, the byte-order mark,
 * and the characters of a reading.
 */

/** The wide encodings, as iconv names them. */
export const WIDE_ENCODINGS = ['UTF-16LE', 'UTF-16BE', 'UTF-32LE', 'UTF-32BE'] as const;
export type WideEncoding = (typeof WIDE_ENCODINGS)[number];

/** A decoded unit that is no character (a broken sequence, a lone surrogate). */
export const INVALID = -1;

/**
 * The encoding a byte-order mark names, as iconv reads a marked file (`UTF-16`, `UTF-32`: it
 * takes the mark away), or `undefined` without a mark.
 */
export function markedEncoding(bytes: Buffer): 'UTF-16' | 'UTF-32' | undefined {
  const mark = (...b: number[]) => bytes.subarray(0, b.length).equals(Buffer.from(b));
  if (mark(0xff, 0xfe, 0, 0) || mark(0, 0, 0xfe, 0xff)) return 'UTF-32';
  if (mark(0xff, 0xfe) || mark(0xfe, 0xff)) return 'UTF-16';
  return undefined;
}

/** The characters of `bytes` read as `encoding` ({@link INVALID} for one that is no character); a last partial unit is left out. */
export function decodeWide(bytes: Buffer, encoding: WideEncoding): number[] {
  const width = encoding.startsWith('UTF-16') ? 2 : 4;
  const le = encoding.endsWith('LE');
  const units: number[] = [];
  for (let i = 0; i + width <= bytes.length; i += width) {
    units.push(width === 2 ? (le ? bytes.readUInt16LE(i) : bytes.readUInt16BE(i)) : le ? bytes.readUInt32LE(i) : bytes.readUInt32BE(i));
  }
  if (width === 4) return units.map((u) => (u > 0x10ffff || (u >= 0xd800 && u < 0xe000) ? INVALID : u));
  // UTF-16: a high surrogate and a low one make one character; alone, either is broken.
  const chars: number[] = [];
  for (let i = 0; i < units.length; i++) {
    const u = units[i];
    if (u >= 0xd800 && u < 0xdc00 && units[i + 1] >= 0xdc00 && units[i + 1] < 0xe000) {
      chars.push(0x10000 + ((u - 0xd800) << 10) + (units[++i] - 0xdc00));
    } else chars.push(u >= 0xd800 && u < 0xe000 ? INVALID : u);
  }
  return chars;
}

/**
 * A folder's entries by their bytes. Node reads names as UTF-8 text; a name that is not UTF-8 (a
 * byte 0xff, written by a tool in another locale) comes back with U+FFFD in place of its bytes,
 * and no call finds a path made of that text. The walks that must reach every entry of an output
 * folder (its removal, the check that it can be removed, `check`'s listing) read names as bytes:
 * a path stays text while each name on it is UTF-8, and becomes bytes (a `Buffer`, which every
 * `fs` call takes) below the first that is not.
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';

/** A path as `fs` takes it: text, or bytes below a name that is not UTF-8. */
export type EntryPath = string | Buffer;

/** One entry of a folder. */
export interface Entry {
  /** The path of the entry: its folder's joined with its name. */
  readonly path: EntryPath;
  /** Its name as shown: the text, each byte that is no part of a UTF-8 character as `\xNN`. */
  readonly shown: string;
  /** True when the name is UTF-8: `shown` is then the name itself. */
  readonly utf8: boolean;
  /** Its type, as the folder's listing gives it (a link is not followed). */
  readonly dirent: nodeFs.Dirent<Buffer>;
}

/** The entries of folder `dir`, in the order the file system gives them. Throws as `readdirSync` does. */
export function entriesOf(dir: EntryPath, fs: Pick<typeof nodeFs, 'readdirSync'> = nodeFs): Entry[] {
  return fs.readdirSync(dir, { withFileTypes: true, encoding: 'buffer' }).map((dirent) => {
    const text = dirent.name.toString('utf8');
    const utf8 = Buffer.from(text, 'utf8').equals(dirent.name);
    return { path: joined(dir, dirent.name, utf8 ? text : undefined), shown: utf8 ? text : shownName(dirent.name), utf8, dirent };
  });
}

/** `dir` joined with `name`: text when both are (`text` is the name's), else bytes. */
function joined(dir: EntryPath, name: Buffer, text: string | undefined): EntryPath {
  if (typeof dir === 'string' && text !== undefined) return path.join(dir, text);
  return Buffer.concat([typeof dir === 'string' ? Buffer.from(dir, 'utf8') : dir, Buffer.from(path.sep), name]);
}

/** A name's bytes as text: each UTF-8 character as it is, each other byte as `\xNN`. */
export function shownName(name: Buffer): string {
  let shown = '';
  for (let i = 0; i < name.length;) {
    const first = name[i];
    const length =
      first < 0x80 ? 1 : first >= 0xc2 && first < 0xe0 ? 2 : first >= 0xe0 && first < 0xf0 ? 3 : first >= 0xf0 && first < 0xf5 ? 4 : 0;
    const piece = length > 0 && i + length <= name.length ? name.subarray(i, i + length) : undefined;
    const text = piece?.toString('utf8');
    // A piece that decodes and encodes back to its bytes is a character (not an overlong form or a surrogate).
    if (piece !== undefined && text !== undefined && Buffer.from(text, 'utf8').equals(piece)) {
      shown += text;
      i += length;
    } else {
      shown += `\\x${first.toString(16).padStart(2, '0')}`;
      i += 1;
    }
  }
  return shown;
}

/**
 * Reads a file the one safe way: opened once (without blocking, so a FIFO cannot hang the
 * run), checked to be a regular file on the open descriptor, then read with a size cap. A
 * device (`/dev/zero`, `/dev/urandom`), FIFO, socket or folder is refused before one byte is
 * read, and a file larger than the cap is refused without reading past the cap. Every input
 * and every file `check` compares goes through here.
 */
import * as fs from 'node:fs';

/** Why a file was refused: a stable code (the finding codes of the README) and a phrase. */
export class RefusedFile extends Error {
  constructor(
    /** `file-missing`, `file-is-directory`, `file-not-regular`, `file-unreadable` or `file-too-large`. */
    public readonly code: string,
    /** What is wrong, in lower case, to follow the file's name: "is a FIFO; give a regular file". */
    public readonly phrase: string,
  ) {
    super(phrase);
    this.name = 'RefusedFile';
  }
}

/** The name of a file type that is not a regular file, for a message. */
export function fileType(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'a regular file';
}

/** The phrase for a failed open or read: "does not exist", "cannot be read: permission denied", … */
export function refusal(e: unknown): RefusedFile {
  if (e instanceof RefusedFile) return e;
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return new RefusedFile('file-missing', 'does not exist');
    case 'ENOTDIR':
      return new RefusedFile('file-missing', 'does not exist: a part of its path is a file, not a folder');
    case 'EISDIR':
      return new RefusedFile('file-is-directory', 'is a directory; give a file');
    case 'EACCES':
    case 'EPERM':
      return new RefusedFile('file-unreadable', 'cannot be read: permission denied');
    case 'ELOOP':
      return new RefusedFile('file-unreadable', 'cannot be read: its symbolic links form a loop');
    case 'ENXIO':
      // open() of a Unix socket, or of a FIFO with no writer in some modes.
      return new RefusedFile('file-not-regular', 'is a socket or a FIFO, not a regular file; give a regular file');
    default:
      return new RefusedFile('file-unreadable', `cannot be read (${typeof code === 'string' ? code : 'unknown error'})`);
  }
}

/** Input files (a config, a certificate, an output file read back) larger than this are refused before they are parsed. */
export const MAX_INPUT_BYTES = 1024 * 1024;

/**
 * Reads at most `maxBytes` of `file`, which must be a regular file (symbolic links to one are
 * followed). Throws {@link RefusedFile} for anything else, and `file-too-large` when the file
 * holds more than `maxBytes`.
 */
export function readBounded(file: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw code === 'ENXIO' ? notRegular(file, e) : code === 'ENOENT' && isLink(file) ? danglingLink() : refusal(e);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) throw new RefusedFile('file-is-directory', 'is a directory; give a file');
    if (!stat.isFile()) throw new RefusedFile('file-not-regular', `is ${fileType(stat)}, not a regular file; give a regular file`);
    if (stat.size > maxBytes) throw tooLarge(`${stat.size}`, maxBytes);
    // The size can change while reading: read up to one byte past the cap to know.
    let buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) throw tooLarge(`more than ${maxBytes}`, maxBytes);
        const grown = Buffer.alloc(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(grown);
        buffer = grown;
      }
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) return buffer.subarray(0, length);
      length += n;
    }
  } catch (e) {
    throw refusal(e);
  } finally {
    fs.closeSync(fd);
  }
}

/** A link whose target is missing: the file is there, what it points at is not. */
const danglingLink = () =>
  new RefusedFile('file-missing', 'is a symbolic link to a file that does not exist; point it at the file, or give the file');

function isLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** A socket cannot be opened (ENXIO): name what it is from a stat of the path. */
function notRegular(file: string, e: unknown): RefusedFile {
  try {
    return new RefusedFile('file-not-regular', `is ${fileType(fs.statSync(file))}, not a regular file; give a regular file`);
  } catch {
    return refusal(e);
  }
}

function tooLarge(size: string, maxBytes: number): RefusedFile {
  const limit = maxBytes === 1024 * 1024 ? `${maxBytes} (1 MiB)` : `${maxBytes}`;
  return new RefusedFile('file-too-large', `is ${size} bytes; at most ${limit} are allowed`);
}

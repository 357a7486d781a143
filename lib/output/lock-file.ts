/**
 * Reading the lock file of lock.ts: what is at its path (a lock of runai-access, or something no
 * runai-access wrote), who holds it, and whether its holder is gone (stale).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';

import { InputError, shownPath } from '../model/errors';
import { fsErrorCode, fsErrorText } from './fs-error-text';

/** The most a lock file of runai-access holds: one line of JSON. */
const MAX_LOCK_BYTES = 512;
/** A lock file without a readable owner (its writer died between creating and filling it) is stale after this. */
const UNREADABLE_STALE_MS = 5000;

/** Who holds a lock: what its file says. */
export interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
  readonly nonce: string;
}

/** The errors of looking for the lock file that say none can be seen there (`readLock`). */
const NO_LOCK_THERE = ['ENOENT', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG', 'EACCES', 'EPERM'];

export interface Seen {
  readonly text: string;
  readonly holder?: Holder;
  readonly ageMs: number;
  /** The file could not be read (another user's, mode 0600): its holder cannot be told. */
  readonly unreadable?: boolean;
}

/**
 * The lock file as it is now, or undefined when there is none. Something else at its path (a
 * link, a folder, a pipe) is an input error at once: no runai-access made it, so waiting for it
 * to go away would only delay the same advice. A lock file this user cannot read may be another
 * user's live lock: it is waited for like one whose holder is unknown.
 */
export function readLock(file: string, source: string): Seen | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch (e) {
    const code = fsErrorCode(e);
    // No lock can be seen where the folder that would hold it cannot be reached (a file or a link loop
    // on the path, a folder this user may not search) or its name is too long to make, and the output
    // folder cannot be used either: what uses it says why (check: "cannot compare", synth: "cannot write").
    if (code !== undefined && NO_LOCK_THERE.includes(code)) return undefined;
    throw new InputError([{ source, path: '', message: `cannot read ${shownPath(file)}: ${fsErrorText(code ?? 'EIO')}` }]);
  }
  if (!stat.isFile()) throw notTheLock(file, source, `is ${fileKind(stat)}, not the lock file`);
  if (stat.size > MAX_LOCK_BYTES) throw notTheLock(file, source, `holds ${stat.size} bytes, not the one line of the lock file`);
  let text: string;
  try {
    // Not following a link, not blocking on a pipe: something put there since the lstat is looked at again.
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
    try {
      const opened = fs.fstatSync(fd);
      // Another file, or another kind of file at the same inode (a file system may reuse it at once).
      if (opened.ino !== stat.ino || opened.dev !== stat.dev || !opened.isFile()) return undefined;
      const buffer = Buffer.alloc(MAX_LOCK_BYTES);
      text = buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    const code = fsErrorCode(e);
    // Gone, or replaced by a link, a folder or a socket since the lstat: looked at again.
    if (code === 'ENOENT' || code === 'ELOOP' || code === 'EISDIR' || code === 'ENXIO') return undefined;
    if (code === 'EACCES' || code === 'EPERM') return { text: '', ageMs: Date.now() - stat.mtimeMs, unreadable: true };
    throw e;
  }
  return { text, holder: parseHolder(text), ageMs: Date.now() - stat.mtimeMs };
}

/** The refusal of something at the lock's path that no runai-access wrote: `what` it is. */
function notTheLock(file: string, source: string, what: string): InputError {
  return new InputError([
    {
      source,
      path: '',
      message: `${shownPath(file)} ${what} runai-access writes there; this run wrote nothing; remove it, then run again`,
    },
  ]);
}

/** What a non-file at the lock's path is, for the message. */
function fileKind(stat: fs.Stats): string {
  if (stat.isSymbolicLink()) return 'a symbolic link';
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  return 'a device';
}

function parseHolder(text: string): Holder | undefined {
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    // A pid of 0 or below names no process: kill(0 or -1, 0) would signal a group, and always succeed.
    if (
      Number.isSafeInteger(h.pid) &&
      h.pid! > 0 &&
      typeof h.host === 'string' &&
      typeof h.started === 'string' &&
      typeof h.nonce === 'string'
    ) {
      return h as Holder;
    }
  } catch {
    // an unfinished or foreign file
  }
  return undefined;
}

/** Stale: its process is gone (same host only: another host's pids cannot be checked), or it never got an owner. */
export function isStale(seen: Seen): boolean {
  if (seen.unreadable) return false;
  if (!seen.holder) return seen.ageMs > UNREADABLE_STALE_MS;
  if (seen.holder.host !== os.hostname()) return false;
  return !isAlive(seen.holder.pid);
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

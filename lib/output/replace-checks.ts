/**
 * What the writer checks before anything changes: that the output path is a folder it may
 * replace (empty, or written by runai-access) and that the previous output can be removed once
 * the new one is in place.
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';

import { InputError, shellPath, shownPath } from '../model/errors';
import { entriesOf, Entry, EntryPath } from './entry-names';
import { fsErrorCode, fsErrorText } from './fs-error-text';
import { exists, MARKER_FILE, restoreMarkerCommands, WriterFs } from './leftovers';

/** Refuses an output path that is not a folder, or a non-empty folder runai-access did not write. `given`: the path as given. */
export function assertReplaceable(target: string, given: string, source: string, fs: WriterFs): void {
  if (!exists(target, fs)) return;
  const shown = shownPath(given);
  if (!fs.lstatSync(target).isDirectory() && !linksToFolder(target)) {
    throw new InputError([{ source, path: '', message: `${shown} ${NOT_A_FOLDER}` }]);
  }
  if (notOurs(fs.readdirSync(target))) {
    throw new InputError([
      {
        source,
        path: '',
        message:
          `${shown} is not empty and has no ${MARKER_FILE}, the file by which synth knows a folder it wrote; refusing to replace ` +
          'it. Give a new or empty folder, or, if runai-access wrote this one, restore its marker ' +
          `(${restoreMarkerCommands(given)})`,
      },
    ]);
  }
}

/**
 * Why the output folder could not be renamed, which synth must do to put the new output in its
 * place, when the error was EBUSY (a mount point: a volume, an emptyDir, a bind mount) or EPERM
 * in a sticky folder such as /tmp, where only the folder's owner (or the parent's, or root) may
 * rename it; `undefined` otherwise. Asked after the rename failed, so nothing is refused that
 * would have worked (a btrfs subvolume or a folder behind a link has another device too).
 */
export function renameTrouble(code: string, target: string, given: string, fs: WriterFs): string | undefined {
  if (code === 'EBUSY') {
    return (
      'it is a mount point (a volume, an emptyDir or a bind mount), or in use as one, and synth writes the new output beside ' +
      `it and renames it into place; give a folder inside it, such as --out ${shellPath(path.join(given, 'dist'))}`
    );
  }
  if (code !== 'EPERM') return undefined;
  try {
    const stat = fs.lstatSync(target);
    const parent = fs.statSync(path.dirname(target));
    const uid = process.getuid?.();
    if (uid === undefined || uid === 0 || !(parent.mode & 0o1000) || stat.uid === uid || parent.uid === uid) return undefined;
    return (
      `it belongs to another user (uid ${stat.uid}) in ${shownPath(path.dirname(given) || '.')}, a sticky folder (like /tmp) where ` +
      'only its owner may rename it, as synth does to replace its output; give a folder of your own'
    );
  } catch {
    return undefined;
  }
}

/**
 * Why synth could not write in the folder that holds the output, when the error `e` (EACCES, EPERM
 * or EROFS) was on a path in that folder and not the output itself: synth writes its lock and the
 * new output there, beside the output, before the new one takes the old one's place. So the
 * output folder itself may be writable and still not be replaced; the message names the folder
 * to change. `undefined` otherwise.
 */
export function parentTrouble(e: unknown, code: string, target: string, given: string): string | undefined {
  const at = (e as { path?: unknown }).path;
  if (!['EACCES', 'EPERM', 'EROFS'].includes(code) || typeof at !== 'string') return undefined;
  const failed = path.resolve(at);
  if (failed === target || path.dirname(failed) !== path.dirname(target)) return undefined;
  return (
    `in ${shownPath(path.dirname(given))}, the folder that holds it, where synth writes its lock and the new output ` +
    'before that takes the place of the old one; make that folder writable, or give an --out inside a folder you can write'
  );
}

/** A folder with these entries holds something and not runai-access's marker: synth will not replace it. */
export function notOurs(entries: readonly string[]): boolean {
  return entries.length > 0 && !entries.includes(MARKER_FILE);
}

/** What the output path is when it is neither a folder nor a link to one. */
export const NOT_A_FOLDER = 'is a file or a symbolic link that leads to no folder; give a folder for the output';

/** True when `target` is, or links to, a folder. */
export function linksToFolder(target: string): boolean {
  try {
    return nodeFs.statSync(target).isDirectory();
  } catch {
    return false;
  }
}

/**
 * True when `target` holds a previous output (a folder with the marker): a failed write left it in
 * place. An empty folder (a fresh mount point, say), a folder of other files (`/sys/kernel`), and
 * anything that cannot be told hold none: "no output was written" is then what is said, true either way.
 */
export function hadOutput(target: string, fs: WriterFs): boolean {
  try {
    return fs.lstatSync(target).isDirectory() && fs.lstatSync(path.join(target, MARKER_FILE)).isFile();
  } catch {
    return false;
  }
}

/**
 * Checks, before anything changes, that the previous output can be removed once the new one
 * is in place: every folder in it must be writable. Otherwise the swap would succeed and the
 * removal fail, leaving a copy of the keys beside the output.
 */
export function assertRemovable(target: string, given: string, source: string, fs: WriterFs): void {
  if (!exists(target, fs) || !fs.lstatSync(target).isDirectory()) return;
  // An empty folder (or one of other files, a mount point) holds no previous output: nothing was written, and nothing is.
  const previous = hadOutput(target, fs)
    ? 'the previous output could not be removed; the previous output is unchanged'
    : `${shownPath(given)} could not be removed once replaced; no output was written`;
  // `shown`: the folder's path in the output, as shown (a name that is not UTF-8 by its bytes: entriesOf).
  const refuse = (shown: string, what: string, e: unknown) =>
    new InputError([
      {
        source,
        path: '',
        message:
          `cannot replace ${shownPath(given)}: ${shownPath(path.join(given, shown))} is not ${what}: ` +
          `${fsErrorText(fsErrorCode(e) ?? 'EACCES')}, so ${previous}`,
      },
    ]);
  const walk = (dir: EntryPath, shown: string) => {
    try {
      fs.accessSync(dir, nodeFs.constants.W_OK | nodeFs.constants.X_OK);
    } catch (e) {
      throw refuse(shown, 'writable', e);
    }
    let entries: Entry[];
    try {
      entries = entriesOf(dir, fs);
    } catch (e) {
      throw refuse(shown, 'readable', e);
    }
    for (const e of entries) if (e.dirent.isDirectory()) walk(e.path, path.join(shown, e.shown));
  };
  walk(target, '');
}

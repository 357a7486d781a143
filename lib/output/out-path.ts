/**
 * An `--out` that synth cannot write as the path says, refused before anything is written: one
 * with `..` after a link or a name that is no folder (the writer resolves the path as text, the
 * file system from where the link leads), one whose name leaves no room for the names synth gives
 * what it writes beside it, and one inside another output folder of runai-access, which the synth
 * of that folder would replace whole, with this one in it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Problem, shownPath } from '../model/errors';
import { throughParents } from './inputs-inside';
import { leftoverFolder, MARKER_FILE } from './leftovers';
import { lockFileName, staleLockAside } from './lock';

/** The bytes of a file name on Linux file systems (NAME_MAX). */
const NAME_MAX = 255;
/** The longest suffix of a folder synth makes beside the output: `<pid>-<8 hex>`, a pid of up to seven digits (pid_max 4194304). */
const LONGEST_SUFFIX = `${'9'.repeat(7)}-${'f'.repeat(8)}`;

/**
 * The longest name an output folder may have: each name synth gives a file beside it must fit in
 * NAME_MAX, the longest a stale lock set aside (`.<name>.lock.stale-<pid>-<hex>`), then its
 * temporary folder (`.<name>.tmp-<pid>-<hex>`).
 */
export const MAX_OUT_NAME_BYTES =
  NAME_MAX -
  Math.max(
    ...[leftoverFolder('', 'tmp', LONGEST_SUFFIX), staleLockAside(lockFileName(''), LONGEST_SUFFIX)].map((n) => Buffer.byteLength(n)),
  );

/** The problems of `out` as synth's output folder (`source`: the flag, `--out`); none when it can be written as given. */
export function outPathProblems(out: string, source: string): Problem[] {
  const problem = (message: string): Problem => ({ source, path: '', message: `${shownPath(out)} ${message}` });
  const before = beforeDotDot(out);
  if (before !== undefined) {
    return [
      problem(
        `has ".." after ${shownPath(before)}, which is a link or no folder: the file system takes ".." from where it leads (or ` +
          "finds no path), synth's path arithmetic would not, and the two would name different folders; give the path without it",
      ),
    ];
  }
  const name = path.basename(path.resolve(out));
  const bytes = Buffer.byteLength(name);
  if (bytes > MAX_OUT_NAME_BYTES) {
    return [
      problem(
        `has a name of ${bytes} bytes; synth gives what it writes beside it longer names (a stale lock it sets aside: ` +
          `${staleLockAside(lockFileName('<name>'), '<pid>-<8 hex>')}), which must fit in the ${NAME_MAX} bytes a file name may ` +
          `have: give a name of at most ${MAX_OUT_NAME_BYTES} bytes`,
      ),
    ];
  }
  const holder = outputHolding(out);
  if (holder === undefined) return [];
  const relative = path.relative(process.cwd(), holder);
  const shownHolder = relative === '' ? '.' : relative.startsWith('..') ? holder : relative;
  return [
    problem(
      `is inside ${shownPath(shownHolder)}, an output folder of runai-access (it carries ${MARKER_FILE}), which a synth into it ` +
        'replaces whole, this one with it; give an --out outside it',
    ),
  ];
}

/**
 * The part of `out` before a `..` that the file system would not take as that part's parent: `..`
 * after a link (the file system goes up from where it leads), a file or nothing (it finds no path).
 * The writer resolves the path as text (`path.resolve`), which agrees only where each `..` follows
 * a real folder. `undefined` when every one does.
 */
function beforeDotDot(out: string): string | undefined {
  let at = path.isAbsolute(out) ? path.sep : process.cwd();
  const given: string[] = [];
  for (const part of out.split(path.sep)) {
    given.push(part);
    if (part === '' || part === '.') continue;
    if (part !== '..') {
      at = path.join(at, part);
      continue;
    }
    if (path.dirname(at) === at) continue;
    let stat: fs.Stats | undefined;
    try {
      stat = fs.lstatSync(at);
    } catch {
      stat = undefined;
    }
    if (stat === undefined || !stat.isDirectory()) return given.slice(0, -1).join(path.sep) || '.';
    at = path.dirname(at);
  }
  return undefined;
}

/**
 * The nearest folder above `out` (links above it resolved; `out` itself, a link, is replaced by a
 * folder) that carries the marker of an output folder, if any.
 */
function outputHolding(out: string): string | undefined {
  const folder = throughParents(out);
  for (let above = path.dirname(folder); ; above = path.dirname(above)) {
    try {
      if (fs.lstatSync(path.join(above, MARKER_FILE)).isFile()) return above;
    } catch {
      // No marker here (or no reading it): looked for further up.
    }
    if (path.dirname(above) === above) return undefined;
  }
}

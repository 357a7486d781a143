/**
 * An `--out` that synth cannot write as the path says, refused before anything is written: one
 * with `..` after a folder name (the writer resolves the path as text, the file system from where
 * that folder leads), one whose name leaves no room for the folders synth makes beside it, and
 * one inside another output folder of runai-access, which the synth of that folder would replace
 * whole, with this one in it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Problem, shownPath } from '../model/errors';
import { realPath } from './inputs-inside';
import { leftoverFolder, MARKER_FILE } from './leftovers';

/** The bytes of a file name on Linux file systems (NAME_MAX). */
const NAME_MAX = 255;
/** The longest suffix of a folder synth makes beside the output: `<pid>-<8 hex>`, a pid of up to seven digits (pid_max 4194304). */
const LONGEST_SUFFIX = `${'9'.repeat(7)}-${'f'.repeat(8)}`;

/** The longest name an output folder may have: its temporary folder's name (`.<name>.tmp-<pid>-<hex>`) must fit in NAME_MAX. */
export const MAX_OUT_NAME_BYTES = NAME_MAX - Buffer.byteLength(leftoverFolder('', 'tmp', LONGEST_SUFFIX));

/** The problems of `out` as synth's output folder (`source`: the flag, `--out`); none when it can be written as given. */
export function outPathProblems(out: string, source: string): Problem[] {
  const problem = (message: string): Problem => ({ source, path: '', message: `${shownPath(out)} ${message}` });
  const parts = out.split(path.sep);
  const named = parts.findIndex((p) => p !== '' && p !== '.' && p !== '..');
  if (named >= 0 && parts.slice(named + 1).includes('..')) {
    return [
      problem(
        'has ".." after a folder name: the file system takes it from where that folder leads (elsewhere, when it is a link), ' +
          "synth's path arithmetic would not, and the two would name different folders; give the path without it",
      ),
    ];
  }
  const name = path.basename(path.resolve(out));
  const bytes = Buffer.byteLength(name);
  if (bytes > MAX_OUT_NAME_BYTES) {
    return [
      problem(
        `has a name of ${bytes} bytes; synth writes the new output beside it first, in ${leftoverFolder('<name>', 'tmp', '<pid>-<8 hex>')}, ` +
          `whose name must fit in the ${NAME_MAX} bytes a file name may have: give a name of at most ${MAX_OUT_NAME_BYTES} bytes`,
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

/** The nearest folder above `out` (links resolved) that carries the marker of an output folder, if any. */
function outputHolding(out: string): string | undefined {
  const folder = realPath(out);
  for (let above = path.dirname(folder); ; above = path.dirname(above)) {
    try {
      if (fs.lstatSync(path.join(above, MARKER_FILE)).isFile()) return above;
    } catch {
      // No marker here (or no reading it): looked for further up.
    }
    if (path.dirname(above) === above) return undefined;
  }
}

/**
 * The current folder inside the output folder. The writer replaces the output folder whole, by
 * renames: a shell standing in it, or below it, would be left in a removed folder, and its next
 * command would fail to find where it is. Such a run is refused before anything is written.
 * `check`, which writes nothing, may run there: it reads the folder by the path it has as check
 * starts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { realPath } from '../config/work-tree';
import { InputError, Problem, shownPath } from '../model/errors';
import { isInside, throughParents } from './inputs-inside';
import { leftoverOf } from './leftovers';

/** `out` (links above it resolved) and the current folder, when `out` exists and is or holds the current folder. */
function holdingCurrentFolder(out: string): { folder: string; here: string } | undefined {
  if (!fs.existsSync(out)) return undefined;
  const folder = throughParents(out);
  const here = realPath(process.cwd());
  return here === folder || isInside(here, folder) ? { folder, here } : undefined;
}

/**
 * A problem when `out` is the current folder or holds it: the writer replaces `out` whole, by
 * renames, which would leave the shell that ran synth in a removed folder.
 */
export function currentFolderInside(out: string, source: string): Problem[] {
  const holding = holdingCurrentFolder(out);
  if (holding === undefined) return [];
  const { folder, here } = holding;
  // The root has no folder above it to stand in: the output needs a folder of its own.
  const fix =
    path.dirname(folder) === folder
      ? 'give --out a folder of its own, such as dist'
      : `cd out of ${shownPath(out)} (to the folder above it, say) and run synth there`;
  return [
    {
      source,
      path: '',
      message:
        `${shownPath(out)} ${here === folder ? 'is' : 'holds'} the current folder, which synth replaces whole, so the shell ` +
        `would be left in a removed folder; ${fix}`,
    },
  ];
}

/**
 * The output folder as `check` reads it: `out`, or its absolute path when it holds the current
 * folder (`--out .` in dist). A synth that replaces the folder while check waits for it or reads
 * it sets the folder the shell stands in aside and removes it, and `.` would go on naming that
 * one (and the lock and stamps made from it, a lock no writer takes). A current folder that a
 * synth has already set aside (it has the name of one of the writer's folders) is refused, as a
 * removed one is.
 */
export function pinnedOutput(out: string, source: string): string {
  const folder = holdingCurrentFolder(out)?.folder;
  if (folder === undefined) return out;
  const base = leftoverOf(path.basename(folder));
  if (base !== undefined) {
    const output = path.join(path.dirname(folder), base);
    throw new InputError([
      {
        source,
        path: '',
        message:
          `${shownPath(out)} is ${shownPath(folder)}, the old ${shownPath(base)} a synth set aside when it replaced ${shownPath(output)} ` +
          `after the shell entered it; cd into ${shownPath(output)} again`,
      },
    ]);
  }
  return path.resolve(out);
}

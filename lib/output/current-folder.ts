/**
 * The current folder inside the output folder. The writer replaces the output folder whole, by
 * renames: a shell standing in it, or below it, would be left in a removed folder, and its next
 * command would fail to find where it is. Such a run is refused before anything is written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Problem, shownPath } from '../model/errors';
import { isInside, realPath, throughParents } from './inputs-inside';

/**
 * A problem when `out` is the current folder or holds it: the writer replaces `out` whole, by
 * renames, which would leave the shell that ran synth in a removed folder.
 */
export function currentFolderInside(out: string, source: string): Problem[] {
  if (!fs.existsSync(out)) return [];
  const folder = throughParents(out);
  const here = realPath(process.cwd());
  if (here !== folder && !isInside(here, folder)) return [];
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

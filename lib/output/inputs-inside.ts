/**
 * Inputs kept inside the output folder. `synth` replaces that folder whole (its marker says so),
 * so a config, certificate or key kept in it would be deleted by the very run that read it, and
 * the next run would find it missing. Such a run is refused before anything is written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { InputFile } from '../config/spec';
import { realPath } from '../config/work-tree';
import { Problem, shownPath } from '../model/errors';
import { MARKER_FILE } from './leftovers';

/**
 * One problem for each input that lies inside `out`, naming its field. Only a folder with the
 * marker is replaced: any other is new, empty, or refused by the writer itself. The writer
 * replaces `out` itself, a link included (the folder a link points to is left as it was), so
 * `out` is taken with only the links above it resolved; an input is inside when its path as
 * given, with the links above it resolved, or the file it leads to is.
 */
export function inputsInside(out: string, source: string, inputs: readonly InputFile[]): Problem[] {
  if (!fs.existsSync(path.join(out, MARKER_FILE))) return [];
  const folder = throughParents(out);
  const inside = (input: InputFile) =>
    [path.resolve(input.file), throughParents(input.file), realPath(input.file)].some((p) => isInside(p, folder));
  return inputs.filter(inside).map((input) => ({
    source: input.source,
    path: input.path,
    message:
      `${shownPath(input.given)} is inside ${source} ${shownPath(out)}, which synth replaces whole, so the run would ` +
      `delete it; keep the ${input.path ? 'file' : 'config'} outside ${shownPath(out)}, or write to another folder`,
    code: 'input-in-output',
  }));
}

/** The path with the links of the folders above it resolved, and the last part as it is. */
export function throughParents(file: string): string {
  const absolute = path.resolve(file);
  return path.join(realPath(path.dirname(absolute)), path.basename(absolute));
}

/** True when `file` is below `folder` (both absolute, links resolved alike). */
export function isInside(file: string, folder: string): boolean {
  const rel = path.relative(folder, file);
  return rel !== '' && !rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel);
}

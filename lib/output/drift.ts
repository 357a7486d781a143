/**
 * Compares synthesized output with an output folder on disk, for `check`: every difference
 * `synth` would make — a file's type (a symbolic link is not a file), bytes and every mode bit,
 * the folders and their modes, and the marker file. Files are read bounded, and only as far
 * as the expected content. An entry that cannot be read is an `InputError` (exit 2).
 */
import * as path from 'node:path';

import { readBounded, RefusedFile } from '../config/bounded-read';
import { InputError, Problem, shownPath } from '../model/errors';
import { FOLDER_MODE, MARKER_FILE, MARKER_MODE, MARKER_TEXT } from './leftovers';
import { scanOutput, TreeEntry } from './output-tree';
import { ClusterOutput, compare } from './render';
import { linksToFolder, NOT_A_FOLDER } from './replace-checks';

/** One file that differs between the synthesized output and the folder. */
export interface Drift {
  /** Path relative to the output folder, `/`-separated; a folder's ends in `/`, the output folder itself is `''`. */
  readonly path: string;
  /**
   * `missing`: should exist; `extra`: should not; `changed`: other content; `mode`: other
   * permissions or mode bits; `type`: not a regular file (or not a folder) where one should be.
   */
  readonly kind: 'missing' | 'extra' | 'changed' | 'mode' | 'type';
}

/**
 * Lists every difference between `clusters` and `outDir`, sorted by path; throws `InputError`
 * when it cannot compare. With `firstOnly` (the writer asking whether anything differs) it
 * returns as soon as it finds one, without reading the files after it.
 */
export function findDrift(
  outDir: string,
  clusters: readonly Pick<ClusterOutput, 'name' | 'files'>[],
  flag = '--out',
  firstOnly = false,
): Drift[] {
  const files = new Map<string, { content: string; mode: number }>([[MARKER_FILE, { content: MARKER_TEXT, mode: MARKER_MODE }]]);
  const folders = new Set<string>(['']);
  for (const c of clusters) {
    folders.add(c.name);
    for (const f of c.files) {
      const rel = `${c.name}/${f.path}`;
      files.set(rel, f);
      for (let dir = path.posix.dirname(rel); dir !== '.'; dir = path.posix.dirname(dir)) folders.add(dir);
    }
  }
  const tree = scanOutput(outDir);
  const root = tree.entries.get('');
  if (root && root.type === 'file') {
    throw new InputError([{ source: flag, path: '', message: `${shownPath(outDir)} ${NOT_A_FOLDER}` }]);
  }
  const problems: Problem[] = [];
  const cannot = (rel: string, why: string) =>
    problems.push({ source: flag, path: '', message: `cannot compare ${shownPath(path.join(outDir, rel))}: it ${why}` });
  for (const [rel, why] of tree.unreadable) cannot(rel, why);

  const drift: Drift[] = [];
  const withSlash = (rel: string, entry?: TreeEntry) => (entry?.type === 'folder' && rel ? `${rel}/` : rel);
  // A link to a folder where the output folder should be: synth replaces it whole. Anything else it refuses.
  if (root?.type === 'other') {
    if (linksToFolder(outDir)) return [{ path: '', kind: 'type' }];
    throw new InputError([{ source: flag, path: '', message: `${shownPath(outDir)} ${NOT_A_FOLDER}` }]);
  }
  for (const rel of folders) {
    const entry = tree.entries.get(rel);
    if (!entry) continue;
    if (entry.type !== 'folder') drift.push({ path: rel, kind: 'type' });
    else if (entry.mode !== FOLDER_MODE) drift.push({ path: withSlash(rel, entry), kind: 'mode' });
  }
  for (const [rel, want] of files) {
    if (firstOnly && drift.length > 0) return drift;
    const entry = tree.entries.get(rel);
    if (!entry) {
      if (!tree.unreadable.has(parentOf(rel)) && !tree.unreadable.has(rel)) drift.push({ path: rel, kind: 'missing' });
    } else if (entry.type !== 'file') drift.push({ path: withSlash(rel, entry), kind: 'type' });
    else {
      const same = sameContent(path.join(outDir, ...rel.split('/')), want.content);
      if (typeof same === 'string') cannot(rel, same);
      else if (!same) drift.push({ path: rel, kind: 'changed' });
      else if (entry.mode !== want.mode) drift.push({ path: rel, kind: 'mode' });
    }
  }
  for (const [rel, entry] of tree.entries) {
    if (files.has(rel) || folders.has(rel)) continue;
    // An unexpected folder is listed by its files; an empty one by itself.
    const hasChildren = [...tree.entries.keys()].some((k) => k.startsWith(`${rel}/`));
    if (entry.type !== 'folder' || !hasChildren) drift.push({ path: withSlash(rel, entry), kind: 'extra' });
  }
  if (problems.length > 0) throw new InputError(problems);
  return drift.sort((a, b) => compare(a.path, b.path));
}

function parentOf(rel: string): string {
  const dir = path.posix.dirname(rel);
  return dir === '.' ? '' : dir;
}

/** True when the file holds exactly `content`; reads at most one byte more. A string says why it cannot be read. */
function sameContent(file: string, content: string): boolean | string {
  const want = Buffer.from(content, 'utf8');
  try {
    return readBounded(file, want.length).equals(want);
  } catch (e) {
    if (!(e instanceof RefusedFile)) throw e;
    return e.code === 'file-too-large' ? false : e.phrase;
  }
}

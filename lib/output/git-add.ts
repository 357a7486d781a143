/**
 * What `git add` of an output folder would leave out or record wrong, though the folder is right:
 * a file a rule of the user's `.gitignore` covers (`helm/`, `*.sh`), which `git add` skips, and,
 * where git ignores the exec bit on disk (`core.fileMode false`), a new script, which `git add`
 * records as 100644. Either way the commit, and so every clone, differs from the folder: CI's
 * `check` fails on a folder that passed here, and `check` advised "commit".
 */
import * as path from 'node:path';

import { folderInWorkTree, gitConfigBool, gitIgnoresFolder, gitLsFiles, runGit } from '../config/work-tree';

/** A `.gitignore` rule (or `.git/info/exclude`'s, or the user's excludes file's) and the files it keeps out of `git add`. */
export interface IgnoringRule {
  /** Where the rule is, as git names it: `.gitignore:3`, `dist/.gitignore:1`, `.git/info/exclude:7`. */
  readonly where: string;
  /** The rule's pattern (`helm/`). */
  readonly pattern: string;
  /** The files it covers, as paths under the output folder. */
  readonly files: readonly string[];
}

/**
 * The rules by which git ignores some of `files` (paths under `out` of files synth writes, none
 * that synth's own `.gitignore` keeps out), files git does not track; none outside a work tree, in
 * a folder git ignores as a whole (applied from here, not from git), or when git cannot be asked.
 */
export function rulesIgnoring(out: string, files: readonly string[]): IgnoringRule[] {
  const tree = files.length === 0 ? undefined : folderInWorkTree(out);
  if (tree === undefined || gitIgnoresFolder(tree.root, tree.folder) !== false) return [];
  // From ./: check-ignore takes no --literal-pathspecs, and a path starting with : would be pathspec
  // magic. Tracked files are not matched (a rule does not apply to them). `-v -z`: source, line,
  // pattern and path of each, NUL-separated; a path that matches a negation ("!x") is not ignored.
  const asked = new Map(files.map((file) => [`./${tree.inRoot(file)}`, file]));
  const r = runGit(tree.root, ['check-ignore', '-v', '-z', '--stdin'], [...asked.keys()].map((p) => `${p}\0`).join(''));
  if ('why' in r) return [];
  const fields = r.stdout.split('\0');
  const rules = new Map<string, { where: string; pattern: string; files: string[] }>();
  for (let i = 0; i + 3 < fields.length; i += 4) {
    const [source, line, pattern, asGiven] = fields.slice(i, i + 4);
    const file = asked.get(asGiven);
    if (file === undefined || pattern.startsWith('!')) continue;
    // As a path from here: git names a .gitignore from the work tree's top (an excludes file absolutely).
    const where = `${path.isAbsolute(source) ? source : path.relative(process.cwd(), path.join(tree.root, source)) || source}:${line}`;
    const rule = rules.get(where) ?? { where, pattern, files: [] };
    rule.files.push(file);
    rules.set(where, rule);
  }
  return [...rules.values()];
}

/**
 * Of `scripts` (paths under `out` of the scripts synth writes, with their exec bit on disk), those
 * git does not track, in a work tree where git ignores the exec bit on disk (`core.fileMode
 * false`): `git add` would record them as 100644 (`git add --chmod=+x` records the bit).
 */
export function scriptsAddedWithoutExecBit(out: string, scripts: readonly string[]): string[] {
  const tree = scripts.length === 0 ? undefined : folderInWorkTree(out);
  if (tree === undefined || gitConfigBool(tree.root, 'core.fileMode') !== false) return [];
  const tracked = gitLsFiles(tree.root, [], scripts.map(tree.inRoot));
  if (!Array.isArray(tracked)) return [];
  const known = new Set(tracked);
  return scripts.filter((file) => !known.has(tree.inRoot(file)));
}

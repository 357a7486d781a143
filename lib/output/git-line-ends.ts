/**
 * CRLF line ends as git checks them out. synth writes LF; a checkout with `core.autocrlf true`
 * (Git for Windows' default) or an `eol=crlf` attribute gives every text file CRLF, which is the
 * same file to git and to kubectl. A file committed with CRLF (an editor's, or a commit with
 * `core.autocrlf false` on Windows) is not: every clone gets CRLF, and the next synth rewrites
 * every line of it.
 */
import { folderInWorkTree, gitLsFiles } from '../config/work-tree';

/**
 * Of `files` (paths under `out`, each with CRLF where synth writes LF), those a clone does not have
 * so: not tracked, tracked with CRLF (or mixed) line ends in git's index, or changed since git
 * checked them out. None outside a git work tree or where git cannot be asked: there only a
 * checkout can have made them, as far as anything here can tell.
 */
export function crlfNotFromCheckout(out: string, files: readonly string[]): string[] {
  const tree = files.length === 0 ? undefined : folderInWorkTree(out);
  if (tree === undefined) return [];
  const paths = files.map(tree.inRoot);
  // `--eol`: `i/<index's line ends> w/<work tree's> attr/<attributes>\t<path>` of each tracked file.
  const indexed = gitLsFiles(tree.root, ['--eol'], paths);
  // `-m`: the tracked files that differ from the index as git converts them (with the settings in force).
  const modified = gitLsFiles(tree.root, ['-m'], paths);
  if (!Array.isArray(indexed) || !Array.isArray(modified)) return [];
  const lf = new Set(indexed.filter((line) => /^i\/lf\s/.test(line)).map((line) => line.slice(line.indexOf('\t') + 1)));
  const changed = new Set(modified);
  return files.filter((_, i) => !lf.has(paths[i]) || changed.has(paths[i]));
}

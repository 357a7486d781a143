/**
 * Exec bits as git records them, where the file system cannot say: with `core.fileMode false`
 * (which git sets itself on a file system that shows every file as executable, or none: WSL's
 * /mnt/c, Docker Desktop's bind mounts, SMB) git ignores the bit on disk, so a clone gets the
 * mode its index holds, whatever `ls -l` shows here.
 */

import { folderInWorkTree, gitConfigBool, gitLsFiles } from '../config/work-tree';
import { Drift } from './drift';

/** The owner's exec bit, the one mode bit git records (100755 or 100644). */
const EXEC_BIT = 0o100;

/**
 * `drift` without the `mode` entries of files whose exec bit git's index records as `wanted` (the
 * mode synth writes, by path under `out`) in a work tree with `core.fileMode false`; as it is
 * elsewhere, or when git cannot be asked.
 */
export function modesAsGitRecords(out: string, drift: readonly Drift[], wanted: ReadonlyMap<string, number>): Drift[] {
  const modes = drift.filter((d) => d.kind === 'mode' && wanted.has(d.path));
  const tree = modes.length === 0 ? undefined : folderInWorkTree(out);
  if (tree === undefined || fileModeHonoured(tree.root)) return [...drift];
  const { root, inRoot } = tree;
  // `-s`: `<mode> <object> <stage>\t<path>` of each tracked file.
  const listed = gitLsFiles(
    root,
    ['-s'],
    modes.map((d) => inRoot(d.path)),
  );
  if (!Array.isArray(listed)) return [...drift];
  const recorded = new Map(listed.map((line) => [line.slice(line.indexOf('\t') + 1), parseInt(line.slice(0, 6), 8)]));
  const asGitRecords = (d: Drift) => {
    const mode = recorded.get(inRoot(d.path));
    return mode !== undefined && (mode & EXEC_BIT) === (wanted.get(d.path)! & EXEC_BIT);
  };
  return drift.filter((d) => !(d.kind === 'mode' && wanted.has(d.path) && asGitRecords(d)));
}

/** False when the work tree's git ignores the exec bit on disk (`core.fileMode false`); true when unsure. */
function fileModeHonoured(root: string): boolean {
  return gitConfigBool(root, 'core.fileMode') !== false;
}

/**
 * Of `files` (paths under `out` whose exec bit git's last commit records otherwise than synth
 * writes it, `wanted`), those git's index records so too, as `mode` drift, in a work tree with
 * `core.fileMode false`: there a commit keeps the index's bit whatever is on disk, so a clone
 * would have it (`git update-index --chmod` mends it). None elsewhere: a commit takes the bit on disk.
 */
export function execBitsGitKeeps(out: string, files: readonly string[], wanted: ReadonlyMap<string, number>): Drift[] {
  const tree = files.length === 0 ? undefined : folderInWorkTree(out);
  if (tree === undefined || fileModeHonoured(tree.root)) return [];
  const listed = gitLsFiles(tree.root, ['-s'], files.map(tree.inRoot));
  if (!Array.isArray(listed)) return [];
  const recorded = new Map(listed.map((line) => [line.slice(line.indexOf('\t') + 1), parseInt(line.slice(0, 6), 8)]));
  return files
    .filter((file) => {
      const mode = recorded.get(tree.inRoot(file));
      return mode !== undefined && wanted.has(file) && (mode & EXEC_BIT) !== (wanted.get(file)! & EXEC_BIT);
    })
    .map((file) => ({ path: file, kind: 'mode' as const }));
}

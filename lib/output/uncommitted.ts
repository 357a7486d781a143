/**
 * What git has not committed of an output folder that is up to date: `check` passes in the work
 * tree, while a clone (CI's check, Argo CD, Flux) has the folder as last committed. Compared by
 * content with git's last commit (HEAD): each file's blob id against that of the bytes synth
 * writes and its exec bit; a file whose id differs is asked of git (`git hash-object`, which
 * applies the line-end and filter settings a commit would), so that neither git's cached file
 * sizes and times (which a synth's rewrite of a CRLF checkout changes) nor its settings make a
 * file look changed or unchanged.
 */
import * as path from 'node:path';

import { MAX_INPUT_BYTES, readBounded } from '../config/bounded-read';
import { folderInWorkTree, gitIgnoresFolder, realPath, runGit } from '../config/work-tree';
import { blobId, storedIds } from './git-line-ends';

/** A file synth writes, by its path under the output folder. */
export interface CommittedFile {
  readonly path: string;
  readonly content: string;
  readonly mode: number;
}

/** What differs from git's last commit. */
export interface Uncommitted {
  /** How many files of the folder differ: changed, new, a mode, or gone since. */
  readonly files: number;
  /** The config file differs too (it is in the same work tree). */
  readonly config: boolean;
  /** There is no commit yet (on this branch). */
  readonly noCommit: boolean;
  /** Of the files that differ, those whose content is the commit's but not their exec bit (paths under the folder). */
  readonly execBit: readonly string[];
}

/** The exec bit of a mode (git records 100755 or 100644). */
const EXEC_BIT = 0o100;

/**
 * How `files` (what synth writes into `out`, without the files git keeps out) and the `config`
 * file differ from the last commit of the git work tree they are in. `unknown` files (made from a
 * missing key: what is on disk is not what is rendered here) are compared as they are on disk; a
 * file of `ignored` that the commit holds (a key another line names) is not compared. `undefined`
 * outside a work tree, or where git cannot be asked.
 */
export function uncommittedFiles(
  out: string,
  files: readonly CommittedFile[],
  { config, unknown, ignored }: { config: string; unknown: ReadonlySet<string>; ignored: ReadonlySet<string> },
): Uncommitted | undefined {
  const tree = folderInWorkTree(out);
  if (tree === undefined) return undefined;
  const realConfig = realPath(config);
  const configTree = folderInWorkTree(path.dirname(realConfig));
  const configPath = configTree?.root === tree.root ? configTree.inRoot(path.basename(realConfig)) : undefined;
  // `-r`: every file of the folder at HEAD, `<mode> <type> <id>\t<path>`.
  const listed = runGit(tree.root, [
    '--literal-pathspecs',
    'ls-tree',
    '-r',
    '-z',
    'HEAD',
    '--',
    tree.folder,
    ...(configPath ? [configPath] : []),
  ]);
  if ('why' in listed) {
    const noCommit = runGit(tree.root, ['rev-parse', '-q', '--verify', 'HEAD']);
    if (!('why' in noCommit && noCommit.status === 1)) return undefined;
    const ignoredFolder = gitIgnoresFolder(tree.root, tree.folder);
    return { files: ignoredFolder === false ? files.length : 0, config: configPath !== undefined, noCommit: true, execBit: [] };
  }
  const committed = new Map<string, { mode: number; id: string }>();
  for (const entry of listed.stdout.split('\0').filter(Boolean)) {
    const [mode, , id] = entry.slice(0, entry.indexOf('\t')).split(' ');
    committed.set(entry.slice(entry.indexOf('\t') + 1), { mode: parseInt(mode, 8), id });
  }
  const configAt = configPath === undefined ? undefined : committed.get(configPath);
  committed.delete(configPath ?? '');
  // A folder git has no file of and ignores is applied from here, not from git: none of it is uncommitted.
  const folderIgnored = committed.size === 0 && gitIgnoresFolder(tree.root, tree.folder) !== false;
  // Files whose bytes are not the commit's: git is asked what a commit would store of them.
  const ask: string[] = [];
  const execBit: string[] = [];
  let differ = 0;
  if (!folderIgnored) {
    for (const file of files) {
      const at = committed.get(tree.inRoot(file.path));
      if (at === undefined) differ++;
      else if (unknown.has(file.path) || at.id !== blobId(file.content, at.id.length)) ask.push(tree.inRoot(file.path));
      if (at !== undefined && (at.mode & EXEC_BIT) !== (file.mode & EXEC_BIT)) execBit.push(file.path);
    }
    const ours = new Set(files.map((f) => tree.inRoot(f.path)));
    const skipped = new Set([...ignored].map(tree.inRoot));
    differ += [...committed.keys()].filter((p) => !ours.has(p) && !skipped.has(p)).length;
  }
  // The config's bytes as they are first: hash-object does not read the index, and with core.autocrlf
  // would store a file git's index holds with CRLF as LF (git itself commits it as it is).
  const configSame = configAt !== undefined && bytesAre(realConfig, configAt.id);
  if (configAt !== undefined && !configSame) ask.push(configPath!);
  const stored = ask.length === 0 ? [] : storedIds(tree.root, ask);
  if (!Array.isArray(stored)) return undefined;
  const storedAs = new Map(ask.map((p, i) => [p, stored[i]]));
  const contentDiffers = new Set(ask.filter((p) => p !== configPath && storedAs.get(p) !== committed.get(p)!.id));
  // A file whose content differs is counted once, whatever its exec bit.
  const modeOnly = execBit.filter((file) => !contentDiffers.has(tree.inRoot(file)));
  return {
    files: differ + contentDiffers.size + modeOnly.length,
    execBit: modeOnly,
    config: configPath !== undefined && !configSame && (configAt === undefined || storedAs.get(configPath) !== configAt.id),
    noCommit: false,
  };
}

/** True when `file`'s bytes as they are have the blob id `id`. */
function bytesAre(file: string, id: string): boolean {
  try {
    return blobId(readBounded(file, MAX_INPUT_BYTES), id.length) === id;
  } catch {
    return false;
  }
}

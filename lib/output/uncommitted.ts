/**
 * What git has not committed of an output folder that is up to date: `check` passes in the work
 * tree, while a clone (CI's check, Argo CD, Flux) has the folder as last committed. Compared by
 * content with git's last commit (HEAD): each file's blob id against that of the bytes synth
 * writes, and its exec bit, so that neither git's cached file sizes and times (which a synth's
 * rewrite of a CRLF checkout changes) nor its index can make a file look changed or unchanged.
 */
import * as path from 'node:path';

import { MAX_INPUT_BYTES, readBounded } from '../config/bounded-read';
import { folderInWorkTree, runGit } from '../config/work-tree';
import { blobId } from './git-line-ends';

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
}

/** The exec bit of a mode (git records 100755 or 100644). */
const EXEC_BIT = 0o100;

/**
 * How `files` (what synth writes into `out`, without the files git keeps out) and the `config`
 * file differ from the last commit of the git work tree they are in. `unknown` files are not
 * compared (those made from a missing key: what is committed is not what is rendered here), nor
 * is a file of `ignored` that the commit holds (a key another line names). `undefined` outside a
 * work tree, or where git cannot be asked.
 */
export function uncommittedFiles(
  out: string,
  files: readonly CommittedFile[],
  { config, unknown, ignored }: { config: string; unknown: ReadonlySet<string>; ignored: ReadonlySet<string> },
): Uncommitted | undefined {
  const tree = folderInWorkTree(out);
  if (tree === undefined) return undefined;
  const configTree = folderInWorkTree(path.dirname(config));
  const configPath = configTree?.root === tree.root ? configTree.inRoot(path.basename(config)) : undefined;
  // `-r`: every file of the folder at HEAD, `<mode> <type> <id>\t<path>` (paths, not patterns).
  const listed = runGit(tree.root, ['ls-tree', '-r', '-z', 'HEAD', '--', tree.folder, ...(configPath ? [configPath] : [])]);
  if ('why' in listed) {
    // No commit yet: nothing is committed.
    const noCommit = runGit(tree.root, ['rev-parse', '-q', '--verify', 'HEAD']);
    return 'why' in noCommit && noCommit.status === 1 ? { files: files.length, config: configPath !== undefined } : undefined;
  }
  const committed = new Map<string, { mode: number; id: string }>();
  for (const entry of listed.stdout.split('\0').filter(Boolean)) {
    const [mode, , id] = entry.slice(0, entry.indexOf('\t')).split(' ');
    committed.set(entry.slice(entry.indexOf('\t') + 1), { mode: parseInt(mode, 8), id });
  }
  const differs = (file: CommittedFile) => {
    const at = committed.get(tree.inRoot(file.path));
    return at === undefined || at.id !== blobId(file.content, at.id.length) || (at.mode & EXEC_BIT) !== (file.mode & EXEC_BIT);
  };
  const ours = new Set(files.map((f) => tree.inRoot(f.path)));
  const skipped = new Set([...unknown, ...ignored].map(tree.inRoot));
  const gone = [...committed.keys()].filter((p) => p !== configPath && !ours.has(p) && !skipped.has(p));
  return {
    files: files.filter((f) => !unknown.has(f.path) && differs(f)).length + gone.length,
    config: configPath !== undefined && configDiffers(config, committed.get(configPath)?.id),
  };
}

/** True when the config file's bytes, as they are or with CRLF line ends as LF (a checkout's), are not the blob `id`. */
function configDiffers(config: string, id: string | undefined): boolean {
  if (id === undefined) return true;
  let bytes: Buffer;
  try {
    bytes = readBounded(config, MAX_INPUT_BYTES);
  } catch {
    return false;
  }
  const lf = Buffer.from(bytes.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
  return blobId(bytes, id.length) !== id && blobId(lf, id.length) !== id;
}

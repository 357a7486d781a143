/**
 * CRLF line ends as git checks them out. synth writes LF; a checkout with `core.autocrlf true`
 * (Git for Windows' default) or an `eol=crlf` attribute gives every text file CRLF, which is the
 * same file to git and to kubectl. A file committed with CRLF (an editor's, or a commit with
 * `core.autocrlf false` on Windows) is not: every clone gets CRLF, and the next synth rewrites
 * every line of it. Nor is one given CRLF since, where git's settings would commit them.
 */
import { createHash } from 'node:crypto';

import { folderInWorkTree, gitLsFiles, runGit } from '../config/work-tree';
import { shownPath } from '../model/errors';

/** The id git gives a file of these bytes: its blob's hash (SHA-256 in a repository of that object format, where ids have 64 digits). */
export function blobId(bytes: string | Buffer, idLength: number): string {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  return createHash(idLength === 64 ? 'sha256' : 'sha1')
    .update(`blob ${data.length}\0`)
    .update(data)
    .digest('hex');
}

/** What git says of files that hold synth's content with CRLF line ends. */
export interface CrlfVerdict {
  /** Those that synth would rewrite (paths under the output folder). */
  readonly rewritten: string[];
  /** Why git could not be asked, when it could not (none is then counted as rewritten): one line. */
  readonly unverified?: string;
}

/**
 * Of `files` (paths under `out`, each holding its `content` with CRLF where synth writes LF),
 * those whose CRLF git does not turn back into `content`: what a commit would store of the file
 * (`git hash-object`: its bytes as git's settings for it convert them, `core.autocrlf`, `eol`,
 * `text` and filter attributes) must be what git's index holds, and that must be `content` (or,
 * where a filter stores something else, not `content` with CRLF: a file committed so). Asked by
 * content, not by git's cached file sizes and times, which a synth's rewrite changes. None outside
 * a git work tree: there only a checkout (or `git archive`) can have made them, as far as anything
 * here can tell.
 */
export function crlfNotFromCheckout(out: string, files: readonly { path: string; content: string }[]): CrlfVerdict {
  const tree = files.length === 0 ? undefined : folderInWorkTree(out);
  if (tree === undefined) return { rewritten: [] };
  const unverified = (why: string) => ({
    rewritten: [],
    unverified:
      `not verified: whether the CRLF line ends of ${files.length === 1 ? 'a file' : `${files.length} files`} in ` +
      `${shownPath(out)} come from git's checkout (${why}); counted as the same as synth's LF`,
  });
  // `-s`: `<mode> <id> <stage>\t<path>` of each file git's index holds under the folder.
  const indexed = gitLsFiles(tree.root, ['-s'], [tree.folder]);
  if (!Array.isArray(indexed)) return unverified(indexed.why);
  const ids = new Map(indexed.map((line) => [line.slice(line.indexOf('\t') + 1), line.split(' ')[1]]));
  const stored = storedIds(
    tree.root,
    files.map((f) => tree.inRoot(f.path)),
  );
  if (!Array.isArray(stored)) return unverified(stored.why);
  const rewritten = files.filter((f, i) => {
    const length = stored[i]?.length ?? 40;
    const [lf, crlf] = [blobId(f.content, length), blobId(f.content.replace(/\n/g, '\r\n'), length)];
    // Committed with CRLF: every clone has them (git hash-object, which does not read the index,
    // would store it as LF with core.autocrlf, where git keeps the index's CR).
    if (ids.get(tree.inRoot(f.path)) === crlf) return true;
    // A commit would store synth's bytes (whatever is staged now), or the CRLF as they are.
    if (stored[i] === lf) return false;
    if (stored[i] === crlf || stored[i] === undefined) return true;
    // Through a filter (git-crypt, LFS): what git stores of synth's LF bytes must be what it stores of the file.
    const ofSynth = runGit(tree.root, ['hash-object', '--stdin', `--path=${tree.inRoot(f.path)}`], f.content);
    return 'why' in ofSynth || ofSynth.stdout.trim() !== stored[i];
  });
  return { rewritten: rewritten.map((f) => f.path) };
}

/**
 * The ids of what a commit would store of `paths` (files of the work tree `root`, by their paths
 * in it): their bytes as git's settings for each convert them. Paths go on stdin, C-quoted, which
 * git reads back whatever they hold, so that any number fit.
 */
export function storedIds(root: string, paths: readonly string[]): string[] | { readonly why: string } {
  const quoted = paths.map((p) => `"${p.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n')}"\n`).join('');
  const hashed = runGit(root, ['hash-object', '--stdin-paths'], quoted);
  return 'why' in hashed ? hashed : hashed.stdout.split('\n').slice(0, paths.length);
}

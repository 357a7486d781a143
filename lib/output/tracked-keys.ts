/**
 * Plaintext-key Secrets that git tracks. The `.gitignore` synth writes beside such a Secret keeps
 * an untracked file out of git, but git goes on tracking a file it already has: one committed
 * while `commitPlaintextKey` was true, or added with `git add -f`. `git add -A` then stages each
 * new key, while the `.gitignore` seems to keep it out.
 */
import * as path from 'node:path';

import { MAX_INPUT_BYTES, readBounded } from '../config/bounded-read';
import { folderInWorkTree, gitLsFiles } from '../config/work-tree';
import { shellPath, shownPath } from '../model/errors';
import { ClusterOutput } from './render';

/** What git says of the plaintext-key files: those it tracks, or why it could not be asked. */
export interface TrackedKeys {
  /** Paths under `out` (`prod/00-secret-….yaml`). */
  readonly tracked: readonly string[];
  /** Why git could not be asked, in a work tree (not installed, a repository it refuses): not verified. */
  readonly unasked?: string;
}

/**
 * The files of `outputs` that hold a plaintext key the `.gitignore` lists, and that git tracks.
 * None outside a git work tree: nothing can be tracked there.
 */
export function trackedKeyFiles(out: string, outputs: readonly Pick<ClusterOutput, 'name' | 'files'>[]): TrackedKeys {
  const ignored = outputs.flatMap((o) => o.files.filter((f) => f.gitIgnored).map((f) => `${o.name}/${f.path}`));
  // Without a work tree, git is not started (a few stat calls, where starting git is milliseconds).
  const tree = ignored.length === 0 ? undefined : folderInWorkTree(out);
  if (tree === undefined) return { tracked: [] };
  // Asked in the work tree's top folder (the output folder may not be there: check of a missing one).
  const { root, inRoot } = tree;
  // `git ls-files` prints those of the paths it tracks.
  const listed = gitLsFiles(root, [], ignored.map(inRoot));
  if (!Array.isArray(listed)) {
    return { tracked: [], unasked: `not verified: whether git tracks the plaintext-key Secrets in ${shownPath(out)} (${listed.why})` };
  }
  const tracked = new Set(listed);
  return { tracked: ignored.filter((file) => tracked.has(inRoot(file))) };
}

/** What to do about a tracked key file: `file` is a path under `out`, as {@link trackedKeyFiles} gives it. */
export function trackedKeyMessage(out: string, file: string): string {
  // As the user would type it, quoted for a shell where it must be.
  const shown = shellPath(path.join(out, ...file.split('/')));
  return (
    `${shown} holds a plaintext private key and git tracks it (committed before, or added with -f), so its .gitignore ` +
    `does not keep it out: git add stages each new key. Run git rm --cached ${shown} and commit; the keys already ` +
    'committed stay in the history: rotate them (or use tls.source sealed-secret, external-secret or cert-manager)'
  );
}

/** A Secret file's name as synth writes it (`00-secret-….yaml`): where a private key may be. */
const SECRET_FILE = /(^|\/)\d\d-secret-[a-z0-9.-]+\.yaml$/;

/**
 * Of the files in `out` that synth would remove (`extra`, paths under it), those that hold a
 * private key (a Secret with `tls.key`) and that git neither tracks nor ignores, in a git work
 * tree: one left by a branch switch, whose `.gitignore` went with the branch, which `git add -A`
 * would commit. None outside a work tree, or where git cannot be asked.
 */
export function strayKeyFiles(out: string, extra: readonly string[]): string[] {
  const secrets = extra.filter((file) => SECRET_FILE.test(file) && holdsKey(path.join(out, ...file.split('/'))));
  const tree = secrets.length === 0 ? undefined : folderInWorkTree(out);
  if (tree === undefined) return [];
  // `--others --exclude-standard`: of these, the files git does not track and does not ignore.
  const listed = gitLsFiles(tree.root, ['--others', '--exclude-standard'], secrets.map(tree.inRoot));
  if (!Array.isArray(listed)) return [];
  const loose = new Set(listed);
  return secrets.filter((file) => loose.has(tree.inRoot(file)));
}

/** True when `file` is a Secret with a `tls.key` (read bounded; never shown). */
function holdsKey(file: string): boolean {
  try {
    const text = readBounded(file, MAX_INPUT_BYTES).toString('utf8');
    return /^kind: Secret$/m.test(text) && /^ {2}tls\.key: \S/m.test(text);
  } catch {
    return false;
  }
}

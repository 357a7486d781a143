/**
 * The private key files a config names, as git sees them. A GitOps repository holds the config
 * and the certificates beside it, and a CI clone is meant to have no keys: a `keyFile` that git
 * tracks is in every clone and in the history, and one that no `.gitignore` lists is committed by
 * the next `git add -A`. Git is asked once per work tree that holds such a file; outside a work
 * tree, nothing is started.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Problem, shellPath, shownPath } from '../model/errors';
import { ClusterSpec, InputFile } from './spec';
import { gitLsFiles, workTreeOf } from './work-tree';

/** What git says of the key files: a warning per field whose file it tracks or would add, and what it could not be asked. */
export interface KeysInGit {
  readonly problems: readonly Problem[];
  /** Why git could not be asked about a work tree's key files: not verified. */
  readonly notes: readonly string[];
}

/**
 * Names reserved for documentation and tests (RFC 2606, RFC 6761): no real cluster is served on
 * them, so a key for one guards nothing. The bundled example's demo key, for runai.example.com,
 * is committed on purpose.
 */
const DOCUMENTATION_NAME = /(^|\.)(example\.(com|net|org)|example|test|invalid|localhost)$/;

/**
 * The warnings `key-file-tracked` and `key-file-not-ignored` for the `keyFile` fields of
 * `inputs` (as `InputFiles.read` lists them), leaving out the keys of documentation names (the
 * cluster URL; an `inference` key's, the inference domain).
 * @param source the config file, which the warnings name
 */
export function keysInGit(inputs: readonly InputFile[], clusters: readonly ClusterSpec[], source: string): KeysInGit {
  const byIndex = new Map(clusters.map((c) => [c.index, c]));
  const keys = inputs.flatMap((input) => {
    const cluster = byIndex.get(Number(/^clusters\[(\d+)\]/.exec(input.path)?.[1]));
    if (!input.path.endsWith('.keyFile') || !cluster) return [];
    const domain = input.path.includes('.inference.') ? cluster.inference?.domain : cluster.clusterUrl;
    if (domain !== undefined && DOCUMENTATION_NAME.test(domain)) return [];
    // The file itself, where a link leads: a link in git is no key, and a key reached through a link to another repository is that one's.
    const file = realPath(input.file);
    const root = file === undefined ? undefined : workTreeOf(path.dirname(file));
    return file === undefined || root === undefined
      ? []
      : [{ input, cluster: cluster.name, root, rel: path.relative(root, file).split(path.sep).join('/') }];
  });
  const problems: Problem[] = [];
  const notes: string[] = [];
  for (const root of new Set(keys.map((k) => k.root))) {
    const here = keys.filter((k) => k.root === root);
    const status = gitStatus(root, [...new Set(here.map((k) => k.rel))]);
    if ('why' in status) {
      notes.push(`not verified: whether git tracks the key files in ${shownPath(root)} (${status.why})`);
      continue;
    }
    for (const { input, cluster, rel } of here) {
      const state = status.get(rel);
      if (state === undefined) continue; // ignored, and not tracked
      problems.push({
        source,
        path: input.path,
        cluster,
        severity: 'warning',
        code: state === 'untracked' ? 'key-file-not-ignored' : 'key-file-tracked',
        message:
          state === 'untracked'
            ? notIgnoredMessage(input.given, root, rel)
            : trackedMessage(input.given, root, rel, state === 'tracked-ignored'),
      });
    }
  }
  return { problems, notes };
}

/** What git says of a key file: tracked (and whether a `.gitignore` lists it all the same), or untracked and listed by none. */
type KeyState = 'tracked' | 'tracked-ignored' | 'untracked';

/** Only the `.gitignore` files count: `.git/info/exclude` and a user's own excludes file keep nothing out of a colleague's clone. */
const GITIGNORE_ONLY = '--exclude-per-directory=.gitignore';

/**
 * The state of each of `files` (paths under `root`) that git tracks or would add; an ignored
 * untracked file is left out. `why` says why git could not be asked.
 */
function gitStatus(root: string, files: readonly string[]): Map<string, KeyState> | { readonly why: string } {
  // -t tags each: `?` a file git does not track, another letter (H, S, …) one it tracks.
  const listed = gitLsFiles(root, ['-t', '--cached', '--others', GITIGNORE_ONLY], files);
  if (!Array.isArray(listed)) return listed;
  const states = new Map(listed.map((entry): [string, KeyState] => [entry.slice(2), entry[0] === '?' ? 'untracked' : 'tracked']));
  const tracked = [...states].filter(([, state]) => state === 'tracked').map(([file]) => file);
  if (tracked.length === 0) return states;
  // Tracked files a .gitignore lists: the line is there, and keeps nothing out.
  const ignored = gitLsFiles(root, ['--cached', '--ignored', GITIGNORE_ONLY], tracked);
  if (!Array.isArray(ignored)) return ignored;
  for (const file of ignored) states.set(file, 'tracked-ignored');
  return states;
}

/** The real path of `file`, links followed; `undefined` when it cannot be found. */
function realPath(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

/** A line of `.gitignore` at the work tree's top that names the file `rel` alone (anchored, its pattern characters escaped). */
function ignoreLine(rel: string): string {
  return `/${rel.replace(/[\\*?[]/g, '\\$&').replace(/ $/, '\\ ')}`;
}

function trackedMessage(given: string, root: string, rel: string, listed: boolean): string {
  const gitignore = shownPath(path.join(root, '.gitignore'));
  const untrack = `git --literal-pathspecs -C ${shellPath(root)} rm --cached -- ${shellPath(rel)}`;
  const mend = listed
    ? `a .gitignore lists it, which keeps out only files git does not track yet. Run ${untrack} and commit`
    : `run ${untrack}, add the line ${shownPath(ignoreLine(rel))} to ${gitignore} and commit`;
  return (
    `${shownPath(given)} is a private key that git tracks in ${shownPath(root)}: every clone of the repository has it; ${mend}; ` +
    'once committed, the history keeps the key: rotate it (or use tls.source sealed-secret, external-secret or cert-manager, ' +
    'whose keys stay out of git)'
  );
}

function notIgnoredMessage(given: string, root: string, rel: string): string {
  return (
    `${shownPath(given)} is a private key in the git work tree ${shownPath(root)} that no .gitignore lists, so git add -A ` +
    `commits it: add the line ${shownPath(ignoreLine(rel))} to ${shownPath(path.join(root, '.gitignore'))}`
  );
}

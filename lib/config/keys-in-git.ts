/**
 * The private key files a config names, as git sees them. A GitOps repository holds the config
 * and the certificates beside it, and a CI clone is meant to have no keys: a `keyFile` that git
 * tracks is in every clone and in the history, and one that no `.gitignore` lists is committed by
 * the next `git add -A`. Git is asked once per work tree that holds such a file; outside a work
 * tree, nothing is started.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

import { Problem, shellPath, shownPath } from '../model/errors';
import { ClusterSpec, InputFile } from './spec';
import { workTreeOf } from './work-tree';

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
 * `inputs` (as `InputFiles.read` lists them), leaving out the clusters on documentation names.
 * @param source the config file, which the warnings name
 */
export function keysInGit(inputs: readonly InputFile[], clusters: readonly ClusterSpec[], source: string): KeysInGit {
  const byIndex = new Map(clusters.map((c) => [c.index, c]));
  const keys = inputs.flatMap((input) => {
    const cluster = byIndex.get(Number(/^clusters\[(\d+)\]/.exec(input.path)?.[1]));
    if (!input.path.endsWith('.keyFile') || !cluster || DOCUMENTATION_NAME.test(cluster.clusterUrl)) return [];
    const root = workTreeOf(path.dirname(input.file));
    return root === undefined ? [] : [{ input, cluster: cluster.name, root }];
  });
  const problems: Problem[] = [];
  const notes: string[] = [];
  for (const root of new Set(keys.map((k) => k.root))) {
    const here = keys
      .filter((k) => k.root === root)
      .map((k) => ({ ...k, rel: path.relative(root, k.input.file).split(path.sep).join('/') }));
    const status = gitStatus(root, [...new Set(here.map((k) => k.rel))]);
    if (typeof status === 'string') {
      notes.push(`not verified: whether git tracks the key files in ${shownPath(root)} (${status})`);
      continue;
    }
    for (const { input, cluster, rel } of here) {
      const tag = status.get(rel);
      if (tag === undefined) continue; // ignored, and not tracked
      const tracked = tag !== '?';
      problems.push({
        source,
        path: input.path,
        cluster,
        severity: 'warning',
        code: tracked ? 'key-file-tracked' : 'key-file-not-ignored',
        message: tracked ? trackedMessage(input.given, root, rel) : notIgnoredMessage(input.given, root, rel),
      });
    }
  }
  return { problems, notes };
}

/**
 * Git's tag for each of `files` (paths under `root`) that it tracks or would add: `?` for a file it
 * does not track and no `.gitignore` lists, another letter (`H`, `S`, …) for one it tracks. An
 * ignored untracked file is left out. A string says why git could not be asked.
 */
function gitStatus(root: string, files: readonly string[]): Map<string, string> | string {
  // --literal-pathspecs: a file name with * or [ names that file, not a pattern.
  const r = spawnSync(
    'git',
    ['--literal-pathspecs', 'ls-files', '-z', '-t', '--cached', '--others', '--exclude-standard', '--', ...files],
    {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // Its message names paths of its own (a GIT_DIR, an owner it refuses): its exit is said, and the command to see why.
  if (r.error) return 'git could not be started';
  if (r.status !== 0 || typeof r.stdout !== 'string') return `git ls-files exited ${r.status}: run it there to see why`;
  const entries = r.stdout.split('\0').filter(Boolean);
  return new Map(entries.map((entry) => [entry.slice(2), entry[0]]));
}

/** A line of `.gitignore` at the work tree's top that names the file `rel` alone (anchored, its pattern characters escaped). */
function ignoreLine(rel: string): string {
  return `/${rel.replace(/[\\*?[]/g, '\\$&').replace(/ $/, '\\ ')}`;
}

function trackedMessage(given: string, root: string, rel: string): string {
  return (
    `${shownPath(given)} is a private key that git tracks in ${shownPath(root)}: every clone of the repository has it. ` +
    `Run git -C ${shellPath(root)} rm --cached -- ${shellPath(rel)}, add ${shownPath(ignoreLine(rel))} to ` +
    `${shownPath(path.join(root, '.gitignore'))} and commit; the history keeps the key: rotate it (or use tls.source ` +
    'sealed-secret, external-secret or cert-manager, whose keys stay out of git)'
  );
}

function notIgnoredMessage(given: string, root: string, rel: string): string {
  return (
    `${shownPath(given)} is a private key in the git work tree ${shownPath(root)} that no .gitignore lists, so git add -A ` +
    `commits it: add ${shownPath(ignoreLine(rel))} to ${shownPath(path.join(root, '.gitignore'))}`
  );
}

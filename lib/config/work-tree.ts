/**
 * The git work tree a folder is in, found as git finds it (the nearest folder above with a `.git`:
 * a folder, or a file in a linked work tree), and `git ls-files` asked about files in it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { shellPath } from '../model/errors';

/** The folder of the git work tree that holds `folder` (the nearest with a `.git` entry), if any. */
export function workTreeOf(folder: string): string | undefined {
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** A folder's git work tree, and the path by which git names a file under the folder. */
export interface FolderInWorkTree {
  /** The work tree's top folder, where git is asked. */
  readonly root: string;
  /** The folder as a path under `root` (`/`-separated; `.` for `root` itself). */
  readonly folder: string;
  /** `file`, a `/`-separated path under the folder, as a path under `root`. */
  readonly inRoot: (file: string) => string;
}

/** The git work tree that holds `folder` (which need not exist), if any. */
export function folderInWorkTree(folder: string): FolderInWorkTree | undefined {
  const root = workTreeOf(folder);
  if (root === undefined) return undefined;
  const under = path.relative(root, path.resolve(folder)).split(path.sep).join('/');
  return { root, folder: under === '' ? '.' : under, inRoot: (file) => (under === '' ? file : `${under}/${file}`) };
}

/**
 * The variables with which git finds its repository, set in a git hook (GIT_DIR, GIT_INDEX_FILE,
 * …) and by a caller: the work tree found above is asked about, not theirs. Git's configuration
 * from its command line (GIT_CONFIG_PARAMETERS, where a CI sets safe.directory) is kept.
 */
const REPOSITORY_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_COMMON_DIR',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_IMPLICIT_WORK_TREE',
  'GIT_PREFIX',
  'GIT_INTERNAL_SUPER_PREFIX',
  'GIT_SHALLOW_FILE',
  'GIT_GRAFT_FILE',
  'GIT_NO_REPLACE_OBJECTS',
  'GIT_REPLACE_REF_BASE',
];

/**
 * Runs `git ls-files -z <args> -- <files>` in the work tree `root`, `files` being paths under it
 * (`/`-separated), each naming that file (no pattern). Returns the paths git printed, or why git
 * could not be asked: one sentence, with the command to run there and, for a repository another
 * user owns, the setting that lets git read it.
 */
export function gitLsFiles(root: string, args: readonly string[], files: readonly string[]): string[] | { readonly why: string } {
  const env = gitEnv();
  const r = spawnSync('git', ['--literal-pathspecs', 'ls-files', '-z', ...args, '--', ...files], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.error) return { why: 'git could not be started' };
  if (r.status !== 0 || typeof r.stdout !== 'string') {
    // git's message names paths of its own: only its exit is said, and what to run to see it.
    const owner = /dubious ownership/.test(r.stderr ?? '')
      ? `; the repository is another user's: git config --global --add safe.directory ${shellPath(root)} lets git read it`
      : '';
    return { why: `git ls-files exited ${r.status}: run git -C ${shellPath(root)} ls-files to see why${owner}` };
  }
  return r.stdout.split('\0').filter(Boolean);
}

/**
 * The paths under `paths` (folders of the work tree `root`) that a commit would change: changed,
 * staged or new, as `git status` lists them (a file git ignores is not). `undefined` when git
 * cannot be asked. `--no-optional-locks`: a check does not write git's index (a CI job beside it may).
 */
export function gitUncommitted(root: string, paths: readonly string[]): string[] | undefined {
  const r = spawnSync(
    'git',
    ['--no-optional-locks', '--literal-pathspecs', 'status', '--porcelain', '-z', '--untracked-files=all', '--', ...paths],
    {
      cwd: root,
      env: gitEnv(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  if (r.status !== 0 || typeof r.stdout !== 'string') return undefined;
  // `XY <path>`, and after a rename or copy (X is R or C) the path it came from as a field of its own.
  const fields = r.stdout.split('\0').filter(Boolean);
  const files: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    files.push(fields[i].slice(3));
    if (/^[RC]/.test(fields[i])) i++;
  }
  return files;
}

/** True when git ignores `file` (a path under the work tree `root`, tracked files not); false when not, or when git cannot be asked. */
export function gitIgnores(root: string, file: string): boolean {
  return spawnSync('git', ['check-ignore', '-q', '--', file], { cwd: root, env: gitEnv(), stdio: 'ignore' }).status === 0;
}

/** A boolean setting of the work tree `root`'s git (`core.fileMode`); `undefined` when unset or git cannot be asked. */
export function gitConfigBool(root: string, key: string): boolean | undefined {
  const r = spawnSync('git', ['config', '--bool', key], {
    cwd: root,
    env: gitEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const value = r.status === 0 && typeof r.stdout === 'string' ? r.stdout.trim() : undefined;
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

/** The environment git is started with: without the variables that would point it at another repository. */
function gitEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of REPOSITORY_VARIABLES) delete env[name];
  return env;
}

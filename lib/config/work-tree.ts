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

/**
 * The git work tree that holds `folder` (which need not exist), if any, found from the folder's
 * real path: git names a file by where it is, not by a link that leads to it.
 */
export function folderInWorkTree(folder: string): FolderInWorkTree | undefined {
  const real = realPath(folder);
  const root = workTreeOf(real);
  if (root === undefined) return undefined;
  const under = path.relative(root, real).split(path.sep).join('/');
  return { root, folder: under === '' ? '.' : under, inRoot: (file) => (under === '' ? file : `${under}/${file}`) };
}

/** `file`'s absolute path without links: of the nearest folder above that exists, for one that does not. */
export function realPath(file: string): string {
  const resolved = path.resolve(file);
  try {
    // native: realpath(3), which gives a name as the folder holds it (Deploy typed, deploy there) on a
    // file system that ignores case; git names it so.
    return fs.realpathSync.native(resolved);
  } catch {
    const parent = path.dirname(resolved);
    return parent === resolved ? resolved : path.join(realPath(parent), path.basename(resolved));
  }
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
 * Runs `git <args>` in the work tree `root` (with `input` on its stdin). Returns what git printed,
 * or why it could not be asked: one sentence, with the command to run there and, for a repository
 * another user owns, the setting that lets git read it.
 */
export function runGit(
  root: string,
  args: readonly string[],
  input?: string,
): { readonly stdout: string } | { readonly why: string; readonly status: number | null } {
  const r = spawnSync('git', args, {
    cwd: root,
    env: gitEnv(),
    encoding: 'utf8',
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    maxBuffer: 1024 * 1024 * 1024,
  });
  const command = args.find((a) => !a.startsWith('-'));
  if (r.error) return { why: 'git could not be started', status: null };
  if (r.status !== 0 || typeof r.stdout !== 'string') {
    // git's message names paths of its own: only its exit is said, and what to run to see it.
    const owner = /dubious ownership/.test(r.stderr ?? '')
      ? `; the repository is another user's: git config --global --add safe.directory ${shellPath(root)} lets git read it`
      : '';
    // A command that needs its paths or input to fail again is not named: git status reads the same repository.
    const probe = command === 'ls-files' || command === 'config' ? command : 'status';
    return { why: `git ${command} exited ${r.status}: run git -C ${shellPath(root)} ${probe} to see why${owner}`, status: r.status };
  }
  return { stdout: r.stdout };
}

/**
 * Runs `git ls-files -z <args> -- <files>` in the work tree `root`, `files` being paths under it
 * (`/`-separated), each naming that file or folder (no pattern). Returns the paths git printed, or
 * why git could not be asked ({@link runGit}).
 */
export function gitLsFiles(root: string, args: readonly string[], files: readonly string[]): string[] | { readonly why: string } {
  const r = runGit(root, ['--literal-pathspecs', 'ls-files', '-z', ...args, '--', ...files]);
  return 'why' in r ? r : r.stdout.split('\0').filter(Boolean);
}

/**
 * True when git ignores `folder` (a folder of the work tree `root`, `.` for itself; tracked files
 * not), false when not, `undefined` when git cannot be asked.
 */
export function gitIgnoresFolder(root: string, folder: string): boolean | undefined {
  // With its slash: a pattern `dist/` matches a folder that is not there too. From ./: check-ignore
  // takes no --literal-pathspecs, and a name starting with : would be read as pathspec magic.
  const status = spawnSync('git', ['check-ignore', '-q', '--', folder === '.' ? '.' : `./${folder}/`], {
    cwd: root,
    env: gitEnv(),
    stdio: 'ignore',
  }).status;
  return status === 0 ? true : status === 1 ? false : undefined;
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

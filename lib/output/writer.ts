/**
 * Writes the output tree: one writer at a time (a lock beside the output folder), the new tree
 * built in a hidden folder beside the output folder and swapped in with two renames. On a
 * failure before the swap the previous output stays byte for byte as it was, and the message
 * says so; a failure after it says that the new output is in place. The only module that
 * writes to the output folder.
 *
 * Leftovers of an interrupted run are recognised and removed by `leftovers.ts`; what may be
 * replaced is checked by `replace-checks.ts`.
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import * as path from 'node:path';

import { InputError, shownPath } from '../model/errors';
import { findDrift } from './drift';
import { fsErrorCode, fsErrorText } from './fs-error-text';
import { holdSignals, releaseSignals } from './held-signals';
import {
  exists,
  FOLDER_MODE,
  leftoverFolder,
  MARKER_FILE,
  MARKER_MODE,
  MARKER_TEXT,
  recoverLeftovers,
  removeOurs,
  removeQuietly,
  WriterFs,
} from './leftovers';
import { acquireLock, Lock, lockFileOf, lockWaitSeconds } from './lock';
import { makeFolders } from './make-folders';
import { ClusterOutput } from './render';
import { assertRemovable, assertReplaceable, hadOutput, parentTrouble, renameTrouble } from './replace-checks';

export { FOLDER_MODE, MARKER_FILE, MARKER_MODE, MARKER_TEXT } from './leftovers';
export type { WriterFs } from './leftovers';
export { linksToFolder, NOT_A_FOLDER } from './replace-checks';

/**
 * TEST ONLY: when this environment variable names a step (its number, counted from 1 in each
 * run, or its name), the writer kills its own process with SIGKILL there, so that tests can
 * interrupt a synth at every point deterministically; `STEP:SIGINT` (or another signal's name)
 * sends that signal instead. Nothing else reads it.
 */
export const TEST_ONLY_KILL_ENV = 'RUNAI_ACCESS_TEST_ONLY_KILL_AT_STEP';

/** How a write waits for another one. */
export interface WriteOptions {
  /** What gave the folder, named in problems (a flag or a config field). @default '--out' */
  readonly source?: string;
  /**
   * The file system the tree is written, renamed and removed through (tests inject failures);
   * the lock and the up-to-date comparison use node:fs. @default node:fs
   */
  readonly fs?: WriterFs;
  /** Seconds to wait for another synth writing the same folder. @default - `RUNAI_ACCESS_LOCK_WAIT`, else 60 */
  readonly lockWaitSeconds?: number;
  /** Told once, in one line, when this run starts waiting for another. @default - nothing is told */
  readonly onWait?: (text: string) => void;
  /**
   * Called once the lock is held and an interrupted write's leftovers are put back, before the
   * folder is compared or replaced: what reads the previous output (for a summary of what the
   * write removes) reads the one this write replaces. @default - nothing is called
   */
  readonly beforeReplace?: () => void;
}

/**
 * What a write did: `written` replaced the folder; `up-to-date` found it holding exactly the
 * output (every file's bytes and mode bits, the folders, the marker, nothing else: what `check`
 * compares) and left it alone: no file in it is rewritten (the lock beside it still comes and goes).
 */
export type WriteOutcome = 'written' | 'up-to-date';

/**
 * Replaces `outDir` with the clusters' folders, unless it already holds exactly them. Refuses
 * (InputError, named by `options.source`) to replace a non-empty folder that runai-access did
 * not write, so `--out .` cannot delete a repository.
 */
export function writeOutput(
  outDir: string,
  clusters: readonly Pick<ClusterOutput, 'name' | 'files'>[],
  options: WriteOptions = {},
): WriteOutcome {
  const { source = '--out', fs = nodeFs } = options;
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  const base = path.basename(target);
  const step = stepper();
  const state: { swapped: boolean; aside?: string } = { swapped: false };
  let lock: Lock | undefined;
  try {
    const wait = options.lockWaitSeconds ?? lockWaitSeconds();
    makeFolders(parent, fs); // a file in the way is reported as such
    lock = acquireLock(lockFileOf(outDir), shownPath(outDir), source, wait, options.onWait);
    // The wait above stays interruptible; from here until the output is whole again, Ctrl-C waits.
    holdSignals();
    step('lock-taken');
    recoverLeftovers(parent, base, target, fs, step);
    assertReplaceable(target, outDir, source, fs);
    assertRemovable(target, outDir, source, fs);
    options.beforeReplace?.();
    if (holdsExactly(target, clusters, source, fs)) {
      step('output-already-up-to-date');
      return 'up-to-date';
    }
    const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
    const tmp = path.join(parent, leftoverFolder(base, 'tmp', suffix));
    buildTree(tmp, clusters, fs, step);
    lock.assertHeld();
    swapIn(tmp, target, path.join(parent, leftoverFolder(base, 'old', suffix)), state, fs, step);
    if (state.aside && fs.lstatSync(state.aside).isSymbolicLink()) {
      // The output was a link to a folder: the link is replaced, the folder it named is left as it is.
      fs.unlinkSync(state.aside);
    } else if (state.aside) {
      const del = path.join(parent, leftoverFolder(base, 'del', suffix));
      fs.renameSync(state.aside, del);
      state.aside = del;
      step('old-output-renamed-for-removal');
      removeOurs(del, fs, step);
      step('old-output-removed');
    }
    return 'written';
  } catch (e) {
    const code = fsErrorCode(e);
    const trouble =
      code && !state.swapped && !state.aside
        ? (renameTrouble(code, target, outDir, fs) ?? parentTrouble(e, code, target, outDir))
        : undefined;
    throw failure(e, shownPath(outDir), source, { ...state, hadOutput: hadOutput(target, fs), trouble });
  } finally {
    try {
      lock?.release();
    } catch {
      // A lock that cannot be removed is stale once this process ends; the next run takes it over.
    }
    releaseSignals();
  }
}

/** True when `target` is a folder that holds exactly `clusters`' output; false on any doubt. */
function holdsExactly(target: string, clusters: readonly Pick<ClusterOutput, 'name' | 'files'>[], source: string, fs: WriterFs): boolean {
  try {
    return exists(target, fs) && findDrift(target, clusters, { source, firstOnly: true }).length === 0;
  } catch (e) {
    // Cannot compare (an unreadable entry, a file-system error): replace it as usual, which
    // reports what stands in the way. Anything else is a bug, and is not hidden.
    if (e instanceof InputError || fsErrorCode(e)) return false;
    throw e;
  }
}

/** Turns an error into the one honest line the user sees. */
function failure(
  e: unknown,
  outDir: string,
  source: string,
  state: { swapped: boolean; aside?: string; hadOutput: boolean; trouble?: string },
): unknown {
  const code = fsErrorCode(e);
  if (e instanceof InputError || !code) return e;
  const text = code === 'ELOCKLOST' ? 'another runai-access took its lock over' : fsErrorText(code);
  const reason = state.trouble ? `${text}: ${state.trouble}` : text;
  const leftover = (e as { leftover?: string }).leftover;
  // Before the swap nothing of the output changed: there was a previous output, or there is none yet.
  const unchanged = state.hadOutput ? 'the previous output is unchanged' : 'no output was written';
  let message: string;
  if (leftover)
    message =
      `cannot write ${outDir}: ${shownPath(leftover)}, left by an earlier run, cannot be removed: ${reason}; ` +
      `remove it yourself (it may hold a copy of private keys); ${unchanged}`;
  else if (!state.swapped && !state.aside) message = `cannot write ${outDir}: ${reason}; ${unchanged}`;
  else if (!state.swapped)
    message =
      `cannot write ${outDir}: ${reason}; the previous output could not be put back and is in ${state.aside}: ` +
      'the next synth puts it back';
  else
    message =
      `wrote ${outDir}, but could not remove the previous output in ${state.aside}: ${reason}. ` +
      'It may hold a copy of private keys: the next synth removes it, or remove it yourself';
  return new InputError([{ source, path: '', message }]);
}

/** Counts the writer's steps and carries out {@link TEST_ONLY_KILL_ENV}. */
function stepper(): (name: string) => void {
  const [killAt, signal = 'SIGKILL'] = process.env[TEST_ONLY_KILL_ENV]?.split(':') ?? [];
  let count = 0;
  return (name) => {
    count += 1;
    if (killAt !== undefined && (killAt === String(count) || killAt === name)) process.kill(process.pid, signal);
  };
}

/**
 * Builds the new tree in `tmp`, the marker first so that an interrupted build is recognised as
 * ours, and each folder's `.gitignore` before its other files, so that no moment (a SIGKILL
 * between two files) leaves a key-holding Secret beside the output without the `.gitignore` that
 * keeps it out of git.
 */
function buildTree(
  tmp: string,
  clusters: readonly Pick<ClusterOutput, 'name' | 'files'>[],
  fs: WriterFs,
  step: (name: string) => void,
): void {
  try {
    const made = new Set<string>();
    makeDir(tmp, made, fs);
    step('temporary-folder-made');
    writeFile(path.join(tmp, MARKER_FILE), MARKER_TEXT, MARKER_MODE, fs);
    for (const cluster of clusters) {
      const dir = path.join(tmp, cluster.name);
      makeDir(dir, made, fs);
      for (const file of gitignoresFirst(cluster.files)) {
        const full = path.join(dir, ...file.path.split('/'));
        makeDir(path.dirname(full), made, fs);
        writeFile(full, file.content, file.mode, fs);
        step('file-written');
      }
    }
  } catch (e) {
    removeQuietly(tmp, fs);
    throw e;
  }
}

/** The files with every `.gitignore` first, the rest in their order. */
function gitignoresFirst<F extends { readonly path: string }>(files: readonly F[]): F[] {
  const isGitignore = (f: F) => path.posix.basename(f.path) === '.gitignore';
  return [...files.filter(isGitignore), ...files.filter((f) => !isGitignore(f))];
}

function swapIn(
  tmp: string,
  target: string,
  old: string,
  state: { swapped: boolean; aside?: string },
  fs: WriterFs,
  step: (name: string) => void,
): void {
  const hadOld = exists(target, fs);
  try {
    if (hadOld) fs.renameSync(target, old);
  } catch (e) {
    removeQuietly(tmp, fs);
    throw e;
  }
  if (hadOld) state.aside = old;
  step('between-the-renames');
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    if (hadOld) {
      fs.renameSync(old, target);
      state.aside = undefined;
    }
    removeQuietly(tmp, fs);
    throw e;
  }
  state.swapped = true;
  step('new-output-in-place');
}

/** Creates `dir` (mode 0755 whatever the umask) unless this run already made it. */
function makeDir(dir: string, made: Set<string>, fs: WriterFs): void {
  if (made.has(dir)) return;
  fs.mkdirSync(dir);
  fs.chmodSync(dir, FOLDER_MODE);
  made.add(dir);
}

/** Writes with the mode from the start (a key is never readable by others) and fixes it past the umask. */
function writeFile(file: string, content: string, mode: number, fs: WriterFs): void {
  fs.writeFileSync(file, content, { mode, flag: 'wx' });
  fs.chmodSync(file, mode);
}

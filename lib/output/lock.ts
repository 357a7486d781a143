/**
 * One writer at a time: a lock file beside the output folder (`.dist.lock` for `dist`), created
 * atomically (`O_CREAT|O_EXCL`) and holding its owner's pid, host and start time. A second
 * synth waits for it a bounded time, then gives up with one line naming the holder. A lock
 * whose process is gone (killed, crashed) is stale and taken over safely: it is renamed away
 * first, and put back if it turned out to be a live lock taken in the meantime.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { InputError, shellPath, shownBare, shownPath } from '../model/errors';
import { fsErrorCode, fsErrorText } from './fs-error-text';
import { Holder, isStale, readLock, Seen } from './lock-file';
import { sleep } from './sleep';

/** The environment variable that sets how long a synth waits for another one, in seconds. */
export const LOCK_WAIT_ENV = 'RUNAI_ACCESS_LOCK_WAIT';
/** How long a synth waits for another one to finish, by default. */
export const DEFAULT_LOCK_WAIT_SECONDS = 60;
const MAX_LOCK_WAIT_SECONDS = 3600;
const POLL_MS = 50;
/** Tries in a row without a pause (a lock released or taken over in between), before one. */
const MAX_RETRIES = 20;

/** A lock this process holds. */
export interface Lock {
  /** Throws when another process has taken the lock over (only possible in a three-way race on a stale lock). */
  assertHeld(): void;
  /** Removes the lock file if it is still this process's. */
  release(): void;
}

/** The name of the lock file of output folder `base`, in the same parent folder. */
export function lockFileName(base: string): string {
  return `.${base}.lock`;
}

/** The lock file of the output folder `outDir`: beside it, in its parent folder. */
export function lockFileOf(outDir: string): string {
  const target = path.resolve(outDir);
  return path.join(path.dirname(target), lockFileName(path.basename(target)));
}

/** The wait from {@link LOCK_WAIT_ENV}, or the default; a bad value is an input error. */
export function lockWaitSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[LOCK_WAIT_ENV];
  if (text === undefined || text === '') return DEFAULT_LOCK_WAIT_SECONDS;
  if (!/^\d{1,4}$/.test(text) || Number(text) > MAX_LOCK_WAIT_SECONDS) {
    throw new InputError([
      {
        source: LOCK_WAIT_ENV,
        path: '',
        message: `must be a whole number of seconds from 0 to ${MAX_LOCK_WAIT_SECONDS}; this run wrote nothing`,
      },
    ]);
  }
  return Number(text);
}

/**
 * Takes the lock `file` for the output folder `given` (as the user named it), waiting up to
 * `waitSeconds` for another holder. `onWait` is told once when waiting starts.
 */
export function acquireLock(file: string, given: string, source: string, waitSeconds: number, onWait?: (text: string) => void): Lock {
  const mine: Holder = { pid: process.pid, host: os.hostname(), started: new Date().toISOString(), nonce: randomBytes(8).toString('hex') };
  const text = `${JSON.stringify(mine)}\n`;
  const deadline = Date.now() + waitSeconds * 1000;
  let told = false;
  let retries = 0;
  for (;;) {
    if (tryCreate(file, text)) return heldLock(file, text);
    const seen = readLock(file, source);
    // Released in the meantime, or stale and taken over: try again at once, but never without end.
    if (seen === undefined || isStale(seen)) {
      if (seen) takeOverOrSay(file, seen, source);
      if (++retries < MAX_RETRIES) continue;
      if (Date.now() >= deadline) {
        throw new InputError([
          { source, path: '', message: `${shownPath(file)} keeps coming back; waited ${waitSeconds} s. ${advice(file)}` },
        ]);
      }
      retries = 0;
      sleep(POLL_MS);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new InputError([{ source, path: '', message: `${describeHolder(seen, given)}; waited ${waitSeconds} s. ${advice(file)}` }]);
    }
    if (!told && onWait) onWait(`${describeHolder(seen, given)}; waiting up to ${waitSeconds} s\n`);
    told = true;
    retries = 0;
    sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
  }
}

/** How long {@link awaitRelease} may wait, and what it says when it stops. */
export interface ReleaseWait {
  /** The wait in seconds, as `RUNAI_ACCESS_LOCK_WAIT` gave it (said in messages). */
  readonly waitSeconds: number;
  /** When the wait ends, in `Date.now()` time. @default - waitSeconds from now */
  readonly deadline?: number;
  /** What the reader did, said when the wait ends. @default 'compared nothing' */
  readonly outcome?: string;
  /** How the wait is told when it ends. @default 'waited <waitSeconds> s' */
  readonly waited?: string;
  /** Told once, when the wait starts. */
  readonly onWait?: (text: string) => void;
}

/**
 * Waits, taking nothing, until no live process holds the lock `file` of the output folder `given`
 * (a reader such as `check`, which must not compare a folder in the middle of its swap, and may
 * run where nothing can be written). A stale lock is not waited for. `onWait` is told once.
 * Throws at the deadline with one line naming the holder.
 */
export function awaitRelease(file: string, given: string, source: string, wait: ReleaseWait): void {
  const { waitSeconds, deadline = Date.now() + waitSeconds * 1000, outcome = 'compared nothing', onWait } = wait;
  const waited = wait.waited ?? `waited ${waitSeconds} s`;
  let told = false;
  for (;;) {
    const seen = readLock(file, source);
    if (seen === undefined || isStale(seen)) return;
    if (Date.now() >= deadline) {
      throw new InputError([
        {
          source,
          path: '',
          message:
            `${describeHolder(seen, given)}; ${waited}, and ${outcome}. Run again when it is done, ` +
            `or, if no such process runs, remove ${shownPath(file)}`,
        },
      ]);
    }
    if (!told && onWait) onWait(`${describeHolder(seen, given)}; waiting up to ${waitSeconds} s\n`);
    told = true;
    sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
  }
}

/** True when a live process (or one that cannot be told dead) holds the lock `file`, as {@link awaitRelease} would wait for it. */
export function lockHeld(file: string, source: string): boolean {
  const seen = readLock(file, source);
  return seen !== undefined && !isStale(seen);
}

function tryCreate(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    // Readable by every user whatever the umask: a reader of another user (check) tells a live holder from a dead one.
    try {
      fs.fchmodSync(fd, 0o644);
    } catch {
      // a file system without modes: its files are as readable as they can be
    }
    fs.writeSync(fd, text);
  } catch (e) {
    // A full disk: an empty lock file left behind would read as another writer's to the next run.
    try {
      fs.closeSync(fd);
    } finally {
      fs.rmSync(file, { force: true });
    }
    throw e;
  }
  fs.closeSync(fd);
  return true;
}

/**
 * Where {@link takeOver} moves stale lock `file` first: `.dist.lock.stale-<pid>-<8 hex>` (`suffix`),
 * the longest name synth gives a file beside the output.
 */
export function staleLockAside(file: string, suffix: string): string {
  return `${file}.stale-${suffix}`;
}

/**
 * Removes a stale lock without ever removing a live one: the lock is renamed to a name of
 * this process's own, and if what was renamed is not the stale lock that was read (another
 * process took the lock over in between), it is linked back, which fails rather than replace
 * a lock that exists again. A rename this user may not make goes to `refused`.
 */
function takeOver(file: string, staleText: string, refused: (e: unknown) => never): void {
  const aside = staleLockAside(file, `${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    fs.renameSync(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    refused(e);
  }
  try {
    if (fs.readFileSync(aside, 'utf8') !== staleText) {
      try {
        fs.linkSync(aside, file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

/**
 * {@link takeOver}, or one line when this user may not move the stale lock aside because the
 * folder has the sticky bit (a shared /tmp-like folder): there only the lock file's owner, the
 * folder's or root may, and the folder, which this user can write, would otherwise be blamed.
 * Any other refusal is the folder's, said as before.
 */
function takeOverOrSay(file: string, seen: Seen, source: string): void {
  takeOver(file, seen.text, (e) => {
    const code = fsErrorCode(e);
    if ((code !== 'EPERM' && code !== 'EACCES') || !sticky(path.dirname(file))) throw e;
    const whose = seen.holder
      ? `left by runai-access pid ${shownBare(String(seen.holder.pid))}, which is gone`
      : 'left by a process that is gone';
    throw new InputError([
      {
        source,
        path: '',
        message:
          `${shownPath(file)} is a stale lock (${whose}) that this user cannot remove: ${fsErrorText(code)}; its folder has ` +
          `the sticky bit, so only the lock file's owner (or the folder's, or root) may. Remove it as that user ` +
          `(rm ${shellPath(file)}); this run wrote nothing`,
      },
    ]);
  });
}

/** True when `dir` has the sticky bit (S_ISVTX), which lets only an entry's owner remove or rename it. */
function sticky(dir: string): boolean {
  try {
    return (fs.statSync(dir).mode & 0o1000) !== 0;
  } catch {
    return false;
  }
}

function heldLock(file: string, text: string): Lock {
  const held = () => {
    try {
      return fs.readFileSync(file, 'utf8') === text;
    } catch {
      return false;
    }
  };
  return {
    assertHeld() {
      if (!held()) throw Object.assign(new Error(`lost the lock ${file}`), { code: 'ELOCKLOST' });
    },
    release() {
      if (held()) fs.rmSync(file, { force: true });
    },
  };
}

function describeHolder(seen: Seen, given: string): string {
  const holder = seen.holder;
  if (seen.unreadable) return `another user's runai-access may be writing ${given} (its lock file cannot be read)`;
  // Created, not yet filled in: a runai-access that has just taken the lock.
  if (seen.text === '') return `another process has just taken the lock of ${given} (its lock file is still empty)`;
  if (!holder) return `another process is writing ${given} (its lock file names no runai-access process)`;
  // The lock file's text, which anyone could have written: shown only when plain.
  const [pid, host, started] = [holder.pid, holder.host, holder.started].map((v) => shownBare(String(v)));
  return `another runai-access (pid ${pid} on ${host}, started ${started}) is writing ${given}`;
}

function advice(file: string): string {
  return `This run wrote nothing; run again when it is done, or, if no such process runs, remove ${shownPath(file)}`;
}

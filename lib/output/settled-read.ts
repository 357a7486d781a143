/**
 * Reading the output folder while a `synth` may be replacing it: the writer swaps the folder in
 * with two renames under its lock, and between them the folder is not there. A reader (`check`)
 * takes no lock, since it may run where nothing can be written (a read-only CI checkout): it
 * waits for a writer at work, and reads again when a writer was at work while it read.
 *
 * Whether one was is told by the folder that holds the output folder: every writer changes its
 * entries (it creates its lock there, builds its new tree there, renames, removes its lock), and
 * each change sets that folder's modification time. The output folder's own inode would not do:
 * a file system may give the next new folder the inode of the one just removed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { shownPath } from '../model/errors';
import { awaitRelease, lockFileOf } from './lock';

export interface SettledReadOptions {
  /** How long to wait for a writer, in seconds (`RUNAI_ACCESS_LOCK_WAIT`), each time. */
  readonly waitSeconds: number;
  /** Told once when the read waits for a writer. */
  readonly onWait?: (text: string) => void;
}

/** How many times the folder is read, at most, while writers keep replacing it: then the last read is the answer. */
const MAX_READS = 5;

/**
 * Runs `read` of the folder `out` when no writer holds its lock, and again while a writer changed
 * the folder beside it as it read. What `read` threw (the folder, or a file in it, gone from under
 * it) is thrown only from a read that no writer disturbed, or from the last.
 */
export function readSettled<T>(out: string, read: () => T, options: SettledReadOptions): T {
  let told = false;
  const onWait = (text: string) => {
    if (!told) options.onWait?.(text);
    told = true;
  };
  for (let reads = 1; ; reads++) {
    awaitRelease(lockFileOf(out), shownPath(out), '--out', options.waitSeconds, onWait);
    const before = stamp(out);
    let outcome: { value: T } | { error: unknown };
    try {
      outcome = { value: read() };
    } catch (error) {
      outcome = { error };
    }
    if (stamp(out) === before || reads === MAX_READS) {
      if ('error' in outcome) throw outcome.error;
      return outcome.value;
    }
  }
}

/** The state of the folder that holds `out`: its modification and change times, to the nanosecond, and `out`'s inode. */
function stamp(out: string): string {
  const target = path.resolve(out);
  const of = (file: string) => {
    try {
      const s = fs.lstatSync(file, { bigint: true });
      return `${s.dev}:${s.ino}:${s.mtimeNs}:${s.ctimeNs}`;
    } catch {
      return 'none';
    }
  };
  return `${of(path.dirname(target))}/${of(target)}`;
}

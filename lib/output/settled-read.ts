/**
 * Reading the output folder while a `synth` may be replacing it: the writer swaps the folder in
 * with two renames under its lock, and between them the folder is not there. A reader (`check`)
 * takes no lock, since it may run where nothing can be written (a read-only CI checkout): it
 * waits for a writer at work, and reads again when a writer was at work while it read.
 *
 * Whether one was is told three ways: its lock held just after the read's first stamp or after the
 * read; the output folder's own stamp (inode, modification and change times); and the folder that
 * holds it, whose entries every writer changes (its lock, its new tree, the renames). The inode
 * alone would not do: a file system may give the next new folder the inode of the one just removed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { InputError, shownPath } from '../model/errors';
import { awaitRelease, lockFileOf, lockHeld } from './lock';

export interface SettledReadOptions {
  /** How long to wait for writers, in seconds (`RUNAI_ACCESS_LOCK_WAIT`), in all: one wait, however many reads. */
  readonly waitSeconds: number;
  /** Told once when the read waits for a writer. */
  readonly onWait?: (text: string) => void;
}

/** How many times the folder is read, at most, while writers keep replacing it. */
const MAX_READS = 5;

/**
 * Runs `read` of the folder `out` when no writer holds its lock, and again while a writer was at
 * work as it read: its lock held just after the first stamp or after the read, or the folder
 * beside it changed. What `read` threw (the folder, or a file in it, gone from under it) is thrown
 * only from a read that no writer disturbed. After five reads that only a change beside the folder
 * disturbed (something else writes there), the fifth stands; after five a writer disturbed, the
 * run refuses.
 */
export function readSettled<T>(out: string, read: () => T, options: SettledReadOptions): T {
  let told = false;
  const onWait = (text: string) => {
    if (!told) options.onWait?.(text);
    told = true;
  };
  const lock = lockFileOf(out);
  // Reads a writer disturbed, and reads only a change beside the folder disturbed: each up to MAX_READS.
  let replaced = 0;
  let besideOnly = 0;
  // A writer that took the lock between the wait and the first stamp (and is between its renames now) is seen by this.
  const writing = () => lockHeld(lock, '--out');
  const deadline = Date.now() + options.waitSeconds * 1000;
  for (;;) {
    const reads = replaced + besideOnly;
    awaitRelease(lock, shownPath(out), '--out', {
      waitSeconds: options.waitSeconds,
      deadline,
      // Reads made before: the wait they shared ran out, and none of them is an answer.
      ...(reads === 0
        ? {}
        : {
            waited: `the ${options.waitSeconds} s wait ran out`,
            outcome:
              'has no comparison: a writer, or a change beside the folder, disturbed ' +
              `${reads === 1 ? 'the one read' : `each of the ${reads} reads`} it tried`,
          }),
      onWait,
    });
    const before = stamp(out);
    let outcome: { value: T } | { error: unknown } | undefined;
    if (!writing()) {
      try {
        outcome = { value: read() };
      } catch (error) {
        outcome = { error };
      }
    }
    const after = stamp(out);
    if (outcome === undefined || writing() || after.output !== before.output) {
      if (++replaced < MAX_READS) continue;
      throw new InputError([
        {
          source: '--out',
          path: '',
          message: `${shownPath(out)} was replaced while check read it, ${MAX_READS} times; run check again when no synth writes it`,
        },
      ]);
    }
    if (after.beside !== before.beside && ++besideOnly < MAX_READS) continue;
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }
}

/** The state of `out` (its inode, modification and change times, to the nanosecond) and of the folder that holds it. */
function stamp(out: string): { readonly output: string; readonly beside: string } {
  const target = path.resolve(out);
  const of = (file: string) => {
    try {
      const s = fs.lstatSync(file, { bigint: true });
      return `${s.dev}:${s.ino}:${s.mtimeNs}:${s.ctimeNs}`;
    } catch {
      return 'none';
    }
  };
  return { output: of(target), beside: of(path.dirname(target)) };
}

/**
 * Reading the output folder while a `synth` may be replacing it: the writer swaps the folder in
 * with two renames under its lock, and between them the folder is not there. A reader (`check`)
 * takes no lock, since it may run where nothing can be written (a read-only CI checkout): it
 * waits for a writer at work, and reads again when a writer replaced the folder while it read.
 */
import * as fs from 'node:fs';

import { shownPath } from '../model/errors';
import { awaitRelease, lockFileOf } from './lock';

export interface SettledReadOptions {
  /** How long to wait for a writer, in seconds (`RUNAI_ACCESS_LOCK_WAIT`). */
  readonly waitSeconds: number;
  /** Told once when the read waits for a writer. */
  readonly onWait?: (text: string) => void;
}

/**
 * Runs `read` of the folder `out` when no writer holds its lock. When `suspect` finds fault with
 * what was read (drift), and the folder was replaced meanwhile (another inode) or a writer holds it
 * now, the writer is waited for and the folder read again: the second read is the answer.
 */
export function readSettled<T>(out: string, read: () => T, suspect: (result: T) => boolean, options: SettledReadOptions): T {
  const settle = () => awaitRelease(lockFileOf(out), shownPath(out), '--out', options.waitSeconds, options.onWait);
  settle();
  const before = identity(out);
  const first = read();
  if (!suspect(first)) return first;
  settle();
  return identity(out) === before ? first : read();
}

/** What tells one folder at `out` from the next: its device and inode, or none. */
function identity(out: string): string {
  try {
    const stat = fs.lstatSync(out);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return 'none';
  }
}

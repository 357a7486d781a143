/**
 * What is on disk in an output folder, for `check`: every entry found without following a
 * symbolic link (so a loop cannot trap the walk and a link is never taken for a file), with
 * its type and mode, and one problem per entry that cannot be read.
 */
import * as fs from 'node:fs';

import { refusal } from '../config/bounded-read';
import { entriesOf, Entry, EntryPath } from './entry-names';

/** One entry of the output folder. */
export interface TreeEntry {
  /** `file` is a regular file; `other` is a symbolic link, FIFO, socket or device. */
  readonly type: 'file' | 'folder' | 'other';
  /** Every mode bit: permissions, setuid, setgid and sticky. */
  readonly mode: number;
}

/** The output folder's entries, keyed by path relative to it (`/`-separated; the folder itself is `''`). */
export interface OutputTree {
  readonly entries: ReadonlyMap<string, TreeEntry>;
  /** Entries that could not be read, with why: `demo` → "cannot be read: permission denied". */
  readonly unreadable: ReadonlyMap<string, string>;
}

/** Walks `root`; a missing root gives an empty tree. Names are read as bytes (`entriesOf`). */
export function scanOutput(root: string): OutputTree {
  const entries = new Map<string, TreeEntry>();
  const unreadable = new Map<string, string>();
  const visit = (full: EntryPath, rel: string) => {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(full);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      unreadable.set(rel, refusal(e).phrase);
      return;
    }
    const type = stat.isFile() ? 'file' : stat.isDirectory() ? 'folder' : 'other';
    entries.set(rel, { type, mode: stat.mode & 0o7777 });
    if (type !== 'folder') return;
    let names: Entry[];
    try {
      names = entriesOf(full);
    } catch (e) {
      unreadable.set(rel, refusal(e).phrase);
      return;
    }
    // A name that is not UTF-8 is keyed as shown (`\xff`): no file of the output has it, so it is extra.
    for (const e of names) visit(e.path, rel ? `${rel}/${e.shown}` : e.shown);
  };
  visit(root, '');
  return { entries, unreadable };
}

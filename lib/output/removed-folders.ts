/**
 * The cluster folders of the previous output a synth leaves out (a cluster removed or renamed, or
 * another config's clusters in the same output folder), each with the config its files say wrote
 * it. The summary names them (cli/removal-report.ts); output/removed-objects.ts finds the objects
 * a kept folder no longer holds.
 */

import * as path from 'node:path';

import { DNS_LABEL } from '../model/dns-names';
import { DELIVERY_DIR } from '../model/output-layout';
import { entriesOf } from './entry-names';
import { configOfFolder, hasHeader, hasHeaderText, objectOf, readHead, writtenByOtherConfig, writtenByUs } from './previous-files';

/** A cluster folder of the previous output that the new one leaves out. */
export interface RemovedFolder {
  /** Its name, the cluster's. */
  readonly name: string;
  /** The config its first object file's header names, when it has one. */
  readonly writtenFrom?: string;
  /**
   * False for a folder runai-access did not write: its name is no cluster's (a DNS label), or no
   * file in it or one level down (helm/, patches/) carries the header of ours. It goes with the
   * output all the same. The delivery folder is always ours.
   */
  readonly generated: boolean;
  /**
   * Its RunaiConfig overlay (`runai/runai`), the Run:ai operator's own object, which
   * `kubectl delete -f` of the folder would delete. Only of a cluster folder this config wrote.
   */
  readonly overlay?: string;
}

/**
 * The folders of `outDir` (an output runai-access wrote: it carries the marker) other than
 * `kept`, in name order; none when there is no such output or it cannot be read (the writer
 * then reports what is wrong). `ownConfig` is this synth's header's config (`configOfHeader`).
 */
export function removedFolders(outDir: string, kept: readonly string[], ownConfig: string | undefined): RemovedFolder[] {
  try {
    // A link is replaced by the new output, and the folder it named is left as it is: nothing in it is removed (writtenByUs).
    if (!writtenByUs(outDir)) return [];
    return entriesOf(outDir)
      .filter((e) => e.dirent.isDirectory() && !e.shown.startsWith('.') && !kept.includes(e.shown))
      .sort((a, b) => (a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : 0))
      .map(({ shown: name, path: dir }) => {
        // A name that is not UTF-8 (shown by its bytes) is no cluster's, and its files are no config's.
        const writtenFrom = typeof dir === 'string' ? configOfFolder(dir, ownConfig) : undefined;
        // The delivery folder's name is ours alone; a cluster's folder has a cluster's name and a file of ours.
        const generated = name === DELIVERY_DIR || (DNS_LABEL.test(name) && hasHeader(dir));
        const folder = writtenFrom === undefined ? { name, generated } : { name, writtenFrom, generated };
        // What another config wrote is that config's to name.
        const ours = generated && name !== DELIVERY_DIR && typeof dir === 'string' && !writtenByOtherConfig(writtenFrom, ownConfig);
        const overlay = ours ? overlayIn(dir) : undefined;
        return overlay === undefined ? folder : { ...folder, overlay };
      });
  } catch {
    return [];
  }
}

/** What of an object file is read: the files we write are a few kilobytes. */
const OBJECT_BYTES = 64 * 1024;
/** The file `objectFileName` gives a RunaiConfig. */
const OVERLAY_FILE = /^\d\d-runaiconfig-[a-z0-9.-]+\.yaml$/;

/** The RunaiConfig (`namespace/name`) a file of ours in a cluster folder holds, if any. */
function overlayIn(dir: string): string | undefined {
  const buffer = Buffer.alloc(OBJECT_BYTES);
  for (const e of entriesOf(dir)) {
    if (!e.dirent.isFile() || !OVERLAY_FILE.test(e.shown)) continue;
    const text = readHead(path.join(dir, e.shown), buffer);
    // A file of ours only: its first lines carry the header; a hand-made one is no overlay of ours.
    const object = text !== undefined && hasHeaderText(text) ? objectOf(text) : undefined;
    if (object?.kind === 'RunaiConfig') return `${object.namespace}/${object.name}`;
  }
  return undefined;
}

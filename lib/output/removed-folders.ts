/**
 * The cluster folders a synth removes: those of the previous output that the new one leaves
 * out (a cluster removed or renamed, or another config's clusters in the same output folder),
 * each with the config its files say wrote it, so that the summary names them.
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';

import { headerConfig } from './generated-header';
import { MARKER_FILE } from './leftovers';

/** A cluster folder of the previous output that the new one leaves out. */
export interface RemovedFolder {
  /** Its name, the cluster's. */
  readonly name: string;
  /** The config its first object file's header names, when it has one. */
  readonly writtenFrom?: string;
}

/** What of a file is read for its header: the first line is far shorter. */
const HEADER_BYTES = 4096;

/**
 * The folders of `outDir` (an output runai-access wrote: it carries the marker) other than
 * `kept`, in name order; none when there is no such output or it cannot be read (the writer
 * then reports what is wrong).
 */
export function removedFolders(outDir: string, kept: readonly string[], fs: typeof nodeFs = nodeFs): RemovedFolder[] {
  try {
    if (!fs.lstatSync(path.join(outDir, MARKER_FILE)).isFile()) return [];
    return fs
      .readdirSync(outDir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !kept.includes(e.name))
      .map((e) => e.name)
      .sort()
      .map((name) => {
        const writtenFrom = configOfFolder(path.join(outDir, name), fs);
        return writtenFrom === undefined ? { name } : { name, writtenFrom };
      });
  } catch {
    return [];
  }
}

/** The config named by the header of the folder's first YAML file, if any. */
function configOfFolder(dir: string, fs: typeof nodeFs): string | undefined {
  const first = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .map((e) => e.name)
    .sort()[0];
  if (!first) return undefined;
  const fd = fs.openSync(path.join(dir, first), 'r');
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const read = fs.readSync(fd, buffer, 0, HEADER_BYTES, 0);
    return headerConfig(buffer.subarray(0, read).toString('utf8').split('\n')[0]);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The files and folders of the previous output that runai-access did not write and the new output
 * does not hold: a README or a kustomization put into dist/ by hand, a hidden folder, an object
 * file of one's own in a cluster folder. Synth replaces the output folder whole, so they go with
 * it; the summary names each (cli/removal-report.ts), since nothing else would. Folders the new
 * output leaves out are output/removed-folders.ts's to name, and objects it no longer writes
 * output/removed-objects.ts's.
 */
import * as path from 'node:path';

import { PATCHES_DIR } from '../model/output-layout';
import { entriesOf, Entry } from './entry-names';
import { MARKER_FILE } from './leftovers';
import { fileHasHeader, hasHeader, HEADER_BYTES, writtenByUs } from './previous-files';

/** A kept folder of the new output: its name and the paths of its files, relative to it (`helm/…`). */
export interface KeptFolder {
  readonly name: string;
  readonly files: readonly { readonly path: string }[];
}

/**
 * The legacy patch's JSON files (`LegacyIngressPatch`: `patches/<ingress>-tls.json`, `…-tls-create.json`),
 * the only files runai-access writes that cannot carry its header: JSON has no comments.
 */
const PATCH_JSON = new RegExp(`^${PATCHES_DIR}/[a-z0-9.-]+-tls(-create)?\\.json$`);

/** How deep a kept folder is looked into: its own files, and those of helm/ and patches/ (and a folder of one's own there). */
const DEPTH = 2;

/**
 * The paths, relative to `outDir` and in name order (a folder's ending in `/`), of what the
 * previous output holds that runai-access did not write and the new one leaves out: at the top,
 * every file but the marker and every hidden folder; in a kept folder, every file not written
 * again whose first two lines hold no header of ours, and every folder that holds none of its
 * files. `reported` (`cluster/file`) are named already, as objects no longer written. None when
 * `outDir` is no output of ours, or is a link (the folder it names is left as it is). `listed`: the
 * entries of kept folders read already (by `removedObjects`), by folder name.
 */
export function foreignFiles(
  outDir: string,
  kept: readonly KeptFolder[],
  reported: ReadonlySet<string>,
  listed: ReadonlyMap<string, readonly Entry[]> = new Map(),
): string[] {
  if (!writtenByUs(outDir)) return [];
  const buffer = Buffer.alloc(HEADER_BYTES);
  const found: string[] = [];
  const byName = new Map(kept.map((k) => [k.name, k]));
  for (const e of list(outDir)) {
    if (e.dirent.isDirectory()) {
      const folder = byName.get(e.shown);
      if (folder) found.push(...inKept(outDir, folder, reported, buffer, listed.get(folder.name)));
      else if (e.shown.startsWith('.')) found.push(`${e.shown}/`);
    } else if (e.shown !== MARKER_FILE) {
      found.push(e.shown);
    }
  }
  return found;
}

/** The entries of a folder (`read` already, when given) in name order, by their bytes (`entriesOf`); none when it cannot be read. */
function list(dir: string, read?: readonly Entry[]): Entry[] {
  try {
    return [...(read ?? entriesOf(dir))].sort((a, b) => (a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : 0));
  } catch {
    return [];
  }
}

/** What of kept folder `folder` of `outDir` (its entries `read` already, when given) runai-access did not write and the new output leaves out. */
function inKept(outDir: string, folder: KeptFolder, reported: ReadonlySet<string>, buffer: Buffer, read?: readonly Entry[]): string[] {
  const written = new Set(folder.files.map((f) => f.path));
  // The folders that hold a file written (helm, patches): each prefix of each path.
  const folders = new Set(
    folder.files.flatMap((f) =>
      f.path
        .split('/')
        .slice(0, -1)
        .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
    ),
  );
  const found: string[] = [];
  const look = (relative: string, depth: number) => {
    for (const e of list(path.join(outDir, folder.name, relative), relative === '' ? read : undefined)) {
      const file = relative === '' ? e.shown : `${relative}/${e.shown}`;
      if (e.dirent.isDirectory()) {
        // A folder of the new output (helm/, patches/) is looked into; another is ours only when it holds a file of ours.
        const holdsWritten = folders.has(file);
        if (holdsWritten && depth > 0) look(file, depth - 1);
        else if (!holdsWritten && !hasHeader(e.path, depth, buffer)) found.push(`${folder.name}/${file}/`);
      } else if (
        !written.has(file) &&
        !reported.has(`${folder.name}/${file}`) &&
        !PATCH_JSON.test(file) &&
        !fileHasHeader(e.path, buffer)
      ) {
        found.push(`${folder.name}/${file}`);
      }
    }
  };
  look('', DEPTH);
  return found;
}

/**
 * `mkdir -p` that always ends: Node's `mkdirSync(dir, {recursive: true})` retries for ever where
 * mkdir keeps failing with ENOENT, as it does under /proc (`init /proc/x` spun at 100% CPU).
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';

/** Makes `dir` and its missing parents, one at a time; returns those it made, outermost first. */
export function makeFolders(dir: string, fs: Pick<typeof nodeFs, 'mkdirSync' | 'statSync'> = nodeFs): string[] {
  const missing: string[] = [];
  for (let d = path.normalize(dir); !isFolder(d, fs); d = path.dirname(d)) {
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) fs.mkdirSync(d); // an error names the folder that could not be made
  return missing;
}

/** True when `dir` is, or links to, a folder; anything else makes mkdir say why. */
function isFolder(dir: string, fs: Pick<typeof nodeFs, 'statSync'>): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false; // missing, or a file on its path: the mkdir of the first one says which
  }
}

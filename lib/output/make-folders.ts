/**
 * `mkdir -p` that always ends: Node's `mkdirSync(dir, {recursive: true})` retries for ever where
 * mkdir keeps failing with ENOENT, as it does under /proc (`init /proc/x` spun at 100% CPU).
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';

type FolderFs = Pick<typeof nodeFs, 'mkdirSync' | 'statSync'>;

/**
 * Makes `dir` and its missing parents, one at a time; returns those it made, outermost first,
 * and tells `onMade` of each as soon as it is made, so a caller can remove them when a later one
 * fails. A file in the way fails with ENOTDIR, a dangling link with ENOENT and a loop of links
 * with ELOOP, each naming its path; a folder another run made meanwhile is taken as it is.
 */
export function makeFolders(dir: string, fs: FolderFs = nodeFs, onMade: (folder: string) => void = () => {}): string[] {
  const missing: string[] = [];
  const made: string[] = [];
  for (let d = path.normalize(dir); !statOf(d, fs)?.isDirectory(); d = path.dirname(d)) {
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d); // an error names the folder that could not be made
      made.push(d);
      onMade(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let code: string;
      try {
        if (fs.statSync(d).isDirectory()) continue;
        code = 'ENOTDIR'; // a file
      } catch (err) {
        // A link to nothing, or links that lead to each other.
        code = (err as NodeJS.ErrnoException).code === 'ELOOP' ? 'ELOOP' : 'ENOENT';
      }
      throw Object.assign(new Error(`${code}: ${d}`), { code, path: d });
    }
  }
  return made;
}

/** What `dir` is (links followed), or undefined when it is missing or a file is on its path. */
function statOf(dir: string, fs: FolderFs): nodeFs.Stats | undefined {
  try {
    return fs.statSync(dir);
  } catch {
    return undefined;
  }
}

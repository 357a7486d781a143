/** The git work tree a folder is in, found as git finds it: the nearest folder above with a `.git` (a folder, or a file in a linked work tree). */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The folder of the git work tree that holds `folder` (the nearest with a `.git` entry), if any. */
export function workTreeOf(folder: string): string | undefined {
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

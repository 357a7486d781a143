/**
 * Compares synthesized output with an output folder on disk, for `check`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ClusterOutput, compare } from './render';
import { MARKER_FILE } from './writer';

/** One file that differs between the synthesized output and the folder. */
export interface Drift {
  /** Path relative to the output folder, `/`-separated. */
  readonly path: string;
  /** `missing`: should exist; `extra`: should not; `changed`: other content; `mode`: other permissions. */
  readonly kind: 'missing' | 'extra' | 'changed' | 'mode';
}

/** Lists every difference between `clusters` and `outDir`, sorted by path. */
export function findDrift(outDir: string, clusters: readonly Pick<ClusterOutput, 'name' | 'files'>[]): Drift[] {
  const expected = new Map<string, { content: string; mode: number }>();
  for (const c of clusters) for (const f of c.files) expected.set(`${c.name}/${f.path}`, f);
  const actual = listFiles(outDir);
  const drift: Drift[] = [];
  for (const [rel, want] of expected) {
    const full = path.join(outDir, ...rel.split('/'));
    if (!actual.has(rel)) drift.push({ path: rel, kind: 'missing' });
    else if (fs.readFileSync(full, 'utf8') !== want.content) drift.push({ path: rel, kind: 'changed' });
    else if ((fs.statSync(full).mode & 0o777) !== want.mode) drift.push({ path: rel, kind: 'mode' });
  }
  for (const rel of actual) if (!expected.has(rel)) drift.push({ path: rel, kind: 'extra' });
  return drift.sort((a, b) => compare(a.path, b.path));
}

function listFiles(root: string): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string, rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const entry of entries) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), r);
      else if (r !== MARKER_FILE) found.add(r);
    }
  };
  walk(root, '');
  return found;
}

/**
 * Problems that every cluster of a fleet shares, made one: a certificate the clusters share, or
 * a setting they all leave to the same profile, is reported once, naming each cluster's index.
 */
import { formatProblem, Problem } from './errors';

/**
 * The problems with those that differ only in their cluster's index (`clusters[3].tls.certFile`,
 * the same file, code and message: a certificate a fleet shares) made one, whose path names
 * every index (`clusters[0-2,5].tls.certFile`), in the place of the first. A warning is then
 * printed once, not once per cluster.
 */
export function groupedProblems(problems: readonly Problem[]): Problem[] {
  const clusterPath = /^clusters\[(\d+)\]/;
  const groups = new Map<string, { first: Problem; indexes: number[] }>();
  const out: (Problem | string)[] = [];
  for (const p of problems) {
    const index = clusterPath.exec(p.path)?.[1];
    if (index === undefined) {
      out.push(p);
      continue;
    }
    const key = JSON.stringify([p.source, p.severity, p.code, p.message, p.path.replace(clusterPath, '')]);
    const group = groups.get(key);
    if (group) group.indexes.push(Number(index));
    else {
      groups.set(key, { first: p, indexes: [Number(index)] });
      out.push(key);
    }
  }
  return out.map((entry) => {
    if (typeof entry !== 'string') return entry;
    const { first, indexes } = groups.get(entry)!;
    if (indexes.length === 1) return first;
    const { cluster: _cluster, ...rest } = first;
    return { ...rest, path: first.path.replace(clusterPath, `clusters[${ranges(indexes)}]`) };
  });
}

/** `0-2,5` for 0, 1, 2, 5. */
function ranges(indexes: readonly number[]): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j > i ? `${sorted[i]}-${sorted[j]}` : `${sorted[i]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The {@link groupedProblems} as the CLI prints them: one line each (`warning: ` before a warning). */
export function problemText(problems: readonly Problem[]): string {
  return groupedProblems(problems)
    .map((p) => `${formatProblem(p)}\n`)
    .join('');
}

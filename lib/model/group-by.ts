/**
 * `items` by `keyOf` of each, each group in the items' order: one pass, for the checks and reports
 * that look across a whole fleet of clusters (Node 20 has no `Map.groupBy`).
 */
export function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

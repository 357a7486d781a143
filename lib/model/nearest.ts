/**
 * The allowed word that an unknown one is most likely a misspelling of, for "did you mean"
 * hints on config keys, options and commands.
 */

/**
 * The one word of `allowed` nearest to `word`, case aside, when it is at most two edits away and
 * at most one edit per three characters of `word`; undefined when none is, or when two are as near.
 */
export function nearest(word: string, allowed: readonly string[]): string | undefined {
  const limit = Math.min(2, Math.floor(word.length / 3));
  const lower = word.toLowerCase();
  // Words whose lengths differ by more than the limit are at least that many edits apart: not scored
  // (a pasted key line as a key would otherwise cost a 64-by-n table per allowed word).
  const scored = allowed
    .filter((a) => Math.abs(a.length - word.length) <= limit)
    .map((a) => ({ a, d: editDistance(lower, a.toLowerCase()) }))
    .filter(({ d }) => d <= limit);
  const best = Math.min(...scored.map(({ d }) => d));
  const nearestOnes = scored.filter(({ d }) => d === best);
  return nearestOnes.length === 1 ? nearestOnes[0].a : undefined;
}

/** `did you mean <near>? ` for the nearest allowed word, as `shown` writes it, or '' when none is near. */
export function didYouMean(word: string, allowed: readonly string[], shown = (near: string) => near): string {
  const near = nearest(word, allowed);
  return near === undefined ? '' : `did you mean ${shown(near)}? `;
}

/** Edits (insert, delete, replace, or swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

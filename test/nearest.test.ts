/** The "did you mean" word (lib/model/nearest.ts): the same answers as scoring every allowed word, and the examples that matter. */
import fc from 'fast-check';

import { nearest } from '../lib/model/nearest';

/** Damerau (optimal string alignment) distance, plainly: the reference the shortcut is held to. */
function distance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

function reference(word: string, allowed: readonly string[]): string | undefined {
  const limit = Math.min(2, Math.floor(word.length / 3));
  const scored = allowed.map((a) => ({ a, d: distance(word.toLowerCase(), a.toLowerCase()) })).filter(({ d }) => d <= limit);
  const best = Math.min(...scored.map(({ d }) => d));
  const ones = scored.filter(({ d }) => d === best);
  return ones.length === 1 ? ones[0].a : undefined;
}

test.each([
  ['keyfile', ['source', 'certFile', 'keyFile', 'commitPlaintextKey'], 'keyFile'],
  ['subdomainSuport', ['subdomainSupport', 'runaiConfig'], 'subdomainSupport'],
  ['colour', ['source', 'certFile', 'keyFile'], undefined],
  ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7', ['source', 'certFile', 'keyFile'], undefined],
])('nearest(%s) is %s', (word, allowed, expected) => {
  expect(nearest(word, allowed)).toBe(expected);
});

test('property: the same word as scoring every allowed word, for words of every length', () => {
  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'A'), maxLength: 12 });
  fc.assert(
    fc.property(word, fc.array(word, { maxLength: 6 }), (w, allowed) => {
      expect(nearest(w, allowed)).toBe(reference(w, allowed));
    }),
    { numRuns: 500, seed: 20261130 },
  );
});

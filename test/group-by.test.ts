/** groupBy (lib/model/group-by.ts): one pass over a list, each group in the list's order. */
import { groupBy } from '../lib/model/group-by';

test('groups by key, each group and the keys in the order they come, undefined a key like any other', () => {
  const items = [
    { k: 'b', v: 1 },
    { k: undefined, v: 2 },
    { k: 'a', v: 3 },
    { k: 'b', v: 4 },
    { k: undefined, v: 5 },
  ];
  const groups = groupBy(items, (i) => i.k);
  expect([...groups.keys()]).toEqual(['b', undefined, 'a']);
  expect([...groups.values()].map((g) => g.map((i) => i.v))).toEqual([[1, 4], [2, 5], [3]]);
  expect(groupBy([], (i: string) => i).size).toBe(0);
});

import { validateReport } from '../lib/cli/report';
import { parseConfig } from '../lib/config/load';
import { formatProblem, Problem } from '../lib/model/errors';

test('validate counts every warning and shows every one it counts, those of no cluster too', () => {
  const { clusters } = parseConfig('clusters:\n  - {name: a, clusterUrl: runai.test.com, routing: path}\n', 'c.yaml', '/');
  const own: Problem = { source: 'c.yaml', path: 'clusters[0]', message: 'of the cluster', severity: 'warning', cluster: 'a' };
  const global: Problem = { source: 'c.yaml', path: 'delivery', message: 'of no cluster', severity: 'warning' };
  const lines = validateReport('c.yaml', clusters, [own, global], new Date('2026-01-01T00:00:00Z')).split('\n');
  expect(lines[0]).toBe('c.yaml: 1 cluster valid, 2 warnings');
  expect(lines).toContain(`  ${formatProblem(own)}`);
  expect(lines.at(-2)).toBe(formatProblem(global));
});

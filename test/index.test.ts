/** lib/index.ts exports every name the README's "As a library" section promises. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as lib from '../lib';
import { ROOT } from './helpers';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## As a library'), readme.indexOf('\n## ', readme.indexOf('## As a library') + 1));
/** `Name`, `Name.MEMBER` and `Name.of(…)` in backticks: the exported name is the first identifier. */
/** cdk8s's own names that the section mentions: the escape hatch. */
const CDK8S = new Set(['ApiObject', 'Resource']);
const names = [...new Set([...section.matchAll(/`([A-Z][A-Za-z]+)(?:[.(][^`]*)?`/g)].map((m) => m[1]))].filter((n) => !CDK8S.has(n));

test('the README lists the library API', () => {
  expect(names.length).toBeGreaterThan(20);
});

test.each(names)('lib exports %s', (name) => {
  expect(lib).toHaveProperty(name);
  expect((lib as Record<string, unknown>)[name]).toBeDefined();
});

test('the deprecated aliases are the renamed classes', () => {
  expect(lib.Deployment).toBe(lib.ControlPlane);
  expect(lib.Exposure).toBe(lib.RoutingApi);
  expect(lib.ExposureType).toBe(lib.ExposeType);
  expect(lib.WildcardTlsSecret).toBe(lib.RunaiTlsSecret);
});

test('fails when a library caller gives runAsync or run an argv of other things than strings: exit 2, one line each, no stack', async () => {
  const lib = await import('../lib');
  let stderr = '';
  const io = { stdout: { write: () => true }, stderr: { write: (s: string) => ((stderr += s), true) } };
  expect(await lib.runAsync([undefined, 'synth', 42] as unknown as string[], io)).toBe(2);
  expect(lib.run(null as unknown as string[], io)).toBe(2);
  expect(stderr).toBe(
    'runai-access: argv[0]: must be a string\nrunai-access: argv[2]: must be a string\nrunai-access: argv must be a list of strings\n',
  );
});

test("the writer's internals stay out of the library: its marker names and its test-only kill switch", () => {
  expect(lib).toHaveProperty('writeOutput');
  for (const internal of ['TEST_ONLY_KILL_ENV', 'MARKER_FILE', 'MARKER_TEXT', 'NOT_A_FOLDER', 'linksToFolder'])
    expect(lib).not.toHaveProperty(internal);
});

test('the public API is a reviewed list: a new export (or a lost one) is a diff of this snapshot', () => {
  expect(Object.keys(lib).sort()).toMatchSnapshot();
});

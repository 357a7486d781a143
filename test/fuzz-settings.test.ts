/** test/fuzz-settings.ts: the cases and seed of a property test under npm test and npm run fuzz. */
import { fuzzSettings } from './fuzz-settings';

const OPTS = { ciRuns: 40, fuzzRuns: 500, ciSeed: 7, runsVariable: 'SOME_FUZZ_RUNS' };

/** fuzzSettings with exactly these variables set (the others of its kind unset), and what it printed. */
function withEnv(env: Record<string, string>, announce?: boolean) {
  const saved = { ...process.env };
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    for (const k of ['FUZZ_RUNS', 'FUZZ_SEED', 'SOME_FUZZ_RUNS']) delete process.env[k];
    Object.assign(process.env, env);
    const settings = fuzzSettings('some', { ...OPTS, ...(announce === undefined ? {} : { announce }) });
    return { ...settings, printed: write.mock.calls.map((c) => String(c[0])).join('') };
  } finally {
    write.mockRestore();
    process.env = saved;
  }
}

test('npm test: the CI count and the fixed seed, nothing printed', () => {
  expect(withEnv({})).toEqual({ runs: 40, seed: 7, printed: '' });
  expect(withEnv({ FUZZ_RUNS: '' })).toEqual({ runs: 40, seed: 7, printed: '' });
});

test('npm run fuzz: the fuzz count and a new seed, printed for a replay', () => {
  const a = withEnv({ FUZZ_RUNS: '1' });
  expect(a.runs).toBe(500);
  expect(a.printed).toBe(`some: 500 cases, FUZZ_SEED=${a.seed}\n`);
  const seeds = new Set([a.seed, ...Array.from({ length: 5 }, () => withEnv({ FUZZ_RUNS: '1' }).seed)]);
  expect(seeds.size).toBeGreaterThan(1);
  expect(withEnv({ FUZZ_RUNS: '1' }, false).printed).toBe('');
});

test("FUZZ_SEED replays a seed; the suite's own variable sets its count in either run", () => {
  expect(withEnv({ FUZZ_RUNS: '1', FUZZ_SEED: '123' })).toEqual({ runs: 500, seed: 123, printed: 'some: 500 cases, FUZZ_SEED=123\n' });
  expect(withEnv({ SOME_FUZZ_RUNS: '3' })).toMatchObject({ runs: 3, seed: 7 });
  expect(withEnv({ FUZZ_RUNS: '1', SOME_FUZZ_RUNS: '3' })).toMatchObject({ runs: 3 });
});

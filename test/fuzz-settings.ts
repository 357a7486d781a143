/**
 * How many cases a property test runs, and from which seed. `npm test` replays a fixed seed, so
 * CI is deterministic; `npm run fuzz` (FUZZ_RUNS set) explores a new seed each time, printed so
 * that FUZZ_SEED replays a failure.
 */
export interface FuzzSettings {
  readonly runs: number;
  readonly seed: number;
}

export interface FuzzOptions {
  /** Cases under `npm test`. */
  readonly ciRuns: number;
  /** Cases under `npm run fuzz`. */
  readonly fuzzRuns: number;
  /** The seed `npm test` replays. */
  readonly ciSeed: number;
  /** An environment variable that sets this suite's count in either run, e.g. `CERT_FUZZ_RUNS`. */
  readonly runsVariable?: string;
  /** Print `<name>: <runs> cases, FUZZ_SEED=<seed>` before a fuzz run. @default true */
  readonly announce?: boolean;
}

export function fuzzSettings(name: string, opts: FuzzOptions): FuzzSettings {
  const env = process.env;
  const fuzzing = env.FUZZ_RUNS !== undefined && env.FUZZ_RUNS !== '';
  const set = opts.runsVariable === undefined ? undefined : env[opts.runsVariable];
  const runs = Number(set ?? (fuzzing ? opts.fuzzRuns : opts.ciRuns));
  const seed = env.FUZZ_SEED ? Number(env.FUZZ_SEED) : fuzzing ? Math.floor(Math.random() * 2 ** 31) : opts.ciSeed;
  if (fuzzing && (opts.announce ?? true)) process.stdout.write(`${name}: ${runs} cases, FUZZ_SEED=${seed}\n`);
  return { runs, seed };
}

/**
 * When the writer's signal listener goes (lib/output/held-signals.ts), in turns of the event loop.
 * What a held signal does to a process is tested with real processes in reliability.test.ts.
 */
import { holdSignals, releaseSignals } from '../lib/output/held-signals';

/** One turn of the event loop: resolved in the check phase, after the immediates queued before it. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const counts = () => signals.map((s) => process.listenerCount(s));

test('released, the listener stays while the loop polls once more (where it reads a signal that came), then goes', async () => {
  const before = counts();
  holdSignals();
  expect(counts()).toEqual(before.map((n) => n + 1));
  releaseSignals();
  await turn();
  expect(counts()).toEqual(before.map((n) => n + 1));
  await turn();
  expect(counts()).toEqual(before);
});

test('a write that holds the signals while an earlier release waits keeps them held until its own release', async () => {
  const before = counts();
  holdSignals();
  releaseSignals();
  await turn();
  // A second write, started as the first release waits for the loop.
  holdSignals();
  await turn();
  await turn();
  expect(counts()).toEqual(before.map((n) => n + 1));
  releaseSignals();
  await turn();
  await turn();
  expect(counts()).toEqual(before);
});

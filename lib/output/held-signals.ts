/**
 * SIGINT, SIGTERM and SIGHUP held back while the writer replaces the output folder. Without a
 * listener, Node ends at once on any of them: Ctrl-C between the writer's two renames left no
 * output folder at all, only the old and new trees beside it (each with a copy of the keys) and
 * the lock, until the next synth. With one, a signal is delivered by the event loop, which does
 * not run while the writer's synchronous work does: it comes when the output is whole again (new,
 * or the previous one where the write failed), and is then passed on with its default action, so
 * the process ends by that signal as it would have (a shell's loop stops; exit 130 for SIGINT).
 * SIGKILL cannot be held: the writer's order of steps, and the next synth, are what make it safe.
 */
import { writeSync } from 'node:fs';
import { constants } from 'node:os';

const HELD = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

let holding = false;
/** Counts the holds: a release waiting for the event loop lets go only if no write held the signals since it was asked for. */
let holds = 0;

/**
 * Holds the signals until {@link releaseSignals}; a release still waiting is put off until the
 * next. The listener goes first, so that it sees every listener of a program that calls the
 * writer, a `once` one too (which is gone once it has run).
 */
export function holdSignals(): void {
  holds += 1;
  if (holding) return;
  holding = true;
  for (const signal of HELD) process.prependListener(signal, passOn);
}

/**
 * Lets the signals go once the event loop has delivered one that came while they were held:
 * without a listener then, a signal does what it does by default again. libuv reads the signals
 * that came in its poll phase, and the writer may have run in that phase itself (after an `await`
 * of a file read), whose immediates run before the loop polls again: so the listener goes in the
 * immediate after the next, when the loop has polled at least once since the writer returned.
 */
export function releaseSignals(): void {
  if (!holding) return;
  const hold = holds;
  const afterPoll = (then: () => void) => setImmediate(() => setImmediate(then));
  const settle = () => {
    if (hold !== holds) return;
    // What was said of the write (the summary, written at once after it) is still queued for a
    // pipe that a slow reader has not emptied: held until it is out, so that it is not cut short,
    // and until the loop has polled once since (a signal may have come as the reader took the last).
    if (queuedOutput()) setTimeout(() => afterPoll(settle), DRAIN_POLL_MS);
    else stop();
  };
  afterPoll(settle);
}

/** How often a release waiting for stdout and stderr to drain looks again. */
const DRAIN_POLL_MS = 10;
/** True while stdout or stderr holds output not yet written to its pipe. */
function queuedOutput(): boolean {
  return process.stdout.writableLength > 0 || process.stderr.writableLength > 0;
}

function stop(): void {
  if (!holding) return;
  holding = false;
  for (const signal of HELD) process.removeListener(signal, passOn);
}

/**
 * A signal that came while held: said, then raised again with no listener, which ends the process
 * by it. A program that calls the writer and listens for the signal itself has had it already (the
 * same event): it is not raised again. As PID 1 (a container without an init), the kernel drops a
 * signal whose action is the default: the process exits with the code a shell gives it instead.
 */
function passOn(signal: NodeJS.Signals): void {
  // Counted before this listener goes: the others are all still there (this one runs first).
  const others = process.listenerCount(signal) - 1;
  stop();
  if (others > 0) return;
  const said = `runai-access: stopped by ${signal}, held back until the output folder was whole again\n`;
  const end = () => {
    if (process.pid === 1) process.exit(128 + constants.signals[signal]);
    process.kill(process.pid, signal);
  };
  if (process.stderr.writableLength > 0) {
    // After what is queued, not inside it; ended all the same if the reader never takes it.
    setTimeout(end, STUCK_OUTPUT_MS).unref();
    process.stderr.write(said, end);
    return;
  }
  try {
    writeSync(2, said);
  } catch {
    // stderr gone (a closed terminal, SIGHUP's case): the signal is passed on all the same.
  }
  end();
}

/** How long a signal waits for queued stderr output to be read before it ends the process regardless. */
const STUCK_OUTPUT_MS = 10_000;

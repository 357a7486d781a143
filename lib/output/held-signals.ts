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
let releasing = false;

/** Holds the signals until {@link releaseSignals}; nothing when they are held already. */
export function holdSignals(): void {
  if (holding) return;
  holding = true;
  for (const signal of HELD) process.on(signal, passOn);
}

/**
 * Lets the signals go once the event loop has delivered one that came while they were held
 * (it does so before it runs an immediate): without a listener then, a signal does what it does
 * by default again.
 */
export function releaseSignals(): void {
  if (!holding || releasing) return;
  releasing = true;
  setImmediate(() => {
    releasing = false;
    stop();
  });
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
  stop();
  if (process.listenerCount(signal) > 0) return;
  try {
    writeSync(2, `runai-access: stopped by ${signal}, held back until the output folder was whole again\n`);
  } catch {
    // stderr gone (a closed terminal, SIGHUP's case): the signal is passed on all the same.
  }
  if (process.pid === 1) process.exit(128 + constants.signals[signal]);
  process.kill(process.pid, signal);
}

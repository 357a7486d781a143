/** What both entries (main.ts, snapshot.ts) run: the CLI on this process's streams and terminal. */
import { Io } from './command-context';
import { runAsync } from './run';
import { terminalPrompt } from './terminal-prompt';

/** Runs the command in `args` and sets `process.exitCode` (never `process.exit`: output is not cut off). */
export function runProcess(args: readonly string[]): void {
  const io: Io = {
    stdout: process.stdout,
    stderr: process.stderr,
    // Looked up only by `init`: touching process.stdin costs every other command about 2 ms.
    get prompt() {
      return terminalPrompt();
    },
  };
  void runAsync(args, io).then((code) => {
    process.exitCode = code;
  });
}

/** What both entries (main.ts, snapshot.ts) run: the CLI on this process's streams and terminal. */
import { fsErrorText } from '../output/fs-error-text';
import { EXIT_BUG, EXIT_INPUT, Io } from './command-context';
import { npmTookOptions } from './npm-options';
import { runAsync } from './run';
import { terminalPrompt } from './terminal-prompt';

/** Runs the command in `args` and sets `process.exitCode` (never `process.exit`: output is not cut off). */
export function runProcess(args: readonly string[]): void {
  const failed = watchOutput();
  const npmTook = npmTookOptions(process.env, args);
  if (npmTook !== undefined) {
    process.stderr.write(npmTook);
    process.exitCode = EXIT_INPUT;
    return;
  }
  const io: Io = {
    stdout: process.stdout,
    stderr: process.stderr,
    // Looked up only by `init`: touching process.stdin costs every other command about 2 ms.
    get prompt() {
      return terminalPrompt();
    },
  };
  void runAsync(args, io).then((code) => {
    process.exitCode = code === EXIT_BUG ? code : (failed() ?? code);
  });
}

/**
 * Handles what stdout and stderr cannot take, which Node would otherwise throw as an unhandled
 * 'error' event with a stack and exit 1 (`check`'s drift). A reader that has gone (`| head`:
 * EPIPE) has what it wanted, so the command ends with its own exit code; any other error on
 * stdout (a full disk) is one line and exit 2, whenever it comes; a failing stderr can only be
 * let go. Returns the exit code that a failure asks for.
 */
function watchOutput(): () => number | undefined {
  let exitCode: number | undefined;
  const on = (name: string, stream: NodeJS.WriteStream) => {
    let seen = false; // a stream that failed fails every later write too
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (seen) return;
      seen = true;
      if (e.code === 'EPIPE' || stream !== process.stdout) return;
      exitCode = EXIT_INPUT;
      if (process.exitCode !== EXIT_BUG) process.exitCode = EXIT_INPUT; // in case the command has ended
      process.stderr.write(`runai-access: cannot write ${name}: ${fsErrorText(e.code ?? 'unknown')}\n`);
    });
  };
  on('standard output', process.stdout);
  on('standard error', process.stderr);
  return () => exitCode;
}

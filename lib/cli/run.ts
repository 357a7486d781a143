/**
 * The `runai-access` command line: `synth`, `check`, `validate`, `url`, `init` and (asynchronous,
 * see `runAsync`) `doctor`. Parses the flags (`flags.ts`), hands each command to its handler
 * (`<command>-command.ts`, `doctor.ts`) and maps errors to exit codes in one place: 0 success,
 * 1 drift (`check`) or a failed check (`doctor`), 2 bad input, 70 a bug (with its stack).
 */
import { parseArgs } from 'node:util';

import { InputError, Problem, redact, ValidationError } from '../model/errors';
import { TOOL_NAME } from '../model/names';
import { DEFAULT_CONFIG, DEFAULT_OUT } from '../model/output-layout';
import { problemText } from '../model/problem-groups';
import { VERSION } from '../model/version';
import { runCheck } from './check-command';
import { CommandContext, EXIT_BUG, EXIT_INPUT, EXIT_OK, Io } from './command-context';
import { DOCTOR_OPTIONS } from './doctor-flags';
import { OPTIONS, parseFlags } from './flags';
import { runInit } from './init-command';
import { runSynth } from './synth-command';
import { runUrl } from './url-command';
import { commandUsage, USAGE } from './usage';
import { runValidate } from './validate-command';

export { EXIT_BUG, EXIT_DRIFT, EXIT_INPUT, EXIT_OK } from './command-context';
export type { Io } from './command-context';
export { USAGE } from './usage';

/**
 * The streams a run prints to: `io`'s, and the process's for any it leaves out (a JavaScript
 * caller's `run(argv)` prints as the CLI does). `io.prompt` is read only when a command asks for
 * it (`init`): runProcess gives it as a getter, since touching process.stdin costs every other
 * command about 2 ms, and a copy made with `...io` would call that getter at once.
 */
function streamsOf(io: Partial<Io> | undefined): Io {
  if (io?.stdout && io.stderr) return io as Io;
  return {
    stdout: io?.stdout ?? process.stdout,
    stderr: io?.stderr ?? process.stderr,
    get prompt() {
      return io?.prompt;
    },
  };
}

/** Runs the CLI and returns the exit code. Never throws. `doctor` needs {@link runAsync}. @param io default: the process's streams */
export function run(argv: readonly string[], given?: Io): number {
  const io = streamsOf(given);
  try {
    stringsOnly(argv);
    if (commandOf(argv) === 'doctor') {
      throw new InputError([{ source: TOOL_NAME, path: '', message: 'doctor probes the network: call runAsync, not run' }]);
    }
    return dispatch(argv, io);
  } catch (e) {
    return exitCodeOf(e, io);
  }
}

/** Runs any command, `doctor` included, and resolves to the exit code. Never rejects. @param io default: the process's streams */
export async function runAsync(argv: readonly string[], given?: Io): Promise<number> {
  const io = streamsOf(given);
  if (!Array.isArray(argv) || argv.some((a) => typeof a !== 'string') || commandOf(argv) !== 'doctor') return run(argv, io);
  try {
    const { doctor } = await import('./doctor-command');
    return await doctor(argv, io);
  } catch (e) {
    return exitCodeOf(e, io);
  }
}

/** Refuses an argv a library caller built of other things than strings, as bad input. */
function stringsOnly(argv: readonly unknown[]): void {
  if (!Array.isArray(argv)) throw new InputError([{ source: TOOL_NAME, path: '', message: 'argv must be a list of strings' }]);
  const bad = argv.flatMap((a, i) => (typeof a === 'string' ? [] : [i]));
  if (bad.length > 0) throw new InputError(bad.map((i) => ({ source: TOOL_NAME, path: `argv[${i}]`, message: 'must be a string' })));
}

/** The first positional argument, whichever command's flags come before it. */
function commandOf(argv: readonly string[]): string | undefined {
  try {
    return parseArgs({ args: [...argv], options: { ...OPTIONS, ...DOCTOR_OPTIONS }, strict: false, allowPositionals: true }).positionals[0];
  } catch {
    return undefined;
  }
}

/** Prints an error and returns its exit code: 2 for bad input, 70 for a bug. */
function exitCodeOf(e: unknown, io: Io): number {
  if (e instanceof InputError) {
    // A problem every cluster shares (a fleet's certificate under --strict) is one line naming every index.
    io.stderr.write(problemText(e.problems));
    return EXIT_INPUT;
  }
  if (e instanceof ValidationError) {
    io.stderr.write(`${redact(`runai-access: ${e.message}`)}\n`);
    return EXIT_INPUT;
  }
  if ((e as NodeJS.ErrnoException | undefined)?.syscall === 'uv_cwd') {
    // Node cannot name the current folder: it was removed or replaced after the shell entered it.
    io.stderr.write(
      'runai-access: the current folder no longer exists (removed or replaced since the shell entered it); cd into it again\n',
    );
    return EXIT_INPUT;
  }
  io.stderr.write(`runai-access: internal error, please report it:\n${e instanceof Error ? e.stack : String(e)}\n`);
  return EXIT_BUG;
}

function dispatch(argv: readonly string[], io: Io): number {
  const args = parseFlags(argv);
  if (args.help) {
    io.stdout.write(args.command ? commandUsage(args.command) : USAGE);
    return EXIT_OK;
  }
  if (args.version) {
    io.stdout.write(`${TOOL_NAME} ${VERSION}\n`);
    return EXIT_OK;
  }
  const context: CommandContext = {
    args,
    io,
    config: args.config ?? DEFAULT_CONFIG,
    out: args.out ?? DEFAULT_OUT,
    now: args.checks.now ?? new Date(),
    log: (text: string) => {
      // The last guard, behind shownPath and shown: nothing key-like in a line that reports.
      if (!args.quiet) io.stderr.write(redact(text));
    },
    notice: (text: string) => io.stderr.write(redact(text)),
    warn: (warnings: readonly Problem[]) => {
      // A warning of a certificate a fleet shares is printed once, naming every cluster's index.
      io.stderr.write(problemText(warnings));
    },
  };
  switch (args.command) {
    case 'validate':
      return runValidate(context);
    case 'synth':
      return runSynth(context);
    case 'url':
      return runUrl(context);
    case 'init':
      return runInit(context);
    case 'check':
      return runCheck(context);
  }
  throw new Error(`parseFlags returned no command for ${JSON.stringify(argv)}`);
}

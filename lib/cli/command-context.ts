/**
 * What a command handler gets from `run.ts`: the parsed flags, where to print, and the settings
 * every command shares. Handlers return an exit code or throw `InputError`; only `run.ts` maps
 * errors to exit codes.
 */
import { Problem } from '../model/errors';
import { Flags } from './flags';
import { Prompt } from './init';

export const EXIT_OK = 0;
/** `check` found drift. */
export const EXIT_DRIFT = 1;
/** `doctor` found a check that failed. */
export const EXIT_CHECK_FAILED = 1;
export const EXIT_INPUT = 2;
export const EXIT_BUG = 70;

/** Where the CLI prints. */
export interface Io {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Asks a question on a terminal, for `init`. @default - none: defaults are used */
  readonly prompt?: Prompt;
}

/** One run of a command: its flags, its output, and the defaults filled in once. */
export interface CommandContext {
  readonly args: Flags;
  readonly io: Io;
  /** The config file: `--config`, else `DEFAULT_CONFIG`. */
  readonly config: string;
  /** The output folder: `--out`, else `dist`. */
  readonly out: string;
  /** The time certificates are checked at: `--at`, else now. */
  readonly now: Date;
  /** Prints progress to stderr, unless `--quiet`. */
  log(text: string): void;
  /** Prints to stderr what the user must act on and no later run repeats, also under `--quiet`. */
  notice(text: string): void;
  /** Prints each warning to stderr as `path: message`. */
  warn(warnings: readonly Problem[]): void;
}

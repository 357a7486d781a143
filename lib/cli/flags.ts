/**
 * The flags of every command but `doctor` (see `doctor-flags.ts`): which options each command
 * takes, and `parseFlags`, which turns argv into `Flags` or one `InputError` listing every
 * problem. The help that describes them is usage.ts.
 */
import { parseArgs } from 'node:util';

import type { LoadedConfig } from '../config/load';
import { CheckOptions, ClusterSpec } from '../config/spec';
import { InputError, shownBare, shownPath } from '../model/errors';
import { someOf } from '../model/list-text';
import { TOOL_NAME } from '../model/names';
import { didYouMean } from '../model/nearest';
import { DOCTOR_OPTIONS } from './doctor-flags';

/** The commands parseFlags knows; doctor parses its own flags (cli/doctor-command.ts). */
export const COMMANDS = ['synth', 'check', 'validate', 'url', 'init'] as const;
export type Command = (typeof COMMANDS)[number];

export const OPTIONS = {
  config: { type: 'string', short: 'c' },
  out: { type: 'string', short: 'o' },
  strict: { type: 'boolean' },
  'warn-days': { type: 'string' },
  at: { type: 'string' },
  json: { type: 'boolean' },
  cluster: { type: 'string' },
  project: { type: 'string' },
  workload: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  stdout: { type: 'boolean' },
  'include-secrets': { type: 'boolean' },
  'require-keys': { type: 'boolean' },
  'cluster-url': { type: 'string' },
  deployment: { type: 'string' },
  'runai-version': { type: 'string' },
  'tls-source': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;
export type Option = keyof typeof OPTIONS;

/** Which options each command takes. */
export const ALLOWED: Readonly<Record<Command, readonly Option[]>> = {
  synth: ['config', 'out', 'strict', 'warn-days', 'at', 'quiet', 'stdout', 'include-secrets', 'cluster', 'help'],
  check: ['config', 'out', 'strict', 'warn-days', 'at', 'quiet', 'require-keys', 'help'],
  validate: ['config', 'strict', 'warn-days', 'at', 'json', 'quiet', 'require-keys', 'help'],
  url: ['config', 'cluster', 'project', 'workload', 'at', 'help'],
  init: ['cluster-url', 'deployment', 'runai-version', 'tls-source', 'quiet', 'help'],
};
/** Options a command cannot do without. */
const REQUIRED: Readonly<Partial<Record<Command, readonly Option[]>>> = { url: ['cluster', 'project', 'workload'] };

const MAX_WARN_DAYS = 3650;
const WARN_DAYS_TEXT = `a whole number of days from 0 to ${MAX_WARN_DAYS}`;
/** What a flag's value must be, where one kind of value is allowed: for "needs …" messages. */
const FLAG_VALUES: Readonly<Record<string, string>> = { '--warn-days': WARN_DAYS_TEXT };
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export function flagError(message: string): InputError {
  return new InputError([{ source: TOOL_NAME, path: '', message }]);
}

/**
 * The cluster of the config that `--cluster` names, or one line that lists the config's clusters.
 * `loaded` is the config loaded for that cluster alone (`CheckOptions.cluster`).
 */
export function clusterNamed(loaded: Pick<LoadedConfig, 'clusters' | 'clusterNames'>, name: string, config: string): ClusterSpec {
  const cluster = loaded.clusters.find((c) => c.name === name);
  if (cluster) return cluster;
  // Ten names at most: a fleet's config would make this one line of every cluster's name.
  const names = loaded.clusterNames;
  throw flagError(
    `--cluster: ${shownBare(name)} is not a cluster of ${shownPath(config)}; ${didYouMean(name, names, shownBare)}` +
      `clusters: ${someOf(names.map(shownBare), 10)}`,
  );
}

/** True for the name of a command of this module (doctor's flags are parsed in `cli/doctor-command.ts`). */
function isCommand(name: string | undefined): name is Command {
  return (COMMANDS as readonly (string | undefined)[]).includes(name);
}

export interface Flags {
  command?: Command;
  config?: string;
  out?: string;
  quiet?: boolean;
  json?: boolean;
  help?: boolean;
  version?: boolean;
  stdout?: boolean;
  includeSecrets?: boolean;
  /** synth --stdout: the one cluster whose objects to print. */
  cluster?: string;
  requireKeys?: boolean;
  url?: { cluster: string; project: string; workload: string };
  dir?: string;
  init?: { clusterUrl?: string; deployment?: string; runaiVersion?: string; tlsSource?: string };
  checks: CheckOptions;
}

/** Parses argv: the command, its options, and every problem with them as one `InputError`. */
export function parseFlags(argv: readonly string[]): Flags {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    // An unknown option lists the options of the command given, or of all commands without one.
    const loose = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
    const command = loose.positionals[0];
    const allowed = isCommand(command) ? ALLOWED[command] : Object.keys(OPTIONS);
    // doctor's own options (--port, --context, ...) are known, just not to the other commands.
    const other = isCommand(command) ? { command, options: Object.keys(DOCTOR_OPTIONS) } : undefined;
    const error = e as Error & { code?: string };
    // Every unknown option, one line each (parseArgs stops at the first).
    const unknown = [...new Set(loose.tokens.flatMap((t) => (t.kind === 'option' && !(t.name in OPTIONS) ? [t.rawName] : [])))];
    if (error.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || unknown.length < 2) throw flagError(flagMessage(error, allowed, '', other));
    throw new InputError(
      unknown.map((given) => ({ source: TOOL_NAME, path: '', message: unknownOptionMessage(given, allowed, '', other) })),
    );
  }
  const { values, positionals } = parsed;
  // --help anywhere asks for help: with a DIR or a stray word too, nothing runs; an unknown command is still refused.
  if (values.help && (positionals.length === 0 || isCommand(positionals[0]))) {
    return { help: true, command: isCommand(positionals[0]) ? positionals[0] : undefined, checks: {} };
  }
  // --version without a command, as `node --version` and `kubectl version` print theirs; a command does not take it.
  if (values.version && positionals.length === 0) return { version: true, checks: {} };
  const [command, ...extra] = positionals;
  const problems: string[] = [];
  if (command === undefined) problems.push(`a command is required: ${COMMANDS.join(', ')}, doctor (see --help)`);
  else if (!isCommand(command))
    problems.push(
      `${command.trim() === '' ? JSON.stringify(command) : shownBare(command)}: unknown command; ` +
        `${didYouMean(command, [...COMMANDS, 'doctor'])}allowed: ${COMMANDS.join(', ')}, doctor`,
    );
  const dir = command === 'init' ? extra.shift() : undefined;
  if (extra.length > 0) {
    // init takes one folder and no --config; the other commands take only options.
    const takes =
      command === 'init' ? 'init takes one folder: runai-access init [DIR]' : 'options take the form --config FILE (see --help)';
    problems.push(`${shownBare(extra[0])}: unexpected argument; ${takes}`);
  }
  if (isCommand(command)) {
    for (const name of Object.keys(values)) {
      if (!ALLOWED[command].includes(name as Option)) {
        problems.push(`--${name}: not an option of ${command}; allowed: ${ALLOWED[command].map((o) => `--${o}`).join(', ')}`);
      }
    }
    for (const name of REQUIRED[command] ?? []) {
      if (values[name] === undefined) problems.push(`--${name}: is required by ${command}`);
    }
  }
  if (dir === '') problems.push('DIR: needs a non-empty path');
  problems.push(
    ...emptyValues(values, ['config', 'out'], ['cluster', 'project', 'workload']),
    ...notUtf8Paths(values, ['config', 'out']),
    ...givenTwice(parsed.tokens),
  );
  if (dir?.includes('\uFFFD')) problems.push(`DIR: ${NOT_UTF8_NAME}`);
  let warnDays: number | undefined;
  if (values['warn-days'] !== undefined) {
    warnDays = Number(values['warn-days']);
    if (!/^\d+$/.test(values['warn-days']) || warnDays > MAX_WARN_DAYS) {
      problems.push(`--warn-days: must be ${WARN_DAYS_TEXT}, got ${shownBare(values['warn-days'])}`);
    }
  }
  let now: Date | undefined;
  if (values.at !== undefined) {
    now = new Date(values.at);
    if (!ISO_TIME.test(values.at) || Number.isNaN(now.getTime()) || !isCalendarDate(values.at.slice(0, 10))) {
      problems.push(`--at: ${atProblem(values.at)}, got ${shownBare(values.at)}`);
    }
  }
  if (problems.length > 0) throw new InputError(problems.map((message) => ({ source: TOOL_NAME, path: '', message })));
  return {
    command: command as Command,
    config: values.config,
    out: values.out,
    quiet: values.quiet,
    json: values.json,
    stdout: values.stdout,
    includeSecrets: values['include-secrets'],
    cluster: values.cluster,
    requireKeys: values['require-keys'],
    url: { cluster: values.cluster ?? '', project: values.project ?? '', workload: values.workload ?? '' },
    dir,
    init: {
      clusterUrl: values['cluster-url'],
      deployment: values.deployment,
      runaiVersion: values['runai-version'],
      tlsSource: values['tls-source'],
    },
    checks: { strict: values.strict, warnDays, now },
  };
}

/**
 * True when `YYYY-MM-DD` names a real day: `Date` would roll 2027-02-30 over to March. Set with
 * setUTCFullYear, which takes years 0 to 99 as they are (`Date.UTC` reads them as 1900 to 1999).
 */
function isCalendarDate(ymd: string): boolean {
  const [y, m, d] = ymd.split('-').map(Number);
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** What is wrong with `--at` text that is no time taken here: an ISO 8601 form it does not take is said as such. */
function atProblem(at: string): string {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(at))
    return 'needs a time zone (Z or +HH:MM): without one, each machine would read another time';
  if (/T\d{2}:\d{2}:60(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(at))
    return 'names a leap second (:60), which the dates certificates are checked with do not have; give :59';
  return 'must be an ISO 8601 time such as 2027-01-31T00:00:00Z';
}

/**
 * One line for what `node:util` `parseArgs` refused. `allowed` names the flags of the command
 * (or of all of them) and `more` where to read about them.
 */
export function flagMessage(
  e: Error & { code?: string },
  allowed: readonly string[],
  more = '',
  other?: { readonly command: string; readonly options: readonly string[] },
): string {
  // Node quotes the flag as '--foo' or, for a known option, as '-c, --config <value>'.
  const given = /'(?:-\w, )?(--?[^' ,]+)/.exec(e.message)?.[1] ?? '';
  const flag = shownBare(given);
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return unknownOptionMessage(given, allowed, more, other);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/argument missing/.test(e.message)) return `${flag}: needs ${FLAG_VALUES[flag] ?? 'a value'}`;
      // A value that starts with "-" is read as the next option: say so, and how to give one
      // only where such a value can be right (never a negative --warn-days).
      if (/ambiguous/.test(e.message))
        return FLAG_VALUES[flag]
          ? `${flag}: needs ${FLAG_VALUES[flag]}; what follows it starts with "-"`
          : `${flag}: needs a value; to give one that starts with "-", write ${flag}=VALUE`;
      return `${flag}: takes no value`;
    default:
      return `invalid arguments; see --help${more}`;
  }
}

/** The line for an option `given` that parseArgs does not know, or that is another command's (`other`). */
export function unknownOptionMessage(
  given: string,
  allowed: readonly string[],
  more: string,
  other?: { readonly command: string; readonly options: readonly string[] },
): string {
  const flag = shownBare(given);
  if (other && given.startsWith('--') && other.options.includes(given.slice(2)))
    return `${flag}: not an option of ${other.command}; allowed: ${allowed.map((o) => `--${o}`).join(', ')}${more}`;
  const hint = didYouMean(given.replace(/^--?/, ''), allowed, (o) => `--${o}`);
  return `${flag}: unknown option; ${hint}allowed: ${allowed.map((o) => `--${o}`).join(', ')}${more}`;
}

/** `--config: is given twice; give it once` for each flag given more than once (parseArgs keeps the last). */
export function givenTwice(tokens: readonly { kind: string; name?: string }[]): string[] {
  const names = tokens.filter((t) => t.kind === 'option').map((t) => t.name!);
  return [...new Set(names.filter((n, i) => names.indexOf(n) !== i))].map((n) => `--${n}: is given twice; give it once`);
}

/** What is wrong with a path given on the command line whose name held bytes that are not UTF-8. */
const NOT_UTF8_NAME = 'the name holds bytes that are not UTF-8, which Node cannot pass on as they are; rename it in UTF-8';

/**
 * A path flag whose name held bytes that are not UTF-8: Node turns them into U+FFFD before any
 * code sees them, so the file cannot be opened (or the folder made) by the name the shell gave.
 */
export function notUtf8Paths(values: Readonly<Record<string, unknown>>, paths: readonly string[]): string[] {
  return paths
    .filter((n) => typeof values[n] === 'string' && (values[n] as string).includes('\uFFFD'))
    .map((n) => `--${n}: ${NOT_UTF8_NAME}`);
}

/** `--config: needs a non-empty path` for each flag given as an empty string: a path or a name. */
export function emptyValues(values: Readonly<Record<string, unknown>>, paths: readonly string[], names: readonly string[]): string[] {
  return [
    ...paths.filter((n) => values[n] === '').map((n) => `--${n}: needs a non-empty path`),
    ...names.filter((n) => values[n] === '').map((n) => `--${n}: needs a non-empty value`),
  ];
}

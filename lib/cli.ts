/**
 * The `runai-access` command line: `synth`, `check` and `validate`. Maps errors to exit codes
 * in one place: 0 success, 1 drift (`check`), 2 bad input, 70 a bug (with its stack).
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG, loadConfig } from './config';
import { findDrift } from './drift';
import { formatProblem, InputError, redact, shownBare, ValidationError } from './errors';
import { ClusterOutput, synthesize } from './synthesize';
import { writeOutput } from './writer';

export const EXIT_OK = 0;
export const EXIT_DRIFT = 1;
export const EXIT_INPUT = 2;
export const EXIT_BUG = 70;

/** Where the CLI prints. */
export interface Io {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

const COMMANDS = ['synth', 'check', 'validate'] as const;
type Command = (typeof COMMANDS)[number];

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  out: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Which options each command takes. */
const ALLOWED: Readonly<Record<Command, readonly (keyof typeof OPTIONS)[]>> = {
  synth: ['config', 'out', 'quiet', 'help'],
  check: ['config', 'out', 'quiet', 'help'],
  validate: ['config', 'quiet', 'help'],
};

export const USAGE = `usage: runai-access <command> [options]

commands:
  synth     write dist/<cluster>/ for every cluster in the config
  check     synthesize in memory and compare with the output folder (exit 1 on drift)
  validate  check the config and certificates; write nothing

options:
  -c, --config FILE  config file (default ${DEFAULT_CONFIG})
  -o, --out DIR      output folder for synth and check (default dist)
  -q, --quiet        print only errors (and drift)
  -h, --help         show this help

exit codes: 0 ok, 1 drift (check), 2 bad input (config, certificate, flag)
`;

/** Runs the CLI and returns the exit code. Never throws. */
export function run(argv: readonly string[], io: Io): number {
  try {
    return dispatch(argv, io);
  } catch (e) {
    if (e instanceof InputError) {
      for (const p of e.problems) io.stderr.write(`${formatProblem(p)}\n`);
      return EXIT_INPUT;
    }
    if (e instanceof ValidationError) {
      io.stderr.write(`${redact(`runai-access: ${e.message}`)}\n`);
      return EXIT_INPUT;
    }
    io.stderr.write(`runai-access: internal error, please report it:\n${e instanceof Error ? e.stack : String(e)}\n`);
    return EXIT_BUG;
  }
}

function dispatch(argv: readonly string[], io: Io): number {
  const args = parseFlags(argv);
  if (args.help) {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  const config = args.config ?? DEFAULT_CONFIG;
  const out = args.out ?? 'dist';
  const log = (text: string) => { if (!args.quiet) io.stderr.write(text); };
  switch (args.command) {
    case 'validate': {
      const outputs = synthesize(loadConfig(config));
      log(`${config}: ${plural(outputs.length, 'cluster')} valid: ${outputs.map((o) => o.name).join(', ')}\n`);
      return EXIT_OK;
    }
    case 'synth': {
      const outputs = synthesize(loadConfig(config));
      writeOutput(out, outputs);
      log(summary(config, out, outputs));
      return EXIT_OK;
    }
    case 'check': {
      const outputs = synthesize(loadConfig(config));
      const drift = findDrift(out, outputs);
      if (drift.length === 0) {
        log(`${out} is up to date with ${config}\n`);
        return EXIT_OK;
      }
      for (const d of drift) io.stdout.write(`${d.kind.padEnd(7)} ${path.join(out, d.path)}\n`);
      io.stderr.write(`${out} differs from ${config} in ${plural(drift.length, 'file')}; run: npm run synth\n`);
      return EXIT_DRIFT;
    }
  }
  throw new Error(`parseFlags returned no command for ${JSON.stringify(argv)}`);
}

interface Flags {
  command?: Command;
  config?: string;
  out?: string;
  quiet?: boolean;
  help?: boolean;
}

function parseFlags(argv: readonly string[]): Flags {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new InputError([{ source: 'runai-access', path: '', message: flagMessage(e as Error & { code?: string }) }]);
  }
  const { values, positionals } = parsed;
  if (values.help && positionals.length <= 1) return { help: true };
  const [command, ...extra] = positionals;
  const problems: string[] = [];
  if (command === undefined) problems.push(`a command is required: ${COMMANDS.join(', ')} (see --help)`);
  else if (!(COMMANDS as readonly string[]).includes(command)) problems.push(`${shownBare(command)}: unknown command; allowed: ${COMMANDS.join(', ')}`);
  if (extra.length > 0) problems.push(`${shownBare(extra[0])}: unexpected argument; options take the form --config FILE`);
  if (command && (COMMANDS as readonly string[]).includes(command)) {
    for (const name of Object.keys(values)) {
      if (!ALLOWED[command as Command].includes(name as keyof typeof OPTIONS)) {
        problems.push(`--${name}: not an option of ${command}; allowed: ${ALLOWED[command as Command].map((o) => `--${o}`).join(', ')}`);
      }
    }
  }
  for (const name of ['config', 'out'] as const) {
    if (values[name] === '') problems.push(`--${name}: needs a non-empty path`);
  }
  if (problems.length > 0) throw new InputError(problems.map((message) => ({ source: 'runai-access', path: '', message })));
  return { command: command as Command, config: values.config, out: values.out, quiet: values.quiet };
}

/** Turns a `parseArgs` error into one line naming the flag and what is allowed. */
function flagMessage(e: Error & { code?: string }): string {
  // Node quotes the flag as '--foo' or, for a known option, as '-c, --config <value>'.
  const flag = shownBare(/'(?:-\w, )?(--?[^' ,]+)/.exec(e.message)?.[1] ?? '');
  const allowed = Object.keys(OPTIONS).map((o) => `--${o}`).join(', ');
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `${flag}: unknown option; allowed: ${allowed}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(e.message) ? `${flag}: needs a value` : `${flag}: takes no value`;
    default:
      return `invalid arguments; see --help`;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What synth wrote and how to apply it, for stderr. */
export function summary(config: string, out: string, outputs: readonly ClusterOutput[]): string {
  const lines = [`runai-access: wrote ${plural(outputs.length, 'cluster')} from ${config} to ${out}/`];
  for (const o of outputs) {
    const dir = path.join(out, o.name);
    lines.push('', `${o.name}: workspaces at https://<project>-<workload>.${o.clusterUrl}/ (${o.legacy ? 'Run:ai 2.9-2.12: patch of the existing ingress' : 'dedicated wildcard Ingress'})`);
    for (const f of o.files) lines.push(`  ${path.join(dir, f.path)}  ${f.description}`);
    lines.push('  apply in this order, once Run:ai is installed:');
    for (const step of o.applySteps) {
      const target = step.path ? path.join(dir, step.path) : `${dir}/`;
      lines.push(step.run === 'script' ? `    sh ${target}` : `    kubectl apply -f ${target}`);
    }
    lines.push(`  DNS: *.${o.clusterUrl} must resolve to the same address as ${o.clusterUrl}.`);
    if (o.files.some((f) => f.secret)) lines.push(`  note: ${dir} holds a plaintext private key; do not commit it to git unencrypted.`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The `runai-access` command line: `synth`, `check`, `validate`, `url` and (asynchronous, see
 * `runAsync`) `doctor`. Maps errors to exit codes in one place: 0 success, 1 drift (`check`) or
 * a failed check (`doctor`), 2 bad input, 70 a bug (with its stack).
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import { DEFAULT_CONFIG, loadConfig } from '../config/load';
import { CheckOptions, ClusterSpec, missingKeyNote } from '../config/spec';
import { formatProblem, InputError, Problem, redact, shownBare, ValidationError } from '../model/errors';
import { deliveryOutput } from '../output/delivery-output';
import { generatedHeader, synthCommand } from '../output/generated-header';
import { checkWithoutKeys } from '../output/key-free-check';
import { readPreviousSealings } from '../output/previous-output';
import { sealedSecrets } from '../output/render';
import { synthesize } from '../output/render';
import { objectStream } from '../output/stdout';
import { writeOutput } from '../output/writer';
import { doctor, DOCTOR_OPTIONS } from './doctor';
import { init, Prompt } from './init';
import { summary, validateJson, validateReport } from './report';
import { workspaceUrls } from './workspace-url';

export const EXIT_OK = 0;
export const EXIT_DRIFT = 1;
export const EXIT_INPUT = 2;
export const EXIT_BUG = 70;

/** Where the CLI prints. */
export interface Io {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Asks a question on a terminal, for `init`. @default - none: defaults are used */
  readonly prompt?: Prompt;
}

const COMMANDS = ['synth', 'check', 'validate', 'url', 'init'] as const;
type Command = (typeof COMMANDS)[number];

const OPTIONS = {
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
} as const;
type Option = keyof typeof OPTIONS;

/** Which options each command takes. */
const ALLOWED: Readonly<Record<Command, readonly Option[]>> = {
  synth: ['config', 'out', 'strict', 'warn-days', 'at', 'quiet', 'stdout', 'include-secrets', 'help'],
  check: ['config', 'out', 'strict', 'warn-days', 'at', 'quiet', 'require-keys', 'help'],
  validate: ['config', 'strict', 'warn-days', 'at', 'json', 'quiet', 'require-keys', 'help'],
  url: ['config', 'cluster', 'project', 'workload', 'at', 'help'],
  init: ['cluster-url', 'deployment', 'runai-version', 'tls-source', 'quiet', 'help'],
};
/** Options a command cannot do without. */
const REQUIRED: Readonly<Partial<Record<Command, readonly Option[]>>> = { url: ['cluster', 'project', 'workload'] };

const MAX_WARN_DAYS = 3650;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export const USAGE = `usage: runai-access <command> [options]

commands:
  synth     check the config and certificates, then write dist/<cluster>/ for every cluster
  check     synthesize in memory and compare with the output folder (exit 1 on drift)
  validate  check the config and certificates and print a report; write nothing
  url       print the URLs Run:ai gives a workspace: url --cluster C --project P --workload W
  init      scaffold a GitOps repository in DIR (default .): init [DIR] [--cluster-url URL] ...
  doctor    check a live cluster's DNS, certificate, routing and objects (see doctor --help)

options:
  -c, --config FILE   config file (default ${DEFAULT_CONFIG})
  -o, --out DIR       output folder for synth and check (default dist)
      --strict        treat certificate warnings as errors
      --warn-days N   warn when a certificate expires within N days (default 30)
      --at TIME       check certificate validity at this ISO 8601 time instead of now
      --json          validate: print the findings as JSON on stdout
      --cluster NAME  url: the cluster, as named in the config
      --project NAME  url: the Run:ai project
      --workload NAME url: the workload (workspace)
      --stdout        synth: print every object as YAML on stdout and write nothing
      --include-secrets  synth --stdout: also print Secrets that hold a private key
      --cluster-url URL, --deployment saas|self-hosted, --runai-version V, --tls-source S
                      init: the first cluster (asked for on a terminal, else defaults)
      --require-keys  check, validate: a missing key file is an error (default: checked without it)
  -q, --quiet         print only errors, warnings and drift
  -h, --help          show this help

exit codes: 0 ok, 1 drift (check), 2 bad input (config, certificate, flag, url name); doctor: 1 when a check failed
`;

/** Runs the CLI and returns the exit code. Never throws. `doctor` needs {@link runAsync}. */
export function run(argv: readonly string[], io: Io): number {
  try {
    if (commandOf(argv) === 'doctor') {
      throw new InputError([{ source: 'runai-access', path: '', message: 'doctor probes the network: call runAsync, not run' }]);
    }
    return dispatch(argv, io);
  } catch (e) {
    return exitCodeOf(e, io);
  }
}

/** Runs any command, `doctor` included, and resolves to the exit code. Never rejects. */
export async function runAsync(argv: readonly string[], io: Io): Promise<number> {
  if (commandOf(argv) !== 'doctor') return run(argv, io);
  try {
    return await doctor(argv, io);
  } catch (e) {
    return exitCodeOf(e, io);
  }
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

function dispatch(argv: readonly string[], io: Io): number {
  const args = parseFlags(argv);
  if (args.help) {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  const config = args.config ?? DEFAULT_CONFIG;
  const out = args.out ?? 'dist';
  const now = args.checks.now ?? new Date();
  const log = (text: string) => {
    if (!args.quiet) io.stderr.write(text);
  };
  const warn = (warnings: readonly Problem[]) => {
    for (const w of warnings) io.stderr.write(`${formatProblem(w)}\n`);
  };
  switch (args.command) {
    case 'validate': {
      if (args.json) return validateAsJson(config, { ...args.checks, now, allowMissingKeys: !args.requireKeys }, io);
      const loaded = loadConfig(config, { ...args.checks, now, allowMissingKeys: !args.requireKeys });
      synthesize(loaded.clusters);
      for (const m of loaded.missingKeys) io.stderr.write(`note: ${missingKeyNote(m, ' (--require-keys makes this an error)')}\n`);
      if (args.quiet) warn(loaded.warnings);
      else io.stdout.write(validateReport(config, loaded.clusters, loaded.warnings, now));
      return EXIT_OK;
    }
    case 'synth': {
      const loaded = loadConfig(config, { ...args.checks, now });
      const header = generatedHeader({ config, out });
      if (args.stdout) {
        const stream = objectStream(
          synthesize(loaded.clusters, { previousSealings: previousSealings(out, loaded.clusters), header }),
          args.includeSecrets,
        );
        warn(loaded.warnings);
        for (const note of stream.notes) io.stderr.write(`note: ${note}\n`);
        if (loaded.delivery)
          io.stderr.write(
            'note: the delivery objects (Argo CD, Flux) are not printed; they go to the management cluster: write them with synth\n',
          );
        io.stdout.write(stream.yaml);
        return EXIT_OK;
      }
      if (args.includeSecrets) throw flagError('--include-secrets: only with --stdout; synth writes every Secret to its folder');
      const outputs = synthesize(loaded.clusters, { previousSealings: previousSealings(out, loaded.clusters), header });
      const delivery = deliveryOutput(loaded.delivery, outputs, header, config);
      writeOutput(out, delivery ? [...outputs, delivery] : outputs, '--out', undefined, {
        onWait: (text) => io.stderr.write(`--out: ${text}`),
      });
      warn(loaded.warnings);
      log(summary(config, out, outputs));
      for (const f of delivery?.files ?? [])
        log(
          `\n${path.join(out, delivery!.name, f.path)}  ${f.description}\n  apply once to the cluster that runs the engine: kubectl apply -f ${path.join(out, delivery!.name, f.path)}\n`,
        );
      return EXIT_OK;
    }
    case 'url': {
      const loaded = loadConfig(config, { ...args.checks, now });
      const cluster = loaded.clusters.find((c) => c.name === args.url?.cluster);
      if (!cluster) {
        const names = loaded.clusters.map((c) => c.name).join(', ');
        throw new InputError([
          {
            source: 'runai-access',
            path: '',
            message: `--cluster: ${shownBare(args.url?.cluster ?? '')} is not a cluster of ${config}; clusters: ${names}`,
          },
        ]);
      }
      const urls = workspaceUrls(cluster, args.url!.project, args.url!.workload);
      io.stdout.write(`${urls.hostBased ? `host-based: ${urls.hostBased}\n` : ''}path-based: ${urls.pathBased}\n`);
      for (const note of urls.notes) io.stderr.write(`note: ${note}\n`);
      return EXIT_OK;
    }
    case 'init': {
      const dir = args.dir ?? '.';
      const written = init(dir, args.init ?? {}, io.prompt);
      log(
        `${written.map((f) => `wrote ${path.join(dir, f)}`).join('\n')}\nnext: put your certificates in place, then run npx runai-access synth and commit\n`,
      );
      return EXIT_OK;
    }
    case 'check': {
      const loaded = loadConfig(config, { ...args.checks, now, allowMissingKeys: !args.requireKeys });
      const outputs = synthesize(loaded.clusters, {
        previousSealings: previousSealings(out, loaded.clusters),
        header: generatedHeader({ config, out }),
      });
      const delivery = deliveryOutput(loaded.delivery, outputs, generatedHeader({ config, out }), config);
      const { drift, unverified } = checkWithoutKeys(
        out,
        loaded.clusters,
        outputs,
        loaded.missingKeys,
        args.requireKeys,
        delivery ? [delivery] : [],
      );
      warn(loaded.warnings);
      for (const line of unverified) io.stderr.write(`note: ${line}\n`);
      if (drift.length === 0) {
        log(`${out} is up to date with ${config}${unverified.length > 0 ? ' in everything it could verify' : ''}\n`);
        return EXIT_OK;
      }
      for (const d of drift) io.stdout.write(`${d.kind.padEnd(7)} ${path.join(out, d.path)}\n`);
      io.stderr.write(`${out} differs from ${config} in ${files(drift.length)}; run: ${synthCommand({ config, out })}\n`);
      return EXIT_DRIFT;
    }
  }
  throw new Error(`parseFlags returned no command for ${JSON.stringify(argv)}`);
}

/** The previous sealings of the Secrets that are sealed; no other files are read. */
function previousSealings(out: string, clusters: readonly ClusterSpec[]) {
  return readPreviousSealings(
    out,
    clusters.flatMap((c) => sealedSecrets(c).map((secret) => ({ cluster: c.name, secret }))),
  );
}

/** `validate --json`: the findings go to stdout as JSON whether the config is valid or not. */
function validateAsJson(config: string, checks: CheckOptions & { now: Date }, io: Io): number {
  try {
    const loaded = loadConfig(config, checks);
    synthesize(loaded.clusters);
    for (const m of loaded.missingKeys) io.stderr.write(`note: ${missingKeyNote(m)}\n`);
    io.stdout.write(validateJson(config, loaded.clusters, loaded.warnings, checks.now));
    return EXIT_OK;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stdout.write(validateJson(config, [], e.problems, checks.now));
    return EXIT_INPUT;
  }
}

function flagError(message: string): InputError {
  return new InputError([{ source: 'runai-access', path: '', message }]);
}

function files(n: number): string {
  return `${n} file${n === 1 ? '' : 's'}`;
}

interface Flags {
  command?: Command;
  config?: string;
  out?: string;
  quiet?: boolean;
  json?: boolean;
  help?: boolean;
  stdout?: boolean;
  includeSecrets?: boolean;
  requireKeys?: boolean;
  url?: { cluster: string; project: string; workload: string };
  dir?: string;
  init?: { clusterUrl?: string; deployment?: string; runaiVersion?: string; tlsSource?: string };
  checks: CheckOptions;
}

function parseFlags(argv: readonly string[]): Flags {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new InputError([{ source: 'runai-access', path: '', message: flagMessage(e as Error & { code?: string }) }]);
  }
  const { values, positionals } = parsed;
  if (values.help && positionals.length <= 1) return { help: true, checks: {} };
  const [command, ...extra] = positionals;
  const problems: string[] = [];
  if (command === undefined) problems.push(`a command is required: ${COMMANDS.join(', ')}, doctor (see --help)`);
  else if (!(COMMANDS as readonly string[]).includes(command))
    problems.push(`${shownBare(command)}: unknown command; allowed: ${COMMANDS.join(', ')}, doctor`);
  const dir = command === 'init' ? extra.shift() : undefined;
  if (extra.length > 0) problems.push(`${shownBare(extra[0])}: unexpected argument; options take the form --config FILE`);
  if (command && (COMMANDS as readonly string[]).includes(command)) {
    for (const name of Object.keys(values)) {
      if (!ALLOWED[command as Command].includes(name as Option)) {
        problems.push(`--${name}: not an option of ${command}; allowed: ${ALLOWED[command as Command].map((o) => `--${o}`).join(', ')}`);
      }
    }
  }
  if (command && (COMMANDS as readonly string[]).includes(command)) {
    for (const name of REQUIRED[command as Command] ?? []) {
      if (values[name] === undefined) problems.push(`--${name}: is required by ${command}`);
    }
  }
  if (dir === '') problems.push('DIR: needs a non-empty path');
  for (const name of ['config', 'out'] as const) {
    if (values[name] === '') problems.push(`--${name}: needs a non-empty path`);
  }
  let warnDays: number | undefined;
  if (values['warn-days'] !== undefined) {
    warnDays = Number(values['warn-days']);
    if (!/^\d+$/.test(values['warn-days']) || warnDays > MAX_WARN_DAYS) {
      problems.push(`--warn-days: must be a whole number of days from 0 to ${MAX_WARN_DAYS}, got ${shownBare(values['warn-days'])}`);
    }
  }
  let now: Date | undefined;
  if (values.at !== undefined) {
    now = new Date(values.at);
    if (!ISO_TIME.test(values.at) || Number.isNaN(now.getTime()) || !isCalendarDate(values.at.slice(0, 10))) {
      problems.push(`--at: must be an ISO 8601 time such as 2027-01-31T00:00:00Z, got ${shownBare(values.at)}`);
    }
  }
  if (problems.length > 0) throw new InputError(problems.map((message) => ({ source: 'runai-access', path: '', message })));
  return {
    command: command as Command,
    config: values.config,
    out: values.out,
    quiet: values.quiet,
    json: values.json,
    stdout: values.stdout,
    includeSecrets: values['include-secrets'],
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

/** True when `YYYY-MM-DD` names a real day: `Date` would roll 2027-02-30 over to March. */
function isCalendarDate(ymd: string): boolean {
  const [y, m, d] = ymd.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Turns a \`parseArgs\` error into one line naming the flag and what is allowed. */
function flagMessage(e: Error & { code?: string }): string {
  // Node quotes the flag as '--foo' or, for a known option, as '-c, --config <value>'.
  const flag = shownBare(/'(?:-\w, )?(--?[^' ,]+)/.exec(e.message)?.[1] ?? '');
  const allowed = Object.keys(OPTIONS)
    .map((o) => `--${o}`)
    .join(', ');
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `${flag}: unknown option; allowed: ${allowed}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/argument missing/.test(e.message)) return `${flag}: needs a value`;
      if (/ambiguous/.test(e.message)) return `${flag}: needs a value; to give one that starts with "-", write ${flag}=VALUE`;
      return `${flag}: takes no value`;
    default:
      return 'invalid arguments; see --help';
  }
}

/**
 * The help of every command but `doctor` (see `doctor-command.ts`): `USAGE`, which `--help`
 * prints, and each command's `<command> --help`, read from it and from which options the command
 * takes (flags.ts).
 */
import { DEFAULT_CONFIG, DEFAULT_OUT } from '../model/output-layout';
import { DEFAULT_WARN_DAYS } from '../tls/findings';
import { ALLOWED, Command, Option } from './flags';

export const USAGE = `usage: runai-access <command> [options]

commands:
  synth     check the config and certificates, then write dist/<cluster>/ for every cluster
  check     synthesize in memory and compare with the output folder as git records it
  validate  check the config and certificates and print a report; write nothing
  url       print the URLs Run:ai gives a workspace: url --cluster C --project P --workload W
  init      scaffold a GitOps repository in DIR (default .): init [DIR] [--cluster-url URL] ...
  doctor    check a live cluster's DNS, certificate, routing and objects (see doctor --help)

options:
  -c, --config FILE   config file (default ${DEFAULT_CONFIG})
  -o, --out DIR       output folder for synth and check (default ${DEFAULT_OUT})
      --strict        treat warnings as errors
      --warn-days N   warn when a certificate expires within N days (default ${DEFAULT_WARN_DAYS})
      --at TIME       check certificate validity at this ISO 8601 time instead of now
      --json          validate: print the findings as JSON on stdout
      --cluster NAME  url: the cluster in the config; synth --stdout: the one cluster to print
      --project NAME  url: the Run:ai project
      --workload NAME url: the workload (workspace)
      --stdout        synth: print every object as YAML on stdout and write nothing (--out still
                      names the folder whose SealedSecrets are reused and headers name)
      --include-secrets  synth --stdout: also print Secrets that hold a private key
      --cluster-url URL, --deployment saas|self-hosted, --runai-version V, --tls-source S
                      init: the first cluster (asked for on a terminal, else defaults)
      --require-keys  check, validate: a missing key file is an error (default: checked without it)
  -q, --quiet         print only errors, warnings, notes, drift and what synth removed
  -h, --help          show this help
      --version       print the version of runai-access (without a command)

exit codes:
  0    ok
  1    drift or a private key in git (check), a check that failed (doctor)
  2    bad input (config, certificate, flag, output folder, url name)
  130  synth stopped by Ctrl-C, its output folder untouched or whole (143: SIGTERM, 129: SIGHUP)
`;

/**
 * An option's words in one command's `--help`, where USAGE's, which speak of every command
 * ("url: …; synth: …"), would name others. Keyed by the first option of an entry.
 */
const COMMAND_TEXT: Readonly<Partial<Record<Command, Partial<Record<Option, string>>>>> = {
  synth: {
    out: `output folder, replaced whole (default ${DEFAULT_OUT})`,
    cluster: 'with --stdout: print this one cluster, as named in the config',
    stdout:
      'print every object as YAML on stdout and write nothing (--out still names the folder whose SealedSecrets are ' +
      'reused and headers name)',
    'include-secrets': 'with --stdout: also print Secrets that hold a private key',
    quiet: 'print only errors, warnings, notes and what synth removed',
  },
  check: {
    out: `the output folder to compare (default ${DEFAULT_OUT})`,
    'require-keys': 'a missing key file is an error (default: checked without it)',
    quiet: 'print only errors, warnings, notes and drift',
  },
  validate: {
    json: 'print the findings as JSON on stdout',
    'require-keys': 'a missing key file is an error (default: checked without it)',
    quiet: 'print only errors, warnings and notes, not the report',
  },
  url: {
    cluster: 'the cluster, as named in the config',
    project: 'the Run:ai project',
    workload: 'the workload (workspace)',
  },
  init: {
    'cluster-url': 'the first cluster (asked for on a terminal, else defaults)',
    quiet: 'print only errors, not the files written and the next steps',
  },
};

/** What each command's exit codes mean, a line each (shown under "exit codes:", indented). */
const EXIT_TEXT: Readonly<Record<Command, readonly string[]>> = {
  synth: [
    '0    written or already up to date',
    '2    bad input (config, certificate, flag, output folder): nothing written, unless it says so',
    '130  stopped by Ctrl-C: nothing written, or the output folder whole (143: SIGTERM, 129: SIGHUP)',
  ],
  check: ['0  up to date', '1  drift, or a private key in git', '2  bad input (config, certificate, flag, output folder)'],
  validate: ['0  valid', '2  bad input (config, certificate, flag)'],
  url: ['0  ok', '2  bad input (config, flag, a name Run:ai refuses, a host the certificate does not cover)'],
  init: ['0  written', '2  bad input (flag, answer, a file already there): nothing written'],
};

/** The flags of an entry of USAGE's options, with their values (`  -c, --config FILE`, `      --cluster-url URL, --deployment saas|self-hosted`). */
const FLAG_PART = /^ {2}(?:-\w, | {4})--[a-z-]+(?: [A-Za-z|-]+)?(?:, --[a-z-]+(?: [A-Za-z|-]+)?)*/;

/** Where an option's words start in USAGE, and how wide its lines are. */
const TEXT_COLUMN = 22;
const WIDTH = 100;

/**
 * `runai-access <command> --help`: the command's line of USAGE and the options it takes, read from
 * USAGE (one place for the words, COMMAND_TEXT where they differ) and ALLOWED (one place for which
 * options a command takes).
 */
export function commandUsage(command: Command): string {
  const lines = USAGE.split('\n');
  const what = lines.find((l) => l.startsWith(`  ${command} `))!.trim();
  const entries: string[][] = [];
  for (const line of lines.slice(lines.indexOf('options:') + 1, lines.findIndex((l) => l.startsWith('exit codes:')) - 1)) {
    if (/^ {2}(-\w, | {4})--/.test(line)) entries.push([line]);
    else entries.at(-1)?.push(line); // a continuation of the entry above
  }
  // The flag column: after "  -c, " or six spaces, up to the description (two spaces or more).
  const flags = (entry: string[]) =>
    [
      ...entry[0]
        .slice(6)
        .split(/ {2,}/)[0]
        .matchAll(/--([a-z-]+)/g),
    ].map((m) => m[1] as Option);
  const takes = (entry: string[]) => flags(entry).some((f) => ALLOWED[command].includes(f));
  const worded = (entry: string[]) => {
    const text = COMMAND_TEXT[command]?.[flags(entry)[0]];
    if (text === undefined) return entry;
    // The flags as USAGE has them, then the command's words: beside them, or below when the flags fill the line.
    const flagPart = FLAG_PART.exec(entry[0])![0];
    if (flagPart.length > WIDTH / 2) return [flagPart, ...wrap(text, TEXT_COLUMN)];
    return wrap(text, TEXT_COLUMN, flagPart.length < TEXT_COLUMN ? flagPart.padEnd(TEXT_COLUMN) : `${flagPart}  `);
  };
  return [
    `usage: runai-access ${command}${command === 'init' ? ' [DIR]' : ''} [options]`,
    '',
    what,
    '',
    'options:',
    ...entries.filter(takes).flatMap(worded),
    '',
    'exit codes:',
    ...EXIT_TEXT[command].map((line) => `  ${line}`),
    '',
  ].join('\n');
}

/** `text` in lines of at most WIDTH characters, each indented to `column`, the first after `head`. */
function wrap(text: string, column: number, head = ' '.repeat(column)): string[] {
  const lines: string[] = [];
  let line = head;
  let empty = true;
  for (const word of text.split(' ')) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      [line, empty] = [' '.repeat(column), true];
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  return [...lines, line];
}

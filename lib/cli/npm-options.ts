/**
 * Options npm kept for itself: `npm run validate --strict`, without the `--` that hands what
 * follows to the script, makes npm read `--strict` as a config of its own. npm passes it on only
 * as `npm_config_strict=true` in the script's environment (and a value after an option, such as
 * the file of `--out FILE`, as an argument of its own), so runai-access would run without it and
 * say nothing: a `--strict` gate passes, `--json` prints text, `-c other.yaml` checks the default
 * config. With `-s`, npm's own warning ("Unknown cli config") is silenced too. What npm sets for
 * each was seen with npm 10 and 11: `--name` and `--name=value` set npm_config_name, `--no-name`
 * sets npm_config_name to "", `-c` is npm's `--call`, `-o` is npm_config_o; `-q` is npm's own
 * `--loglevel warn`, which cannot be told from an .npmrc's, and `-h` is npm's help.
 */
import { shellPath } from '../model/errors';
import { andList } from '../model/list-text';
import { DOCTOR_OPTIONS } from './doctor-flags';
import { OPTIONS } from './flags';

/** How npm keeps one of our options: the variable it sets, the value that means "given", and how the option is written. */
interface Kept {
  readonly variable: string;
  readonly given: (value: string) => boolean;
  /** As the user wrote it: `--out`, `--no-kube`, `-c`. */
  readonly flag: string;
  /** It takes a value (`--out DIR`). */
  readonly takesValue: boolean;
}

const envName = (name: string) => `npm_config_${name.replace(/-/g, '_')}`;

/** Every option of every command as npm keeps it, but those npm acts on itself (--help, --version, -q, -h). */
const KEPT: readonly Kept[] = [
  ...Object.entries({ ...OPTIONS, ...DOCTOR_OPTIONS })
    .filter(([name]) => name !== 'help' && name !== 'version')
    .map(([name, o]): Kept => {
      const negated = name.startsWith('no-');
      return {
        variable: envName(negated ? name.slice(3) : name),
        given: negated ? (value) => value === '' : () => true,
        flag: `--${name}`,
        takesValue: o.type === 'string',
      };
    }),
  { variable: 'npm_config_call', given: () => true, flag: '-c', takesValue: true },
  { variable: 'npm_config_o', given: () => true, flag: '-o', takesValue: true },
];

/** True when `args` holds `flag` itself (`--out`, `--out=DIR`, `-c`, `-cFILE`): it reached runai-access. */
function reached(flag: string, args: readonly string[]): boolean {
  return args.some((a) => a === flag || a.startsWith(flag.startsWith('--') ? `${flag}=` : flag));
}

/**
 * The line saying which of runai-access's options npm kept, or `undefined`. Only when npm runs a
 * script or an `npm exec` command line that runs runai-access (`npm_lifecycle_script`) and does not
 * read npm's settings itself (`$npm_config_cluster` in the script: the admin meant npm to keep
 * them); an option that is in `args` as well reached runai-access. `npx runai-access validate
 * --json` passes its options on, as `npm exec -- …` does: npm keeps none of them.
 */
export function npmTookOptions(env: NodeJS.ProcessEnv, args: readonly string[]): string | undefined {
  const script = env.npm_lifecycle_script ?? '';
  if (!/runai-access\b/.test(script) || script.includes('npm_config_')) return undefined;
  const event = env.npm_lifecycle_event ?? 'SCRIPT';
  const kept = KEPT.filter((k) => {
    const value = env[k.variable];
    // Under npm exec (event npx), -c is npm exec's own --call, which runs a command line: not ours.
    if (value === undefined || !k.given(value) || (k.flag === '-c' && event === 'npx')) return false;
    return !reached(k.flag, args);
  });
  if (kept.length === 0) return undefined;
  const flags = kept.map((k) => k.flag);
  // npm keeps a value given with "=" (--out=DIR); one after a space it passed on as an argument, which cannot be placed.
  const example = kept
    .map((k) => {
      const value = env[k.variable]!;
      return k.takesValue ? `${k.flag} ${value === 'true' || value === '' ? '…' : shellPath(value)}` : k.flag;
    })
    .join(' ');
  // npm exec (its event is npx) runs the command line it was given, npm run a script by its name;
  // its command line is only the program's name (its arguments came apart): the command is the first argument.
  const command = /^[a-z]+$/.test(args[0] ?? '') ? args[0] : 'COMMAND';
  const fixed = event === 'npx' ? `npm exec -- runai-access ${command} ${example}` : `npm run ${event} -- ${example}`;
  return (
    `runai-access: npm kept ${andList(flags)} as ${flags.length === 1 ? 'an option' : 'options'} of its own and did not pass ` +
    `${flags.length === 1 ? 'it' : 'them'} on: put -- before the options (${fixed})\n`
  );
}

/**
 * Options npm kept for itself: `npm run validate --strict`, without the `--` that hands what
 * follows to the script, makes npm read `--strict` as a config of its own. npm passes it on only
 * as `npm_config_strict=true` in the script's environment (and a value after an option, such as
 * the file of `--out FILE`, as an argument of its own), so runai-access would run without it and
 * say nothing: a `--strict` gate passes, `--json` prints text. With `-s`, npm's own warning
 * ("Unknown cli config") is silenced too.
 */
import { DOCTOR_OPTIONS } from './doctor-flags';
import { OPTIONS } from './flags';

/** Every long option of every command, with its type, but those npm acts on itself before any script runs (--help, --version). */
const TYPES: ReadonlyMap<string, string> = new Map(
  Object.entries({ ...OPTIONS, ...DOCTOR_OPTIONS })
    .filter(([n]) => n !== 'help' && n !== 'version')
    .map(([n, o]) => [n, o.type]),
);

/**
 * The line saying which of runai-access's options npm took, or `undefined`: only when npm runs a
 * script or `npm exec` command line that runs runai-access (`npm_lifecycle_script`), so a config
 * npm exports in another script is no concern. `npx runai-access validate --json` passes its
 * options on, as `npm exec -- …` does: npm sets none of them.
 */
export function npmTookOptions(env: NodeJS.ProcessEnv, args: readonly string[]): string | undefined {
  if (!/runai-access\b/.test(env.npm_lifecycle_script ?? '')) return undefined;
  const taken = [...TYPES.keys()].filter((n) => env[`npm_config_${n.replace(/-/g, '_')}`] !== undefined);
  if (taken.length === 0) return undefined;
  const flags = taken.map((n) => `--${n}`);
  const them = flags.length === 1 ? flags[0] : `${flags.slice(0, -1).join(', ')} and ${flags.at(-1)}`;
  // npm read a value option as true and passed its value on as an argument, which the example cannot place.
  const example = taken.map((n) => (TYPES.get(n) === 'string' ? `--${n} …` : `--${n}`)).join(' ');
  // npm exec (its event is npx) runs the command line it was given, npm run a script by its name.
  const event = env.npm_lifecycle_event ?? 'SCRIPT';
  // Its command line is only the program's name (its arguments came apart): the command is the first argument.
  const command = /^[a-z]+$/.test(args[0] ?? '') ? args[0] : 'COMMAND';
  const fixed = event === 'npx' ? `npm exec -- runai-access ${command} ${example}` : `npm run ${event} -- ${example}`;
  return (
    `runai-access: npm kept ${them} as ${flags.length === 1 ? 'an option' : 'options'} of its own and did not pass ` +
    `${flags.length === 1 ? 'it' : 'them'} on: put -- before the options (${fixed})\n`
  );
}

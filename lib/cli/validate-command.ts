/** `runai-access validate`: check the config and certificates, print a report (or JSON), write nothing. */
import { loadConfig, LoadedConfig } from '../config/load';
import { CheckOptions, missingKeyNote } from '../config/spec';
import { InputError } from '../model/errors';
import { deliveryOutput } from '../output/delivery-output';
import { synthesize } from '../output/render';
import { CommandContext, EXIT_INPUT, EXIT_OK, Io } from './command-context';
import { validateJson, validateReport } from './report';

export function runValidate({ args, io, config, now, warn }: CommandContext): number {
  const checks = { ...args.checks, now, allowMissingKeys: !args.requireKeys, askGit: true };
  if (args.json) return validateAsJson(config, checks, io);
  const loaded = loadConfig(config, checks);
  renderAll(loaded, config);
  for (const m of loaded.missingKeys) io.stderr.write(`note: ${missingKeyNote(m, ' (--require-keys makes this an error)')}\n`);
  for (const note of loaded.notes) io.stderr.write(`note: ${note}\n`);
  if (args.quiet) warn(loaded.warnings);
  else io.stdout.write(validateReport(config, loaded.clusters, loaded.warnings, now));
  return EXIT_OK;
}

/** `validate --json`: the findings go to stdout as JSON whether the config is valid or not. */
function validateAsJson(config: string, checks: CheckOptions & { now: Date }, io: Io): number {
  try {
    const loaded = loadConfig(config, checks);
    renderAll(loaded, config);
    const notes = [...loaded.missingKeys.map((m) => missingKeyNote(m)), ...loaded.notes];
    for (const note of notes) io.stderr.write(`note: ${note}\n`);
    io.stdout.write(validateJson(config, loaded.clusters, loaded.warnings, checks.now, notes));
    return EXIT_OK;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stdout.write(validateJson(config, [], e.problems, checks.now));
    return EXIT_INPUT;
  }
}

/** Renders what synth would write, in memory, for the checks made on the files themselves. */
function renderAll(loaded: LoadedConfig, config: string): void {
  deliveryOutput(loaded.delivery, synthesize(loaded.clusters, { source: config }), { source: config });
}

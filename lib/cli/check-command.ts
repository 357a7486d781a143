/** `runai-access check`: synthesize in memory and compare with the output folder (exit 1 on drift). */
import * as path from 'node:path';

import { loadConfig } from '../config/load';
import { shownBare } from '../model/errors';
import { deliveryOutput } from '../output/delivery-output';
import { generatedHeader, synthCommand } from '../output/generated-header';
import { checkWithoutKeys } from '../output/key-free-check';
import { synthesize } from '../output/render';
import { CommandContext, EXIT_DRIFT, EXIT_OK } from './command-context';
import { previousSealings } from './synth-command';

export function runCheck({ args, io, config, out, now, log, warn }: CommandContext): number {
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
    log(`${shownBare(out)} is up to date with ${shownBare(config)}${unverified.length > 0 ? ' in everything it could verify' : ''}\n`);
    return EXIT_OK;
  }
  for (const d of drift) io.stdout.write(`${d.kind.padEnd(7)} ${path.join(shownBare(out), d.path)}\n`);
  io.stderr.write(`${shownBare(out)} differs from ${shownBare(config)} in ${files(drift.length)}; run: ${synthCommand({ config, out })}\n`);
  return EXIT_DRIFT;
}

function files(n: number): string {
  return `${n} file${n === 1 ? '' : 's'}`;
}

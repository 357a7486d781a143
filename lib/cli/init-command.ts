/** `runai-access init [DIR]`: scaffold a GitOps repository (see `init.ts`) and say what to do next. */
import * as path from 'node:path';

import { shownPath } from '../model/errors';
import { CommandContext, EXIT_OK } from './command-context';
import { init } from './init';

export function runInit({ args, io, log }: CommandContext): number {
  const dir = args.dir ?? '.';
  const written = init(dir, args.init ?? {}, io.prompt);
  log(
    `${written.map((f) => `wrote ${shownPath(path.join(dir, f))}`).join('\n')}\nnext: put your ` +
      `certificates in place, then run npx runai-access synth and commit\n`,
  );
  return EXIT_OK;
}

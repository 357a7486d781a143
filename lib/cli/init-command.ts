/** `runai-access init [DIR]`: scaffold a GitOps repository (see `init.ts`) and say what to do next. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { shellPath, shownPath } from '../model/errors';
import { CommandContext, EXIT_OK } from './command-context';
import { init, installsRunaiAccess } from './init';

export function runInit({ args, io, log, notice }: CommandContext): number {
  const dir = args.dir ?? '.';
  const { written, nextStep, defaulted } = init(dir, args.init ?? {}, io.prompt);
  // The CI it wrote runs the bin npm ci installs: a folder whose package.json lacks runai-access has none.
  // `npm init -y` only where there is no package.json: it would not touch one, but is no step there.
  const npmInit = fs.existsSync(path.join(dir, 'package.json')) ? '' : 'npm init -y && ';
  // Run in DIR: from here, npm would install into the current folder.
  const cd = path.resolve(dir) === process.cwd() ? '' : `cd ${shellPath(dir)} && `;
  const install = installsRunaiAccess(dir)
    ? ''
    : `next: install runai-access in ${shownPath(dir)}, which its CI runs from node_modules: ${cd}${npmInit}` +
      'npm install --save-dev --save-exact <the runai-access .tgz that npm pack made> (runai-access\'s README, "GitOps")\n';
  log(
    `${written.map((f) => `wrote ${shownPath(path.join(dir, f))}`).join('\n')}\n${install}next: check the tls block of ` +
      `runai-access.yaml (${nextStep}), then run npx runai-access synth and commit\n`,
  );
  // Piped input is not read: without a terminal nothing is asked. Said also under --quiet, since the config holds placeholders.
  if (defaulted.length > 0)
    notice(
      `note: no terminal to ask on (stdin is not one), so init took the defaults of what no flag gave: ${defaulted.join(', ')}; ` +
        'edit runai-access.yaml to change them (the flags --cluster-url, --deployment, --runai-version and --tls-source ' +
        'set them without a terminal)\n',
    );
  return EXIT_OK;
}

/** `runai-access synth`: write dist/<cluster>/ for every cluster, or print the objects with `--stdout`. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { loadConfig } from '../config/load';
import { InputError, shellPath, shownPath } from '../model/errors';
import { currentFolderInside } from '../output/current-folder';
import { droppedDeliveryObjects, droppedDeliveryText } from '../output/dropped-delivery';
import { droppedHelmValues } from '../output/dropped-helm-values';
import { clusterOutputs, folderOutputs } from '../output/folder-outputs';
import { foreignFiles } from '../output/foreign-files';
import { generatedHeader, headerConfig } from '../output/generated-header';
import { inputsInside } from '../output/inputs-inside';
import { outPathProblems } from '../output/out-path';
import { removedFolders } from '../output/removed-folders';
import { removedObjects } from '../output/removed-objects';
import { objectStream } from '../output/stdout';
import { trackedKeyFiles, trackedKeyMessage } from '../output/tracked-keys';
import { writeOutput } from '../output/writer';
import { CommandContext, EXIT_OK } from './command-context';
import { clusterNamed, flagError } from './flags';
import { fluxLeftovers, removalReport } from './removal-report';
import { summary } from './report';

export function runSynth({ args, io, config, out, now, log, notice, warn }: CommandContext): number {
  if (args.cluster !== undefined && !args.stdout) throw flagError("--cluster: only with --stdout; synth writes every cluster's folder");
  // One cluster's objects, for kubectl diff against that cluster's context (the clusters' objects
  // share names): only its files are read, and only its problems are said.
  const loaded = loadConfig(config, { ...args.checks, now, cluster: args.cluster, out: args.stdout ? undefined : out, askGit: true });
  if (args.stdout) {
    if (args.cluster !== undefined) clusterNamed(loaded, args.cluster, config);
    const stream = objectStream(clusterOutputs(loaded, config, out), args.includeSecrets);
    warn(loaded.warnings);
    for (const note of [...stream.notes, ...loaded.notes]) io.stderr.write(`note: ${note}\n`);
    if (loaded.delivery)
      io.stderr.write(
        'note: the delivery objects (Argo CD, Flux) are not printed; they go to the management cluster: write them with synth\n',
      );
    io.stdout.write(stream.yaml);
    return EXIT_OK;
  }
  if (args.includeSecrets) throw flagError('--include-secrets: only with --stdout; synth writes every Secret to its folder');
  const inside = [...outPathProblems(out, '--out'), ...currentFolderInside(out, '--out'), ...inputsInside(out, '--out', loaded.inputs)];
  if (inside.length > 0) throw new InputError(inside);
  const { clusters: outputs, delivery } = folderOutputs(loaded, config, out);
  const folders = delivery ? [...outputs, delivery] : outputs;
  const ownConfig = headerConfig(generatedHeader({ config, out }));
  // What the summary names of the previous output, read under the lock, after an interrupted write's
  // leftovers are put back and before the write replaces it: the output that is replaced, whatever
  // another synth or a kill did before.
  const readPrevious = () => {
    const objects = removedObjects(out, outputs, ownConfig);
    const reported = new Set(objects.removed.map((r) => `${r.cluster}/${r.file}`));
    return {
      folders: removedFolders(
        out,
        folders.map((f) => f.name),
        ownConfig,
      ),
      objects,
      values: droppedHelmValues(out, outputs, ownConfig),
      foreign: foreignFiles(out, folders, reported, objects.listed),
      delivery: droppedDeliveryObjects(out, delivery?.files ?? [], loaded.delivery?.flux?.namespace, ownConfig),
      linkTo: linkText(out),
    };
  };
  let read: ReturnType<typeof readPrevious> | undefined;
  const outcome = writeOutput(out, folders, {
    // What it waits for is no error, warning or note: --quiet leaves it out, and says it if the wait fails.
    onWait: (text) => log(`--out: ${text}`),
    beforeReplace: () => (read = readPrevious()),
  });
  const { folders: leftOut, objects: leftObjects, values: leftValues, foreign, delivery: leftDelivery, linkTo } = read!;
  warn(loaded.warnings);
  const written = outcome === 'written';
  const { tracked, unasked } = trackedKeyFiles(out, outputs);
  for (const file of tracked) notice(`warning: ${trackedKeyMessage(out, file)}\n`);
  for (const note of [...(unasked ? [unasked] : []), ...loaded.notes]) notice(`note: ${note}\n`);
  const removed = written ? leftOut : [];
  const previous = {
    removed,
    objects: written ? leftObjects.removed : [],
    reclassed: written ? leftObjects.reclassed : [],
    ownConfig,
    helm: written ? leftValues : [],
    foreign: written ? foreign : [],
    otherConfigs: written ? leftObjects.otherConfigs : [],
    linkTo: written ? linkTo : undefined,
  };
  // --quiet leaves out the summary, not what it removed: no later run says it again.
  if (args.quiet) notice(removalReport(config, out, outputs, previous));
  else log(summary(config, out, outputs, outcome, previous, new Set(tracked)));
  for (const f of delivery?.files ?? [])
    log(
      `\n${path.join(shownPath(out), delivery!.name, f.path)}  ${f.description}\n  apply to the ` +
        `cluster that runs the engine, again whenever a cluster is added, renamed or removed: kubectl apply -f ` +
        `${shellPath(path.join(out, delivery!.name, f.path))}\n`,
    );
  const flux = loaded.delivery?.flux;
  if (flux) notice(fluxLeftovers(flux.namespace, removed, ownConfig));
  if (written) notice(droppedDeliveryText(leftDelivery));
  return EXIT_OK;
}

/** What the link at `out` says, when `out` is one (synth replaces it by a folder); `undefined` otherwise. */
function linkText(out: string): string | undefined {
  try {
    // Resolved first: `dist/` (a trailing slash) names where the link leads, which is no link.
    return fs.readlinkSync(path.resolve(out));
  } catch {
    return undefined;
  }
}

/**
 * Where the delivery objects send the engine, against where the run writes: the Argo CD
 * Applications and Flux Kustomizations read `<delivery.path>/<cluster>` in the repository,
 * while `synth --out` decides where the folders are. When the output folder is inside a git
 * work tree, its path in that repository is known, and a `delivery.path` that is not it would
 * have the engine read folders this run does not write.
 */
import * as path from 'node:path';

import { Problem, shownPath } from '../model/errors';
import { DeliverySpec } from './delivery-schema';
import { workTreeOf } from './work-tree';

/**
 * A warning (`delivery-path-elsewhere`) when `out` lies in a git work tree at another path than
 * `delivery.path`; `undefined` when they agree, or when no work tree holds `out` (the folders may
 * be copied into the repository later).
 * @param source the config file, which the warning names
 */
export function deliveryPathProblem(delivery: DeliverySpec | undefined, out: string, source: string): Problem | undefined {
  if (!delivery) return undefined;
  const folder = path.resolve(out);
  const root = workTreeOf(folder);
  if (root === undefined) return undefined;
  const inRepository = path.relative(root, folder).split(path.sep).join('/') || '.';
  if (inRepository === path.posix.normalize(delivery.path)) return undefined;
  return {
    source,
    path: 'delivery.path',
    code: 'delivery-path-elsewhere',
    severity: 'warning',
    message:
      `is ${delivery.path}, so the engine reads ${delivery.path}/<cluster>, but this run writes the folders to ` +
      `${inRepository} of the repository at ${shownPath(root)}: set delivery.path: ${inRepository}, ` +
      `or write to ${shownPath(path.join(root, delivery.path))} with --out`,
  };
}

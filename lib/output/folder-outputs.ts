/**
 * What `synth` writes into an output folder and `check` compares with it: each cluster's folder
 * and the delivery folder, with the generated header that names the config and the folder, and
 * with the sealings already in the folder of the Secrets that are sealed (kubeseal's output
 * changes at every run; a certificate that did not change keeps its sealing).
 */
import { LoadedConfig } from '../config/load';
import { deliveryOutput, FolderOutput } from './delivery-output';
import { generatedHeader } from './generated-header';
import { readPreviousSealings } from './previous-sealings';
import { ClusterOutput, sealedSecrets, synthesize } from './render';

export interface FolderOutputs {
  readonly clusters: ClusterOutput[];
  /** The delivery objects (Argo CD, Flux), when the config has a `delivery` block. */
  readonly delivery: FolderOutput | undefined;
}

export function folderOutputs(loaded: LoadedConfig, config: string, out: string): FolderOutputs {
  const header = generatedHeader({ config, out });
  const clusters = clusterOutputs(loaded, config, out, header);
  return { clusters, delivery: deliveryOutput(loaded.delivery, clusters, { header, source: config }) };
}

/**
 * The clusters' folders alone, as `synth --stdout` prints them: the delivery objects go to the
 * management cluster, and are neither printed nor checked there.
 */
export function clusterOutputs(
  loaded: LoadedConfig,
  config: string,
  out: string,
  header = generatedHeader({ config, out }),
): ClusterOutput[] {
  const previousSealings = readPreviousSealings(
    out,
    loaded.clusters.flatMap((c) => sealedSecrets(c).map((secret) => ({ cluster: c.name, secret }))),
  );
  return synthesize(loaded.clusters, { previousSealings, header, source: config });
}

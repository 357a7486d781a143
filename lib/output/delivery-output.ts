/**
 * The `_delivery/` folder beside the cluster folders: `argocd-applicationset.yaml` and
 * `flux-kustomizations.yaml`, for the management cluster (`kubectl apply -f <out>/_delivery/`).
 * Not inside any cluster folder, so `kubectl apply -f <out>/<cluster>/` never reads them.
 */
import { stringify } from 'yaml';

import type { DeliverySpec } from '../config/delivery-schema';
import { applicationSet, fluxKustomization } from '../constructs/fleet-delivery';
import { GENERATED_HEADER, OutputFile } from '../constructs/output-file';
import { DELIVERY_DIR } from '../model/names';

/** A folder of the output that is not a cluster's. */
export interface FolderOutput {
  readonly name: string;
  readonly files: readonly OutputFile[];
}

/** The delivery folder for `clusters`, or nothing without `delivery`. */
export function deliveryOutput(
  delivery: DeliverySpec | undefined,
  clusters: readonly string[],
  header = GENERATED_HEADER,
): FolderOutput | undefined {
  if (!delivery || (!delivery.argocd && !delivery.flux)) return undefined;
  const delivered = clusters.map((name) => ({ name, path: `${delivery.path}/${name}` }));
  const yaml = (docs: readonly unknown[]) => header + docs.map((d) => stringify(d, { lineWidth: 0, singleQuote: true })).join('---\n');
  const files: OutputFile[] = [];
  if (delivery.argocd) {
    files.push({
      path: 'argocd-applicationset.yaml',
      content: yaml([
        applicationSet({ ...delivery.argocd, repoURL: delivery.repoURL, targetRevision: delivery.targetRevision, clusters: delivered }),
      ]),
      mode: 0o644,
      description: `Argo CD ApplicationSet ${delivery.argocd.namespace}/runai-access: one Application per cluster folder`,
      secret: false,
    });
  }
  if (delivery.flux) {
    const flux = delivery.flux;
    files.push({
      path: 'flux-kustomizations.yaml',
      content: yaml(
        delivered.map((cluster) => fluxKustomization({ ...flux, cluster, kubeConfigSecret: flux.kubeConfigSecrets[cluster.name] })),
      ),
      mode: 0o644,
      description: `Flux Kustomizations in ${flux.namespace}, one per cluster folder`,
      secret: false,
    });
  }
  return { name: DELIVERY_DIR, files };
}

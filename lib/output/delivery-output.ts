/**
 * The `_delivery/` folder beside the cluster folders: `argocd-applicationset.yaml` and
 * `flux-kustomizations.yaml`, for the management cluster (`kubectl apply -f <out>/_delivery/`).
 * Not inside any cluster folder, so `kubectl apply -f <out>/<cluster>/` never reads them.
 */
import type { DeliverySpec } from '../config/delivery-schema';
import { applicationSet, fluxKustomization } from '../constructs/fleet-delivery';
import { GENERATED_HEADER, OutputFile } from '../constructs/output-file';
import { InputError } from '../model/errors';
import { kubernetesYaml } from '../model/kubernetes-yaml';
import { DEFAULT_CONFIG, DELIVERY_DIR, DELIVERY_FILES, KUSTOMIZATION_FILE } from '../model/output-layout';
import type { ClusterOutput } from './render';

/** A folder of the output that is not a cluster's. */
export interface FolderOutput {
  readonly name: string;
  readonly files: readonly OutputFile[];
}

/**
 * The delivery folder for `clusters`, or nothing without `delivery`. Refuses Flux delivery of a
 * cluster folder that holds a YAML file which is not a Kubernetes object (the Helm values,
 * written by the release profile's default, a Gateway or a private CA) and no
 * kustomization.yaml: Flux would read that file as a manifest and fail. `source` names the config.
 */
export function deliveryOutput(
  delivery: DeliverySpec | undefined,
  clusters: readonly Pick<ClusterOutput, 'name' | 'files' | 'helmValuesOnlyForSettings' | 'mode'>[],
  { header = GENERATED_HEADER, source = DEFAULT_CONFIG }: { readonly header?: string; readonly source?: string } = {},
): FolderOutput | undefined {
  if (!delivery || (!delivery.argocd && !delivery.flux)) return undefined;
  if (delivery.flux) {
    const problems = clusters.flatMap((c, i) => {
      const kustomized = c.files.some((f) => f.path === KUSTOMIZATION_FILE);
      const notObjects = c.files.filter((f) => f.path.includes('/') && /\.ya?ml$/.test(f.path)).map((f) => f.path);
      return kustomized || notObjects.length === 0
        ? []
        : [
            {
              source,
              path: `clusters[${i}].output`,
              message:
                `writes ${notObjects.join(', ')}, which Flux would read as a manifest under a folder without a kustomization.yaml, ` +
                'and fail; set output: {kustomization: true} for this cluster (with a TLS source other than files, or ' +
                'commitPlaintextKey: true)' +
                // Not where the release's docs manage Run:ai through Helm values only (2.25): a helm upgrade undoes an overlay.
                (c.helmValuesOnlyForSettings && c.mode.profile.runaiConfigVia !== 'helm-values'
                  ? ', or runaiConfig: {via: overlay}, which then writes no Helm values'
                  : ''),
            },
          ];
    });
    if (problems.length > 0) throw new InputError(problems);
  }
  const delivered = clusters.map(({ name }) => ({ name, path: `${delivery.path}/${name}` }));
  const yaml = (docs: readonly unknown[]) => header + docs.map((d) => kubernetesYaml(d, { lineWidth: 0, singleQuote: true })).join('---\n');
  const files: OutputFile[] = [];
  if (delivery.argocd) {
    files.push({
      path: DELIVERY_FILES.argocd,
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
      path: DELIVERY_FILES.flux,
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

/**
 * Fleet delivery objects for the GitOps engines admins already run, one per cluster folder:
 * an Argo CD `ApplicationSet` whose list generator has one element per cluster, and one Flux
 * `Kustomization` per cluster. Both apply server-side; neither prunes the RunaiConfig overlay,
 * which carries the engines' no-prune annotations (see `RunaiConfigOverlay`).
 */
import { destinationOf, fluxClusterNameProblem, targetRevisionProblem, templateProblem } from '../model/delivery';
import { ValidationError } from '../model/errors';
import { DELIVERY_NAME_PREFIX, TOOL_NAME } from '../model/names';

export { IN_CLUSTER_SERVER } from '../model/delivery';

/** One cluster folder to deliver. */
export interface DeliveredCluster {
  readonly name: string;
  /** The folder in the repository, such as `dist/prod`. */
  readonly path: string;
}

/** Props of {@link applicationSet}. */
export interface ApplicationSetProps {
  readonly repoURL: string;
  readonly targetRevision: string;
  readonly namespace: string;
  readonly project: string;
  readonly clusters: readonly DeliveredCluster[];
  /** Each cluster's API server as registered in Argo CD. @default - the in-cluster server */
  readonly destinations?: Readonly<Record<string, string>>;
}

/**
 * An ApplicationSet (argoproj.io/v1alpha1) with one Application `runai-access-<cluster>` per
 * folder. Automated sync with prune (a researcher Service removed from the config goes) and
 * self-heal; `ServerSideApply=true` so the RunaiConfig overlay merges into the operator's
 * object; `CreateNamespace` is off: the Run:ai namespaces must already exist. The set preserves
 * the objects of the Applications it deletes (`preserveResourcesOnDeletion`; Argo CD's
 * "Application Pruning & Resource Deletion").
 * @throws ValidationError when `repoURL` or `targetRevision` holds a Go template action, or
 * `targetRevision` is not a git ref or semver range
 */
export function applicationSet(props: ApplicationSetProps): Record<string, unknown> {
  // Both land in the template, which Argo CD evaluates: a "{{" would not stay as written.
  for (const [prop, problem] of [
    ['repoURL', templateProblem(props.repoURL)],
    ['targetRevision', targetRevisionProblem(props.targetRevision)],
  ] as const)
    if (problem) throw new ValidationError(`${prop}: ${problem}`);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: TOOL_NAME, namespace: props.namespace },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      // An Application the set drops (a cluster renamed or removed) or deletes with itself keeps
      // its objects: without this, Argo CD's resources finalizer deletes the Ingresses, Secrets
      // and Gateway of a renamed cluster before its new Application makes them again.
      syncPolicy: { preserveResourcesOnDeletion: true },
      generators: [
        {
          list: {
            elements: props.clusters.map((c) => ({
              cluster: c.name,
              path: c.path,
              server: destinationOf(props.destinations, c.name),
            })),
          },
        },
      ],
      template: {
        metadata: { name: `${DELIVERY_NAME_PREFIX}{{.cluster}}` },
        spec: {
          project: props.project,
          source: { repoURL: props.repoURL, targetRevision: props.targetRevision, path: '{{.path}}' },
          destination: { server: '{{.server}}' },
          syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'] },
        },
      },
    },
  };
}

/** Props of {@link fluxKustomization}. */
export interface FluxKustomizationProps {
  readonly cluster: DeliveredCluster;
  readonly namespace: string;
  readonly sourceRef: { readonly kind: string; readonly name: string };
  readonly interval: string;
  /** The Secret with the remote cluster's kubeconfig. @default - the cluster Flux runs in */
  readonly kubeConfigSecret?: string;
}

/**
 * A Flux Kustomization (kustomize.toolkit.fluxcd.io/v1) `runai-access-<cluster>` for one
 * folder. Flux applies server-side; `prune: true` removes what leaves the folder, except the
 * RunaiConfig overlay, annotated `kustomize.toolkit.fluxcd.io/prune: disabled`. With `prune:
 * true`, deleting the Kustomization deletes its objects too; the summary's command for a removed
 * cluster sets `prune: false` first, so they stay, as the ApplicationSet leaves them (no
 * `deletionPolicy: Orphan`: kustomize-controller 1.5, Flux 2.5, is the first to take it).
 */
export function fluxKustomization(props: FluxKustomizationProps): Record<string, unknown> {
  const long = fluxClusterNameProblem(props.cluster.name);
  if (long) throw new ValidationError(`cluster.name: ${long}`);
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: `${DELIVERY_NAME_PREFIX}${props.cluster.name}`, namespace: props.namespace },
    spec: {
      interval: props.interval,
      sourceRef: { kind: props.sourceRef.kind, name: props.sourceRef.name },
      path: `./${props.cluster.path}`,
      prune: true,
      ...(props.kubeConfigSecret ? { kubeConfig: { secretRef: { name: props.kubeConfigSecret } } } : {}),
    },
  };
}

/**
 * The optional top-level `delivery:` block: how a fleet of clusters gets its folder through
 * the GitOps engine the admin already runs — an Argo CD ApplicationSet (one Application per
 * cluster folder) and/or one Flux Kustomization per cluster.
 */
import { z } from 'zod';

import {
  DEFAULT_FLUX_SOURCE_KIND,
  destinationOf,
  FLUX_SOURCE_KINDS,
  fluxClusterNameProblem,
  sharedTargetProblem,
  targetRevisionProblem,
  templateProblem,
} from '../model/delivery';
import { DNS_LABEL } from '../model/dns-names';
import { shownBare } from '../model/errors';
import { goDurationTooLong, MAX_GO_DURATION } from '../model/go-duration';
import { DEFAULT_OUT } from '../model/output-layout';
import { expected, expectedText, labelName, objectName, oneOfMessage, refuse, strict } from './schema-helpers';

/** The delivery settings' defaults: the JSON Schema's and the ones a run takes. */
const DELIVERY_DEFAULTS = {
  targetRevision: 'main',
  argocdNamespace: 'argocd',
  argocdProject: 'default',
  fluxNamespace: 'flux-system',
  fluxInterval: '10m',
} as const;

const k8sName = (what: string) => objectName(`the name of ${what}`, `must be the name of ${what}: lower-case a-z, 0-9, "-" and "."`);
const namespace = (what: string, example: string) => labelName(what, `must be a namespace: a DNS label such as ${example}`);

/** `cluster name: value`; the names are checked against the clusters list by the config loader. */
const perCluster = <T extends z.ZodType>(value: T, what: string) =>
  z
    .record(z.string().regex(DNS_LABEL, { error: 'must be the name of a cluster in clusters' }), value, {
      error: expected(`a mapping from cluster name to ${what}`),
    })
    .optional();

/** A Flux interval, as its CRD's pattern takes it: Go durations such as 10m, 1h30m or 0.5h. */
const FLUX_DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

export const delivery = strict(
  {
    repoURL: z
      .string({ error: expectedText('the URL of the git repository that holds the output folder') })
      .min(1, { error: 'must not be empty', abort: true })
      // The forms `argocd repo add` takes for git (Argo CD docs, argocd_repo_add).
      .regex(/^(?:(?:https?|ssh|git):\/\/[^\s/]+(?:\/\S*)?|[\w.-]+@[^\s:/]+:\S+)$/, {
        error: 'must be a git URL as Argo CD takes it: https://host/path, ssh://user@host[:port]/path or user@host:path',
        abort: true,
      })
      .superRefine(refuse(templateProblem))
      .meta({ description: 'The git repository the engines read, such as https://git.example.com/platform/gitops.git.' }),
    targetRevision: z
      .string({ error: expectedText('a branch, tag or commit') })
      .min(1, { error: 'must not be empty', abort: true })
      .superRefine(refuse(targetRevisionProblem))
      .optional()
      .meta({
        description: 'Argo CD: the branch, tag or commit to follow, or a semver range of tags.',
        default: DELIVERY_DEFAULTS.targetRevision,
      }),
    path: z
      .string({ error: expectedText('a path inside the repository') })
      .regex(/^(?!\/)(?!.*\.\.)[A-Za-z0-9._/-]+$/, { error: 'must be a relative path inside the repository, such as dist' })
      .optional()
      .meta({ description: 'Where the output folder is in the repository; each cluster is <path>/<name>.', default: DEFAULT_OUT }),
    argocd: strict(
      {
        namespace: namespace('the Argo CD namespace', DELIVERY_DEFAULTS.argocdNamespace)
          .optional()
          .meta({ default: DELIVERY_DEFAULTS.argocdNamespace }),
        project: k8sName('an Argo CD AppProject').optional().meta({ default: DELIVERY_DEFAULTS.argocdProject }),
        destinations: perCluster(
          z
            .string({ error: expectedText('an https URL of a cluster API server') })
            .regex(/^https:\/\/[^\s/]+(\/.*)?$/, { error: 'must be the https URL of a cluster API server registered in Argo CD' }),
          'its API server URL',
        ).meta({ description: "Each cluster's API server as registered in Argo CD; default https://kubernetes.default.svc." }),
      },
      'a mapping with namespace, project and destinations',
    )
      .optional()
      .meta({ description: 'Emit an Argo CD ApplicationSet with one Application per cluster folder.' }),
    flux: strict(
      {
        namespace: namespace('the Flux namespace', DELIVERY_DEFAULTS.fluxNamespace)
          .optional()
          .meta({ default: DELIVERY_DEFAULTS.fluxNamespace }),
        sourceRef: strict(
          {
            kind: z.enum(FLUX_SOURCE_KINDS, { error: oneOfMessage(FLUX_SOURCE_KINDS) }).optional(),
            name: k8sName('the Flux source'),
          },
          'a mapping with kind and name',
        ).meta({ description: `The Flux source that holds the repository (kind default ${DEFAULT_FLUX_SOURCE_KIND}).` }),
        interval: z
          .string({ error: expectedText('a duration such as 10m') })
          .regex(FLUX_DURATION, { error: 'must be a duration such as 10m or 1h30m' })
          // Flux reconciles a Kustomization again after `interval`; with zero, kustomize-controller
          // schedules no further reconcile and no retry.
          .refine((text) => !FLUX_DURATION.test(text) || /[1-9]/.test(text), {
            error: 'must be longer than zero, such as 10m: Flux reconciles again after it, and with zero never again on its own',
          })
          .refine((text) => !goDurationTooLong(text), {
            error: `is longer than a Go duration can be (${MAX_GO_DURATION}): Flux could not read the Kustomization`,
          })
          .optional()
          .meta({ default: DELIVERY_DEFAULTS.fluxInterval }),
        kubeConfigSecrets: perCluster(k8sName('a Secret holding a kubeconfig'), 'the Secret with its kubeconfig').meta({
          description: "Each remote cluster's kubeconfig Secret in the Flux namespace; default: the cluster Flux runs in.",
        }),
      },
      'a mapping with namespace, sourceRef, interval and kubeConfigSecrets',
    )
      .optional()
      .meta({ description: 'Emit one Flux Kustomization per cluster folder.' }),
  },
  'a mapping with repoURL, targetRevision, path, argocd and flux',
).meta({ description: 'Fleet delivery objects, written to <out>/_delivery/, outside the cluster folders.' });

export type RawDelivery = z.output<typeof delivery>;

/** `delivery` with every default applied. */
export interface DeliverySpec {
  readonly repoURL: string;
  readonly targetRevision: string;
  readonly path: string;
  readonly argocd?: { readonly namespace: string; readonly project: string; readonly destinations: Readonly<Record<string, string>> };
  readonly flux?: {
    readonly namespace: string;
    readonly sourceRef: { readonly kind: string; readonly name: string };
    readonly interval: string;
    readonly kubeConfigSecrets: Readonly<Record<string, string>>;
  };
}

export function normalizeDelivery(d: RawDelivery | undefined): DeliverySpec | undefined {
  if (!d) return undefined;
  return {
    repoURL: d.repoURL,
    targetRevision: d.targetRevision ?? DELIVERY_DEFAULTS.targetRevision,
    path: (d.path ?? DEFAULT_OUT).replace(/\/+$/, ''),
    argocd: d.argocd && {
      namespace: d.argocd.namespace ?? DELIVERY_DEFAULTS.argocdNamespace,
      project: d.argocd.project ?? DELIVERY_DEFAULTS.argocdProject,
      destinations: d.argocd.destinations ?? {},
    },
    flux: d.flux && {
      namespace: d.flux.namespace ?? DELIVERY_DEFAULTS.fluxNamespace,
      sourceRef: { kind: d.flux.sourceRef.kind ?? DEFAULT_FLUX_SOURCE_KIND, name: d.flux.sourceRef.name },
      interval: d.flux.interval ?? DELIVERY_DEFAULTS.fluxInterval,
      kubeConfigSecrets: d.flux.kubeConfigSecrets ?? {},
    },
  };
}

/**
 * What delivery needs of the clusters: every per-cluster key names a cluster, and the overlay
 * keeps the engine's annotations (no prune, server-side apply). What Flux needs of the files a
 * cluster folder holds is checked on those files (`output/delivery-output.ts`).
 */
export function deliveryIssues(raw: unknown): { path: (string | number)[]; message: string }[] {
  const d = (raw as { delivery?: unknown; clusters?: unknown } | null)?.delivery as RawDelivery | undefined;
  const clusters = (raw as { clusters?: unknown }).clusters;
  // A delivery that is no mapping (a list, a string) is the schema's one problem to name.
  if (!d || typeof d !== 'object' || Array.isArray(d) || !Array.isArray(clusters)) return [];
  const issues: { path: (string | number)[]; message: string }[] = [];
  const names = clusters.map((c) => (c && typeof c === 'object' ? (c as { name?: unknown }).name : undefined));
  // Not checked yet as DNS labels: shown only where they could not be key text.
  const shownNames = names
    .filter((n): n is string => typeof n === 'string')
    .map(shownBare)
    .join(', ');
  const known = (map: unknown, at: (string | number)[]) => {
    if (!map || typeof map !== 'object' || Array.isArray(map)) return;
    for (const key of Object.keys(map))
      if (!names.includes(key))
        issues.push({ path: [...at, key], message: `is not the name of a cluster in clusters; its clusters: ${shownNames}` });
  };
  // Each tool's block writes its objects; a delivery with neither would write nothing, silently.
  if (d.argocd === undefined && d.flux === undefined)
    issues.push({
      path: ['delivery'],
      message: 'names neither argocd nor flux, so nothing is written: add argocd: {} or flux: {sourceRef}, or remove delivery',
    });
  known(d.argocd?.destinations, ['delivery', 'argocd', 'destinations']);
  known(d.flux?.kubeConfigSecrets, ['delivery', 'flux', 'kubeConfigSecrets']);
  const named = names.filter((n): n is string => typeof n === 'string');
  // Compared before the schema has checked their type: a map that is no mapping (a string, a list,
  // null) and a value that is no text (6443, null) are the schema's to name, and nothing is said of them here.
  const mapping = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  const targets = (map: unknown): { name: string; target: string | undefined }[] => {
    if (map === undefined) return named.map((name) => ({ name, target: undefined }));
    if (!mapping(map)) return [];
    return named.flatMap((name) => {
      const value = Object.hasOwn(map, name) ? map[name] : undefined;
      return value === undefined || typeof value === 'string' ? [{ name, target: value }] : [];
    });
  };
  // So is an engine's block that is no mapping (argocd: "yes").
  const argocd =
    mapping(d.argocd) &&
    sharedTargetProblem(
      'argocd',
      targets(d.argocd.destinations).map(({ name, target }) => ({ name, target: target ?? destinationOf(undefined, name) })),
    );
  if (argocd) issues.push({ path: ['delivery', 'argocd', 'destinations'], message: argocd });
  const flux = mapping(d.flux) && sharedTargetProblem('flux', targets(d.flux.kubeConfigSecrets));
  if (flux) issues.push({ path: ['delivery', 'flux', 'kubeConfigSecrets'], message: flux });
  clusters.forEach((c: unknown, i) => {
    if (!c || typeof c !== 'object') return;
    const cluster = c as { gitops?: { argocd?: unknown; flux?: unknown } };
    if (d.argocd && cluster.gitops?.argocd === false)
      issues.push({
        path: ['clusters', i, 'gitops', 'argocd'],
        message:
          'must not be false with delivery.argocd: without its annotation Argo CD would prune or ' +
          "delete the RunaiConfig overlay, and with it the operator's whole config",
      });
    const name = (c as { name?: unknown }).name;
    const long = d.flux && typeof name === 'string' ? fluxClusterNameProblem(name) : undefined;
    if (long) issues.push({ path: ['clusters', i, 'name'], message: long });
    if (d.flux && cluster.gitops?.flux === false)
      issues.push({
        path: ['clusters', i, 'gitops', 'flux'],
        message:
          'must not be false with delivery.flux: without its annotation Flux would prune the ' +
          "RunaiConfig overlay, and with it the operator's whole config",
      });
  });
  return issues;
}

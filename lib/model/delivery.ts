/**
 * What the fleet delivery values must be for the Argo CD ApplicationSet to be one Argo CD reads
 * as we mean it: the revision to follow, and no Go template action in a value that lands in
 * the template (the ApplicationSet has `goTemplate: true` and `missingkey=error`).
 */
import { LABEL_NAME_MAX_LENGTH } from './dns-names';
import { DELIVERY_NAME_PREFIX } from './names';

/** The Argo CD in-cluster API server, the default destination. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** The API server Argo CD delivers a cluster's folder to: its destination, else Argo CD's own cluster. */
export function destinationOf(destinations: Readonly<Record<string, string>> | undefined, cluster: string): string {
  return destinations?.[cluster] ?? IN_CLUSTER_SERVER;
}

/** The kinds of Flux source a Kustomization's `sourceRef` names. */
export const FLUX_SOURCE_KINDS = ['GitRepository', 'OCIRepository', 'Bucket'] as const;
export const DEFAULT_FLUX_SOURCE_KIND = 'GitRepository';

/** Where a Go template action starts (text/template): in the ApplicationSet template it would be evaluated. */
const GO_TEMPLATE_ACTION = '{{';

/** Why `value`, pasted into a `goTemplate: true` ApplicationSet template, would not stay as written, or `undefined`. */
export function templateProblem(value: string): string | undefined {
  return value.includes(GO_TEMPLATE_ACTION)
    ? `must not contain "${GO_TEMPLATE_ACTION}": the Argo CD ApplicationSet is a Go template (goTemplate: true), which would evaluate it`
    : undefined;
}

/**
 * A semver constraint as Argo CD resolves against a repository's tags (Masterminds/semver v3
 * `NewConstraint`: operators = != > < >= => <= =< ~ ~> ^, x/X/* wildcards, AND by space or comma,
 * OR by `||`, hyphen ranges `1.2 - 1.4`). Only spaces separate its terms: a tab or line break is
 * refused, though Go's `\s` would take one.
 */
const VERSION = String.raw`v?(?:\d+|[xX*])(?:\.(?:\d+|[xX*])){0,2}(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?`;
// The spaces after an operator belong to the operator, so a run of spaces has one reading (no
// quadratic backtracking on a long one).
const TERM = String.raw`(?:${VERSION} +- +${VERSION}|(?:(?:!=|>=|=>|<=|=<|~>|[=><~^]) *)?${VERSION})`;
const AND = String.raw`${TERM}(?:(?: +| *, *)${TERM})*`;
const SEMVER_CONSTRAINT = new RegExp(String.raw`^ *${AND} *(?:\|\| *${AND} *)*$`);

/** What a targetRevision may be, for messages. */
const REVISION_TEXT = 'a branch, tag or commit (a git ref name, or HEAD) or a semver range of tags such as ">=1.2.0 <1.3.0"';

/**
 * Why `revision` is not an Argo CD git `targetRevision`, or `undefined`. Argo CD takes a git
 * ref (branch, tag, `HEAD`, `refs/...`), a commit SHA, or a semver constraint on tags (Argo CD
 * docs, user-guide/tracking_strategies.md). A ref name follows `git check-ref-format
 * --allow-onelevel` (its rules 1 and 3 to 10; rule 2, a `/`, is waived as for branch names).
 */
export function targetRevisionProblem(revision: string): string | undefined {
  const template = templateProblem(revision);
  if (template) return template;
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  if (/[\u0000-\u001f\u007f]/.test(revision)) return `must be ${REVISION_TEXT}; it contains a control character (such as a line break)`;
  if (SEMVER_CONSTRAINT.test(revision)) return undefined;
  const broken = refNameProblem(revision);
  return broken === undefined ? undefined : `must be ${REVISION_TEXT}; it ${broken}`;
}

/** Which rule of `git check-ref-format --allow-onelevel` `name` breaks, or `undefined`. */
function refNameProblem(name: string): string | undefined {
  if (name === '') return 'is empty';
  const bad = /[ ~^:?*[\\]/.exec(name);
  if (bad) return `contains ${bad[0] === ' ' ? 'a space' : `"${bad[0]}"`}, which a git ref cannot`;
  if (name.includes('..')) return 'contains "..", which a git ref cannot';
  if (name.includes('@{')) return 'contains "@{", which a git ref cannot';
  if (name === '@') return 'is "@", which a git ref cannot be';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//'))
    return 'starts or ends with "/" or has "//", which a git ref cannot';
  if (name.endsWith('.')) return 'ends with ".", which a git ref cannot';
  if (name.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock')))
    return 'has a part (between "/") starting with "." or ending with ".lock", which a git ref cannot';
  return undefined;
}

/**
 * Why a cluster named `name` cannot be delivered by Flux, or `undefined`: Flux labels every
 * object it applies with `kustomize.toolkit.fluxcd.io/name: <its Kustomization's name>`, here
 * `runai-access-<name>`, and a label value is at most 63 characters, so nothing would apply
 * (fluxcd/flux2#2004, "Kustomization with long name fails to create any resources").
 */
export function fluxClusterNameProblem(name: string): string | undefined {
  const most = LABEL_NAME_MAX_LENGTH - DELIVERY_NAME_PREFIX.length;
  return name.length > most
    ? `is ${name.length} characters; with delivery.flux at most ${most}: Flux labels every object it applies with its ` +
        `Kustomization's name, ${DELIVERY_NAME_PREFIX}<name>, and a label value is at most ${LABEL_NAME_MAX_LENGTH} characters`
    : undefined;
}

/**
 * Why clusters that one engine delivers to the same cluster cannot be, or `undefined`: every
 * cluster's folder holds objects of the same names (the wildcard Secret and Ingress in `runai`,
 * the RunaiConfig `runai/runai`), so two Applications or Kustomizations applying two folders to
 * one cluster undo each other's changes at every sync.
 * @param targets each cluster's name and where the engine applies its folder: Argo CD's API
 * server, or Flux's kubeconfig Secret (`undefined`: Flux's own cluster)
 */
export function sharedTargetProblem(
  engine: 'argocd' | 'flux',
  targets: readonly { readonly name: string; readonly target: string | undefined }[],
): string | undefined {
  const byTarget = new Map<string | undefined, string[]>();
  for (const { name, target: given } of targets) {
    // Argo CD trims a server URL's trailing slashes before it looks the cluster up (argo-cd #4037).
    const target = engine === 'argocd' ? given?.replace(/\/+$/, '') : given;
    byTarget.set(target, [...(byTarget.get(target) ?? []), name]);
  }
  const shared = [...byTarget].filter(([, names]) => names.length > 1);
  if (shared.length === 0) return undefined;
  const shown = (target: string | undefined) =>
    engine === 'flux'
      ? target === undefined
        ? "Flux's own cluster (no kubeConfigSecret)"
        : `the cluster of kubeconfig Secret ${target}`
      : target === IN_CLUSTER_SERVER
        ? `${target} (Argo CD's own cluster, the default)`
        : target;
  const [what, fix] =
    engine === 'argocd'
      ? ['Applications', 'give each cluster its own API server as registered in Argo CD (destinations: {<cluster>: https://...})']
      : ['Kustomizations', 'give each remote cluster its own kubeconfig Secret (kubeConfigSecrets: {<cluster>: <Secret>})'];
  const listed = shared
    .map(([target, names]) => `${names.join(', ')} ${names.length === 2 ? 'both' : 'all'} go to ${shown(target)}`)
    .join('; ');
  return (
    `clusters ${listed}: their ${what} would apply objects of the same names (such as the wildcard Ingress and the ` +
    `Helm values or RunaiConfig runai/runai) to one cluster and undo each other at every sync; ${fix}`
  );
}

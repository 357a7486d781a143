/**
 * What a synth left behind, for its summary and for `--quiet`: the folders it removed, the objects
 * kept folders no longer hold (with the `kubectl delete` that removes each from the cluster), the
 * Ingresses whose class changed, the Helm values a values file stopped setting, and the Flux
 * Kustomizations of removed clusters. Each is said once: the next run has nothing to compare with.
 */
import * as path from 'node:path';

import { shellPath, shownPath } from '../model/errors';
import { someOf } from '../model/list-text';
import { ClusterMode } from '../model/mode';
import { DELIVERY_NAME_PREFIX, RUNAI_BACKEND_NAMESPACE } from '../model/names';
import { DELIVERY_DIR } from '../model/output-layout';
import { RUNAI_DEFAULT_INGRESS_CLASS } from '../model/release-profiles';
import { INGRESS_CONTROLLER_NAMES, IngressController } from '../model/routing';
import { deleteCommand } from '../output/dropped-delivery';
import { DroppedValues } from '../output/dropped-helm-values';
import { writtenByOtherConfig } from '../output/previous-files';
import { RemovedFolder } from '../output/removed-folders';
import { OtherConfigFolder, ReclassedIngress, RemovedObject } from '../output/removed-objects';
import { ClusterOutput } from '../output/render';

/**
 * The Flux Kustomizations of the clusters a synth removed from this config's output (not those
 * another config wrote), which `kubectl apply` of the delivery objects leaves; '' when none.
 */
export function fluxLeftovers(namespace: string, removed: readonly RemovedFolder[], ownConfig: string | undefined): string {
  const gone = removed.filter((r) => r.generated && r.name !== DELIVERY_DIR && !writtenByOtherConfig(r.writtenFrom, ownConfig));
  if (gone.length === 0) return '';
  const deletes = gone.map((r) => deleteCommand({ kind: 'Kustomization', namespace, name: `${DELIVERY_NAME_PREFIX}${r.name}` }));
  return (
    'kubectl apply does not delete the Flux Kustomization of a removed cluster; delete it with prune off first, so that ' +
    `its objects stay in the cluster: ${deletes.join('; ')}\n`
  );
}

/** What to do about an object a kept folder no longer holds. */
function staleAdvice(r: RemovedObject): string {
  // Told before the SealedSecret is applied (with GitOps, before the push): the controller checks once it sees it.
  const takeOver = (command: string | undefined) =>
    command
      ? `; the Sealed Secrets controller takes over a Secret it did not create only when told to, before the SealedSecret is applied: ${command}`
      : '';
  switch (r.because) {
    case 'source':
      // SealedSecrets and ExternalSecrets own their Secret: a plain delete (or a GitOps tool's prune) deletes it too.
      return (
        `it still writes Secret ${r.writes}, which the new source uses: delete it and keep the Secret ` +
        `(kubectl delete ${r.object} --cascade=orphan)${takeOver(r.takeOver)}; a GitOps tool with pruning deletes both, and ` +
        (r.madeAgain ? 'the Secret is missing until the new source makes it again' : 'nothing this config writes makes the Secret again')
      );
    case 'unread-source': {
      // A SealedSecret or ExternalSecret owns its Secret (deleted with it); a cert-manager Certificate leaves its Secret by default.
      const [ns, name] = r.writes.split('/');
      return (
        `nothing written now makes or reads the Secret it writes, ${r.writes}, which holds a private key: delete both ` +
        `(kubectl delete ${r.object}, then kubectl delete secret -n ${ns} ${name} --ignore-not-found, which a Certificate leaves behind)`
      );
    }
    case 'sealed-now':
      return `its SealedSecret now makes that Secret${takeOver(r.takeOver)}`;
    case 'private-ca': {
      const release =
        r.namespace === RUNAI_BACKEND_NAMESPACE
          ? `the control plane (${RUNAI_BACKEND_NAMESPACE}), which its own values turn on`
          : 'runai-cluster (the helm values line)';
      return `Run:ai reads it while global.customCA.enabled is true: delete it (kubectl delete ${r.object}) once customCA is off in ${release}`;
    }
    case 'overlay':
      // Argo CD tracks by the argocd.argoproj.io/tracking-id annotation by default, else app.kubernetes.io/instance
      // (argo-cd.readthedocs.io/en/release-3.3/user-guide/resource_tracking/); the overlay carries Prune=false.
      return (
        "the RunaiConfig is the Run:ai operator's own: do not delete it; the fields the overlay set stay in it, owned by field manager " +
        `runai-access. Argo CD, told not to prune it, shows the Application OutOfSync until its tracking is removed from the live object ` +
        `(kubectl annotate runaiconfig -n ${r.namespace} ${r.name} argocd.argoproj.io/tracking-id-, or the app.kubernetes.io/instance label ` +
        'with label tracking); Flux leaves it'
      );
    case 'legacy-patch': {
      const entry = `the spec.tls entry for ${r.patchedHost} its script added to Ingress ${r.namespace}/${r.name} stays`;
      return r.sameSecret
        ? `${entry}, beside the new Ingress's and from the same Secret: harmless, remove it when convenient (kubectl edit ${r.object})`
        : `${entry}, so two Ingresses serve that host, each from its own Secret: remove that entry (kubectl edit ${r.object}) ` +
            'before you delete the Secret it reads';
    }
    case 'unread':
      return `nothing written now makes or reads that Secret; ${staysAdvice(r.object)}`;
    case 'routing':
      // Traffic reaches the Gateway while DNS names its address: deleted first, the cluster goes dark.
      return r.kind === 'Gateway' ? `${staysAdvice(r.object)}; ${UNTIL_DNS}` : staysAdvice(r.object);
  }
}

/** The advice for an object left in the cluster. */
const staysAdvice = (object: string) =>
  `the object stays in the cluster until deleted (kubectl delete ${object}), unless a GitOps tool with pruning applies this folder`;

const UNTIL_DNS =
  'delete it only once DNS points at the address that serves the cluster now; a GitOps tool with pruning deletes it at the first ' +
  'sync unless told not to (README "Leaving ingress-nginx")';
const LIKE_THE_GATEWAY = 'the Gateway that goes uses it until then: like the Gateway, delete it only once DNS has moved';

/**
 * What a write left out of the previous output: the folders it removed, the objects kept folders
 * no longer hold, and the Ingresses they hold with another class.
 */
export interface PreviousOutput {
  readonly removed: readonly RemovedFolder[];
  readonly objects?: readonly RemovedObject[];
  readonly reclassed?: readonly ReclassedIngress[];
  /** The config the previous output's header names, when it is this one. */
  readonly ownConfig?: string;
  /** The Helm values keys the previous output set and this one does not. */
  readonly helm?: readonly DroppedValues[];
  /** What runai-access did not write, relative to the output folder (`foreignFiles`): removed with it. */
  readonly foreign?: readonly string[];
  /** The kept cluster folders another config wrote, whose objects no longer written are not named. */
  readonly otherConfigs?: readonly OtherConfigFolder[];
  /** Where the output folder's path led when it was a link (its text), which the write replaced by a folder. */
  readonly linkTo?: string;
}

/**
 * A line for each values file of the cluster that stopped setting a key: `helm upgrade
 * --reuse-values` keeps it in the release, so the `--set` that undoes it is given where known.
 */
function droppedValueLines(o: ClusterOutput, givenDir: string, previous: PreviousOutput): string[] {
  return (previous.helm ?? [])
    .filter((d) => d.cluster === o.name)
    .map((d) => {
      const file = path.join(shownPath(givenDir), d.file);
      // As read from the old file, which a hand may have edited: escaped, and key-like text not shown.
      const keys = d.dropped.map((v) => `${shownPath(v.key)} (was ${shownPath(v.was)})`).join(', ');
      const known = d.dropped.filter((v) => v.reset !== undefined);
      const unknown = d.dropped.filter((v) => v.reset === undefined);
      const values = d.fileGone ? '' : ` -f ${shellPath(path.join(givenDir, d.file))}`;
      return (
        `helm values: ${file} ${d.fileGone ? 'is no longer written; it set' : 'no longer sets'} ${keys}, which helm upgrade ` +
        '--reuse-values keeps in the release' +
        (known.length > 0
          ? `: undo it with helm upgrade ${d.release} --reuse-values${values} --set ${known.map((v) => `${v.key}=${v.reset}`).join(',')}` +
            (d.fileGone ? '' : ' (which also applies the file)')
          : '') +
        (unknown.length > 0 ? `; set ${unknown.map((v) => shownPath(v.key)).join(', ')} as the release needs` : '')
      );
    });
}

/**
 * The lines about what the write left out of a cluster's folder: objects left in the cluster,
 * Ingresses whose class changed, and Helm values a values file stopped setting.
 */
export function clusterRemovalLines(o: ClusterOutput, givenOut: string, previous: PreviousOutput, stepsShown: boolean): string[] {
  return [
    ...staleObjectLines(o, path.join(shownPath(givenOut), o.name), previous, stepsShown),
    ...droppedValueLines(o, path.join(givenOut, o.name), previous),
  ];
}

/**
 * A line for each folder the write removed or took over from another config, and one for the files
 * and folders of others it removed with them.
 */
export function removedFolderLines(config: string, given: string, previous: PreviousOutput): string[] {
  // `dist/` as a shell completes it: its entries are dist/qa/, not dist//qa/.
  const out = given.replace(/(?<=.)\/+$/, '');
  const foreign = previous.foreign ?? [];
  const others =
    foreign.length === 0
      ? []
      : [
          `removed ${someOf(
            foreign.map((f) => `${out}/${shownPath(f)}`),
            10,
          )}, which runai-access did not write: synth replaces all of ${out}; keep files of your own outside it`,
        ];
  const replaced = (previous.otherConfigs ?? []).map(
    (o) =>
      `replaced ${out}/${o.cluster}/, written from ${shownPath(o.writtenFrom)}: an output folder holds the clusters of one config ` +
      `(give each config its own --out); the objects it held that ${config} does not write are not named, and stay in the cluster ` +
      'until deleted',
  );
  // Nothing of the folder it leads to is named: nothing in it is removed (writtenByUs).
  const link =
    previous.linkTo === undefined
      ? []
      : [`replaced the link ${out} (to ${shownPath(previous.linkTo)}) with a folder; the folder it leads to is left as it was`];
  return [...link, ...foldersRemoved(config, out, previous), ...replaced, ...others];
}

function foldersRemoved(config: string, out: string, previous: PreviousOutput): string[] {
  return previous.removed.map((r) =>
    !r.generated
      ? // A folder made by hand (its name any text): no cluster's, and synth replaces the output folder whole.
        `removed ${out}/${shownPath(r.name)}/, which runai-access did not write: synth replaces all of ${out}; keep files of your ` +
        'own outside it'
      : r.writtenFrom !== undefined && writtenByOtherConfig(r.writtenFrom, previous.ownConfig)
        ? `removed ${out}/${r.name}/, written from ${shownPath(r.writtenFrom)}: an output folder holds the clusters of one config ` +
          '(give each config its own --out)'
        : r.name === DELIVERY_DIR
          ? `removed ${out}/${r.name}/: ${config} has no delivery any more`
          : `removed ${out}/${r.name}/: ${config} has no cluster ${r.name} any more${leftInCluster(r)}`,
  );
}

/**
 * What a removed cluster's folder applied stays in that cluster, and its objects are not named:
 * the same ids are a renamed cluster's (or another cluster's) to keep. Its overlay is named, which
 * `kubectl delete -f` of the old folder would delete.
 */
function leftInCluster(r: RemovedFolder): string {
  const stays =
    "; what it applied stays in that cluster unless a GitOps tool with pruning applied the folder (a renamed cluster's folder " +
    'applies it again)';
  return r.overlay === undefined
    ? stays
    : `${stays}; never kubectl delete -f the old folder: it deletes the RunaiConfig ${r.overlay}, the Run:ai operator's own`;
}

/**
 * The routing objects a cluster's folder no longer holds, which `kubectl apply` leaves in the
 * cluster. With `stepsShown` (the summary), those a migration phase's steps delete are left to them.
 */
function staleObjectLines(o: ClusterOutput, dir: string, previous: PreviousOutput, stepsShown: boolean): string[] {
  const inSteps = (object: string) => stepsShown && (o.migration?.currentObjects.includes(object) ?? false);
  const stale = (previous.objects ?? []).filter((r) => r.cluster === o.name && !inSteps(r.object));
  // A Gateway that goes serves until DNS moves, and with it what it reads: its Secrets, routes and grants.
  const gatewayGone = stale.some((r) => r.kind === 'Gateway');
  // What the Gateway reads (its Secrets, routes and grants) goes with it; the overlay, the CA Secret and a patch are no part of it.
  const withTheGateway = (r: RemovedObject) => r.kind !== 'Gateway' && !['overlay', 'private-ca', 'legacy-patch'].includes(r.because);
  const untilDns = (r: RemovedObject) => (gatewayGone && withTheGateway(r) ? `; ${LIKE_THE_GATEWAY}` : '');
  return [
    ...stale.map((r) => `no longer written: ${staleObject(r, o, dir)}; ${staleAdvice(r)}${untilDns(r)}`),
    ...droppedClassNote(stale, o.mode),
    ...keptClassNote(
      (previous.reclassed ?? []).filter((r) => r.cluster === o.name),
      o.mode,
      dir,
    ),
  ];
}

/**
 * The object a folder no longer holds, by its file; by kind and name when a file of that name is
 * still written (it holds another object now: a Gateway in another namespace, say).
 */
function staleObject(r: RemovedObject, o: ClusterOutput, dir: string): string {
  const file = path.join(dir, shownPath(r.file));
  if (!o.files.some((f) => f.path === r.file)) return file;
  return `${r.kind} ${r.namespace === undefined ? '' : `${r.namespace}/`}${r.name} (${file} holds another object now)`;
}

/**
 * A line when Ingresses still written change class: a controller that watches only the old class
 * stops serving them at the next apply (a `runaiVersion` bump whose profile defaults to another
 * controller does this to a config that never set one). Where no Ingress is written (path routing
 * without inference), the same for the class the overlay or Helm values tell Run:ai, outside a
 * migration (whose phases move it by design).
 */
function keptClassNote(all: readonly ReclassedIngress[], mode: ClusterMode, dir: string): string[] {
  const ingresses = all.filter((r) => !r.told);
  const toldOnly = ingresses.length === 0;
  const reclassed = toldOnly && !mode.migration ? all : ingresses;
  if (reclassed.length === 0) return [];
  // None told is Run:ai's own default, not a class-less Ingress.
  const told = (c: string | null) => (toldOnly ? (c ?? RUNAI_DEFAULT_INGRESS_CLASS) : c);
  const shownClass = (c: string | null) =>
    toldOnly && c === null ? `none (Run:ai's default, ${RUNAI_DEFAULT_INGRESS_CLASS})` : classText(c);
  const pairs = [...new Set(reclassed.map((r) => `${shownClass(r.classBefore)} to ${shownClass(r.classNow)}`))].join(', ');
  // Only a class the profile chose is worth advice: one the admin set (ingress.controller or
  // ingress.className) is the change they made.
  const chose = (setting: string) => mode.profileDefaults.some((d) => d.setting === setting);
  const defaulted = chose('ingress.controller') && chose('ingress.className');
  const them = toldOnly ? 'the Ingresses Run:ai makes for workspaces' : reclassed.length === 1 ? 'it' : 'them';
  const alsoTold = !toldOnly && mode.runaiIngressClass !== undefined ? ', and Run:ai is told the new class too' : '';
  const keep = mode.migration
    ? 'set ingress.controller to the controller the migration leaves'
    : `${keepClass(reclassed.map((r) => told(r.classBefore)))} to keep it, or move in phases with migration (README "Leaving ingress-nginx")`;
  return [
    `ingress class changed${toldOnly ? ' (told to Run:ai)' : ''}: ` +
      `${reclassed.map((r) => path.join(dir, shownPath(r.file))).join(', ')}, from ${pairs}` +
      (defaulted
        ? `, the default of Run:ai profile ${mode.profile.id} (this config sets no ingress.controller): a controller that watches ` +
          `only the old class stops serving ${them} once applied${alsoTold}; ` +
          `if the cluster still runs that controller, ${keep}`
        : ''),
  ];
}

/**
 * What keeps the class the Ingresses had (`classesBefore`): the controller whose class it is (its
 * class follows), or the class itself with the controller that watches it.
 */
function keepClass(classesBefore: readonly (string | null)[]): string {
  const before = [...new Set(classesBefore)];
  if (before.length !== 1 || before[0] === null) return 'set ingress.controller (or ingress.className)';
  const owner = INGRESS_CONTROLLER_NAMES.find((name) => IngressController.of(name).defaultClassName === before[0]);
  return owner
    ? `set ingress.controller: ${owner}`
    : `set ingress.className: ${before[0]} (and ingress.controller to the controller that watches it)`;
}

/**
 * A note when the Ingresses a synth dropped had another class than those it writes, outside a
 * migration: leaving one that used `migration.className` without that class in `ingress.className`
 * moves the cluster to a class its controller may not watch.
 */
function droppedClassNote(stale: readonly RemovedObject[], mode: ClusterMode): string[] {
  if (mode.migration || mode.wiring !== 'dedicated-ingress') return [];
  const now = mode.ingressClassName;
  const classes = stale.flatMap((r) => (r.because === 'routing' && r.ingressClassName !== undefined ? [r.ingressClassName] : []));
  const before = [...new Set(classes.filter((c) => c !== now))];
  if (before.length === 0) return [];
  return [
    `note: the Ingresses no longer written had class ${before.map(classText).join(', ')}; those written now have ` +
      `${now === null ? 'none' : `class ${now}`}: if the controller serving this cluster watches ${before.map(classText).join(' or ')}, ` +
      `set ingress.className to it (after a migration with migration.className, as README "Leaving ingress-nginx" says)`,
  ];
}

/** An Ingress class as the lines name it. */
const classText = (c: string | null) => c ?? 'none';

/**
 * What `--quiet` still prints of the summary: the folders the write removed and the objects left
 * in the cluster. They are said once: the next run, up to date, has nothing to compare them with.
 */
export function removalReport(givenConfig: string, givenOut: string, outputs: readonly ClusterOutput[], previous: PreviousOutput): string {
  const out = shownPath(givenOut);
  const lines = [
    ...removedFolderLines(shownPath(givenConfig), out, previous),
    // Without the summary, no migration step names what phase 3 stopped writing: these lines do.
    ...outputs.flatMap((o) => clusterRemovalLines(o, givenOut, previous, false).map((line) => `${o.name}: ${line}`)),
  ];
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

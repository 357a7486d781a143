/**
 * The delivery objects a previous output wrote that the new one does not: those of an engine the
 * config no longer names, or in a namespace it no longer uses. They
 * were applied to the cluster that runs the engine, and `kubectl apply` of the new `_delivery/`
 * deletes nothing: Flux's Kustomizations (`prune: true`) go on applying the folders, Argo CD's
 * ApplicationSet its Applications, and an admin moving from one engine to the other would have
 * both over the same objects. Read before the write replaces them; said with the commands that
 * delete them and keep the objects in the clusters.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parseAllDocuments } from 'yaml';

import { DELIVERY_DIR, DELIVERY_FILES } from '../model/output-layout';
import { configOfHeader, writtenByOtherConfig, writtenByUs } from './previous-files';

/** What each `_delivery/` file holds: the one kind of delivery object it is written for. */
const ENGINE_OBJECTS = [
  { file: DELIVERY_FILES.argocd, kind: 'ApplicationSet', group: 'argoproj.io/' },
  { file: DELIVERY_FILES.flux, kind: 'Kustomization', group: 'kustomize.toolkit.fluxcd.io/' },
] as const;

/** A Kubernetes name or namespace (DNS-1123 subdomain): what a printed command may hold unquoted. */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** A delivery object on the engine's cluster: its kind, namespace and name. */
export interface DeliveryObject {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/**
 * The delivery objects of `_delivery/` files: those of their own kind (a hand-added document is
 * not ours to delete), with names a command may hold; a document YAML cannot read is left out.
 */
function deliveryObjects(files: readonly { readonly path: string; readonly content: string }[]): DeliveryObject[] {
  return files.flatMap(({ path: file, content }) => {
    const engine = ENGINE_OBJECTS.find((e) => e.file === file);
    if (!engine) return [];
    let docs: unknown[];
    try {
      // logLevel 'error' and no aliases: a hand-edited file must neither print the library's warnings nor stop synth.
      docs = parseAllDocuments(content, { logLevel: 'error' }).map((d) => d.toJS({ maxAliasCount: 0 }));
    } catch {
      return [];
    }
    return docs.flatMap((doc) => {
      const o = doc as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
      const [name, namespace] = [o?.metadata?.name, o?.metadata?.namespace];
      const ours =
        o?.kind === engine.kind &&
        typeof o.apiVersion === 'string' &&
        o.apiVersion.startsWith(engine.group) &&
        typeof name === 'string' &&
        OBJECT_NAME.test(name) &&
        typeof namespace === 'string' &&
        OBJECT_NAME.test(namespace);
      return ours ? [{ kind: engine.kind, namespace: namespace as string, name: name as string }] : [];
    });
  });
}

/**
 * The delivery objects the previous output in `out` wrote (when this config wrote it: another
 * config's folder is its own) that the new `_delivery/` files no longer hold: an engine the config
 * stopped naming, or its objects in another namespace. A removed cluster's Kustomization, in the
 * namespace the config still names, is left to `fluxLeftovers`, which says why it goes.
 */
export function droppedDeliveryObjects(
  out: string,
  files: readonly { readonly path: string; readonly content: string }[],
  fluxNamespace: string | undefined,
  ownConfig: string | undefined,
): DeliveryObject[] {
  if (!writtenByUs(out)) return [];
  const previous = ENGINE_OBJECTS.flatMap(({ file }) => {
    const full = path.join(out, DELIVERY_DIR, file);
    let content: string;
    try {
      content = fs.readFileSync(full, 'utf8');
    } catch {
      return [];
    }
    return writtenByOtherConfig(configOfHeader(content, path.dirname(full), ownConfig), ownConfig) ? [] : [{ path: file, content }];
  });
  const kept = new Set(deliveryObjects(files).map((o) => `${o.kind}/${o.namespace}/${o.name}`));
  return deliveryObjects(previous).filter(
    (o) => !kept.has(`${o.kind}/${o.namespace}/${o.name}`) && !(o.kind === 'Kustomization' && o.namespace === fluxNamespace),
  );
}

/**
 * The command that deletes a delivery object and keeps the objects it applied in the clusters: a
 * Flux Kustomization gets prune: false first (with prune: true, Flux deletes every object of the
 * folder with it); the ApplicationSet has preserveResourcesOnDeletion (its Applications go, their
 * objects stay).
 */
export function deleteCommand(o: DeliveryObject): string {
  if (o.kind === 'Kustomization') {
    return (
      `kubectl patch kustomization -n ${o.namespace} ${o.name} --type merge -p '{"spec":{"prune":false}}' && ` +
      `kubectl delete kustomization -n ${o.namespace} ${o.name}`
    );
  }
  return `kubectl delete ${o.kind.toLowerCase()} -n ${o.namespace} ${o.name}`;
}

/** What to run on the engine's cluster for each dropped object; '' when there are none. */
export function droppedDeliveryText(dropped: readonly DeliveryObject[]): string {
  if (dropped.length === 0) return '';
  return (
    'the previous output delivered through objects this one does not write (an engine the config no longer names, or its ' +
    'old namespace), and kubectl apply deletes nothing: they still apply the folders; delete them on the cluster that runs ' +
    `the engine, so that their objects stay in the clusters: ` +
    `${dropped.map(deleteCommand).join('; ')}\n`
  );
}

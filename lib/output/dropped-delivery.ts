/**
 * The delivery objects a previous output wrote for an engine the config no longer names. They
 * were applied to the cluster that runs the engine, and `kubectl apply` of the new `_delivery/`
 * deletes nothing: Flux's Kustomizations (`prune: true`) go on applying the folders, Argo CD's
 * ApplicationSet its Applications, and an admin moving from one engine to the other would have
 * both over the same objects. Read before the write replaces them; said with the commands that
 * delete them and keep the objects in the clusters.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parseAllDocuments } from 'yaml';

import { DeliverySpec } from '../config/delivery-schema';
import { DELIVERY_DIR } from '../model/output-layout';
import { configOfHeader, writtenByOtherConfig } from './previous-files';

/** The files of `_delivery/` each engine has, as `delivery-output.ts` names them. */
const ENGINE_FILES = { argocd: 'argocd-applicationset.yaml', flux: 'flux-kustomizations.yaml' } as const;

/** A delivery object on the engine's cluster: its kind, namespace and name. */
export interface DeliveryObject {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/**
 * The objects of each engine the previous output in `out` delivered through and `delivery` no
 * longer names, when this config wrote them (another config's folder is its own).
 */
export function droppedDeliveryObjects(out: string, delivery: DeliverySpec | undefined, ownConfig: string | undefined): DeliveryObject[] {
  return (Object.keys(ENGINE_FILES) as (keyof typeof ENGINE_FILES)[])
    .filter((engine) => !delivery?.[engine])
    .flatMap((engine) => {
      const file = path.join(out, DELIVERY_DIR, ENGINE_FILES[engine]);
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        return [];
      }
      if (writtenByOtherConfig(configOfHeader(text, path.dirname(file)), ownConfig)) return [];
      return parseAllDocuments(text).flatMap((doc) => {
        const o = doc.toJS() as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
        const [kind, name, namespace] = [o?.kind, o?.metadata?.name, o?.metadata?.namespace];
        return typeof kind === 'string' && typeof name === 'string' && typeof namespace === 'string' ? [{ kind, name, namespace }] : [];
      });
    });
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
    'the config no longer delivers through an engine the previous output did, and kubectl apply deletes nothing: its objects ' +
    `still apply the folders; delete them on the cluster that runs it, so that their objects stay in the clusters: ` +
    `${dropped.map(deleteCommand).join('; ')}\n`
  );
}

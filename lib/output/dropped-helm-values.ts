/**
 * The Helm values a previous output set and the new one no longer does. `helm upgrade
 * --reuse-values -f FILE`, as the summary prints it, keeps every value the release was given
 * before: a key the new file leaves out keeps its old value in the release (a cluster moved back
 * from the Gateway API would stay on it). So a key that goes is named, with the `--set` that
 * undoes it where its chart default is known.
 */
import * as path from 'node:path';

import { parse } from 'yaml';

import { ClusterMode } from '../model/mode';
import { RUNAI_CLUSTER_RELEASE, RUNAI_CONTROL_PLANE_RELEASE } from '../model/names';
import { CONTROL_PLANE_HELM_VALUES_PATH, HELM_VALUES_PATH } from '../model/output-layout';
import { configOfHeader, NewClusterFiles, readHead, writtenByOtherConfig, writtenByUs } from './previous-files';

/** The values files of a cluster folder and the release each is for. */
const VALUES_FILES = [
  { path: HELM_VALUES_PATH, release: RUNAI_CLUSTER_RELEASE },
  { path: CONTROL_PLANE_HELM_VALUES_PATH, release: RUNAI_CONTROL_PLANE_RELEASE },
] as const;

/**
 * What a key goes back to when this tool stops setting it: the charts' defaults for the switches
 * it sets. Run:ai 2.25's Gateway API page (run-ai-docs.nvidia.com, self-hosted/infrastructure-setup/
 * advanced-setup/kubernetes-gateway-api): "Gateway API support in NVIDIA Run:ai is optional. If you
 * are currently using HAProxy Ingress or other ingress controllers, no action is required": off, and
 * ingress on, unless set; its steps set `gatewayAPI.enabled: true`, then `ingress.enabled: false`.
 * A private CA is turned on with `global.customCA.enabled: true`: off unless set.
 */
const RESETS: readonly (readonly [RegExp, boolean])[] = [
  [/(^|\.)gatewayAPI\.enabled$/, false],
  [/(^|\.)ingress\.enabled$/, true],
  [/(^|\.)customCA\.enabled$/, false],
];
/** The chart default of a switch this tool sets (`…enabled`), which dropping it goes back to; `undefined` for another key. */
export function chartDefault(key: string): boolean | undefined {
  return RESETS.find(([pattern]) => pattern.test(key))?.[1];
}

/**
 * Keys that mean nothing once their switch is off: the Gateway API's Gateway (name, namespace,
 * parentRefs) and the ingress class of a release whose ingress is disabled.
 */
const SWITCHED_DETAIL = /(^|\.)(gatewayAPI|ingress)\.(?!enabled$)[^.]+$/;

/** A dotted key of names of letters, digits, `_` and `-`: all the keys this tool writes. */
const PLAIN_KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** A key the previous values file set and the new one does not. */
export interface DroppedValue {
  /** Dotted, as `--set` takes it: `clusterConfig.global.gatewayAPI.enabled`. */
  readonly key: string;
  /** Its value before, as JSON. */
  readonly was: string;
  /** What `--set` puts back, when known: a chart default, or the class the cluster's Ingresses now have. */
  readonly reset?: boolean | string;
}

/** The keys one values file of a cluster folder no longer sets. */
export interface DroppedValues {
  readonly cluster: string;
  /** The file, in the cluster folder. */
  readonly file: string;
  /** As `helm upgrade` takes it: release, chart and namespace. */
  readonly release: string;
  /** True when the new output writes this file no more. */
  readonly fileGone: boolean;
  readonly dropped: readonly DroppedValue[];
}

/** What of a values file is read: ours are a few hundred bytes. */
const VALUES_BYTES = 64 * 1024;

/**
 * For each cluster folder of `outDir` this config wrote, the values keys its previous files set
 * that the new files (`clusters[].files`, not yet written) do not. None without a previous output of ours.
 */
export function droppedHelmValues(
  outDir: string,
  clusters: readonly (NewClusterFiles & { readonly mode: ClusterMode })[],
  ownConfig: string | undefined,
): DroppedValues[] {
  if (!writtenByUs(outDir)) return [];
  const buffer = Buffer.alloc(VALUES_BYTES);
  return clusters.flatMap((c) => {
    const dir = path.join(outDir, c.name);
    const old = VALUES_FILES.map((v) => ({ ...v, text: readHead(path.join(dir, v.path), buffer) }));
    if (old.every((v) => v.text === undefined)) return [];
    return old.flatMap(({ path: file, release, text }) => {
      const now = c.files.find((f) => f.path === file)?.content;
      if (text === undefined || text === now) return [];
      // Another config's file (its own header says whose) is that config's to name.
      if (writtenByOtherConfig(configOfHeader(text, dir, ownConfig), ownConfig)) return [];
      const before = leaves(text);
      const after = now === undefined ? new Map<string, string>() : leaves(now);
      // A switch dropped at its chart default changes nothing: not named.
      const dropped = [...before].filter(([key]) => !after.has(key)).flatMap(([key, was]) => droppedValue(key, was, c.mode));
      // A detail of a switch the new file turns off, or whose undo does, is not named.
      const switchedOff = (key: string) => {
        const on = key.replace(/[^.]+$/, 'enabled');
        return after.get(on) === 'false' || dropped.some((d) => d.key === on && d.reset === false);
      };
      const shown = dropped.filter((d) => !(SWITCHED_DETAIL.test(d.key) && switchedOff(d.key)));
      return shown.length === 0 ? [] : [{ cluster: c.name, file, release, fileGone: now === undefined, dropped: shown }];
    });
  });
}

/**
 * A dropped key, with the value that undoes it where known (a switch's chart default; for Run:ai's
 * ingress class, the class it is told now, else the class the cluster's Ingresses have); none when that is the value it had.
 */
function droppedValue(key: string, was: string, mode: ClusterMode): DroppedValue[] {
  // A key of other characters (a hand edit: a space, a line break, shell) is no key of this tool's: named in JSON's quotes, never in a --set.
  if (!PLAIN_KEY.test(key)) return [{ key: JSON.stringify(key), was }];
  // What Run:ai is told now (a migration's new class from phase 2), else the class of the Ingresses written;
  // none (`null`: Ingresses without a class) is no value to set back.
  const now = /(^|\.)ingress\.ingressClass$/.test(key) ? (mode.runaiIngressClass ?? mode.ingressClassName ?? undefined) : undefined;
  const reset = chartDefault(key) ?? now;
  if (reset === undefined) return [{ key, was }];
  return JSON.stringify(reset) === was ? [] : [{ key, was, reset }];
}

/** Every leaf of a values file as dotted key → JSON value (a list is one leaf); none when it is not a mapping. */
function leaves(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 0, logLevel: 'error' });
  } catch {
    return out;
  }
  const walk = (value: unknown, key: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, key ? `${key}.${k}` : k);
    } else if (key) out.set(key, JSON.stringify(value));
  };
  walk(doc, '');
  return out;
}

/**
 * The ingress class a cluster folder tells Run:ai (the RunaiConfig overlay's
 * `spec.global.ingress.ingressClass`, the Helm values' `clusterConfig.global.ingress.ingressClass`),
 * before and now: with path routing and no inference no Ingress is written, so a change of the
 * class Run:ai's own workspace Ingresses take shows nowhere else (a `runaiVersion` raised to 2.25
 * moves it to HAProxy's).
 */
import * as path from 'node:path';

import { parse } from 'yaml';

import { subdomainNameProblem } from '../model/dns-names';
import { RUNAI_CONFIG_NAME } from '../model/names';
import { HELM_VALUES_PATH, objectFileName } from '../model/output-layout';
import { RUNAI_DEFAULT_INGRESS_CLASS } from '../model/release-profiles';
import { Entry } from './entry-names';
import { configOfHeader, NewFile, writtenByOtherConfig } from './previous-files';

/** The overlay's file in a cluster folder. */
const OVERLAY_FILE = objectFileName('RunaiConfig', RUNAI_CONFIG_NAME);

/** A change of the class Run:ai is told: the files that tell it now, and the class before and now (`null`: none, its own default). */
export interface ToldClassChange {
  readonly files: readonly string[];
  readonly classBefore: string | null;
  readonly classNow: string | null;
}

/**
 * The change of the class a cluster folder (`dir`, whose entries are `entries` and whose files
 * `head` reads, by their paths in it) tells Run:ai, from its previous files to `files`;
 * `undefined` when it tells the same (none and nginx are the same: "NVIDIA Run:ai uses NGINX as
 * the default ingress controller"), told nothing before or tells nothing now (another line says
 * why), or a previous file is not one this config wrote or reads as no class a name could be.
 */
export function toldClassChange(
  entries: readonly Entry[],
  files: readonly NewFile[],
  ownConfig: string | undefined,
  head: (file: string) => string | undefined,
  dir: string,
): ToldClassChange | undefined {
  const now = (file: string) => files.find((f) => f.path === file)?.content;
  // The helm folder as it is, not a link to another place (as the other previous files are read).
  const helmDir = entries.some((e) => e.shown === path.dirname(HELM_VALUES_PATH) && e.dirent.isDirectory());
  const before = (file: string) => {
    if (file === HELM_VALUES_PATH && !helmDir) return undefined;
    const text = head(file);
    return text === undefined || writtenByOtherConfig(configOfHeader(text, dir, ownConfig), ownConfig) ? undefined : text;
  };
  // The same bytes tell the same class: parsed only when a file changed (a fleet's synth reads them all).
  const telling = [HELM_VALUES_PATH, OVERLAY_FILE];
  const previous = new Map(telling.map((file) => [file, before(file)]));
  if (telling.every((file) => previous.get(file) === now(file))) return undefined;
  const told = (read: (file: string) => string | undefined) => {
    const [helm, overlay] = telling.map((file) => {
      const text = read(file);
      return text === undefined ? undefined : { file, cls: classIn(text, file === HELM_VALUES_PATH ? 'clusterConfig' : 'spec') };
    });
    // The Helm values win: Run:ai says to manage its settings through them, and a Helm upgrade puts them back.
    return [helm, overlay].filter((t) => t !== undefined);
  };
  const [was, is] = [told((file) => previous.get(file)), told(now)];
  if (was.length === 0 || is.length === 0 || [...was, ...is].some((t) => t.cls === undefined)) return undefined;
  const [classBefore, classNow] = [was[0].cls!, is[0].cls!];
  if ((classBefore ?? RUNAI_DEFAULT_INGRESS_CLASS) === (classNow ?? RUNAI_DEFAULT_INGRESS_CLASS)) return undefined;
  return { files: is.map((t) => t.file), classBefore, classNow };
}

/**
 * `<top>.global.ingress.ingressClass` of a values file (`clusterConfig`) or the overlay (`spec`):
 * `null` when not set, `undefined` when the text is no such file or the class no name the API server takes.
 */
function classIn(text: string, top: 'clusterConfig' | 'spec'): string | null | undefined {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 0, logLevel: 'error' });
  } catch {
    return undefined;
  }
  if (doc === null || typeof doc !== 'object') return undefined;
  const at = (value: unknown, key: string) =>
    value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  const cls = at(at(at(at(doc, top), 'global'), 'ingress'), 'ingressClass');
  if (cls === undefined) return null;
  return typeof cls === 'string' && subdomainNameProblem(cls) === undefined ? cls : undefined;
}

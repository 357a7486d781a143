/**
 * Reads of the previous output's files, for what a synth names about it: whether runai-access wrote
 * the folder, which config a folder or file says wrote it, the start of a file (a regular file
 * only, never blocking), and the object a file holds (of the new output's files too, which it
 * compares them with: `NewClusterFiles`). Every read is bounded and fails quietly: a file that
 * cannot be read is one there is nothing to say about.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parse } from 'yaml';

import { labelNameProblem, subdomainNameProblem } from '../model/dns-names';
import { deletable } from '../model/names';
import { entriesOf, Entry, EntryPath } from './entry-names';
import { headerConfig } from './generated-header';
import { MARKER_FILE } from './leftovers';

/** A file of a cluster's new output, not yet written; `object` is the object it holds, as `kubectl delete` takes it. */
export interface NewFile {
  readonly path: string;
  readonly content: string;
  readonly object?: string;
}

/** A cluster's new output, not yet written: its folder name and files. */
export interface NewClusterFiles {
  readonly name: string;
  readonly files: readonly NewFile[];
}

/** An object a file holds, as `objectOf` reads it: a previous file's, or a new one's to compare with. */
export interface PreviousObject {
  readonly kind: string;
  /** None for a Namespace, which is cluster-scoped. */
  readonly namespace?: string;
  readonly name: string;
  /** As `kubectl delete` takes it: `ingress -n runai runai-cluster-domain-star-ingress`. */
  readonly id: string;
  /** The Secret it writes: a SealedSecret's template, an ExternalSecret's target, a Certificate's secretName. */
  readonly writes?: string;
  /** An Ingress's `ingressClassName` (`null` without one). @default - none: not an Ingress */
  readonly ingressClassName?: string | null;
}

/**
 * True when a folder or file whose header names `writtenFrom` was written by another config than
 * `ownConfig`, the config this synth's header names. `writtenFrom` is `undefined` when the header
 * names none, or a config no longer there: such a folder is this config's.
 */
export function writtenByOtherConfig(writtenFrom: string | undefined, ownConfig: string | undefined): boolean {
  return writtenFrom !== undefined && writtenFrom !== ownConfig;
}

/** What of a file is read for its header: the first line is far shorter. */
export const HEADER_BYTES = 4096;

/**
 * True when `outDir` is an output runai-access wrote (a folder with the marker file), which synth
 * replaces; false on any doubt. False for a link to one: synth replaces the link by a folder and
 * leaves the folder it leads to as it was, so nothing in that one is removed or named.
 */
export function writtenByUs(outDir: string): boolean {
  try {
    // Resolved first: `dist/` (a trailing slash, as a shell completes it) is the link, not where it leads.
    return fs.lstatSync(path.resolve(outDir)).isDirectory() && fs.lstatSync(path.join(outDir, MARKER_FILE)).isFile();
  } catch {
    return false;
  }
}

/**
 * The config named by the header of the folder's first YAML file (of `entries`, when listed
 * already), if any, while that config is still there: one renamed or deleted writes nothing any
 * more, so its folders are this config's. `undefined` too when the folder cannot be read. As
 * `ownConfig` when it is the same file by another name (`configOfHeader`).
 */
export function configOfFolder(dir: string, ownConfig: string | undefined, entries?: readonly Entry[]): string | undefined {
  const head = firstFileHead(dir, entries);
  return head === undefined ? undefined : configOfHeader(head, dir, ownConfig);
}

/** The start of the first YAML file of folder `dir` (of `entries`, when listed already); `undefined` when there is none or it cannot be read. */
function firstFileHead(dir: string, entries?: readonly Entry[]): string | undefined {
  try {
    const first = (entries ?? entriesOf(dir))
      .filter((e) => e.dirent.isFile() && e.shown.endsWith('.yaml'))
      .sort((a, b) => (a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : 0))[0];
    return first === undefined ? undefined : readHead(first.path, Buffer.alloc(HEADER_BYTES));
  } catch {
    return undefined;
  }
}

/**
 * True when a file of folder `dir`, or of a folder in it down to `depth` (helm/, patches/), starts
 * with the header runai-access writes; false on any doubt. A file edited by hand may have lost it:
 * any one is enough.
 */
export function hasHeader(dir: EntryPath, depth = 1, buffer: Buffer = Buffer.alloc(HEADER_BYTES)): boolean {
  try {
    return entriesOf(dir).some((e) =>
      e.dirent.isDirectory() ? depth > 0 && hasHeader(e.path, depth - 1, buffer) : fileHasHeader(e.path, buffer),
    );
  } catch {
    return false;
  }
}

/**
 * True when one of a file's first two lines is the header runai-access writes (a YAML file's
 * first, a script's second); false on any doubt (a link, a FIFO, no regular file). `buffer`, of
 * {@link HEADER_BYTES}, is read into.
 */
export function fileHasHeader(file: EntryPath, buffer: Buffer): boolean {
  return hasHeaderText(readHead(file, buffer) ?? '');
}

/** True when the start of a file's `text` carries the header of ours, in its first line or (a script) its second. */
export function hasHeaderText(text: string): boolean {
  return text.split('\n', 2).some((line) => headerConfig(line) !== undefined);
}

/**
 * The config named by the header of a file of cluster folder `dir` (`text` is its start), if any,
 * while that config is still there; `undefined` when the folder beside the output cannot be read.
 * `ownConfig` (this synth's header's config) when the header names the same file by another name:
 * a link to it, or the file a link named (one config, so its objects are this synth's to name).
 */
export function configOfHeader(text: string, dir: string, ownConfig: string | undefined): string | undefined {
  const config = headerConfig(text.split('\n')[0]);
  // The header names the config from the folder that holds the output folder (generatedHeader).
  if (config === undefined) return undefined;
  // A path the header could not show (it looked like key text) cannot be looked for: another config's, as before.
  if (/not shown>$/.test(config)) return config;
  try {
    const besideOutput = fs.realpathSync(path.dirname(path.dirname(path.resolve(dir))));
    const named = fs.statSync(path.resolve(besideOutput, config), { throwIfNoEntry: false });
    if (named === undefined) return undefined;
    if (ownConfig === undefined || config === ownConfig) return config;
    const own = fs.statSync(path.resolve(besideOutput, ownConfig), { throwIfNoEntry: false });
    return own !== undefined && own.dev === named.dev && own.ino === named.ino ? ownConfig : config;
  } catch {
    return undefined;
  }
}

/** The start of a regular file as UTF-8, read into `into` (its length at most), or `undefined` when it cannot be read or is no regular file. */
export function readHead(file: EntryPath, into: Buffer): string | undefined {
  try {
    // Never blocks: a FIFO or device put where a file was is opened without waiting and not read; a link is not followed.
    const { O_RDONLY, O_NONBLOCK, O_NOFOLLOW } = fs.constants;
    const fd = fs.openSync(file, O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
    try {
      if (!fs.fstatSync(fd).isFile()) return undefined;
      return into.subarray(0, fs.readSync(fd, into, 0, into.length, 0)).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** A kind as the API server names one: an upper-case letter, then letters and digits. */
const KIND = /^[A-Z][A-Za-z0-9]{0,62}$/;

/**
 * The object a file's text holds (its kind, namespace and name, as `kubectl delete` takes it, and
 * the Secret it writes: a SealedSecret's template, an ExternalSecret's target, a Certificate's
 * secretName), or `undefined`: also when a name is none the API server takes.
 */
export function objectOf(text: string): PreviousObject | undefined {
  try {
    // logLevel 'error': the library's warnings would quote the file.
    const doc = parse(text, { maxAliasCount: 0, logLevel: 'error' }) as {
      kind?: unknown;
      metadata?: { name?: unknown; namespace?: unknown };
      spec?: {
        secretName?: unknown;
        target?: { name?: unknown };
        template?: { metadata?: { name?: unknown } };
        ingressClassName?: unknown;
      };
    } | null;
    const { kind, metadata, spec } = doc ?? {};
    // A Namespace is cluster-scoped; every other kind named here lives in one.
    const scoped = typeof metadata?.namespace === 'string' ? metadata.namespace : undefined;
    if (typeof kind !== 'string' || typeof metadata?.name !== 'string' || (scoped === undefined) !== (kind === 'Namespace'))
      return undefined;
    // Names the API server takes, or no object: one it would refuse (a hand edit) is in no cluster,
    // and its text (a line break, an escape, shell) must not reach a line or a command to paste.
    const named = (v: unknown) => (typeof v === 'string' && subdomainNameProblem(v) === undefined ? v : undefined);
    if (!KIND.test(kind) || named(metadata.name) === undefined || (scoped !== undefined && labelNameProblem(scoped) !== undefined))
      return undefined;
    // A class or a Secret's name of other text: none the API server would take either.
    const refused = (v: unknown) => typeof v === 'string' && named(v) === undefined;
    const secretNames = [spec?.secretName, spec?.target?.name, spec?.template?.metadata?.name];
    if ((kind === 'Ingress' && refused(spec?.ingressClassName)) || secretNames.some(refused)) return undefined;
    const writes =
      kind === 'Certificate'
        ? named(spec?.secretName)
        : kind === 'ExternalSecret'
          ? (named(spec?.target?.name) ?? metadata.name)
          : kind === 'SealedSecret'
            ? (named(spec?.template?.metadata?.name) ?? metadata.name)
            : undefined;
    const object = { kind, namespace: scoped, name: metadata.name, id: deletable(kind, scoped, metadata.name) };
    const ingressClassName = kind === 'Ingress' ? (named(spec?.ingressClassName) ?? null) : undefined;
    return { ...object, ...(writes === undefined ? {} : { writes }), ...(ingressClassName === undefined ? {} : { ingressClassName }) };
  } catch {
    return undefined;
  }
}

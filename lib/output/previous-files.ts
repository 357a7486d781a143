/**
 * Reads of the previous output's files, for what a synth names about it: whether runai-access wrote
 * the folder, which config a folder or file says wrote it, the start of a file (a regular file
 * only, never blocking), and the object a file holds. Every read is bounded and fails quietly: a
 * file that cannot be read is one there is nothing to say about.
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';

import { parse } from 'yaml';

import { deletable } from '../model/names';
import { headerConfig } from './generated-header';
import { MARKER_FILE } from './leftovers';

/** What of a file is read for its header: the first line is far shorter. */
const HEADER_BYTES = 4096;

/** True when `outDir` is an output runai-access wrote (it carries the marker file); false on any doubt. */
export function writtenByUs(outDir: string, fs: typeof nodeFs): boolean {
  try {
    return fs.lstatSync(path.join(outDir, MARKER_FILE)).isFile();
  } catch {
    return false;
  }
}

/**
 * The config named by the header of the folder's first YAML file, if any, while that config is
 * still there: one renamed or deleted writes nothing any more, so its folders are this config's.
 */
export function configOfFolder(dir: string, fs: typeof nodeFs, entries = fs.readdirSync(dir, { withFileTypes: true })): string | undefined {
  const first = entries
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .map((e) => e.name)
    .sort()[0];
  const head = first === undefined ? undefined : readHead(path.join(dir, first), Buffer.alloc(HEADER_BYTES), fs);
  return head === undefined ? undefined : configOfHeader(head, dir, fs);
}

/**
 * The config named by the header of a file of cluster folder `dir` (`text` is its start), if any,
 * while that config is still there.
 */
export function configOfHeader(text: string, dir: string, fs: typeof nodeFs): string | undefined {
  const config = headerConfig(text.split('\n')[0]);
  // The header names the config from the folder that holds the output folder (generatedHeader).
  if (config === undefined) return undefined;
  // A path the header could not show (it looked like key text) cannot be looked for: another config's, as before.
  if (/not shown>$/.test(config)) return config;
  const besideOutput = fs.realpathSync(path.dirname(path.dirname(path.resolve(dir))));
  return fs.existsSync(path.resolve(besideOutput, config)) ? config : undefined;
}

/** The start of a regular file as UTF-8, read into `into` (its length at most), or `undefined` when it cannot be read or is no regular file. */
export function readHead(file: string, into: Buffer, fs: typeof nodeFs): string | undefined {
  try {
    // Never blocks: a FIFO or device put where a file was is opened without waiting and not read; a link is not followed.
    const { O_RDONLY, O_NONBLOCK, O_NOFOLLOW } = nodeFs.constants;
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

/**
 * The object a file's text holds (its kind, namespace and name, as `kubectl delete` takes it, and
 * the Secret it writes: a SealedSecret's template, an ExternalSecret's target, a Certificate's
 * secretName), or `undefined`.
 */
export function objectOf(
  text: string,
): { kind: string; namespace?: string; name: string; id: string; writes?: string; ingressClassName?: string | null } | undefined {
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
    const named = (v: unknown) => (typeof v === 'string' ? v : undefined);
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

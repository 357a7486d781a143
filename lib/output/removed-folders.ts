/**
 * What a synth leaves out of the previous output: its cluster folders (a cluster removed or
 * renamed, or another config's clusters in the same output folder), each with the config its
 * files say wrote it, and the routing objects a kept folder no longer holds, which stay in the
 * cluster until deleted (unless a GitOps tool with pruning applies the folder). The summary
 * names both.
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';

import { parse } from 'yaml';

import { headerConfig } from './generated-header';
import { MARKER_FILE } from './leftovers';

/** A cluster folder of the previous output that the new one leaves out. */
export interface RemovedFolder {
  /** Its name, the cluster's. */
  readonly name: string;
  /** The config its first object file's header names, when it has one. */
  readonly writtenFrom?: string;
}

/** What of a file is read for its header: the first line is far shorter. */
const HEADER_BYTES = 4096;

/**
 * The folders of `outDir` (an output runai-access wrote: it carries the marker) other than
 * `kept`, in name order; none when there is no such output or it cannot be read (the writer
 * then reports what is wrong).
 */
export function removedFolders(outDir: string, kept: readonly string[], fs: typeof nodeFs = nodeFs): RemovedFolder[] {
  try {
    if (!fs.lstatSync(path.join(outDir, MARKER_FILE)).isFile()) return [];
    return fs
      .readdirSync(outDir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !kept.includes(e.name))
      .map((e) => e.name)
      .sort()
      .map((name) => {
        const writtenFrom = configOfFolder(path.join(outDir, name), fs);
        return writtenFrom === undefined ? { name } : { name, writtenFrom };
      });
  } catch {
    return [];
  }
}

/** The config named by the header of the folder's first YAML file, if any. */
function configOfFolder(dir: string, fs: typeof nodeFs): string | undefined {
  const first = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .map((e) => e.name)
    .sort()[0];
  if (!first) return undefined;
  const fd = fs.openSync(path.join(dir, first), 'r');
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const read = fs.readSync(fd, buffer, 0, HEADER_BYTES, 0);
    return headerConfig(buffer.subarray(0, read).toString('utf8').split('\n')[0]);
  } finally {
    fs.closeSync(fd);
  }
}

/** A routing object a kept cluster folder held and no longer does. */
export interface RemovedObject {
  /** The cluster folder. */
  readonly cluster: string;
  /** The file, in the cluster folder. */
  readonly file: string;
  /** As `kubectl delete` takes it: `ingress -n runai runai-cluster-domain-star-ingress-haproxy`. */
  readonly object: string;
}

/**
 * The kinds named when their file goes: what routes traffic, where a stale copy serves a host
 * twice. A Secret is not: the SealedSecret, ExternalSecret or Certificate that replaces its file
 * makes a Secret of the same name.
 */
const ROUTING_KINDS = new Set(['Ingress', 'Service', 'Gateway', 'HTTPRoute', 'ReferenceGrant']);

/** What of an object file is read: the files we write are a few kilobytes. */
const OBJECT_BYTES = 64 * 1024;

/**
 * The routing objects of `outDir`'s cluster folders that the new output of the same cluster
 * leaves out, in folder and file order; none when there is no previous output of ours.
 */
export function removedObjects(
  outDir: string,
  clusters: readonly { readonly name: string; readonly files: readonly { readonly path: string }[] }[],
  fs: typeof nodeFs = nodeFs,
): RemovedObject[] {
  try {
    if (!fs.lstatSync(path.join(outDir, MARKER_FILE)).isFile()) return [];
  } catch {
    return [];
  }
  return clusters.flatMap((c) => {
    const dir = path.join(outDir, c.name);
    const kept = new Set(c.files.map((f) => f.path));
    let entries: nodeFs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    return entries
      .filter((e) => e.isFile() && /^\d\d-.*\.yaml$/.test(e.name) && !kept.has(e.name))
      .map((e) => e.name)
      .sort()
      .flatMap((file) => {
        const object = objectOf(path.join(dir, file), fs);
        return object ? [{ cluster: c.name, file, object }] : [];
      });
  });
}

/** `kind -n namespace name` of the routing object a file holds, or `undefined`. */
function objectOf(file: string, fs: typeof nodeFs): string | undefined {
  try {
    const fd = fs.openSync(file, 'r');
    let text: string;
    try {
      const buffer = Buffer.alloc(OBJECT_BYTES);
      text = buffer.subarray(0, fs.readSync(fd, buffer, 0, OBJECT_BYTES, 0)).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
    // logLevel 'error': the library's warnings would quote the file.
    const doc = parse(text, { maxAliasCount: 0, logLevel: 'error' }) as {
      kind?: unknown;
      metadata?: { name?: unknown; namespace?: unknown };
    } | null;
    const { kind, metadata } = doc ?? {};
    if (typeof kind !== 'string' || !ROUTING_KINDS.has(kind)) return undefined;
    if (typeof metadata?.name !== 'string' || typeof metadata.namespace !== 'string') return undefined;
    return `${kind.toLowerCase()} -n ${metadata.namespace} ${metadata.name}`;
  } catch {
    return undefined;
  }
}

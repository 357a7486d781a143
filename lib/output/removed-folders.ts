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

import { deletable } from '../model/names';
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
  const head = first === undefined ? undefined : readHead(path.join(dir, first), HEADER_BYTES, fs);
  return head === undefined ? undefined : headerConfig(head.split('\n')[0]);
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

/** Old object files that may hold a routing object, by the kind their name gives (`10-ingress-….yaml`). */
const ROUTING_FILE = /^\d\d-(ingress|service|gateway|httproute|referencegrant)-.*\.yaml$/;

/**
 * The routing objects of `outDir`'s cluster folders that the new output of the same cluster
 * no longer holds, compared as objects (kind, namespace, name), not file names: a file renamed
 * to part two names is the same object, and a file of the same name may now hold an object in
 * another namespace. In folder and file order; none when there is no previous output of ours.
 */
export function removedObjects(
  outDir: string,
  clusters: readonly {
    readonly name: string;
    readonly files: readonly { readonly path: string; readonly content: string; readonly object?: string }[];
  }[],
  fs: typeof nodeFs = nodeFs,
): RemovedObject[] {
  try {
    if (!fs.lstatSync(path.join(outDir, MARKER_FILE)).isFile()) return [];
  } catch {
    return [];
  }
  return clusters.flatMap((c) => {
    const dir = path.join(outDir, c.name);
    const objects = new Set(c.files.flatMap((f) => (f.object ? [f.object] : [])));
    const contents = new Map(c.files.map((f) => [f.path, f.content]));
    let entries: nodeFs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    return entries
      .filter((e) => e.isFile() && ROUTING_FILE.test(e.name))
      .map((e) => e.name)
      .sort()
      .flatMap((file) => {
        const text = readHead(path.join(dir, file), OBJECT_BYTES, fs);
        // The same bytes are the same object: only a file that changed is read as YAML.
        if (text === undefined || text === contents.get(file)) return [];
        const object = objectOf(text);
        return object && !objects.has(object) ? [{ cluster: c.name, file, object }] : [];
      });
  });
}

/** The first `bytes` of a file as UTF-8, or `undefined` when it cannot be read. */
function readHead(file: string, bytes: number, fs: typeof nodeFs): string | undefined {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      return buffer.subarray(0, fs.readSync(fd, buffer, 0, bytes, 0)).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** `kind -n namespace name` of the routing object a file's text holds, or `undefined`. */
function objectOf(text: string): string | undefined {
  try {
    // logLevel 'error': the library's warnings would quote the file.
    const doc = parse(text, { maxAliasCount: 0, logLevel: 'error' }) as {
      kind?: unknown;
      metadata?: { name?: unknown; namespace?: unknown };
    } | null;
    const { kind, metadata } = doc ?? {};
    if (typeof kind !== 'string' || !ROUTING_KINDS.has(kind)) return undefined;
    if (typeof metadata?.name !== 'string' || typeof metadata.namespace !== 'string') return undefined;
    return deletable(kind, metadata.namespace, metadata.name);
  } catch {
    return undefined;
  }
}

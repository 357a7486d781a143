/**
 * What a synth leaves out of the previous output: its cluster folders (a cluster removed or
 * renamed, or another config's clusters in the same output folder), each with the config its
 * files say wrote it, and the objects a kept folder no longer holds, which stay in the cluster
 * until deleted (unless a GitOps tool with pruning applies the folder): routing objects, TLS
 * sources, Secrets nothing reads, the legacy patch and the RunaiConfig overlay; and the Ingresses
 * it still holds with another class. The summary names them (cli/removal-report.ts).
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';

import { CA_SECRET_NAME, deletable, INFERENCE_TLS_SECRET_NAME, PATCHES_DIR, STAR_TLS_SECRET_NAME } from '../model/names';
import { configOfFolder, objectOf, readHead, writtenByUs } from './previous-files';

/** A cluster folder of the previous output that the new one leaves out. */
export interface RemovedFolder {
  /** Its name, the cluster's. */
  readonly name: string;
  /** The config its first object file's header names, when it has one. */
  readonly writtenFrom?: string;
}

/**
 * The folders of `outDir` (an output runai-access wrote: it carries the marker) other than
 * `kept`, in name order; none when there is no such output or it cannot be read (the writer
 * then reports what is wrong).
 */
export function removedFolders(outDir: string, kept: readonly string[], fs: typeof nodeFs = nodeFs): RemovedFolder[] {
  try {
    // A link is replaced by the new output, and the folder it named is left as it is: nothing in it is removed.
    if (!writtenByUs(outDir, fs) || fs.lstatSync(outDir).isSymbolicLink()) return [];
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

/** A cluster's new output, not yet written: its folder name and files (with the object each holds). */
export interface NewClusterFiles {
  readonly name: string;
  readonly files: readonly { readonly path: string; readonly content: string; readonly object?: string }[];
}

/**
 * An object a kept cluster folder held and no longer does, a Secret a new source must take over,
 * or an Ingress it still holds with another class (`classNow`).
 */
export interface RemovedObject {
  /** The cluster folder. */
  readonly cluster: string;
  /** The file, in the cluster folder. */
  readonly file: string;
  /** As `kubectl delete` takes it: `ingress -n runai runai-cluster-domain-star-ingress-haproxy`. */
  readonly object: string;
  /**
   * The Secret (`namespace/name`) the object writes, for a SealedSecret, ExternalSecret or
   * Certificate: deleting it may delete that Secret too (an owner reference), which the new source
   * uses. @default - none: a routing object, or a plaintext Secret
   */
  readonly writes?: string;
  /**
   * With `writes`: whether the new output makes that Secret (a Secret file, or an object that
   * writes it); false when nothing does, as with `tls.source: existing`. @default - not set without `writes`
   */
  readonly madeAgain?: boolean;
  /** An Ingress's `ingressClassName` (`null` without one). @default - none: not an Ingress */
  readonly ingressClassName?: string | null;
  /** The private CA's Secret, after `privateCa` went: Run:ai reads it while `customCA` is on. @default false */
  readonly privateCa?: boolean;
  /** The RunaiConfig overlay: the operator's own object, whose fields stay; never to delete. @default false */
  readonly overlay?: boolean;
  /** For a plaintext Secret: nothing the new output writes makes it or names it in its namespace. @default false */
  readonly unread?: boolean;
  /**
   * For the legacy patch (`file` is its folder, `object` the Ingress it patched): the host of the
   * `spec.tls` entry its script added, which stays in that Ingress. @default - none
   */
  readonly patchedHost?: string;
  /** For the legacy patch: the new output reads the Secret its entry reads. @default false */
  readonly sameSecret?: boolean;
  /**
   * For an Ingress the new output still holds, with another class: its class now (`null`: none).
   * Such an entry is not removed: only its class changes. @default - none: the object is gone
   */
  readonly classNow?: string | null;
  /**
   * The command that lets the Sealed Secrets controller take over the Secret, when a SealedSecret
   * now makes the Secret this object held or wrote: it takes over a Secret it did not create only
   * when annotated. @default - none
   */
  readonly takeOver?: string;
}

/**
 * The kinds named when their file goes: what routes traffic, where a stale copy serves a host
 * twice (and the namespace the https redirect's route lives in), and what makes a TLS Secret (SealedSecret, ExternalSecret, Certificate), whose stale
 * copy would go on writing it. A plaintext Secret is named when a SealedSecret now makes it, or when
 * nothing written makes or reads it any more.
 */
const NAMED_KINDS = new Set([
  // The RunaiConfig overlay: named, never to delete (the operator's own object).
  'RunaiConfig',
  // The https redirect's own (gateway.httpRedirect): deleting it deletes its route.
  'Namespace',
  'Ingress',
  'Service',
  'Gateway',
  'HTTPRoute',
  'ReferenceGrant',
  'SealedSecret',
  'ExternalSecret',
  'Certificate',
]);

/** What of an object file is read: the files we write are a few kilobytes. */
const OBJECT_BYTES = 64 * 1024;

/** Old files that may hold such an object or a plaintext Secret, by the kind their name gives (`10-ingress-….yaml`: `objectFileName`). */
const NAMED_FILE = new RegExp(`^\\d\\d-(${[...NAMED_KINDS, 'Secret'].map((k) => k.toLowerCase()).join('|')})-.*\\.yaml$`);

/** The annotation that lets the Sealed Secrets controller manage a Secret it did not create. */
const SEALED_SECRETS_MANAGED = 'sealedsecrets.bitnami.com/managed';

/**
 * The objects of `outDir`'s cluster folders (those this config wrote) that the new output of the
 * same cluster no longer holds, compared as objects (kind, namespace, name), not file names: a file
 * renamed to part two names is the same object, and a file of the same name may now hold an
 * object in another namespace. In folder and file order; none when there is no previous output of ours.
 */
export function removedObjects(
  outDir: string,
  clusters: readonly NewClusterFiles[],
  ownConfig: string | undefined,
  fs: typeof nodeFs = nodeFs,
): RemovedObject[] {
  if (!writtenByUs(outDir, fs)) return [];
  const buffer = Buffer.alloc(OBJECT_BYTES);
  return clusters.flatMap((c) => {
    const dir = path.join(outDir, c.name);
    let entries: nodeFs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    // Another config's folder of the same name is that config's to name.
    const writtenFrom = configOfFolder(dir, fs, entries);
    if (writtenFrom !== undefined && ownConfig !== undefined && writtenFrom !== ownConfig) return [];
    const objects = new Set(c.files.flatMap((f) => (f.object ? [f.object] : [])));
    const contents = new Map(c.files.map((f) => [f.path, f.content]));
    const patch = entries.some((e) => e.isDirectory() && e.name === PATCHES_DIR) ? droppedPatch(c.name, dir, c.files, buffer, fs) : [];
    const files = entries
      .filter((e) => e.isFile() && NAMED_FILE.test(e.name))
      .map((e) => e.name)
      .sort()
      .flatMap((file) => {
        const text = readHead(path.join(dir, file), buffer, fs);
        // The same bytes are the same object: only a file that changed is read as YAML.
        if (text === undefined || text === contents.get(file)) return [];
        const object = objectOf(text);
        if (object && objects.has(object.id)) return reclassed(c.name, file, object, c.files);
        if (!object) return [];
        if (object.kind !== 'Secret' && !NAMED_KINDS.has(object.kind)) return [];
        if (object.kind === 'RunaiConfig') return [{ cluster: c.name, file, object: object.id, overlay: true }];
        const secret = object.writes ?? (object.kind === 'Secret' ? object.name : undefined);
        const sealedNow = secret !== undefined && objects.has(deletable('SealedSecret', object.namespace, secret));
        const takeOver = sealedNow
          ? `kubectl annotate ${deletable('Secret', object.namespace, secret)} ${SEALED_SECRETS_MANAGED}=true`
          : undefined;
        // A wildcard or inference Secret nothing written now makes or reads (moved to another namespace, or
        // no longer needed) is named. Not the cluster URL's (Run:ai's own Ingress reads it) nor other Secrets.
        if (object.kind === 'Secret' && !takeOver) {
          // The private CA's, once privateCa is gone: Run:ai reads it while customCA is on, which a Helm line turns off.
          if (object.name === CA_SECRET_NAME && !usedNow(c.files, object.namespace, object.name)) {
            return [{ cluster: c.name, file, object: object.id, privateCa: true }];
          }
          const named = UNREAD_NAMED.has(object.name) && !usedNow(c.files, object.namespace, object.name);
          return named ? [{ cluster: c.name, file, object: object.id, unread: true }] : [];
        }
        return [
          {
            cluster: c.name,
            file,
            object: object.id,
            ...(object.writes === undefined
              ? {}
              : { writes: `${object.namespace}/${object.writes}`, madeAgain: makesSecret(c.files, object.namespace, object.writes) }),
            ...(object.ingressClassName === undefined ? {} : { ingressClassName: object.ingressClassName }),
            ...(takeOver ? { takeOver } : {}),
          },
        ];
      });
    // The patched entry first: it reads the Secret a line below may name, and goes before it.
    return [...patch, ...files];
  });
}

/** An Ingress still written whose class is not the one it had, as a `RemovedObject` with `classNow`; none otherwise. */
function reclassed(
  cluster: string,
  file: string,
  before: NonNullable<ReturnType<typeof objectOf>>,
  files: readonly { readonly content: string; readonly object?: string }[],
): RemovedObject[] {
  if (before.ingressClassName === undefined) return [];
  const now = objectOf(files.find((f) => f.object === before.id)?.content ?? '')?.ingressClassName;
  if (now === undefined || now === before.ingressClassName) return [];
  return [{ cluster, file, object: before.id, ingressClassName: before.ingressClassName, classNow: now }];
}

/**
 * The plaintext Secrets named when nothing reads them any more: the wildcard's and inference's,
 * which only objects of this tool read.
 */
const UNREAD_NAMED = new Set([STAR_TLS_SECRET_NAME, INFERENCE_TLS_SECRET_NAME]);

/**
 * True when one of `files` names Secret `namespace/name`: an object in that namespace that makes
 * or reads it (an Ingress's tls), one that names the namespace too (a Gateway's certificateRefs),
 * or the legacy patch, whose entry reads it from the patched Ingress's namespace.
 */
function usedNow(
  files: readonly { readonly path: string; readonly content: string }[],
  namespace: string | undefined,
  name: string,
): boolean {
  return files.some(
    (f) =>
      f.content.includes(name) &&
      (f.path.startsWith(`${PATCHES_DIR}/`) ||
        objectOf(f.content)?.namespace === namespace ||
        f.content.includes(`namespace: ${namespace}\n`)),
  );
}

/**
 * The legacy patch of the previous output when the new one has none: its script added a `spec.tls`
 * entry to Run:ai's own Ingress, which stays there (read from the script's `ingress=`,
 * `namespace=` and `host=` lines, as `LegacyIngressPatch` writes them).
 */
function droppedPatch(
  cluster: string,
  dir: string,
  files: readonly { readonly path: string; readonly content: string }[],
  buffer: Buffer,
  fs: typeof nodeFs,
): RemovedObject[] {
  if (files.some((f) => f.path.startsWith(`${PATCHES_DIR}/`))) return [];
  let scripts: string[];
  try {
    scripts = fs.readdirSync(path.join(dir, PATCHES_DIR)).filter((f) => /^apply-.*-tls\.sh$/.test(f));
  } catch {
    return [];
  }
  return scripts.flatMap((script) => {
    const text = readHead(path.join(dir, PATCHES_DIR, script), buffer, fs) ?? '';
    const [ingress, namespace, host] = ['ingress', 'namespace', 'host'].map((v) => new RegExp(`^${v}='([^']+)'$`, 'm').exec(text)?.[1]);
    if (!ingress || !namespace || !host) return [];
    // The patch's entry reads the wildcard Secret in the patched Ingress's namespace: the new output may read the same one.
    const sameSecret = usedNow(files, namespace, STAR_TLS_SECRET_NAME);
    return [{ cluster, file: `${PATCHES_DIR}/`, object: deletable('Ingress', namespace, ingress), patchedHost: host, sameSecret }];
  });
}

/** True when one of `files` is Secret `namespace/name` or an object that writes it. */
function makesSecret(files: readonly { readonly content: string }[], namespace: string | undefined, name: string): boolean {
  return files.some((f) => {
    const o = objectOf(f.content);
    return o?.namespace === namespace && ((o?.kind === 'Secret' && o.name === name) || o?.writes === name);
  });
}

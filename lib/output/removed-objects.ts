/**
 * The objects a kept cluster folder of the previous output no longer holds, which stay in the
 * cluster until deleted (unless a GitOps tool with pruning applies the folder): routing objects,
 * TLS sources, Secrets nothing reads, the legacy patch and the RunaiConfig overlay; and the
 * Ingresses it still holds with another class, and a change of the class it tells Run:ai. The
 * summary names them (cli/removal-report.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { isPatchScript, readPatchScript } from '../constructs/legacy-ingress-patch';
import { CA_SECRET_NAME, deletable, INFERENCE_TLS_SECRET_NAME, STAR_TLS_SECRET_NAME } from '../model/names';
import { PATCHES_DIR } from '../model/output-layout';
import { entriesOf, Entry } from './entry-names';
import {
  configOfFolder,
  NewClusterFiles,
  NewFile,
  objectOf,
  PreviousObject,
  readHead,
  writtenByOtherConfig,
  writtenByUs,
} from './previous-files';
import { toldClassChange } from './told-class';

/** Why an object a kept folder no longer holds is named, with what its advice needs. */
export type RemovedBecause =
  /** A SealedSecret, ExternalSecret or Certificate: deleting it may delete Secret `writes` (`namespace/name`), which the new source uses. */
  | { readonly because: 'source'; readonly writes: string; readonly madeAgain: boolean; readonly takeOver?: string }
  /** A SealedSecret, ExternalSecret or Certificate whose Secret `writes` nothing written now makes or reads. */
  | { readonly because: 'unread-source'; readonly writes: string }
  /** A plaintext Secret that a SealedSecret now makes. */
  | { readonly because: 'sealed-now'; readonly takeOver: string }
  /** The private CA's Secret, after `privateCa` went: Run:ai reads it while `customCA` is on. */
  | { readonly because: 'private-ca' }
  /** The RunaiConfig overlay: the operator's own object, whose fields stay; never to delete. */
  | { readonly because: 'overlay' }
  /** A wildcard or inference Secret nothing written now makes or reads. */
  | { readonly because: 'unread' }
  /**
   * The legacy patch (`file` is its folder, the object the Ingress it patched): the `spec.tls`
   * entry for `patchedHost` its script added stays in that Ingress; `sameSecret` when the new
   * output reads the Secret that entry reads.
   */
  | { readonly because: 'legacy-patch'; readonly patchedHost: string; readonly sameSecret: boolean }
  /**
   * What routes traffic: an Ingress (with its class: `null` for none), Service, Gateway, route,
   * grant or Namespace; and a Certificate without a `secretName`, which writes nothing.
   */
  | { readonly because: 'routing'; readonly ingressClassName?: string | null };

/** An object a kept cluster folder held and no longer does. */
export type RemovedObject = {
  /** The cluster folder. */
  readonly cluster: string;
  /** The file, in the cluster folder. */
  readonly file: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** As `kubectl delete` takes it: `ingress -n runai runai-cluster-domain-star-ingress-haproxy`. */
  readonly object: string;
} & RemovedBecause;

/** A kept cluster folder another config wrote (its header names `writtenFrom`, a config still there). */
export interface OtherConfigFolder {
  readonly cluster: string;
  readonly writtenFrom: string;
}

/**
 * An Ingress a kept cluster folder still holds, with another class than it had (`null`: none); or,
 * `told`, a file that tells Run:ai another class (the overlay, the Helm values; `null`: none, its default).
 */
export interface ReclassedIngress {
  readonly cluster: string;
  readonly file: string;
  readonly classBefore: string | null;
  readonly classNow: string | null;
  readonly told?: boolean;
}

/**
 * The kinds named when their file goes: what routes traffic, where a stale copy serves a host
 * twice (and the namespace the https redirect's route lives in), and what makes a TLS Secret
 * (SealedSecret, ExternalSecret, Certificate), whose stale copy would go on writing it. A
 * plaintext Secret is named when a SealedSecret now makes it, or when nothing written makes or
 * reads it any more.
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
// The names objectFileName gives: a file of another name (a hand-made one, whose name may hold an escape) is not read.
const NAMED_FILE = new RegExp(`^\\d\\d-(${[...NAMED_KINDS, 'Secret'].map((k) => k.toLowerCase()).join('|')})-[a-z0-9.-]+\\.yaml$`);

/** The annotation that lets the Sealed Secrets controller manage a Secret it did not create. */
const SEALED_SECRETS_MANAGED = 'sealedsecrets.bitnami.com/managed';

/**
 * The plaintext Secrets named when nothing reads them any more: the wildcard's and inference's,
 * which only objects of this tool read.
 */
const UNREAD_NAMED = new Set([STAR_TLS_SECRET_NAME, INFERENCE_TLS_SECRET_NAME]);

/**
 * The objects of `outDir`'s cluster folders (those this config wrote) that the new output of the
 * same cluster no longer holds, and the Ingresses it holds with another class. Compared as objects
 * (kind, namespace, name), not file names: a file renamed to part two names is the same object,
 * and a file of the same name may now hold an object in another namespace. In folder and file
 * order; none when there is no previous output of ours. With them, the entries of each cluster
 * folder it read (`listed`), and the folders it left alone as another config's (`otherConfigs`).
 */
export function removedObjects(
  outDir: string,
  clusters: readonly NewClusterFiles[],
  ownConfig: string | undefined,
): { removed: RemovedObject[]; reclassed: ReclassedIngress[]; listed: Map<string, Entry[]>; otherConfigs: OtherConfigFolder[] } {
  const removed: RemovedObject[] = [];
  const reclassed: ReclassedIngress[] = [];
  const otherConfigs: OtherConfigFolder[] = [];
  // The entries of each cluster folder read, by its name: output/foreign-files.ts reads them too.
  const listed = new Map<string, Entry[]>();
  if (!writtenByUs(outDir)) return { removed, reclassed, listed, otherConfigs };
  const buffer = Buffer.alloc(OBJECT_BYTES);
  for (const c of clusters) {
    const dir = path.join(outDir, c.name);
    let entries: Entry[];
    try {
      entries = entriesOf(dir);
    } catch {
      continue;
    }
    listed.set(c.name, entries);
    // Another config's folder of the same name is that config's to name: only the folder is.
    const writtenFrom = configOfFolder(dir, ownConfig, entries);
    if (writtenFrom !== undefined && writtenByOtherConfig(writtenFrom, ownConfig)) {
      otherConfigs.push({ cluster: c.name, writtenFrom });
      continue;
    }
    const now = new NewObjects(c.files);
    // Each file read once: the overlay is read for the class it tells Run:ai and as an object.
    const heads = new Map<string, string | undefined>();
    const head = (file: string) => {
      if (!heads.has(file)) heads.set(file, readHead(path.join(dir, file), buffer));
      return heads.get(file);
    };
    const told = toldClassChange(entries, c.files, ownConfig, head, dir);
    if (told)
      for (const file of told.files)
        reclassed.push({ cluster: c.name, file, classBefore: told.classBefore, classNow: told.classNow, told: true });
    // The patched entry first: it reads the Secret a line below may name, and goes before it.
    if (entries.some((e) => e.dirent.isDirectory() && e.shown === PATCHES_DIR)) removed.push(...droppedPatch(c.name, dir, now, buffer));
    const contents = new Map(c.files.map((f) => [f.path, f.content]));
    const files = entries
      .filter((e) => e.dirent.isFile() && NAMED_FILE.test(e.shown))
      .map((e) => e.shown)
      .sort();
    for (const file of files) {
      const text = head(file);
      // The same bytes are the same object: only a file that changed is read as YAML.
      const before = text === undefined || text === contents.get(file) ? undefined : objectOf(text);
      if (before === undefined) continue;
      if (now.ids.has(before.id)) {
        const classNow = now.objectWithId(before.id)?.ingressClassName;
        if (before.ingressClassName !== undefined && classNow !== undefined && classNow !== before.ingressClassName) {
          reclassed.push({ cluster: c.name, file, classBefore: before.ingressClassName, classNow });
        }
        continue;
      }
      const because = removedBecause(before, now);
      if (because)
        removed.push({
          cluster: c.name,
          file,
          kind: before.kind,
          namespace: before.namespace,
          name: before.name,
          object: before.id,
          ...because,
        });
    }
  }
  return { removed, reclassed, listed, otherConfigs };
}

/** Why object `before`, which the new output (`now`) no longer holds, is named; `undefined` when it is not. */
function removedBecause(before: PreviousObject, now: NewObjects): RemovedBecause | undefined {
  const { kind, namespace, name, writes } = before;
  if (kind !== 'Secret' && !NAMED_KINDS.has(kind)) return undefined;
  if (kind === 'RunaiConfig') return { because: 'overlay' };
  const secret = writes ?? (kind === 'Secret' ? name : undefined);
  const takeOver =
    secret !== undefined && now.ids.has(deletable('SealedSecret', namespace, secret))
      ? `kubectl annotate ${deletable('Secret', namespace, secret)} ${SEALED_SECRETS_MANAGED}=true`
      : undefined;
  if (kind === 'Secret') {
    if (takeOver) return { because: 'sealed-now', takeOver };
    // Named when nothing written now makes or reads it: the private CA's (Run:ai reads it while customCA is on, which
    // a Helm line turns off), and a wildcard or inference Secret (moved to another namespace, or no longer needed).
    // Not the cluster URL's (Run:ai's own Ingress reads it) nor other Secrets.
    if (now.usesSecret(namespace, name)) return undefined;
    if (name === CA_SECRET_NAME) return { because: 'private-ca' };
    return UNREAD_NAMED.has(name) ? { because: 'unread' } : undefined;
  }
  if (writes !== undefined) {
    // The Secret it writes moved (a Gateway in another namespace) or is needed no more (routing: path): not to keep.
    if (!now.usesSecret(namespace, writes) && !now.makesSecret(namespace, writes))
      return { because: 'unread-source', writes: `${namespace}/${writes}` };
    return {
      because: 'source',
      writes: `${namespace}/${writes}`,
      madeAgain: now.makesSecret(namespace, writes),
      ...(takeOver ? { takeOver } : {}),
    };
  }
  return { because: 'routing', ...(before.ingressClassName === undefined ? {} : { ingressClassName: before.ingressClassName }) };
}

/**
 * The legacy patch of the previous output when the new one has none: its script added a `spec.tls`
 * entry to Run:ai's own Ingress, which stays there.
 */
function droppedPatch(cluster: string, dir: string, now: NewObjects, buffer: Buffer): RemovedObject[] {
  if (now.files.some((f) => f.path.startsWith(`${PATCHES_DIR}/`))) return [];
  let scripts: string[];
  try {
    scripts = fs.readdirSync(path.join(dir, PATCHES_DIR));
  } catch {
    return [];
  }
  return scripts.filter(isPatchScript).flatMap((script) => {
    const patched = readPatchScript(readHead(path.join(dir, PATCHES_DIR, script), buffer) ?? '');
    if (!patched) return [];
    const { ingress, namespace, host } = patched;
    return [
      {
        cluster,
        file: `${PATCHES_DIR}/`,
        kind: 'Ingress',
        namespace,
        name: ingress,
        object: deletable('Ingress', namespace, ingress),
        because: 'legacy-patch' as const,
        patchedHost: host,
        // The patch's entry reads the wildcard Secret in the patched Ingress's namespace: the new output may read the same one.
        sameSecret: now.usesSecret(namespace, STAR_TLS_SECRET_NAME),
      },
    ];
  });
}

/** A cluster's new files, each object read at most once, when first asked about. */
class NewObjects {
  /** The objects the new files hold, as `kubectl delete` takes them. */
  public readonly ids: ReadonlySet<string>;
  private readonly read = new Map<NewFile, PreviousObject | undefined>();

  constructor(public readonly files: readonly NewFile[]) {
    this.ids = new Set(files.flatMap((f) => (f.object ? [f.object] : [])));
  }

  /** The object of the new file that holds `id`. */
  public objectWithId(id: string): PreviousObject | undefined {
    const file = this.files.find((f) => f.object === id);
    return file && this.objectOf(file);
  }

  /**
   * True when a new file names Secret `namespace/name`: an object in that namespace that makes or
   * reads it (an Ingress's tls), one that names the namespace too (a Gateway's certificateRefs),
   * or the legacy patch, whose entry reads it from the patched Ingress's namespace.
   */
  public usesSecret(namespace: string | undefined, name: string): boolean {
    return this.files.some(
      (f) =>
        f.content.includes(name) &&
        (f.path.startsWith(`${PATCHES_DIR}/`) ||
          this.objectOf(f)?.namespace === namespace ||
          f.content.includes(`namespace: ${namespace}\n`)),
    );
  }

  /** True when a new file is Secret `namespace/name` or an object that writes it. */
  public makesSecret(namespace: string | undefined, name: string): boolean {
    return this.files.some((f) => {
      const o = this.objectOf(f);
      return o !== undefined && o.namespace === namespace && ((o.kind === 'Secret' && o.name === name) || o.writes === name);
    });
  }

  private objectOf(file: NewFile): PreviousObject | undefined {
    if (!this.read.has(file)) this.read.set(file, objectOf(file.content));
    return this.read.get(file);
  }
}

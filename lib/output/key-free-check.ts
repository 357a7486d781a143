/**
 * `check` in a clone without private keys. Two things are missing there on purpose: the files
 * the generated `.gitignore` keeps out of git (plaintext-key Secrets) and the key files the
 * config names (never committed). Everything else is compared byte for byte as usual; the
 * certificate half of each keyed object is verified through `certificates.sha256`, which is
 * computed from the certificate files and compared like any other file; and the objects
 * rendered with a stand-in key are compared without their key half. What could not be
 * verified is returned as one line each, for the user.
 */
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

import { parse } from 'yaml';

import { MAX_INPUT_BYTES, readBounded } from '../config/bounded-read';
import { ClusterSpec, MissingKey } from '../config/spec';
import { shownPath } from '../model/errors';
import { SEALED_AS_ANNOTATION, SEALED_CERTIFICATE_ANNOTATION, SEALED_FOR_ANNOTATION, SEALED_FROM_ANNOTATION } from '../model/names';
import { CERTIFICATE_DIGESTS_FILE } from '../model/output-layout';
import { readKey } from '../tls/key-file';
import { CERTIFICATE_DIGEST, ciphertextDigest, ciphertextsOnlyDigest, sealingShape } from '../tls/sealing';
import { keyedSecrets } from './certificate-digests';
import { FolderOutput } from './delivery-output';
import { comparedModes, Drift, findDrift, sameMode } from './drift';
import { crlfNotFromCheckout } from './git-line-ends';
import { ClusterOutput, compare } from './render';

/** What `check` found, and what it could not verify. */
export interface KeyFreeCheck {
  readonly drift: Drift[];
  /** One line per thing that could not be verified, saying why. */
  readonly unverified: string[];
  /** The files compared without their key half (made from a missing key), by their paths under the folder. */
  readonly withoutKey: ReadonlySet<string>;
}

/** What {@link checkWithoutKeys} compares: the config's clusters and what was rendered from them. */
export interface KeyFreeCheckInput {
  /** The clusters of the config, and the key files that were missing when it was read. */
  readonly loaded: { readonly clusters: readonly ClusterSpec[]; readonly missingKeys: readonly MissingKey[] };
  /** Their folders, synthesized with a stand-in for every missing key, in the config's order, and the delivery folder. */
  readonly rendered: { readonly clusters: readonly ClusterOutput[]; readonly delivery?: FolderOutput };
  /** A git-ignored file that is absent is drift, as any other (`check --require-keys`). */
  readonly requireKeys?: boolean;
}

/** Compares what was rendered with `outDir`, accepting what a clone without the private keys cannot have. */
export function checkWithoutKeys(outDir: string, { loaded, rendered, requireKeys = false }: KeyFreeCheckInput): KeyFreeCheck {
  const { clusters: specs, missingKeys } = loaded;
  const clusters = rendered.clusters;
  const others = rendered.delivery ? [rendered.delivery] : [];
  const unverified: string[] = [];
  const standIn = new Map<string, 'Secret' | 'SealedSecret'>();
  /** The files made from each missing key (`<cluster>/<keyFile as given>`), and those whose committed key was checked. */
  const madeFrom = new Map<string, string[]>();
  const keyChecked = new Set<string>();
  const ignored = new Set<string>();
  specs.forEach((spec, i) => {
    for (const k of keyedSecrets(spec, clusters[i].files)) {
      if (k.tls.keyMissing === undefined) continue;
      const rel = `${spec.name}/${k.file}`;
      standIn.set(rel, k.tls.source === 'files' ? 'Secret' : 'SealedSecret');
      const key = `${spec.name}/${k.tls.keyMissing}`;
      madeFrom.set(key, [...(madeFrom.get(key) ?? []), rel]);
    }
    for (const f of clusters[i].files) if (f.gitIgnored) ignored.add(`${spec.name}/${f.path}`);
  });
  const drift: Drift[] = [];
  const all = [...clusters, ...others];
  /** The files that hold what is wanted with CRLF line ends (those compared without their key too), which git is asked about once. */
  const crlf: { path: string; content: string }[] = [];
  const found = findDrift(outDir, all, { modes: 'git', lineEnds: crlf });
  const missing = new Set(found.filter((d) => d.kind === 'missing').map((d) => d.path));
  for (const d of found) {
    const full = path.join(outDir, ...d.path.split('/'));
    const cluster = d.path.split('/')[0];
    const digests = path.join(outDir, cluster, CERTIFICATE_DIGESTS_FILE);
    // Absent only because git keeps it out and its key is missing too (a clone): nothing to compare it
    // with. With the key here, synth would write it, so it is drift like any missing file.
    if (d.kind === 'missing' && ignored.has(d.path) && standIn.has(d.path) && !requireKeys) {
      const through = missing.has(`${cluster}/${CERTIFICATE_DIGESTS_FILE}`)
        ? `would be checked through ${shownPath(digests)}, which is missing too`
        : `is checked through ${shownPath(digests)}`;
      unverified.push(`not verified: ${shownPath(full)} is not here (its .gitignore keeps it out of git); its certificate ${through}`);
    } else if (d.kind === 'changed' && standIn.has(d.path)) {
      const want = all.flatMap((c) => c.files.map((f) => ({ rel: `${c.name}/${f.path}`, f }))).find((x) => x.rel === d.path)!.f;
      // Read as check reads every file: a regular file only, bounded; anything else is drift.
      let actual: string;
      try {
        actual = readBounded(full, MAX_INPUT_BYTES).toString('utf8');
      } catch {
        drift.push(d);
        continue;
      }
      const kind = standIn.get(d.path)!;
      if (!sameWithoutKey(actual, want.content, kind)) {
        drift.push(d);
        const note = kind === 'SealedSecret' ? sealingNote(full, actual, want.content, 'where the private key is') : undefined;
        if (note) unverified.push(note);
      }
      // A committed plaintext key (commitPlaintextKey) is here though its file is not: it must be the certificate's.
      else if (kind === 'Secret' && !committedKeyMatches(actual)) drift.push(d);
      else {
        // Compared as YAML, CRLF line ends read the same: as in drift.ts, they are only where git's checkout made them.
        if (actual.includes('\r\n')) crlf.push({ path: d.path, content: actual.replace(/\r\n/g, '\n') });
        if (kind === 'Secret') keyChecked.add(d.path);
        if (!sameMode(fs.lstatSync(full).mode & 0o7777, want, comparedModes('git'))) {
          drift.push({ path: d.path, kind: 'mode' });
        }
      }
    } else {
      drift.push(d);
      // With the key here too, an earlier SealedSecret is drift: say why (synth seals it again).
      const want = d.kind === 'changed' ? all.flatMap((c) => c.files.filter((f) => `${c.name}/${f.path}` === d.path))[0] : undefined;
      if (want && /^kind: SealedSecret$/m.test(want.content)) {
        let actual: string | undefined;
        try {
          actual = readBounded(full, MAX_INPUT_BYTES).toString('utf8');
        } catch {
          actual = undefined;
        }
        const note = actual === undefined ? undefined : sealingNote(full, actual, want.content, 'here');
        if (note) unverified.push(note);
      }
    }
  }
  const lineEnds = crlfNotFromCheckout(outDir, crlf);
  if (lineEnds.unverified) unverified.push(lineEnds.unverified);
  const rewritten = new Set(lineEnds.rewritten);
  const sorted = [
    ...drift.filter((d) => !rewritten.has(d.path)),
    ...lineEnds.rewritten.map((rel) => ({ path: rel, kind: 'changed' as const, because: 'line-ends' as const })),
  ].sort((a, b) => compare(a.path, b.path));
  const notes = missingKeys.map((m) => {
    const where = `the private key ${shownPath(m.given)} (${m.path} of ${shownPath(m.source)}) is missing`;
    const files = madeFrom.get(`${m.cluster}/${m.given}`) ?? [];
    if (files.length === 0 || !files.every((f) => keyChecked.has(f))) {
      return `not verified: ${where}; the objects made from it are checked without their key half`;
    }
    const one = files.length === 1;
    return (
      `${where}; ${files.map((f) => shownPath(path.join(outDir, ...f.split('/')))).join(', ')} ` +
      `${one ? 'holds a key that matches its' : 'hold keys that match their'} certificate (the key file itself is not compared)`
    );
  });
  return { drift: sorted, unverified: [...notes, ...unverified], withoutKey: new Set(standIn.keys()) };
}

/**
 * True when a committed Secret's `tls.key` is a key file synth would take (read as kubectl reads
 * one, refused where synth refuses a key file: two keys, a byte-order mark, encrypted, …) and a
 * private key of its own `tls.crt` (the first certificate).
 */
function committedKeyMatches(secretYaml: string): boolean {
  try {
    const data = (parse(secretYaml, { maxAliasCount: 0, logLevel: 'error' }) as { data?: Record<string, string> }).data ?? {};
    const cert = new X509Certificate(Buffer.from(data['tls.crt'] ?? '', 'base64'));
    const key = readKey(Buffer.from(data['tls.key'] ?? '', 'base64'), []);
    return key !== undefined && cert.checkPrivateKey(key.key);
  } catch {
    return false;
  }
}

/** True when the two files hold the same object apart from what the key determines. */
function sameWithoutKey(actual: string, expected: string, kind: 'Secret' | 'SealedSecret'): boolean {
  // Line ends as check compares them (drift.ts): CRLF for LF, as a clone with core.autocrlf true has them.
  const header = (text: string) => text.split(/\r?\n/).filter((l) => l.startsWith('#'));
  if (!isDeepStrictEqual(header(actual), header(expected))) return false;
  let doc: unknown;
  try {
    // logLevel 'error': the library's warnings would print a line quoting the file, which may hold a key.
    doc = parse(actual, { maxAliasCount: 0, logLevel: 'error' });
  } catch {
    return false;
  }
  const want = parse(expected, { logLevel: 'error' });
  return (
    isDeepStrictEqual(withoutKey(doc, kind), withoutKey(want, kind)) &&
    (kind === 'Secret' || (sealedFormFits(doc, want) && sealedAsItWas(doc)))
  );
}

/**
 * Without the key, a SealedSecret's ciphertext cannot be made again, but its form can be checked
 * against the one rendered here for the same controller: the same RSA block length prefix, a
 * tls.crt exactly as long (the certificate is here), and a tls.key long enough to hold a key. A
 * hand-edited value (`tls.key: AAAA`) is drift.
 */
function sealedFormFits(actual: unknown, expected: unknown): boolean {
  const data = (doc: unknown) =>
    ((doc as { spec?: { encryptedData?: unknown } } | null)?.spec?.encryptedData ?? {}) as Record<string, unknown>;
  const [have, want] = [data(actual), data(expected)];
  if (!isDeepStrictEqual(Object.keys(have).sort(), Object.keys(want).sort())) return false;
  return Object.keys(want).every((k) => {
    const [h, w] = [have[k], want[k]].map((v) => (typeof v === 'string' ? sealingShape(v) : undefined));
    if (!h || !w || h.rsaBytes !== w.rsaBytes) return false;
    return k === 'tls.crt' ? h.plaintextBytes === w.plaintextBytes : h.plaintextBytes >= SHORTEST_PEM_KEY_BYTES;
  });
}

/**
 * The fewest bytes a PEM private key has: an Ed25519 key in PKCS#8, 28 for its BEGIN line, 65 for
 * the 48-byte DER in base64 and a line end, 25 for the END line without one (a sealed value of
 * fewer bytes is no key the controller could write into a Secret that a TLS server takes).
 */
const SHORTEST_PEM_KEY_BYTES = 118;

/**
 * Why a SealedSecret is drift when the reason is its sealing, and who mends it (`where` the synth
 * runs: `here`, or `where the private key is`): sealed for another controller certificate than the
 * config's (`expected` is the file rendered now), or written by an earlier runai-access; `undefined`
 * when it is neither.
 */
function sealingNote(full: string, actual: string, expected: string, where: string): string | undefined {
  const [was, now] = [actual, expected].map(sealedFor);
  if (was !== undefined && now !== undefined && was !== now) {
    // The committed file's value is shown only when it is a fingerprint: it could hold anything, key text or escapes.
    return FINGERPRINT.test(was)
      ? `${shownPath(full)} was sealed for controller certificate ${was} (${SEALED_FOR_ANNOTATION}), not the config's ${now}: ` +
          `run synth once ${where}, which seals it again for the present one`
      : `${shownPath(full)} has a ${SEALED_FOR_ANNOTATION} that is no certificate fingerprint, where the config's controller ` +
          `certificate is ${now}: run synth once ${where}, which writes it again`;
  }
  const [sealedCert, certNow] = [actual, expected].map((text) => annotation(text, SEALED_CERTIFICATE_ANNOTATION));
  if (sealedCert !== undefined && certNow !== undefined && sealedCert !== certNow) {
    // Shown only when it is a digest: the committed file's value could hold anything.
    return CERTIFICATE_DIGEST.test(sealedCert)
      ? `${shownPath(full)} seals certificate ${sealedCert} (${SEALED_CERTIFICATE_ANNOTATION}), not certFile's ${certNow}: ` +
          `run synth once ${where}, which seals it again`
      : `${shownPath(full)} has a ${SEALED_CERTIFICATE_ANNOTATION} that is no certificate digest, where certFile's is ${certNow}: ` +
          `run synth once ${where}, which seals it again`;
  }
  const earlier = earlierSealedAs(actual);
  return earlier
    ? `${shownPath(full)} has ${earlier.has} (an earlier runai-access wrote it): run synth once ${where}, which ${earlier.mend}`
    : undefined;
}

/** A controller certificate's fingerprint as the sealed-for annotation holds it (`X509Certificate.fingerprint256`). */
const FINGERPRINT = /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/;

/** The controller certificate fingerprint a SealedSecret's sealed-for annotation names, if it is text. */
function sealedFor(text: string): string | undefined {
  return annotation(text, SEALED_FOR_ANNOTATION);
}

/** A SealedSecret's annotation `name`, if it is text. */
function annotation(text: string, name: string): string | undefined {
  try {
    const doc = parse(text, { maxAliasCount: 0, logLevel: 'error' }) as { metadata?: { annotations?: Record<string, unknown> } } | null;
    const value = doc?.metadata?.annotations?.[name];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How an earlier runai-access's SealedSecret differs in its annotations, and what synth does about
 * it: no sealed-as digest, or the digest of its ciphertexts alone (before it covered the object's
 * namespace, name and sealed-from), sealed again; no sealed-for, added. `undefined` when it is none of these.
 */
function earlierSealedAs(text: string): { has: string; mend: string } | undefined {
  let doc: { metadata?: { annotations?: Record<string, unknown> }; spec?: { encryptedData?: unknown } } | null;
  try {
    doc = parse(text, { maxAliasCount: 0, logLevel: 'error' });
  } catch {
    return undefined;
  }
  const resealed = 'seals it again with the present one';
  const sealedAs = doc?.metadata?.annotations?.[SEALED_AS_ANNOTATION];
  if (sealedAs === undefined) return { has: `no ${SEALED_AS_ANNOTATION} annotation`, mend: resealed };
  const data = doc?.spec?.encryptedData;
  if (!data || typeof data !== 'object' || Object.values(data).some((v) => typeof v !== 'string')) return undefined;
  if (sealedAs === ciphertextsOnlyDigest(data as Record<string, string>)) {
    return { has: `a ${SEALED_AS_ANNOTATION} digest of its ciphertexts alone, not of the object they were sealed for`, mend: resealed };
  }
  if (doc?.metadata?.annotations?.[SEALED_FOR_ANNOTATION] === undefined) {
    return { has: `no ${SEALED_FOR_ANNOTATION} annotation, which names the controller certificate it was sealed for`, mend: 'adds it' };
  }
  if (doc?.metadata?.annotations?.[SEALED_CERTIFICATE_ANNOTATION] === undefined) {
    return { has: `no ${SEALED_CERTIFICATE_ANNOTATION} annotation, which names the certificate it seals`, mend: 'adds it' };
  }
  return undefined;
}

/**
 * True when a SealedSecret's ciphertexts are those it was sealed as, for this object (its
 * sealed-as annotation): none changed since, none moved in from another file.
 */
function sealedAsItWas(doc: unknown): boolean {
  const d = doc as {
    metadata?: { namespace?: unknown; name?: unknown; annotations?: Record<string, unknown> };
    spec?: { encryptedData?: unknown };
  } | null;
  const { namespace, name, annotations } = d?.metadata ?? {};
  const sealedFrom = annotations?.[SEALED_FROM_ANNOTATION];
  const data = d?.spec?.encryptedData;
  if (typeof namespace !== 'string' || typeof name !== 'string' || typeof sealedFrom !== 'string') return false;
  if (!data || typeof data !== 'object' || Object.values(data).some((v) => typeof v !== 'string')) return false;
  return annotations?.[SEALED_AS_ANNOTATION] === ciphertextDigest({ namespace, name, sealedFrom }, data as Record<string, string>);
}

function withoutKey(doc: unknown, kind: 'Secret' | 'SealedSecret'): unknown {
  if (!doc || typeof doc !== 'object') return doc;
  const copy = structuredClone(doc) as {
    data?: Record<string, unknown>;
    metadata?: { annotations?: Record<string, unknown> };
    spec?: { encryptedData?: unknown };
  };
  if (kind === 'Secret') delete copy.data?.['tls.key'];
  else {
    delete copy.spec?.encryptedData;
    delete copy.metadata?.annotations?.[SEALED_FROM_ANNOTATION];
    delete copy.metadata?.annotations?.[SEALED_AS_ANNOTATION];
  }
  return copy;
}

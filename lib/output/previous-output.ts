/**
 * Reads what a stable output needs from the previous one: the SealedSecrets' ciphertexts and
 * the fingerprints they were sealed from. Sealing is randomized, so without this every synth
 * would rewrite every SealedSecret and `check` would always report drift. Anything unreadable
 * (missing, not a regular file, over 1 MiB, not YAML) is ignored: the secret is then sealed afresh.
 */
import * as path from 'node:path';

import { parse } from 'yaml';

import { MAX_INPUT_BYTES, readBounded } from '../config/bounded-read';
import { PreviousSealing } from '../constructs/gitops-tls';
import { objectFileName, SEALED_FROM_ANNOTATION, STAR_TLS_SECRET_NAME } from '../model/names';

/** The file a SealedSecret of that name is written to. */
export function sealedSecretFile(secretName: string = STAR_TLS_SECRET_NAME): string {
  return objectFileName('SealedSecret', secretName);
}

/** The previous sealing of each `{cluster, secret}` found under `outDir`, keyed `<cluster>/<secret>`. */
export function readPreviousSealings(outDir: string, sealed: readonly { cluster: string; secret: string }[]): Map<string, PreviousSealing> {
  const found = new Map<string, PreviousSealing>();
  for (const { cluster, secret } of sealed) {
    let doc: unknown;
    try {
      const file = path.join(outDir, cluster, sealedSecretFile(secret));
      doc = parse(readBounded(file, MAX_INPUT_BYTES).toString('utf8'), { maxAliasCount: 0, logLevel: 'silent' });
    } catch {
      continue;
    }
    const d = doc as { metadata?: { annotations?: Record<string, unknown> }; spec?: { encryptedData?: Record<string, unknown> } } | null;
    const fingerprint = d?.metadata?.annotations?.[SEALED_FROM_ANNOTATION];
    const data = d?.spec?.encryptedData;
    if (typeof fingerprint !== 'string' || !data || typeof data !== 'object') continue;
    const encryptedData = Object.fromEntries(Object.entries(data).filter((e): e is [string, string] => typeof e[1] === 'string'));
    found.set(`${cluster}/${secret}`, { fingerprint, encryptedData });
  }
  return found;
}

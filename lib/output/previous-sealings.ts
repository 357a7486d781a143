/**
 * Reads what a stable output needs from the previous one: the SealedSecrets' ciphertexts and
 * the fingerprints they were sealed from. Sealing is randomized, so without this every synth
 * would rewrite every SealedSecret and `check` would always report drift. Anything unreadable
 * (missing, not a regular file, over 1 MiB, not YAML) is ignored: the secret is then sealed afresh.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parse } from 'yaml';

import { MAX_INPUT_BYTES, readBounded } from '../config/bounded-read';
import { PreviousSealing } from '../constructs/gitops-tls';
import { SEALED_AS_ANNOTATION, SEALED_FROM_ANNOTATION, STAR_TLS_SECRET_NAME } from '../model/names';
import { objectFileName } from '../model/output-layout';

/** The file a SealedSecret of that name is written to (one of that name in another namespace too has `-<namespace>`). */
export function sealedSecretFile(secretName: string = STAR_TLS_SECRET_NAME): string {
  return objectFileName('SealedSecret', secretName);
}

/** The key of a Secret's sealings in what {@link readPreviousSealings} returns. */
export function sealingKey(cluster: string, secret: string): string {
  return `${cluster}/${secret}`;
}

/**
 * The previous sealings of each `{cluster, secret}` found under `outDir`, keyed by
 * {@link sealingKey}: one per namespace the Secret was sealed for (`00-sealedsecret-<name>.yaml`,
 * or `…-<name>-<namespace>.yaml` when it went to several). Only those files are read.
 */
export function readPreviousSealings(
  outDir: string,
  sealed: readonly { cluster: string; secret: string }[],
): Map<string, PreviousSealing[]> {
  const found = new Map<string, PreviousSealing[]>();
  for (const { cluster, secret } of sealed) {
    const dir = path.join(outDir, cluster);
    let entries: string[];
    try {
      entries = fs.readdirSync(dir);
    } catch {
      continue;
    }
    const stem = sealedSecretFile(secret).slice(0, -'.yaml'.length);
    const files = entries.filter((e) => e === `${stem}.yaml` || (e.startsWith(`${stem}-`) && /^[a-z0-9-]+\.yaml$/.test(e)));
    const sealings = files.flatMap((f) => {
      const previous = readSealing(path.join(dir, f));
      return previous && previous.name === secret ? [previous.sealing] : [];
    });
    if (sealings.length > 0) found.set(sealingKey(cluster, secret), sealings);
  }
  return found;
}

/** The name and sealing of a SealedSecret file, or `undefined` when it cannot be read as one. */
function readSealing(file: string): { name: unknown; sealing: PreviousSealing } | undefined {
  let doc: unknown;
  try {
    doc = parse(readBounded(file, MAX_INPUT_BYTES).toString('utf8'), { maxAliasCount: 0, logLevel: 'silent' });
  } catch {
    return undefined;
  }
  const d = doc as {
    metadata?: { name?: unknown; annotations?: Record<string, unknown> };
    spec?: { encryptedData?: Record<string, unknown> };
  } | null;
  const fingerprint = d?.metadata?.annotations?.[SEALED_FROM_ANNOTATION];
  const sealedAs = d?.metadata?.annotations?.[SEALED_AS_ANNOTATION];
  const data = d?.spec?.encryptedData;
  if (typeof fingerprint !== 'string' || !data || typeof data !== 'object') return undefined;
  const encryptedData = Object.fromEntries(Object.entries(data).filter((e): e is [string, string] => typeof e[1] === 'string'));
  return { name: d?.metadata?.name, sealing: { fingerprint, encryptedData, ...(typeof sealedAs === 'string' ? { sealedAs } : {}) } };
}

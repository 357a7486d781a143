/**
 * Key text pasted into the config. No field takes PEM (certificates and keys are files), so a
 * PEM boundary line in any key or value is refused, at its field and never quoted; so is a
 * private key's whole base64 body without its PEM lines (what `grep -v -- -----` leaves), found by
 * OpenSSL reading it as a key. A bare line of base64 is not: in an annotation it cannot be told
 * from a digest, a token or a fingerprint, and annotation values are the admin's own data,
 * written as given (the fields that name a key in a secret store refuse one: tls-schema.ts).
 */
import { createPrivateKey } from 'node:crypto';

import { formatPath, holdsPemBoundary, Problem } from '../model/errors';

type Path = (string | number)[];

/** One problem for each key or value of the config that holds a PEM boundary line. */
export function keyTextProblems(raw: unknown, source: string): Problem[] {
  const problems: Problem[] = [];
  const check = (text: string, path: Path) => {
    if (holdsPemBoundary(text))
      problems.push({
        source,
        path: formatPath(path),
        message:
          'holds PEM text; no field takes a certificate or key itself: name its file in certFile, keyFile, caFile or controllerCertFile',
      });
    else if (holdsKeyBody(text))
      problems.push({
        source,
        path: formatPath(path),
        message: "holds a private key's base64 body; no field takes a key itself: name its PEM file in keyFile",
      });
  };
  const walk = (value: unknown, path: Path) => {
    if (typeof value === 'string') check(value, path);
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        check(k, [...path, k]);
        walk(v, [...path, k]);
      }
    }
  };
  walk(raw, []);
  return problems;
}

/** The fewest bytes a private key's DER takes: an Ed25519 key in PKCS#8, 48 bytes (64 base64 characters). */
const SHORTEST_KEY_DER = 48;
/** Base64 without its padding: a "=" ends one encoded body, and another may follow it (a certificate, then a key). */
const BASE64_BODY = /[A-Za-z0-9+/]+/g;
/** At most this many DER SEQUENCEs are read as keys in one value (a certificate's body holds some 30). */
const MAX_TRIES = 400;

/**
 * True when `text` holds a private key's DER in base64 (line breaks and blanks in it allowed), which
 * OpenSSL reads as a key: anywhere in it, also after a certificate's body (a combined PEM file
 * without its PEM lines). Each run of base64 is decoded at each of the four alignments a body may
 * start at, and each DER SEQUENCE in the bytes that fits is tried.
 */
export function holdsKeyBody(text: string): boolean {
  const joined = text.replace(/\s+/g, '');
  let tries = 0;
  for (const run of joined.match(BASE64_BODY) ?? []) {
    if (run.length < (SHORTEST_KEY_DER * 4) / 3) continue;
    for (let shift = 0; shift < 4; shift++) {
      const bytes = Buffer.from(run.slice(shift), 'base64');
      for (let at = bytes.indexOf(0x30); at >= 0 && at <= bytes.length - SHORTEST_KEY_DER; at = bytes.indexOf(0x30, at + 1)) {
        const length = derLength(bytes.subarray(at));
        if (length === undefined || length < SHORTEST_KEY_DER) continue;
        if (++tries > MAX_TRIES) return false;
        if (readsAsKey(bytes.subarray(at, at + length))) return true;
      }
    }
  }
  return false;
}

/** True when `key`, a DER SEQUENCE, is a private key in PKCS#8, PKCS#1 or SEC 1. */
function readsAsKey(key: Buffer): boolean {
  return (['pkcs8', 'pkcs1', 'sec1'] as const).some((type) => {
    try {
      createPrivateKey({ key, format: 'der', type });
      return true;
    } catch {
      return false;
    }
  });
}

/** The whole length of the DER SEQUENCE `der` begins with, when it fits in `der`. */
function derLength(der: Buffer): number | undefined {
  if (der.length < 2 || der[0] !== 0x30) return undefined;
  const first = der[1];
  if (first < 0x80) return 2 + first <= der.length ? 2 + first : undefined;
  const bytes = first & 0x7f;
  if (bytes === 0 || bytes > 3 || der.length < 2 + bytes) return undefined;
  let length = 0;
  for (let i = 0; i < bytes; i++) length = length * 256 + der[2 + i];
  const total = 2 + bytes + length;
  return total <= der.length ? total : undefined;
}

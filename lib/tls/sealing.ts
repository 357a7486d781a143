/**
 * Offline sealing for Bitnami Sealed Secrets, by the controller's own hybrid scheme
 * (pkg/crypto HybridEncrypt): a random 32-byte session key, RSA-OAEP with SHA-256 over it
 * whose label is the scope, AES-256-GCM with a zero nonce over the value (safe: each session
 * key is used once). Output: 2-byte big-endian RSA ciphertext length ‖ RSA ciphertext ‖ GCM
 * ciphertext and tag.
 */
import { constants, createCipheriv, createHash, KeyObject, publicEncrypt, randomBytes } from 'node:crypto';

import { SealingScope } from '../model/tls-sources';

/** The annotations the controller reads to pick the label, by scope. */
export const SCOPE_ANNOTATIONS: Readonly<Record<SealingScope, Readonly<Record<string, string>>>> = {
  strict: {},
  'namespace-wide': { 'sealedsecrets.bitnami.com/namespace-wide': 'true' },
  'cluster-wide': { 'sealedsecrets.bitnami.com/cluster-wide': 'true' },
};

const SESSION_KEY_BYTES = 32;
const GCM_NONCE = Buffer.alloc(12);
const GCM_TAG_BYTES = 16;

/** The RSA-OAEP label: `<namespace>/<name>`, `<namespace>`, or empty for cluster-wide. */
export function sealingLabel(scope: SealingScope, namespace: string, name: string): Buffer {
  return Buffer.from(scope === 'cluster-wide' ? '' : scope === 'namespace-wide' ? namespace : `${namespace}/${name}`);
}

/** Seals `plaintext` for the controller whose public key is `publicKey`. */
export function sealValue(publicKey: KeyObject, plaintext: Uint8Array, label: Buffer, random: (n: number) => Buffer = randomBytes): Buffer {
  const sessionKey = random(SESSION_KEY_BYTES);
  const rsa = publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label },
    sessionKey,
  );
  const cipher = createCipheriv('aes-256-gcm', sessionKey, GCM_NONCE);
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(rsa.length);
  return Buffer.concat([length, rsa, sealed]);
}

/**
 * True when `base64` could be {@link sealValue}'s sealing of a value `plaintextBytes` long for
 * this key: canonical base64, the length prefix of the key's RSA block, and exactly that many
 * bytes after it. Without the controller's private key nothing more can be known; this keeps a
 * hand-edited ciphertext (`tls.key: AAAA`) from being kept as if it were the previous sealing.
 */
export function fitsSealing(base64: string, publicKey: KeyObject, plaintextBytes: number): boolean {
  const rsaBytes = Math.ceil((publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  const shape = sealingShape(base64);
  return shape?.rsaBytes === rsaBytes && shape.plaintextBytes === plaintextBytes;
}

/**
 * The shape of a sealing in {@link sealValue}'s layout: the RSA block's length and the length of
 * the value sealed, or undefined when `base64` is not canonical base64 of at least that layout.
 */
export function sealingShape(base64: string): { rsaBytes: number; plaintextBytes: number } | undefined {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.toString('base64') !== base64 || bytes.length < 2) return undefined;
  const rsaBytes = bytes.readUInt16BE(0);
  const plaintextBytes = bytes.length - 2 - rsaBytes - GCM_TAG_BYTES;
  return plaintextBytes >= 0 ? { rsaBytes, plaintextBytes } : undefined;
}

/**
 * `sha256:<hex>` of a certificate chain (tls.crt): how `certificates.sha256` and a SealedSecret's
 * `runai-access/sealed-certificate` name the chain, so that `check` compares one with the other.
 */
export function certificateDigest(pem: Uint8Array): string {
  return `sha256:${createHash('sha256').update(pem).digest('hex')}`;
}

/** A value {@link certificateDigest} makes. */
export const CERTIFICATE_DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * A fingerprint of everything a sealed value depends on except randomness: the controller
 * key, the scope, the target and a digest of each value. Equal fingerprints mean the previous
 * ciphertext still seals the same data for the same controller, so it can be kept. It is a
 * SHA-256 over digests and holds no key material.
 */
export function sealingFingerprint(
  controllerFingerprint: string,
  scope: SealingScope,
  namespace: string,
  name: string,
  values: Readonly<Record<string, Uint8Array>>,
): string {
  const hash = createHash('sha256').update(`runai-access sealed-secret v1\n${controllerFingerprint}\n${scope}\n${namespace}/${name}\n`);
  for (const key of Object.keys(values).sort()) hash.update(`${key}=${createHash('sha256').update(values[key]).digest('hex')}\n`);
  return `sha256:${hash.digest('hex')}`;
}

/** What a SealedSecret's ciphertexts were sealed for: its namespace, name and `runai-access/sealed-from`. */
export interface SealedObject {
  readonly namespace: string;
  readonly name: string;
  readonly sealedFrom: string;
}

/**
 * The SHA-256 of a SealedSecret's namespace, name, `runai-access/sealed-from` and `encryptedData`
 * (each key and value, in key order): what the `runai-access/sealed-as` annotation holds, so
 * `check` sees a ciphertext changed after sealing, and ciphertexts (with their digest) moved in
 * from another SealedSecret file, which the controller cannot open there. Ciphertext digests hold
 * nothing of the sealed values.
 */
export function ciphertextDigest(object: SealedObject, encryptedData: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  hash.update(`${object.namespace}\n${object.name}\n${object.sealedFrom}\n`);
  for (const key of Object.keys(encryptedData).sort()) hash.update(`${key}\n${encryptedData[key]}\n`);
  return `sha256:${hash.digest('hex')}`;
}

/**
 * The sealed-as digest an earlier runai-access wrote (its ciphertexts alone), recognised only to
 * say why such output is drift; never written, and never enough to keep a ciphertext.
 */
export function ciphertextsOnlyDigest(encryptedData: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(encryptedData).sort()) hash.update(`${key}\n${encryptedData[key]}\n`);
  return `sha256:${hash.digest('hex')}`;
}

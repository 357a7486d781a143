/**
 * The Sealed Secrets controller's side of its hybrid scheme (pkg/crypto HybridDecrypt), for the
 * tests to open what lib/tls/sealing.ts seals: written here on its own, from the controller's
 * source, not from the sealing code, so a mistake in one is not repeated in the other.
 */
import { constants, createDecipheriv, KeyObject, privateDecrypt } from 'node:crypto';

/** The controller's AES-GCM nonce (all zero: each session key is used once) and tag length. */
const GCM_NONCE = Buffer.alloc(12);
const GCM_TAG_BYTES = 16;

/** Opens a sealed value as the controller does; throws when the label or key differ. */
export function unsealValue(privateKey: KeyObject, ciphertext: Buffer, label: Buffer): Buffer {
  const rsaLength = ciphertext.readUInt16BE(0);
  const sessionKey = privateDecrypt(
    { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label },
    ciphertext.subarray(2, 2 + rsaLength),
  );
  const body = ciphertext.subarray(2 + rsaLength);
  const decipher = createDecipheriv('aes-256-gcm', sessionKey, GCM_NONCE);
  decipher.setAuthTag(body.subarray(body.length - GCM_TAG_BYTES));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - GCM_TAG_BYTES)), decipher.final()]);
}

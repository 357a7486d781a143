/**
 * A generated file as the snapshot shows it: the same whatever randomness or missing key went
 * into it. Secret values become the SHA-256 of their bytes, a private key `<private key>`;
 * a SealedSecret's ciphertexts become `<sealed>` and its sealing fingerprint (which digests
 * the key) `<fingerprint of the sealed inputs>`: what it was sealed from is in
 * certificates.sha256 (certificate digest, controller) and in the object (scope, template).
 */
import { createHash } from 'node:crypto';

import { PRIVATE_KEY_BEGIN, SEALED_AS_ANNOTATION, SEALED_FROM_ANNOTATION } from '../lib/model/names';
import { yamlDocs } from './helpers';

export function reviewable(content: string): string {
  if (!/^(apiVersion|kind):/m.test(content)) return content;
  const [doc] = yamlDocs(content);
  let out = content;
  const replace = (value: string, by: string) => {
    out = out.split(value).join(by);
  };
  if (doc?.kind === 'Secret' && doc.data) {
    for (const value of Object.values<string>(doc.data)) {
      const bytes = Buffer.from(value, 'base64');
      const shown = PRIVATE_KEY_BEGIN.test(bytes.toString('latin1'))
        ? '<private key>'
        : `<sha256:${createHash('sha256').update(bytes).digest('hex')}>`;
      replace(value, shown);
    }
  }
  if (doc?.kind === 'SealedSecret') {
    for (const value of Object.values<string>(doc.spec?.encryptedData ?? {})) replace(value, '<sealed>');
    const fingerprint = doc.metadata?.annotations?.[SEALED_FROM_ANNOTATION];
    if (fingerprint) replace(fingerprint, '<fingerprint of the sealed inputs>');
    const sealedAs = doc.metadata?.annotations?.[SEALED_AS_ANNOTATION];
    if (sealedAs) replace(sealedAs, '<digest of the ciphertexts>');
  }
  return out;
}

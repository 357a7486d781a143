/**
 * The key-free record that lets `check` run in a clone without private keys: for each Secret
 * that holds a private key (a plaintext Secret or a SealedSecret), the SHA-256 of its
 * certificate chain (line ends as LF), in `certificates.sha256` beside the objects. It is written by `synth`,
 * committed, and compared byte for byte by `check` like any other file.
 */
import { ClusterSpec, tlsSettings, TlsSpec } from '../config/spec';
import { GENERATED_HEADER, OutputFile } from '../constructs/output-file';
import { CERTIFICATE_DIGESTS_FILE } from '../model/output-layout';
import { certificateDigest } from '../tls/sealing';

type KeyedTls = Extract<TlsSpec, { source: 'files' | 'sealed-secret' }>;

/** An object file that holds a private key, with the TLS block it was made from. */
export interface KeyedSecret {
  readonly tls: KeyedTls;
  readonly secretName: string;
  /** The object's file in the cluster folder: one per namespace the Secret goes to. */
  readonly file: string;
}

/**
 * The files of a cluster's output that hold a private key (a Secret, or a SealedSecret), each with
 * its TLS block. Read from the files themselves: a Secret of one name may be written for two
 * namespaces (inference's, during a migration to the Gateway API), each to a file of its own.
 */
export function keyedSecrets(spec: ClusterSpec, files: readonly OutputFile[]): KeyedSecret[] {
  const slots = new Map(tlsSettings(spec).map((s) => [s.secretName, s.tls]));
  return files.flatMap((f) => {
    const tls = f.keyedSecret === undefined ? undefined : slots.get(f.keyedSecret);
    return tls?.source === 'files' || tls?.source === 'sealed-secret' ? [{ tls, secretName: f.keyedSecret!, file: f.path }] : [];
  });
}

/** `certificates.sha256` for a cluster's `files`, or nothing when no object of it holds a key. */
export function certificateDigestsFile(spec: ClusterSpec, files: readonly OutputFile[], header = GENERATED_HEADER): OutputFile | undefined {
  const keyed = keyedSecrets(spec, files);
  if (keyed.length === 0) return undefined;
  const lines = keyed.map(({ tls, file }) => {
    const controller = tls.source === 'sealed-secret' ? ` controller=${tls.controllerFingerprint}` : '';
    return `${file} tls.crt ${certificateDigest(lfLineEnds(tls.certificatePem))}${controller}`;
  });
  return {
    path: CERTIFICATE_DIGESTS_FILE,
    content:
      `${header}# The SHA-256 of the certificate chain (tls.crt) of each object that holds a private key, so that\n` +
      `# \`check\` verifies it in a clone without the keys. Holds no key material; commit it.\n` +
      `${lines.join('\n')}\n`,
    mode: 0o644,
    description: 'SHA-256 of each certificate chain whose object holds a key, for check without keys',
    secret: false,
  };
}

/**
 * The certificate's text with CRLF line ends as LF: git may store a certificate with other line
 * ends than the admin's copy has (`* text=auto`, `core.autocrlf`), and CI's clone must find the
 * same digest, and the same sealing, for the same certificate. PEM decoders read either.
 */
export function lfLineEnds(pem: Uint8Array): Buffer {
  const bytes = Buffer.from(pem);
  return bytes.includes('\r\n') ? Buffer.from(bytes.toString('latin1').replace(/\r\n/g, '\n'), 'latin1') : bytes;
}

/**
 * A stand-in for a missing private key, so that a clone without keys still renders every
 * other object. Never written: only `check` and `validate` render with it, and `check`
 * compares the objects it affects without their key half.
 */
const STAND_IN_KEY_PEM = Buffer.from('-----BEGIN PRIVATE KEY-----\nbWlzc2luZw==\n-----END PRIVATE KEY-----\n');

/**
 * The TLS block as its objects hold it: the stand-in key when its key file is missing, and the
 * certificate and key with LF line ends, so that a checkout with CRLF line ends (core.autocrlf)
 * and CI's LF clone write the same Secret, sealing and digest.
 */
export function asWritten<T extends KeyedTls>(tls: T): T {
  const key = tls.keyMissing === undefined ? lfLineEnds(tls.privateKeyPem) : STAND_IN_KEY_PEM;
  return { ...tls, certificatePem: lfLineEnds(tls.certificatePem), privateKeyPem: key };
}

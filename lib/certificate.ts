/**
 * Reads a PEM certificate chain and its private key with `node:crypto` and checks what
 * `kubectl create secret tls` checks: both parse, and the key belongs to the first (leaf)
 * certificate. Messages describe the files; they never quote them, so key bytes cannot leak.
 */
import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** A problem with one of the two files. */
export interface PairProblem {
  readonly file: 'cert' | 'key';
  readonly message: string;
}

/** A parsed certificate chain and key, or the problems that stopped parsing. */
export type TlsPair =
  | { ok: true; chain: X509Certificate[]; key: KeyObject }
  | { ok: false; problems: PairProblem[] };

/** Parses the chain and the key and checks that they belong together. */
export function readTlsPair(certPem: Buffer, keyPem: Buffer): TlsPair {
  const problems: PairProblem[] = [];
  const chain = readChain(certPem, problems);
  const key = readKey(keyPem, problems);
  if (chain.length > 0 && key && !chain[0].checkPrivateKey(key)) {
    problems.push({ file: 'key', message: 'does not match the first (leaf) certificate in certFile; give the private key of that certificate' });
  }
  return problems.length > 0 || !key ? { ok: false, problems } : { ok: true, chain, key };
}

function readChain(pem: Buffer, problems: PairProblem[]): X509Certificate[] {
  const text = pem.toString('latin1');
  const blocks = text.match(CERT_BLOCK) ?? [];
  if (blocks.length === 0) {
    problems.push({
      file: 'cert',
      message: /PRIVATE KEY-----/.test(text)
        ? 'holds a private key, not a certificate; certFile must be the PEM certificate chain (fullchain.pem) and keyFile the key'
        : 'holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the PEM certificate chain, leaf first',
    });
    return [];
  }
  if (/PRIVATE KEY-----/.test(text)) {
    problems.push({ file: 'cert', message: 'also holds a private key; keep the key only in keyFile' });
  }
  const chain: X509Certificate[] = [];
  blocks.forEach((block, i) => {
    try {
      chain.push(new X509Certificate(block));
    } catch {
      problems.push({ file: 'cert', message: `certificate ${i + 1} of ${blocks.length} is not a valid X.509 certificate` });
    }
  });
  return problems.some((p) => p.file === 'cert') ? [] : chain;
}

function readKey(pem: Buffer, problems: PairProblem[]): KeyObject | undefined {
  const text = pem.toString('latin1');
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text)) {
    problems.push({ file: 'key', message: 'is encrypted; decrypt it first with: openssl pkey -in encrypted.pem -out private.pem' });
    return undefined;
  }
  const blocks = text.match(/-----BEGIN [A-Z ]*PRIVATE KEY-----/g) ?? [];
  if (blocks.length === 0) {
    problems.push({
      file: 'key',
      message: /-----BEGIN CERTIFICATE-----/.test(text)
        ? 'holds a certificate, not a private key; keyFile must be the PEM private key (private.pem)'
        : 'holds no PEM private key (-----BEGIN PRIVATE KEY-----); give the unencrypted PEM key of the leaf certificate',
    });
    return undefined;
  }
  if (blocks.length > 1) {
    problems.push({ file: 'key', message: `holds ${blocks.length} private keys; give only the key of the leaf certificate` });
    return undefined;
  }
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // The OpenSSL message is dropped on purpose: it is the only text here that could echo the input.
    problems.push({ file: 'key', message: 'holds a PEM private key block that cannot be read; export it again as unencrypted PEM' });
    return undefined;
  }
}

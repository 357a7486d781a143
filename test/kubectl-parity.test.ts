/**
 * Parity with kubectl, as a property over the certificate corpus (test/cert-corpus.ts): each
 * form goes through the real `kubectl create secret tls --dry-run=client` and through the tool.
 * The tool never accepts a pair kubectl refuses; whenever it accepts, the Secret bytes it
 * writes (the files' bytes, CRLF line ends as LF) pass kubectl, which stores them unchanged, and a
 * real node:tls handshake.
 * Both verdicts are pinned per form, so a change in either shows up here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Corpus, sharedCorpus } from './cert-corpus';
import { ROOT, tempDir } from './helpers';
import { handshake, kubectlSecret, kubectlSecretAsWritten, lfBytes, toolSecret } from './tls-tools';

/** kubectl's verdict: `accept`, or its exact error line. Our verdict: the finding codes, errors marked `!`. */
const VERDICTS: Record<string, { kubectl: string; ours: string[] }> = {
  'pkcs1-rsa': { kubectl: 'accept', ours: [] },
  'pkcs8-rsa': { kubectl: 'accept', ours: [] },
  'sec1-ec': { kubectl: 'accept', ours: [] },
  'sec1-ec-with-params': { kubectl: 'accept', ours: [] },
  'pkcs8-ec': { kubectl: 'accept', ours: [] },
  // Go computes the point from the private value; OpenSSL servers compare the stored one (test/chain.test.ts).
  'ec-stored-point-of-another-key': { kubectl: 'accept', ours: ['!key-mismatch'] },
  crlf: { kubectl: 'accept', ours: [] },
  'cr-line-ends': {
    kubectl: 'error: tls: failed to find any PEM data in certificate input',
    ours: ['!cert-pem-misplaced', '!key-pem-misplaced'],
  },
  'bom-cert': { kubectl: 'error: tls: private key type does not match public key type', ours: ['!cert-bom'] },
  'bom-cert-leaf-only': { kubectl: 'error: tls: failed to find any PEM data in certificate input', ours: ['!cert-bom'] },
  'bom-key': { kubectl: 'error: tls: failed to find any PEM data in key input', ours: ['!key-bom'] },
  'bag-attributes': { kubectl: 'accept', ours: [] },
  'blank-lines': { kubectl: 'accept', ours: [] },
  'blank-line-in-body': { kubectl: 'accept', ours: ['!cert-invalid', '!key-invalid'] },
  'leading-text': { kubectl: 'accept', ours: [] },
  'no-final-newline': { kubectl: 'accept', ours: [] },
  indented: {
    kubectl: 'error: tls: failed to find any PEM data in certificate input',
    ours: ['!cert-pem-misplaced', '!key-pem-misplaced'],
  },
  'trailing-root': { kubectl: 'accept', ours: [] },
  'missing-intermediate': { kubectl: 'accept', ours: ['chain-incomplete'] },
  'reversed-chain': { kubectl: 'error: tls: private key type does not match public key type', ours: ['!chain-out-of-order'] },
  'mismatched-key': { kubectl: 'error: tls: private key does not match public key', ours: ['!key-mismatch'] },
  'key-in-cert-file': { kubectl: 'accept', ours: ['!cert-has-key'] },
  'swapped-files': {
    kubectl:
      'error: tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched',
    ours: ['!cert-no-pem', '!key-no-pem'],
  },
  'encrypted-pkcs8-key': { kubectl: 'error: tls: failed to parse private key', ours: ['!key-encrypted'] },
  'encrypted-pkcs1-key': { kubectl: 'error: tls: failed to parse private key', ours: ['!key-encrypted'] },
  'der-cert': { kubectl: 'error: tls: failed to find any PEM data in certificate input', ours: ['!cert-no-pem'] },
  'trusted-certificate': { kubectl: 'error: tls: private key type does not match public key type', ours: ['!cert-trusted-block'] },
  'ed25519-leaf': { kubectl: 'accept', ours: ['!leaf-key-type'] },
  'ed448-leaf': { kubectl: 'error: tls: failed to parse private key', ours: ['!key-invalid'] },
  'rsa512-leaf': { kubectl: 'accept', ours: ['!leaf-rsa-too-small'] },
  'rsa1024-leaf': { kubectl: 'accept', ours: ['!leaf-rsa-too-small'] },
  'rsa-pss-leaf': { kubectl: 'error: tls: failed to parse private key', ours: ['!key-invalid'] },
  'rsa-three-primes-leaf': { kubectl: 'accept', ours: [] },
  'rsa-large-exponent-leaf': { kubectl: 'error: tls: failed to parse private key', ours: ['!cert-go-refuses'] },
  'p384-leaf': { kubectl: 'accept', ours: [] },
  'p521-leaf': { kubectl: 'accept', ours: ['leaf-ec-p521'] },
  'secp256k1-leaf': { kubectl: 'error: x509: unsupported elliptic curve', ours: ['!key-invalid', '!cert-go-refuses'] },
  'sm2-leaf': { kubectl: 'error: x509: unsupported elliptic curve', ours: ['!key-invalid', '!cert-go-refuses'] },
  'ec-explicit-params': { kubectl: 'error: x509: invalid ECDSA parameters', ours: ['!key-invalid', '!cert-go-refuses'] },
  'dsa-leaf': { kubectl: 'error: tls: failed to parse private key', ours: ['!key-invalid'] },
  'sha1-leaf': { kubectl: 'accept', ours: ['!chain-sha1'] },
  'no-san': { kubectl: 'accept', ours: ['!leaf-host-not-covered', 'leaf-apex-not-covered'] },
  'expired-leaf': { kubectl: 'accept', ours: ['!leaf-expired'] },
  'not-yet-valid-leaf': { kubectl: 'accept', ours: ['!leaf-not-yet-valid'] },
  'expired-intermediate': { kubectl: 'accept', ours: ['!chain-expired'] },
  'not-yet-valid-intermediate': { kubectl: 'accept', ours: ['!chain-not-yet-valid'] },
  'negative-serial': { kubectl: 'error: x509: negative serial number', ours: ['!cert-go-refuses'] },
  'negative-serial-intermediate': { kubectl: 'accept', ours: ['!cert-go-refuses'] },
  'zero-serial': { kubectl: 'accept', ours: [] },
  'long-serial': { kubectl: 'accept', ours: [] },
  'critical-ski': { kubectl: 'error: x509: subject key identifier incorrectly marked critical', ours: ['!cert-go-refuses'] },
  'critical-unknown-extension': { kubectl: 'accept', ours: ['!chain-critical-extension'] },
  'critical-standard-extensions': { kubectl: 'accept', ours: [] },
  'signature-algorithm-mismatch': {
    kubectl: "error: x509: inner and outer signature algorithm identifiers don't match",
    ours: ['!cert-go-refuses'],
  },
  'duplicate-san': { kubectl: 'error: x509: certificate contains duplicate extension with OID "2.5.29.17"', ours: ['!cert-go-refuses'] },
};

let corpus: Corpus;
/** Where LF copies of the CRLF forms go. */
let copies: string;
beforeAll(() => {
  corpus = sharedCorpus(tempDir());
  copies = tempDir();
}, 60_000);

const FORMS = Object.keys(VERDICTS);

test("the README's count of the corpus is its size", () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
  expect(readme).toContain(`a corpus of ${FORMS.length} certificate and key forms`);
});

test.each(FORMS)('%s: never accepts what kubectl refuses; what it writes passes kubectl and a TLS handshake', async (name) => {
  const form = corpus.forms[name];
  const theirs = kubectlSecret(form.cert, form.key);
  const ours = toolSecret(form.cert, form.key, corpus.root);
  expect({ kubectl: theirs.message, ours: ours.codes }).toEqual(VERDICTS[name]);
  if (!theirs.ok) expect(ours.ok).toBe(false);
  if (!ours.ok) return;
  // What we write is the files' bytes with CRLF line ends as LF (as git stores them, so that every
  // checkout writes the same Secret), and kubectl accepts those bytes and stores them unchanged:
  // for files with LF line ends, its verdict on them from the call above.
  expect(ours.crt).toEqual(lfBytes(form.cert));
  expect(ours.key).toEqual(lfBytes(form.key));
  const written = kubectlSecretAsWritten(form.cert, form.key, theirs, path.join(copies, name));
  expect(written.message).toBe('accept');
  expect(written.crt).toEqual(ours.crt);
  expect(written.key).toEqual(ours.key);
  const result = await handshake(ours.crt!, ours.key!, fs.readFileSync(corpus.root));
  // A client that trusts the test root verifies the chain unless the tool warned it is incomplete.
  expect(result.authorized).toBe(!ours.codes.includes('chain-incomplete'));
});

test('the corpus has every form the issue names, and no form without a verdict', () => {
  expect(Object.keys(corpus.forms).sort()).toEqual([...FORMS].sort());
});

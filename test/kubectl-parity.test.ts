/**
 * Parity with kubectl, as a property over the certificate corpus (test/cert-corpus.ts): each
 * form goes through the real `kubectl create secret tls --dry-run=client` and through the tool.
 * The tool never accepts a pair kubectl refuses; whenever it accepts, the Secret bytes it
 * writes pass kubectl (which stores them unchanged, as we do) and a real node:tls handshake.
 * Both verdicts are pinned per form, so a change in either shows up here.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { connect, createServer } from 'node:tls';

import { parseConfig } from '../lib/config/load';
import { InputError, Problem } from '../lib/model/errors';
import { STAR_TLS_SECRET_NAME } from '../lib/model/names';
import { synthesize } from '../lib/output/render';
import { buildCorpus, Corpus, CORPUS_URL } from './cert-corpus';
import { emittedObjects, tempDir } from './helpers';
import { CHECK_AT } from './pki';

/** kubectl's verdict: `accept`, or its exact error line. Our verdict: the finding codes, errors marked `!`. */
const VERDICTS: Record<string, { kubectl: string; ours: string[] }> = {
  'pkcs1-rsa': { kubectl: 'accept', ours: [] },
  'pkcs8-rsa': { kubectl: 'accept', ours: [] },
  'sec1-ec': { kubectl: 'accept', ours: [] },
  'sec1-ec-with-params': { kubectl: 'accept', ours: [] },
  'pkcs8-ec': { kubectl: 'accept', ours: [] },
  crlf: { kubectl: 'accept', ours: [] },
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
  'p384-leaf': { kubectl: 'accept', ours: [] },
  'p521-leaf': { kubectl: 'accept', ours: ['leaf-ec-p521'] },
  'secp256k1-leaf': { kubectl: 'error: x509: unsupported elliptic curve', ours: ['!cert-go-refuses'] },
  'ec-explicit-params': { kubectl: 'error: x509: invalid ECDSA parameters', ours: ['!cert-go-refuses'] },
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
  'duplicate-san': { kubectl: 'error: x509: certificate contains duplicate extension with OID "2.5.29.17"', ours: ['!cert-go-refuses'] },
};

let corpus: Corpus;
let dir: string;
beforeAll(() => {
  dir = tempDir();
  corpus = buildCorpus(dir);
}, 60_000);

/** kubectl's verdict on two files, and the bytes it would store. */
export function kubectlSecret(cert: string, key: string): { ok: boolean; message: string; crt?: Buffer; key?: Buffer } {
  const r = spawnSync('kubectl', ['create', 'secret', 'tls', 'x', `--cert=${cert}`, `--key=${key}`, '--dry-run=client', '-o', 'json'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) return { ok: false, message: r.stderr.trim() };
  const data = JSON.parse(r.stdout).data;
  return { ok: true, message: 'accept', crt: Buffer.from(data['tls.crt'], 'base64'), key: Buffer.from(data['tls.key'], 'base64') };
}

/** The tool's verdict on two files, for a cluster whose privateCa is `root`: its findings, and the Secret bytes when it accepts. */
export function toolSecret(cert: string, key: string, root: string): { ok: boolean; codes: string[]; crt?: Buffer; key?: Buffer } {
  const config = [
    'clusters:',
    '  - name: corpus',
    `    clusterUrl: ${CORPUS_URL}`,
    `    tls: {source: files, certFile: ${JSON.stringify(cert)}, keyFile: ${JSON.stringify(key)}}`,
    `    privateCa: {caFile: ${JSON.stringify(root)}}`,
  ].join('\n');
  const code = (p: Problem) => `${p.severity === 'warning' ? '' : '!'}${p.code ?? 'config'}`;
  try {
    const loaded = parseConfig(config, 'c.yaml', '/', { now: CHECK_AT });
    const secret = emittedObjects(synthesize(loaded.clusters)[0]).docs.find(
      (d) => d.kind === 'Secret' && d.metadata.name === STAR_TLS_SECRET_NAME,
    );
    return {
      ok: true,
      codes: loaded.warnings.map(code),
      crt: Buffer.from(secret.data['tls.crt'], 'base64'),
      key: Buffer.from(secret.data['tls.key'], 'base64'),
    };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { ok: false, codes: e.problems.map(code) };
  }
}

/** Serves `cert`/`key` on 127.0.0.1 and connects as a client trusting `root`: did the handshake finish, and did it verify? */
export async function handshake(cert: Buffer, key: Buffer, root: Buffer): Promise<{ authorized: boolean; error?: string }> {
  const server = createServer({ cert, key }, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    return await new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, ca: root, servername: `ws1.${CORPUS_URL}`, rejectUnauthorized: false }, () => {
        resolve({ authorized: socket.authorized, error: socket.authorizationError?.toString() });
        socket.end();
      });
      socket.on('error', reject);
    });
  } finally {
    server.close();
  }
}

const FORMS = Object.keys(VERDICTS);

test.each(FORMS)('%s: never accepts what kubectl refuses; what it writes passes kubectl and a TLS handshake', async (name) => {
  const form = corpus.forms[name];
  const theirs = kubectlSecret(form.cert, form.key);
  const ours = toolSecret(form.cert, form.key, corpus.root);
  expect({ kubectl: theirs.message, ours: ours.codes }).toEqual(VERDICTS[name]);
  if (!theirs.ok) expect(ours.ok).toBe(false);
  if (!ours.ok) return;
  // What we write is what kubectl writes from the same files: the bytes, unchanged.
  expect(ours.crt).toEqual(fs.readFileSync(form.cert));
  expect(ours.key).toEqual(fs.readFileSync(form.key));
  const written = path.join(dir, name, 'written');
  fs.mkdirSync(written);
  fs.writeFileSync(path.join(written, 'tls.crt'), ours.crt!);
  fs.writeFileSync(path.join(written, 'tls.key'), ours.key!);
  const again = kubectlSecret(path.join(written, 'tls.crt'), path.join(written, 'tls.key'));
  expect(again.message).toBe('accept');
  expect(again.crt).toEqual(ours.crt);
  const result = await handshake(ours.crt!, ours.key!, fs.readFileSync(corpus.root));
  // A client that trusts the test root verifies the chain unless the tool warned it is incomplete.
  expect(result.authorized).toBe(!ours.codes.includes('chain-incomplete'));
});

test('the corpus has every form the issue names, and no form without a verdict', () => {
  expect(Object.keys(corpus.forms).sort()).toEqual([...FORMS].sort());
});

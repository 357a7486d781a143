/**
 * The certificate chain (lib/tls/chain.ts): its order, every certificate after the leaf at the
 * check time, and where it ends: at a trusted root, at the cluster's privateCa, or short of it.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSecureContext } from 'node:tls';

import { parseTlsPair } from '../lib/tls/inspect';
import { Corpus, pemOf, sharedCorpus, withPublicKey } from './cert-corpus';
import { openssl, tempDir } from './helpers';
import { codes, GOOD_DNS, INSPECT_URL as URL, inspectionPki, read } from './pki';
import { handshake, kubectlSecret, toolSecret } from './tls-tools';

const { pki, findings } = inspectionPki({
  // A root that allows one CA below it (pathLenConstraint 1), its intermediate, and a leaf under that.
  'root-short': { cn: 'Short Root', ca: true, pathLen: 1, issuer: undefined },
  'int-short': { cn: 'Short Int', ca: true, issuer: 'root-short' },
  'leaf-short': { cn: `*.${URL}`, dns: GOOD_DNS, issuer: 'int-short' },
});

describe('chain order and completeness', () => {
  test('fails when the chain is reversed (root, intermediate, leaf)', () => {
    expect(findings(['root', 'int', 'leaf'], 'leaf')).toEqual([
      {
        code: 'chain-out-of-order',
        severity: 'error',
        file: 'cert',
        message: "has the certificate of keyFile at position 3 of 3; put the leaf first, then each certificate's issuer",
      },
    ]);
  });
  test("fails when keyFile is the intermediate's key, in a chain in order: the key is at fault, not the order", () => {
    expect(findings(['leaf', 'int', 'root'], 'int')).toEqual([
      {
        code: 'key-mismatch',
        severity: 'error',
        file: 'key',
        message:
          'is the key of certificate 2 (CN=Test Int) in certFile, a CA certificate, not of the leaf, certificate 1 ' +
          '(CN=*.runai.example.com); give the private key of the leaf certificate',
      },
    ]);
  });
  test('fails when intermediate and root are swapped', () => {
    expect(findings(['leaf', 'root', 'int'])).toEqual([
      {
        code: 'chain-out-of-order',
        severity: 'error',
        file: 'cert',
        message:
          "certificate 2 (CN=Test Root) did not issue certificate 1 (CN=*.runai.example.com); order the chain leaf first, then each certificate's issuer",
      },
    ]);
  });
  test('fails when the chain holds an unrelated certificate', () => {
    expect(findings(['leaf', 'int', 'root', 'other-root'])).toEqual([
      {
        code: 'chain-unrelated',
        severity: 'error',
        file: 'cert',
        message:
          'certificate 4 (CN=Other Root) did not issue certificate 3 (CN=Test Root) nor any other in the file; remove it or add the missing link',
      },
    ]);
  });
  test('a self-signed root sent twice at the end passes, as before: clients skip the copy', () => {
    expect(codes(findings(['leaf', 'int', 'root', 'root']))).toEqual([]);
  });
  test.each([
    [['leaf', 'leaf', 'int', 'root'], 'certificate 2 (CN=*.runai.example.com) is certificate 1 again'],
    [['leaf', 'int', 'int', 'root'], 'certificate 3 (CN=Test Int) is certificate 2 again'],
    [['leaf', 'int', 'root', 'int'], 'certificate 4 (CN=Test Int) is certificate 2 again'],
  ])('warns when a certificate is in the file twice (%j), and checks the chain without the copy', (names, copy) => {
    expect(findings(names)).toEqual([
      { code: 'chain-duplicate', severity: 'warning', file: 'cert', message: `${copy}: clients skip the copy; remove it` },
    ]);
    // kubectl takes the file, and an OpenSSL client verifies the chain a server sends with the copy in it.
    const file = pki.chain(`copy-${names.join('-')}.pem`, ...names);
    expect(kubectlSecret(file, pki.file('leaf', 'key')).message).toBe('accept');
  });
  test.each([
    [['leaf', 'int', 'int', 'int', 'root'], 'certificate 2 (CN=Test Int) is in the file 3 times, again as certificate 3 and 4'],
    [
      ['leaf', 'int', ...Array<string>(30).fill('int'), 'root'],
      'certificate 2 (CN=Test Int) is in the file 31 times, again as certificate 3, 4, … and 32 (30 in all)',
    ],
  ])('warns once for a certificate in the file many times (%#), however many', (names, copies) => {
    expect(findings(names)).toEqual([
      { code: 'chain-duplicate', severity: 'warning', file: 'cert', message: `${copies}: clients skip the copies; remove them` },
    ]);
  });
  test('numbers the certificates as the file does when a copy is left out, in every message', () => {
    const COPY = { code: 'chain-duplicate', severity: 'warning', file: 'cert' };
    expect(findings(['leaf', 'leaf', 'root', 'int'])).toEqual([
      { ...COPY, message: 'certificate 2 (CN=*.runai.example.com) is certificate 1 again: clients skip the copy; remove it' },
      {
        code: 'chain-out-of-order',
        severity: 'error',
        file: 'cert',
        message:
          "certificate 3 (CN=Test Root) did not issue certificate 1 (CN=*.runai.example.com); order the chain leaf first, then each certificate's issuer",
      },
    ]);
    expect(findings(['int', 'leaf', 'leaf'], 'leaf')).toEqual([
      { ...COPY, message: 'certificate 3 (CN=*.runai.example.com) is certificate 2 again: clients skip the copy; remove it' },
      {
        code: 'chain-out-of-order',
        severity: 'error',
        file: 'cert',
        message: "has the certificate of keyFile at position 2 of 3; put the leaf first, then each certificate's issuer",
      },
    ]);
    expect(findings(['leaf', 'leaf', 'int'])).toEqual([
      { ...COPY, message: 'certificate 2 (CN=*.runai.example.com) is certificate 1 again: clients skip the copy; remove it' },
      expect.objectContaining({ code: 'chain-incomplete', message: expect.stringMatching(/^ends in certificate 3 \(CN=Test Int\), /) }),
    ]);
  });
  test('a copy does not count as a CA below another: a root allowing one CA below it, and the intermediate sent twice', async () => {
    const names = ['leaf-short', 'int-short', 'int-short', 'root-short'];
    expect(codes(findings(names))).toEqual(['chain-duplicate']);
    const served = await handshake(
      read(pki.chain('short-served.pem', ...names)),
      read(pki.file('leaf-short', 'key')),
      read(pki.file('root-short')),
    );
    expect(served).toEqual({ authorized: true, error: undefined });
  });
  test('warns when the chain ends in an intermediate whose root is unknown', () => {
    expect(findings(['leaf', 'int'])).toEqual([
      {
        code: 'chain-incomplete',
        severity: 'warning',
        file: 'cert',
        message:
          'ends in certificate 2 (CN=Test Int), which is not self-signed and whose issuer (CN=Test Root) is not a root Node trusts; add the missing intermediate, or, for a private CA, set privateCa.caFile to its root',
      },
    ]);
    expect(codes(findings(['leaf']))).toEqual(['chain-incomplete']);
  });
  test('does not warn when the chain ends under a trusted root', () => {
    const root = new X509Certificate(read(pki.file('root')));
    expect(findings(['leaf', 'int'], 'leaf', { privateCa: [root] })).toEqual([]);
  });
});

describe('the whole chain, at the check time', () => {
  beforeAll(() => {
    pki.issue('int-old', { cn: 'Old Int', ca: true, issuer: 'root', start: '20200101000000Z', end: '20250101000000Z' });
    pki.issue('int-new', { cn: 'New Int', ca: true, issuer: 'root', start: '20350101000000Z', end: '20400101000000Z' });
    pki.issue('under-old', { cn: `*.${URL}`, dns: GOOD_DNS, issuer: 'int-old', end: '20400101000000Z' });
    pki.issue('under-new', { cn: `*.${URL}`, dns: GOOD_DNS, issuer: 'int-new' });
    pki.issue('root-old', { cn: 'Old Root', ca: true, start: '20200101000000Z', end: '20250101000000Z' });
    pki.issue('under-old-root', { cn: `*.${URL}`, dns: GOOD_DNS, issuer: 'root-old', end: '20400101000000Z' });
  });
  test('fails when an intermediate has expired, naming its position and subject', () => {
    expect(findings(['under-old', 'int-old', 'root'])).toEqual([
      {
        code: 'chain-expired',
        severity: 'error',
        file: 'cert',
        message: 'certificate 2 (CN=Old Int) expired on 2025-01-01T00:00:00Z; get the current intermediate from your CA',
      },
    ]);
  });
  test('fails when the root at the end has expired, with the fix for a root: it need not be sent', () => {
    expect(
      findings(['under-old-root', 'root-old'], 'under-old-root', { privateCa: [new X509Certificate(read(pki.file('root-old')))] }),
    ).toEqual(
      expect.arrayContaining([
        {
          code: 'chain-expired',
          severity: 'error',
          file: 'cert',
          message:
            "certificate 2 (CN=Old Root) expired on 2025-01-01T00:00:00Z; get a chain to your CA's current root; if clients trust a newer root of their own, this one can be left out",
        },
      ]),
    );
  });
  test('fails when the private CA root the chain ends under has expired, though certFile leaves the root out', () => {
    expect(findings(['under-old-root'], 'under-old-root', { privateCa: [new X509Certificate(read(pki.file('root-old')))] })).toEqual(
      expect.arrayContaining([
        {
          code: 'chain-expired',
          severity: 'error',
          file: 'cert',
          message:
            'ends under the private CA root CN=Old Root (privateCa.caFile), which expired on 2025-01-01T00:00:00Z; clients that trust ' +
            'it refuse the chain: the CA must issue from a new root, and the clients trust that one',
        },
      ]),
    );
  });
  test('passes when privateCa also holds the root renewed with the same name and key, in either order', () => {
    // The renewed root: the old root's key and name, valid from now on.
    openssl(
      pki.dir,
      'req',
      '-x509',
      '-new',
      '-key',
      pki.file('root-old', 'key'),
      '-subj',
      '/CN=Old Root',
      '-days',
      '36500',
      '-out',
      'root-renewed.pem',
    );
    const [old, renewed] = [pki.file('root-old'), path.join(pki.dir, 'root-renewed.pem')].map((f) => new X509Certificate(read(f)));
    for (const privateCa of [
      [old, renewed],
      [renewed, old],
    ]) {
      expect(codes(findings(['under-old-root'], 'under-old-root', { privateCa }))).not.toContain('chain-expired');
    }
    expect(codes(findings(['under-old-root'], 'under-old-root', { privateCa: [old] }))).toContain('chain-expired');
  });
  test('fails when an intermediate is not valid yet at --at', () => {
    expect(findings(['under-new', 'int-new', 'root'])).toEqual([
      {
        code: 'chain-not-yet-valid',
        severity: 'error',
        file: 'cert',
        message: 'certificate 2 (CN=New Int) is not valid until 2035-01-01T00:00:00Z',
      },
    ]);
    expect(findings(['under-new', 'int-new', 'root'], 'under-new', { now: new Date('2036-01-01T00:00:00Z') })).toEqual([]);
  });
});

describe('privateCa as a trust anchor', () => {
  const ca = (name: string) => [new X509Certificate(read(pki.file(name)))];
  test('a chain that ends under the private CA, or at it, is complete', () => {
    expect(findings(['leaf', 'int'], 'leaf', { privateCa: ca('root') })).toEqual([]);
    expect(findings(['leaf', 'int', 'root'], 'leaf', { privateCa: ca('root') })).toEqual([]);
  });
  test('still warns when the chain is short of the private CA, and names it', () => {
    expect(findings(['leaf'], 'leaf', { privateCa: ca('root') })).toEqual([
      {
        code: 'chain-incomplete',
        severity: 'warning',
        file: 'cert',
        message:
          "ends in certificate 1 (CN=*.runai.example.com), which is not self-signed and whose issuer (CN=Test Int) is neither a root Node trusts nor the cluster's privateCa (CN=Test Root); add the missing intermediate, or append your private CA's root certificate",
      },
    ]);
  });
  test('warns when the chain ends at a self-signed root that is not the private CA', () => {
    expect(findings(['leaf', 'int', 'root'], 'leaf', { privateCa: ca('other-root') })).toEqual([
      {
        code: 'chain-untrusted-root',
        severity: 'warning',
        file: 'cert',
        message:
          "ends in certificate 3 (CN=Test Root), a self-signed root that is not the cluster's privateCa (CN=Other Root); browsers that trust only the private CA refuse it: use a certificate issued under privateCa, or make privateCa.caFile that root",
      },
    ]);
  });
});

describe("an EC key with another public key stored beside the leaf's private value", () => {
  // Go computes the public key from the private value (parseECPrivateKey); OpenSSL keeps the stored one.
  let corpus: Corpus;
  beforeAll(() => {
    corpus = sharedCorpus(tempDir());
  }, 60_000);
  const form = () => corpus.forms['ec-stored-point-of-another-key'];
  /** What a server built on OpenSSL (node:tls here) says of the pair: 'ok', or its error. */
  const openSslServer = (cert: string, key: string) => {
    try {
      createSecureContext({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) });
      return 'ok';
    } catch (e) {
      return (e as Error).message;
    }
  };

  test('fails, as OpenSSL servers do while kubectl takes it, and says which servers refuse it and how to mend the key', () => {
    const { cert, key } = form();
    expect(kubectlSecret(cert, key).message).toBe('accept');
    expect(openSslServer(cert, key)).toMatch(/key values mismatch/);
    const result = toolSecret(cert, key, corpus.root);
    expect(result).toMatchObject({ ok: false, codes: ['!key-mismatch'] });
    // After the key file's path, which is shown only when it does not look random (lib/model/errors.ts).
    const message =
      " is the leaf's private key with another public key stored beside it (damaged, or edited by hand): " +
      'kubectl and Go servers compute the public key from the private value and take the pair, ' +
      'OpenSSL servers (HAProxy, ingress-nginx) read the stored one and refuse it; ' +
      'write the key again without the stored public key (openssl ec -in KEY -no_public -out KEY)';
    expect(result.messages[0].slice(-message.length)).toBe(message);
  });

  test('the key written again as the finding says is taken by kubectl, OpenSSL and the tool', () => {
    const { cert, key } = form();
    const fixed = path.join(tempDir(), 'fixed.key');
    openssl(path.dirname(fixed), 'ec', '-in', key, '-no_public', '-out', fixed);
    expect(kubectlSecret(cert, fixed).message).toBe('accept');
    expect(openSslServer(cert, fixed)).toBe('ok');
    expect(toolSecret(cert, fixed, corpus.root)).toMatchObject({ ok: true, codes: [] });
  });

  /** A SEC1 key file at `out`: `keyFile`'s private value with `pointOf`'s public point, `pointLength` bytes (uncompressed), in place of its own. */
  function withStoredPointOf(keyFile: string, pointOf: string, pointLength: number, out: string): string {
    const sec1 = (file: string) => createPrivateKey(fs.readFileSync(file)).export({ format: 'der', type: 'sec1' });
    // An ECPrivateKey ends with its public point.
    const mixed = Buffer.concat([sec1(keyFile).subarray(0, -pointLength), sec1(pointOf).subarray(-pointLength)]);
    fs.writeFileSync(out, pemOf(mixed, 'EC PRIVATE KEY'));
    return out;
  }
  /** A self-signed P-224 leaf (Go parses P-224) and its key, by openssl. */
  function p224Leaf(dir: string, name: string): { cert: string; key: string } {
    const [cert, key] = [path.join(dir, `${name}.crt`), path.join(dir, `${name}.key`)];
    openssl(
      dir,
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-224',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '30',
      '-subj',
      '/CN=*.runai.example.com',
      '-addext',
      'subjectAltName=DNS:*.runai.example.com',
      '-addext',
      'basicConstraints=critical,CA:FALSE',
    );
    return { cert, key };
  }
  const keyFindings = (cert: string, key: string) => parseTlsPair(read(cert), read(key)).findings.filter((f) => f.file === 'key');

  test('names the damage on P-224 too, a curve Go parses and a JWK cannot name', () => {
    const dir = tempDir();
    const leaf = p224Leaf(dir, 'leaf');
    const other = p224Leaf(dir, 'other');
    const key = withStoredPointOf(leaf.key, other.key, 57, path.join(dir, 'mixed.key'));
    expect(kubectlSecret(leaf.cert, key).message).toBe('accept');
    expect(openSslServer(leaf.cert, key)).toMatch(/key values mismatch/);
    expect(keyFindings(leaf.cert, key)).toEqual([
      expect.objectContaining({
        code: 'key-mismatch',
        message: expect.stringContaining("is the leaf's private key with another public key stored beside it"),
      }),
    ]);
  });

  test.each([
    ['a P-256 key beside a P-224 leaf', (dir: string) => ({ cert: p224Leaf(dir, 'leaf').cert, key: form().key })],
    ['another P-224 key beside a P-224 leaf', (dir: string) => ({ cert: p224Leaf(dir, 'leaf').cert, key: p224Leaf(dir, 'other').key })],
  ])('fails with the plain mismatch, not an internal error, for %s', (_name, make) => {
    const { cert, key } = make(tempDir());
    expect(kubectlSecret(cert, key).message).toMatch(/^error: tls: /);
    expect(keyFindings(cert, key)).toEqual([
      expect.objectContaining({
        code: 'key-mismatch',
        message: expect.stringMatching(/^does not match the first \(leaf\) certificate in certFile/),
      }),
    ]);
  });

  test('no internal error when privateCa holds a copy of the intermediate with a key OpenSSL cannot read: that CA is left out', () => {
    const { cert, key } = corpus.forms['pkcs8-rsa'];
    const dir = tempDir();
    const intermediate = path.join(dir, 'int.pem');
    fs.writeFileSync(intermediate, fs.readFileSync(cert, 'utf8').replace(/^[\s\S]*?-----END CERTIFICATE-----\n/, ''));
    const odd = path.join(dir, 'odd-ca.pem');
    // The intermediate's name with a SubjectPublicKeyInfo of algorithm 1.2.3.4 and key ffff.
    fs.writeFileSync(odd, withPublicKey(intermediate, key, Buffer.from('300b300506032a0304030200ff', 'hex')));
    expect(new X509Certificate(fs.readFileSync(odd)).subject).toBe(new X509Certificate(fs.readFileSync(intermediate)).subject);
    const result = toolSecret(cert, key, odd);
    expect(result.codes).not.toContain('!key-mismatch');
    expect(result.codes.length).toBeGreaterThan(0); // the chain ends at no CA the tool can use
  });

  test("fails with the plain mismatch for another certificate's key", () => {
    const { cert } = form();
    const otherKey = corpus.forms['p384-leaf'].key;
    const result = toolSecret(cert, otherKey, corpus.root);
    expect(result.codes).toEqual(['!key-mismatch']);
    const message = ' does not match the first (leaf) certificate in certFile; give the private key of that certificate';
    expect(result.messages[0].slice(-message.length)).toBe(message);
  });
});

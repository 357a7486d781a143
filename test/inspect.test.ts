import { createPrivateKey, JsonWebKey, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { CertFinding, FINDINGS, InspectOptions, inspectTlsPair, parseTlsPair, summarize } from '../lib/tls/inspect';
import { Corpus, sharedCorpus } from './cert-corpus';
import { openssl, tempDir } from './helpers';
import { CHECK_AT, Pki } from './pki';
import { kubectlSecret } from './tls-tools';

const URL = 'runai.example.com';
const GOOD_DNS = [`*.${URL}`, URL];
let pki: Pki;
const read = (file: string) => fs.readFileSync(file);

beforeAll(() => {
  pki = new Pki(tempDir());
  pki.issue('root', { cn: 'Test Root', ca: true });
  pki.issue('int', { cn: 'Test Int', ca: true, issuer: 'root' });
  pki.issue('other-root', { cn: 'Other Root', ca: true });
  const leaves: Record<string, Parameters<Pki['issue']>[1]> = {
    leaf: { cn: `*.${URL}`, dns: GOOD_DNS },
    'no-apex': { cn: `*.${URL}`, dns: [`*.${URL}`] },
    explicit: { cn: 'ws1', dns: [`ws1.${URL}`, URL] },
    partial: { cn: 'partial', dns: [`ws*.${URL}`, URL] },
    parent: { cn: 'parent', dns: ['*.example.com'] },
    'cn-only': { cn: `*.${URL}` },
    expired: { cn: 'old', dns: GOOD_DNS, start: '20200101000000Z', end: '20210101000000Z' },
    future: { cn: 'new', dns: GOOD_DNS, start: '20350101000000Z', end: '20400101000000Z' },
    soon: { cn: 'soon', dns: GOOD_DNS, start: '20200101000000Z', end: '20300115000000Z' },
    'ca-leaf': { cn: 'ca', dns: GOOD_DNS, ca: true },
    'client-auth': { cn: 'client', dns: GOOD_DNS, eku: 'clientAuth' },
    'no-eku': { cn: 'no-eku', dns: GOOD_DNS, eku: null },
    rsa1024: { cn: 'rsa1024', dns: GOOD_DNS, key: 1024 },
    rsa2048: { cn: 'rsa2048', dns: GOOD_DNS, key: 2048 },
    sha1: { cn: 'sha1', dns: GOOD_DNS, md: 'sha1' },
  };
  for (const [name, o] of Object.entries(leaves)) pki.issue(name, { issuer: 'int', ...o });
});

/** Every finding for `certs` (chained in order) with the key of `keyOf`, at 2030-01-01. */
function findings(certs: string[], keyOf = certs[0], opts: Partial<InspectOptions> = {}): CertFinding[] {
  const chain = pki.chain(`${certs.join('+')}.pem`, ...certs);
  const pair = parseTlsPair(read(chain), read(pki.file(keyOf, 'key')));
  return inspectTlsPair(pair, { clusterUrl: URL, now: CHECK_AT, ...opts });
}
const codes = (f: readonly CertFinding[]) => f.map((x) => x.code);
const full = (leaf: string) => [leaf, 'int', 'root'];

describe('a good chain', () => {
  test('has no findings: leaf, intermediate, root; key of the leaf; at a time inside its window', () => {
    expect(findings(full('leaf'))).toEqual([]);
  });
  test('summarizes the leaf', () => {
    const pair = parseTlsPair(read(pki.chain('good.pem', ...full('leaf'))), read(pki.file('leaf', 'key')));
    expect(summarize(pair)).toEqual({
      leaf: pair.chain[0],
      subject: `CN=*.${URL}`,
      dnsNames: GOOD_DNS,
      validFrom: new Date('2020-01-01T00:00:00Z'),
      validTo: new Date('2040-01-01T00:00:00Z'),
      fingerprint256: new X509Certificate(read(pki.file('leaf'))).fingerprint256,
      chainLength: 3,
    });
  });
  test('an RSA 2048 leaf and a leaf without extended key usage are fine', () => {
    expect(findings(full('rsa2048'))).toEqual([]);
    expect(findings(full('no-eku'))).toEqual([]);
  });
});

describe('host coverage, by browser rules', () => {
  test('fails when the leaf names hosts but has no wildcard', () => {
    expect(findings(full('explicit'))).toEqual([
      {
        code: 'leaf-host-not-covered',
        severity: 'error',
        file: 'cert',
        message: `does not cover workspace hosts <project>-<workload>.${URL}: the leaf names ws1.${URL}, ${URL}; it needs *.${URL} in its subject alternative names`,
      },
    ]);
  });
  test('fails when the wildcard is partial (ws*.)', () => {
    expect(codes(findings(full('partial')))).toEqual(['leaf-host-not-covered']);
  });
  test('fails when the wildcard is one level up (*.example.com covers runai.example.com, not its subdomains)', () => {
    expect(codes(findings(full('parent')))).toEqual(['leaf-host-not-covered']);
  });
  test('fails when the wildcard is only in the subject CN, which browsers ignore', () => {
    expect(codes(findings(full('cn-only')))).toEqual(['leaf-host-not-covered', 'leaf-apex-not-covered']);
  });
  test('warns when the apex is not covered', () => {
    expect(findings(full('no-apex'))).toEqual([
      {
        code: 'leaf-apex-not-covered',
        severity: 'warning',
        file: 'cert',
        message: `does not cover ${URL} itself (names: *.${URL}); fine when the cluster's own certificate covers it`,
      },
    ]);
  });
  test('a wildcard for another cluster URL does not cover this one', () => {
    expect(codes(findings(full('leaf'), 'leaf', { clusterUrl: 'other.example.com' }))).toEqual([
      'leaf-host-not-covered',
      'leaf-apex-not-covered',
    ]);
  });
});

describe('validity, at an injected time', () => {
  test('fails when the leaf has expired', () => {
    expect(findings(full('expired'))).toEqual([
      { code: 'leaf-expired', severity: 'error', file: 'cert', message: 'expired on 2021-01-01T00:00:00Z; renew it' },
    ]);
  });
  test('fails when the leaf is not valid yet', () => {
    expect(findings(full('future'))).toEqual([
      { code: 'leaf-not-yet-valid', severity: 'error', file: 'cert', message: 'is not valid until 2035-01-01T00:00:00Z' },
    ]);
  });
  test('warns when the leaf expires within 30 days', () => {
    expect(findings(full('soon'))).toEqual([
      {
        code: 'leaf-expires-soon',
        severity: 'warning',
        file: 'cert',
        message: 'expires on 2030-01-15T00:00:00Z, in 14 days; renew it soon',
      },
    ]);
  });
  test('--warn-days moves the threshold', () => {
    expect(findings(full('soon'), 'soon', { warnDays: 14 })).toEqual([]);
    expect(codes(findings(full('leaf'), 'leaf', { now: new Date('2039-06-01T00:00:00Z'), warnDays: 365 }))).toEqual(['leaf-expires-soon']);
  });
  test('the same files are valid at another time', () => {
    expect(findings(full('expired'), 'expired', { now: new Date('2020-06-01T00:00:00Z') })).toEqual([]);
  });
});

describe('leaf properties', () => {
  test('fails when the leaf is a CA', () => {
    expect(findings(full('ca-leaf'))).toEqual([
      {
        code: 'leaf-is-ca',
        severity: 'error',
        file: 'cert',
        message: 'has a CA leaf (basicConstraints CA:TRUE); the first certificate must be the server certificate',
      },
    ]);
  });
  test('fails when the extended key usage lacks serverAuth', () => {
    expect(findings(full('client-auth'))).toEqual([
      {
        code: 'leaf-no-server-auth',
        severity: 'error',
        file: 'cert',
        message: 'has a leaf whose extended key usage lacks serverAuth; browsers refuse it for https',
      },
    ]);
  });
  test('fails when the RSA key is under 2048 bits', () => {
    expect(findings(full('rsa1024'))).toEqual([
      {
        code: 'leaf-rsa-too-small',
        severity: 'error',
        file: 'cert',
        message: 'has a 1024-bit RSA leaf key; at least 2048 bits are needed',
      },
    ]);
  });
  test('fails when a certificate is signed with SHA-1 (OpenSSL refuses to serve it: ca md too weak)', () => {
    expect(findings(full('sha1'))).toEqual([
      {
        code: 'chain-sha1',
        severity: 'error',
        file: 'cert',
        message:
          'certificate 1 (CN=sha1) is signed with SHA-1, which browsers and OpenSSL-based servers refuse; have it issued again with SHA-256',
      },
    ]);
  });
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
  test('warns when the chain ends in an intermediate whose root is unknown', () => {
    expect(findings(['leaf', 'int'])).toEqual([
      {
        code: 'chain-incomplete',
        severity: 'warning',
        file: 'cert',
        message:
          "ends in certificate 2 (CN=Test Int), which is not self-signed and whose issuer (CN=Test Root) is not a root Node trusts; add the missing intermediate, or append your private CA's root certificate",
      },
    ]);
    expect(codes(findings(['leaf']))).toEqual(['chain-incomplete']);
  });
  test('does not warn when the chain ends under a trusted root', () => {
    const root = new X509Certificate(read(pki.file('root')));
    expect(findings(['leaf', 'int'], 'leaf', { privateCa: [root] })).toEqual([]);
  });
});

describe('the files themselves', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    openssl(dir, 'pkey', '-in', pki.file('leaf', 'key'), '-aes256', '-passout', 'pass:x', '-out', 'encrypted.pem');
    openssl(dir, 'x509', '-in', pki.file('leaf'), '-outform', 'DER', '-out', 'leaf.der');
    fs.writeFileSync(path.join(dir, 'cert-and-key.pem'), read(pki.file('leaf')).toString() + read(pki.file('leaf', 'key')).toString());
  });
  const parse = (cert: Buffer | string, key: Buffer | string) => parseTlsPair(Buffer.from(cert), Buffer.from(key)).findings;
  const leafPem = () => read(pki.file('leaf'));
  const leafKey = () => read(pki.file('leaf', 'key'));

  test.each([
    ['empty', ''],
    ['DER', 'leaf.der'],
    ['garbage', 'not a certificate\n'],
  ])('fails when the cert file is %s', (_what, content) => {
    const bytes = content.endsWith('.der') ? read(path.join(dir, content)) : Buffer.from(content);
    expect(codes(parse(bytes, leafKey()))).toEqual(['cert-no-pem']);
  });
  test('fails when the cert file holds a key instead', () => {
    expect(parse(leafKey(), leafKey())[0]).toMatchObject({
      code: 'cert-no-pem',
      message: expect.stringMatching(/^holds a private key, not a certificate/),
    });
  });
  test('fails when the cert file also holds the key', () => {
    expect(codes(parse(read(path.join(dir, 'cert-and-key.pem')), leafKey()))).toEqual(['cert-has-key']);
  });
  test('fails when a certificate block is corrupt', () => {
    expect(codes(parse('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', leafKey()))).toEqual(['cert-invalid']);
  });
  test('fails when the key file holds no key', () => {
    expect(codes(parse(leafPem(), ''))).toEqual(['key-no-pem']);
  });
  test('fails when the key file holds two keys', () => {
    expect(codes(parse(leafPem(), Buffer.concat([leafKey(), read(pki.file('int', 'key'))])))).toEqual(['key-multiple']);
  });
  test('fails when the key is encrypted, saying how to decrypt it', () => {
    expect(parse(leafPem(), read(path.join(dir, 'encrypted.pem')))).toEqual([
      {
        code: 'key-encrypted',
        severity: 'error',
        file: 'key',
        message: 'is encrypted; decrypt it first with: openssl pkey -in encrypted.pem -out private.pem',
      },
    ]);
  });
  test('fails when the key block is corrupt', () => {
    expect(codes(parse(leafPem(), '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'))).toEqual(['key-invalid']);
  });
  test('fails when the key belongs to no certificate in the file', () => {
    expect(findings(full('leaf'), 'explicit')).toEqual([
      {
        code: 'key-mismatch',
        severity: 'error',
        file: 'key',
        message: 'does not match the first (leaf) certificate in certFile; give the private key of that certificate',
      },
    ]);
  });
});

/** A base64url number plus two, at the same length. */
function other(b64url: string): string {
  const n = BigInt(`0x${Buffer.from(b64url, 'base64url').toString('hex')}`);
  return Buffer.from((n + 2n).toString(16).padStart(b64url.length * 1.5, '0'), 'hex').toString('base64url');
}

describe('what kubectl and the ingress controllers (Go) refuse, from the corpus', () => {
  let corpus: Corpus;
  beforeAll(() => {
    corpus = sharedCorpus(tempDir());
  }, 60_000);
  /** Findings of a corpus form, with its root as the private CA. */
  const form = (name: string) => {
    const f = corpus.forms[name];
    const pair = parseTlsPair(read(f.cert), read(f.key));
    return inspectTlsPair(pair, { clusterUrl: URL, now: CHECK_AT, privateCa: [new X509Certificate(read(corpus.root))] });
  };
  const BOM_FIX = 'remove the first 3 bytes (tail -c +4 FILE > FILE.new), or save the file as UTF-8 without BOM';
  test('fails when certFile starts with a byte-order mark, with the one-line fix', () => {
    const message = `starts with a UTF-8 byte-order mark, which hides its first certificate from kubectl and the ingress controllers; ${BOM_FIX}`;
    expect(form('bom-cert')).toEqual([{ code: 'cert-bom', severity: 'error', file: 'cert', message }]);
    expect(form('bom-cert-leaf-only')).toEqual([{ code: 'cert-bom', severity: 'error', file: 'cert', message }]);
  });
  test('fails when keyFile starts with a byte-order mark', () => {
    expect(form('bom-key')).toEqual([
      {
        code: 'key-bom',
        severity: 'error',
        file: 'key',
        message: `starts with a UTF-8 byte-order mark, which hides the key from kubectl and the ingress controllers; ${BOM_FIX}`,
      },
    ]);
  });
  test('a byte-order mark before a comment line hides nothing and passes', () => {
    const f = corpus.forms['leading-text'];
    const pair = parseTlsPair(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), read(f.cert)]), read(f.key));
    expect(pair.findings).toEqual([]);
  });
  test('fails when a block is cut off, which Go skips but OpenSSL-based servers refuse', () => {
    const f = corpus.forms['pkcs8-rsa'];
    const cut = read(f.cert).subarray(0, read(f.cert).length - 10);
    expect(parseTlsPair(cut, read(f.key)).findings).toEqual([
      {
        code: 'cert-invalid',
        severity: 'error',
        file: 'cert',
        message: 'has a PEM block that is cut off or broken (no matching -----END line, or bad base64); export the certificate chain again',
      },
    ]);
    expect(codes(parseTlsPair(read(f.cert), read(f.key).subarray(0, 100)).findings)).toEqual(['key-invalid']);
  });
  /** A copy of a key with one number changed, written as PKCS#8 PEM; and kubectl's verdict on it with its certificate. */
  const damaged = (name: string, change: (jwk: JsonWebKey) => JsonWebKey) => {
    const f = corpus.forms[name];
    const jwk = change(createPrivateKey(read(f.key)).export({ format: 'jwk' }));
    const file = path.join(tempDir(), 'damaged.pem');
    fs.writeFileSync(file, createPrivateKey({ key: jwk, format: 'jwk' }).export({ format: 'pem', type: 'pkcs8' }));
    return { findings: parseTlsPair(read(f.cert), read(file)).findings, kubectl: kubectlSecret(f.cert, file).message };
  };
  test('fails when an RSA key is damaged where OpenSSL does not look (d no longer matches e), as kubectl does', () => {
    const result = damaged('pkcs8-rsa', (jwk) => ({ ...jwk, d: other(jwk.d!) }));
    expect(result.kubectl).toBe('error: tls: failed to parse private key');
    expect(result.findings).toEqual([
      {
        code: 'key-invalid',
        severity: 'error',
        file: 'key',
        message:
          'holds an RSA key whose numbers do not agree with each other (damaged, or edited by hand); kubectl refuses it: export the key again',
      },
    ]);
  });
  test('fails when an EC key carries the right public point but another private number, as kubectl does', () => {
    const stranger = createPrivateKey(read(corpus.forms['pkcs8-ec'].key)).export({ format: 'jwk' });
    const result = damaged('sec1-ec', (jwk) => ({ ...jwk, d: other(stranger.d!) }));
    expect(result.kubectl).toBe('error: tls: private key does not match public key');
    expect(result.findings).toEqual([
      {
        code: 'key-mismatch',
        severity: 'error',
        file: 'key',
        message: 'matches the public key of the leaf, but its signatures do not verify with it (a damaged key); export the key again',
      },
    ]);
  });
  test('fails when the PEM lines are indented', () => {
    const fix = 'each -----BEGIN and -----END line must start at the beginning of its line; remove the leading spaces or text';
    expect(form('indented')).toEqual([
      {
        code: 'cert-pem-misplaced',
        severity: 'error',
        file: 'cert',
        message: `has a certificate that kubectl and the ingress controllers do not see: ${fix}`,
      },
      {
        code: 'key-pem-misplaced',
        severity: 'error',
        file: 'key',
        message: `holds a key that kubectl and the ingress controllers do not see: ${fix}`,
      },
    ]);
  });
  test('fails when the leaf is a TRUSTED CERTIFICATE block', () => {
    expect(codes(form('trusted-certificate'))).toEqual(['cert-trusted-block']);
    expect(form('trusted-certificate')[0].message).toMatch(/^holds a BEGIN TRUSTED CERTIFICATE block .*; convert it with: openssl x509/);
  });
  test('fails when a PEM block is empty, without calling it a blank line inside the block', () => {
    const leaf = pki.chain('empty-test-leaf.pem', 'leaf', 'int', 'root');
    const emptyKey = Buffer.from('-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n');
    const emptyCert = Buffer.from('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
    const messages = [
      ...inspectTlsPair(parseTlsPair(read(leaf), emptyKey), { clusterUrl: URL, now: CHECK_AT }),
      ...inspectTlsPair(parseTlsPair(emptyCert, read(pki.file('leaf', 'key'))), { clusterUrl: URL, now: CHECK_AT }),
    ].map((f) => `${f.code}: ${f.message}`);
    expect(messages.filter((m) => /blank line/.test(m))).toEqual([]);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/^key-invalid: /), expect.stringMatching(/^cert-invalid: /)]));
  });

  test('fails when a blank line splits a PEM body (Go reads it, OpenSSL does not)', () => {
    expect(form('blank-line-in-body').map((f) => f.message)).toEqual([
      'certificate 1 of 2 has a blank line inside its PEM block, which OpenSSL-based servers refuse; remove it',
      'has a blank line inside its PEM block, which OpenSSL-based servers refuse; remove it',
    ]);
  });
  test.each([
    ['negative-serial', 'certificate 1 (CN=*.runai.example.com) has a negative serial number (refused since Go 1.23)'],
    ['negative-serial-intermediate', 'certificate 2 (CN=Test Int) has a negative serial number (refused since Go 1.23)'],
    ['duplicate-san', 'certificate 1 (CN=*.runai.example.com) has the extension 2.5.29.17 (subjectAltName) twice'],
    [
      'ec-explicit-params',
      'certificate 1 (CN=*.runai.example.com) has an ECDSA key with explicit curve parameters instead of a named curve',
    ],
    ['secp256k1-leaf', 'certificate 1 (CN=*.runai.example.com) has an ECDSA key on a curve Go does not support (1.3.132.0.10)'],
  ])('fails when Go refuses a certificate: %s', (name, message) => {
    expect(form(name)).toEqual([
      {
        code: 'cert-go-refuses',
        severity: 'error',
        file: 'cert',
        message: expect.stringContaining(`${message}; kubectl and the ingress controllers (Go) refuse it; have it issued again`),
      },
    ]);
  });
  test.each([
    ['ed448-leaf', 'ed448'],
    ['rsa-pss-leaf', 'rsa-pss'],
    ['dsa-leaf', 'dsa'],
  ])('fails when the key is of a type Go does not load: %s', (name, type) => {
    expect(form(name)).toEqual([
      {
        code: 'key-invalid',
        severity: 'error',
        file: 'key',
        message: `holds a key of type ${type}, which kubectl and the ingress controllers cannot use; issue the certificate with an RSA (2048 bits or more) or ECDSA P-256 key`,
      },
    ]);
  });
  test('fails when the leaf key is Ed25519, which browsers refuse', () => {
    expect(form('ed25519-leaf')).toEqual([
      {
        code: 'leaf-key-type',
        severity: 'error',
        file: 'cert',
        message: 'has an Ed25519 leaf key, which browsers do not accept for https; issue it with an ECDSA P-256 or an RSA 2048 key',
      },
    ]);
  });
  test('warns when the leaf key is P-521, which Chrome refuses', () => {
    expect(form('p521-leaf')).toEqual([
      {
        code: 'leaf-ec-p521',
        severity: 'warning',
        file: 'cert',
        message:
          'has an ECDSA P-521 leaf key, which Chrome does not accept (Firefox does); issue it with an ECDSA P-256 or an RSA 2048 key',
      },
    ]);
  });
  test('P-384, RSA 2048, zero and 21-octet serials, CRLF, Bag Attributes and EC PARAMETERS pass', () => {
    for (const name of ['p384-leaf', 'pkcs1-rsa', 'zero-serial', 'long-serial', 'crlf', 'bag-attributes', 'sec1-ec-with-params']) {
      expect([name, form(name)]).toEqual([name, []]);
    }
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

test('every finding code is tested above and documented in the README', () => {
  const source = fs.readFileSync(__filename, 'utf8');
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  for (const code of Object.keys(FINDINGS)) {
    expect(source).toContain(`'${code}'`);
    expect(readme).toContain(`\`${code}\``);
  }
});

test('fails when a blank line stands just before an END line: OpenSSL (Node, HAProxy) will not load it (found by npm run fuzz)', async () => {
  const { createSecureContext } = await import('node:tls');
  const DEMO = path.join(__dirname, '..', 'examples', 'certs');
  const key = fs.readFileSync(path.join(DEMO, 'private.pem'));
  const cert = fs
    .readFileSync(path.join(DEMO, 'fullchain.pem'), 'latin1')
    .replace('\n-----END CERTIFICATE-----', '\n\n-----END CERTIFICATE-----');
  expect(() => createSecureContext({ cert, key })).toThrow(/SSL_CTX_use_certificate_chain|PEM/);
  const findings = parseTlsPair(Buffer.from(cert, 'latin1'), key).findings;
  expect(findings.map((f) => `${f.code}: ${f.message}`)).toContain(
    'cert-invalid: certificate 1 of 3 has a blank line inside its PEM block, which OpenSSL-based servers refuse; remove it',
  );
});

import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { FINDINGS, parseTlsPair, summarize } from '../lib/tls/inspect';
import { openssl, tempDir } from './helpers';
import { codes, GOOD_DNS, INSPECT_URL as URL, inspectionPki, read } from './pki';
import { handshakeEnds } from './tls-tools';

const { pki, findings } = inspectionPki({
  'no-apex': { cn: `*.${URL}`, dns: [`*.${URL}`] },
  explicit: { cn: 'ws1', dns: [`ws1.${URL}`, URL] },
  partial: { cn: 'partial', dns: [`ws*.${URL}`, URL] },
  parent: { cn: 'parent', dns: ['*.example.com'] },
  'many-names': { cn: 'many', dns: Array.from({ length: 300 }, (_, i) => `n${i}.other.example.com`) },
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
  'ku-cert-sign': { cn: 'ku-cert-sign', dns: GOOD_DNS, keyUsage: 'keyCertSign' },
  'ku-encipherment-ec': { cn: 'ku-encipherment-ec', dns: GOOD_DNS, keyUsage: 'keyEncipherment' },
  'ku-encipherment-rsa': { cn: 'ku-encipherment-rsa', dns: GOOD_DNS, keyUsage: 'keyEncipherment', key: 2048 },
  'ku-agreement-decipher-ec': { cn: 'ku-agreement-decipher-ec', dns: GOOD_DNS, keyUsage: 'keyAgreement,decipherOnly' },
  'ku-signature-rsa': { cn: 'ku-signature-rsa', dns: GOOD_DNS, keyUsage: 'digitalSignature', key: 2048 },
  'ku-none': { cn: 'ku-none', dns: GOOD_DNS, keyUsage: null },
});
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
  test('a leaf of 300 names, none of them this cluster: each line lists ten and counts the rest', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `n${i}.other.example.com`).join(', ');
    expect(findings(full('many-names')).map((f) => f.message)).toEqual([
      `does not cover workspace hosts <project>-<workload>.${URL}: the leaf names ${ten} and 290 more; it needs *.${URL} in its subject alternative names`,
      `does not cover ${URL} itself (names: ${ten} and 290 more); fine when the cluster's own certificate covers it`,
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
  test('fails when the leaf has expired and keyFile is another key: both said, not the key alone (one line per problem)', () => {
    expect(findings(full('expired'), 'soon')).toEqual([
      {
        code: 'key-mismatch',
        severity: 'error',
        file: 'key',
        message: 'does not match the first (leaf) certificate in certFile; give the private key of that certificate',
      },
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
  test('in its last day, says "in less than a day", not "in 0 days"', () => {
    expect(findings(full('soon'), 'soon', { now: new Date('2030-01-14T23:30:00Z') })[0].message).toBe(
      'expires on 2030-01-15T00:00:00Z, in less than a day; renew it soon',
    );
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
        message:
          'has a CA leaf (basicConstraints CA:TRUE, as openssl req -x509 makes by default); the first certificate must be the server ' +
          'certificate (a self-signed one with -addext basicConstraints=critical,CA:FALSE)',
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
  describe("the leaf's keyUsage must allow signing the handshake (digitalSignature), served with node:tls (OpenSSL) over TLS 1.2 and 1.3", () => {
    const CHROME_RSA = 'Chrome refuses it (ERR_SSL_KEY_USAGE_INCOMPATIBLE, since Chrome 124)';
    const CHROME_EC = 'Chrome refuses it (ERR_SSL_KEY_USAGE_INCOMPATIBLE)';
    const CLIENTS = 'OpenSSL clients too (unsuitable certificate purpose)';
    const NO_TLS12 = 'OpenSSL-based servers (HAProxy, ingress-nginx) cannot serve it over TLS 1.2';
    const message = (usage: string, who: string[], rsa = false) =>
      `has a leaf whose keyUsage (${usage}) lacks digitalSignature, which a TLS server signs the handshake with: ${who.join(', ')}; ` +
      `have it issued again with keyUsage digitalSignature${rsa ? ', keyEncipherment' : ''}`;
    /** What each end says when the leaf is served with the intermediate, over TLS 1.2 and then 1.3. */
    const served = async (leaf: string) => {
      const chain = read(pki.chain(`${leaf}-served.pem`, leaf, 'int'));
      const ends = [];
      for (const version of ['TLSv1.2', 'TLSv1.3'] as const)
        ends.push(await handshakeEnds(chain, read(pki.file(leaf, 'key')), read(pki.file('root')), version));
      return ends;
    };
    const OK = { client: 'ok', server: 'ok' };
    const NO_SHARED_CIPHER = { client: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', server: 'ERR_SSL_NO_SHARED_CIPHER' };
    const PURPOSE = { client: 'INVALID_PURPOSE', server: 'ok' };
    test.each([
      ['ku-cert-sign', message('keyCertSign', [CHROME_EC, CLIENTS, NO_TLS12]), [NO_SHARED_CIPHER, PURPOSE]],
      ['ku-encipherment-ec', message('keyEncipherment', [CHROME_EC, NO_TLS12]), [NO_SHARED_CIPHER, OK]],
      ['ku-agreement-decipher-ec', message('keyAgreement, decipherOnly', [CHROME_EC, NO_TLS12]), [NO_SHARED_CIPHER, OK]],
      ['ku-encipherment-rsa', message('keyEncipherment', [CHROME_RSA], true), [OK, OK]],
    ])('fails when the keyUsage lacks digitalSignature: %s', async (leaf, expected, ends) => {
      expect(findings(full(leaf))).toEqual([{ code: 'leaf-key-usage', severity: 'error', file: 'cert', message: expected }]);
      expect(await served(leaf)).toEqual(ends);
    });
    test.each(['ku-signature-rsa', 'ku-none', 'leaf'])('passes %s: digitalSignature, or no keyUsage at all', async (leaf) => {
      expect(findings(full(leaf))).toEqual([]);
      expect(await served(leaf)).toEqual([OK, OK]);
    });
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
  test('fails when the cert file holds the key after text on its BEGIN line, which Go skips but tls.crt would carry', () => {
    expect(codes(parse(`${leafPem()}Key: ${leafKey()}`, leafKey()))).toEqual(['cert-has-key']);
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

// Also the codes the suites split from this one test: test/pem.test.ts and test/chain.test.ts.
test('every finding code is tested above and documented in the README', () => {
  const source = ['inspect', 'pem', 'chain', 'chain-authority', 'critical-extensions']
    .map((name) => fs.readFileSync(path.join(__dirname, `${name}.test.ts`), 'utf8'))
    .join('\n');
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  for (const code of Object.keys(FINDINGS)) {
    expect(source).toContain(`'${code}'`);
    expect(readme).toContain(`\`${code}\``);
  }
});

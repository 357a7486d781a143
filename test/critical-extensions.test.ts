/**
 * Extensions marked critical (lib/tls/chain-refusals.ts `chainCriticalExtensions`, lib/tls/go-x509.ts):
 * a client that does not handle a critical extension must refuse the certificate (RFC 5280 4.2).
 * Go refuses at parse time three extensions marked critical, which kubectl shows. Every client
 * refuses an unknown critical extension when it verifies the chain, which the OpenSSL client of
 * node:tls and `openssl verify` show. kubectl, which only parses, takes such a certificate.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';

import { inspectTlsPair, parseTlsPair } from '../lib/tls/inspect';
import { Corpus, CORPUS_URL, sharedCorpus } from './cert-corpus';
import { tempDir } from './helpers';
import { CHECK_AT, codes, GOOD_DNS, INSPECT_URL, inspectionPki, read } from './pki';
import { handshake, kubectlSecret } from './tls-tools';

const UNKNOWN = '1.3.6.1.4.1.311.21.7'; // Microsoft's certificate template extension, which AD CS writes
const { pki, findings } = inspectionPki({
  'unknown-critical': { cn: `*.${INSPECT_URL}`, dns: GOOD_DNS, extensions: [`${UNKNOWN}=critical,DER:0500`] },
  'crl-critical': { cn: `*.${INSPECT_URL}`, dns: GOOD_DNS, extensions: ['crlDistributionPoints=critical,URI:http://ca.example/ca.crl'] },
  'aki-critical': { cn: `*.${INSPECT_URL}`, dns: GOOD_DNS, extensions: ['authorityKeyIdentifier=critical,keyid'] },
  'aia-critical': {
    cn: `*.${INSPECT_URL}`,
    dns: GOOD_DNS,
    extensions: ['authorityInfoAccess=critical,caIssuers;URI:http://ca.example/ca.crt'],
  },
});
beforeAll(() => {
  pki.issue('int-unknown-critical', { cn: 'Crit Int', ca: true, issuer: 'root', extensions: [`${UNKNOWN}=critical,DER:0500`] });
  pki.issue('leaf-under-critical', { cn: `*.${INSPECT_URL}`, dns: GOOD_DNS, issuer: 'int-unknown-critical' });
});
/** The findings of a chain whose root is the cluster's private CA. */
const checked = (certs: string[]) => findings(certs, certs[0], { privateCa: [new X509Certificate(read(pki.file('root')))] });

const LEAF = `certificate 1 (CN=*.${INSPECT_URL})`;
const REISSUE = 'kubectl and the ingress controllers (Go) refuse it; have it issued again';
const finding = (code: string, message: string) => ({ code, severity: 'error', file: 'cert', message });
const notHandled = (nth: string, oid: string, who: string) =>
  finding(
    'chain-critical-extension',
    `${nth} marks the extension ${oid} critical, which ${who} not handle, so they refuse the chain; ` +
      'have it issued again with that extension not critical',
  );
/** `openssl verify` of a leaf with its intermediate, trusting the root: its exit code and last line. */
const opensslVerify = (leaf: string, intermediate = pki.file('int')) => {
  const r = spawnSync('openssl', ['verify', '-CAfile', pki.file('root'), '-untrusted', intermediate, leaf], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
};

describe('an extension marked critical that clients do not handle', () => {
  test('fails on the leaf, as the OpenSSL client of node:tls and openssl verify fail, while kubectl takes it', async () => {
    expect(checked(['unknown-critical', 'int'])).toEqual([notHandled(LEAF, UNKNOWN, 'browsers, Go and OpenSSL do')]);
    expect(kubectlSecret(pki.chain('u.pem', 'unknown-critical', 'int'), pki.file('unknown-critical', 'key')).message).toBe('accept');
    const result = await handshake(
      read(pki.chain('u.pem', 'unknown-critical', 'int')),
      read(pki.file('unknown-critical', 'key')),
      read(pki.file('root')),
    );
    // Node names OpenSSL's X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION (34) no better than this; the
    // same PKI's ordinary leaf verifies, and openssl verify names the error.
    expect(result).toEqual({ authorized: false, error: 'UNSPECIFIED' });
    const ordinary = await handshake(read(pki.chain('l.pem', 'leaf', 'int')), read(pki.file('leaf', 'key')), read(pki.file('root')));
    expect(ordinary).toEqual({ authorized: true, error: undefined });
    expect(opensslVerify(pki.file('unknown-critical'))).toMatchObject({
      status: 2,
      out: expect.stringContaining('unhandled critical extension'),
    });
  });
  test('fails on an intermediate, naming it', () => {
    expect(checked(['leaf-under-critical', 'int-unknown-critical'])).toEqual([
      notHandled('certificate 2 (CN=Crit Int)', UNKNOWN, 'browsers, Go and OpenSSL do'),
    ]);
    expect(opensslVerify(pki.file('leaf-under-critical'), pki.file('int-unknown-critical')).out).toContain('unhandled critical extension');
  });
  test('fails on cRLDistributionPoints marked critical, which Chrome does not handle (OpenSSL 3 and Go do)', () => {
    expect(checked(['crl-critical', 'int'])).toEqual([notHandled(LEAF, '2.5.29.31 (cRLDistributionPoints)', 'Chrome does')]);
    expect(opensslVerify(pki.file('crl-critical'))).toMatchObject({ status: 0 });
  });
  test('passes keyUsage, extendedKeyUsage, subjectAltName, basicConstraints and certificatePolicies marked critical, as every client does', async () => {
    const corpus: Corpus = sharedCorpus(tempDir());
    const f = corpus.forms['critical-standard-extensions'];
    const listed = execFileSync('openssl', ['x509', '-in', f.cert, '-noout', '-text'], { encoding: 'utf8' });
    for (const name of ['Key Usage', 'Extended Key Usage', 'Subject Alternative Name', 'Basic Constraints', 'Certificate Policies'])
      expect(listed).toContain(`X509v3 ${name}: critical`);
    const pair = parseTlsPair(read(f.cert), read(f.key));
    const privateCa = [new X509Certificate(read(corpus.root))];
    expect(codes(inspectTlsPair(pair, { clusterUrl: CORPUS_URL, now: CHECK_AT, privateCa }))).toEqual([]);
    expect(await handshake(read(f.cert), read(f.key), read(corpus.root))).toEqual({ authorized: true, error: undefined });
  }, 60_000);
});

describe('what Go refuses to parse, and so kubectl refuses for the leaf', () => {
  test.each([
    ['authorityKeyIdentifier', 'aki-critical', '2.5.29.35', 'error: x509: authority key identifier incorrectly marked critical'],
    ['authorityInfoAccess', 'aia-critical', '1.3.6.1.5.5.7.1.1', 'error: x509: authority info access incorrectly marked critical'],
  ])('fails when %s is marked critical', (name, leaf, oid, kubectl) => {
    expect(checked([leaf, 'int'])).toEqual([
      finding('cert-go-refuses', `${LEAF} has its ${name} extension (${oid}) marked critical, which RFC 5280 forbids; ${REISSUE}`),
    ]);
    expect(kubectlSecret(pki.chain(`${leaf}.chain.pem`, leaf, 'int'), pki.file(leaf, 'key')).message).toBe(kubectl);
  });
  test('fails when the signature algorithm outside the signed part differs from the one inside', () => {
    const corpus: Corpus = sharedCorpus(tempDir());
    const f = corpus.forms['signature-algorithm-mismatch'];
    expect(kubectlSecret(f.cert, f.key).message).toBe("error: x509: inner and outer signature algorithm identifiers don't match");
    expect(parseTlsPair(read(f.cert), read(f.key)).findings).toEqual([
      finding(
        'cert-go-refuses',
        `${LEAF} has a signature algorithm inside its signed part that differs from the one outside it; ${REISSUE}`,
      ),
    ]);
    const r = spawnSync('openssl', ['x509', '-in', f.cert, '-noout', '-text'], { encoding: 'utf8' });
    expect(r.stdout.match(/Signature Algorithm: (\S+)/g)).toEqual([
      'Signature Algorithm: ecdsa-with-SHA256',
      'Signature Algorithm: ecdsa-with-SHA384',
    ]);
  }, 60_000);
});

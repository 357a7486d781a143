/**
 * Whether each issuer may issue what it issued (lib/tls/chain-authority.ts), held against
 * `openssl verify` where OpenSSL and Go agree, and the chain's expiry warnings (lib/tls/chain.ts).
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';

import { chainAuthority } from '../lib/tls/chain-authority';
import { CHECK_AT, codes, GOOD_DNS, INSPECT_URL as URL, inspectionPki, read } from './pki';

const { pki, findings } = inspectionPki();

/** `openssl verify` of `leaf` through `untrusted` to `root`, at the suites' check time: its error line, or 'OK'. */
function opensslVerdict(leaf: string, untrusted: string[], root: string, extra: string[] = []): string {
  const args = ['verify', '-attime', String(CHECK_AT.getTime() / 1000), '-CAfile', pki.file(root), ...extra];
  for (const u of untrusted) args.push('-untrusted', pki.file(u));
  const r = spawnSync('openssl', [...args, pki.file(leaf)], { encoding: 'utf8' });
  return r.status === 0 ? 'OK' : (/error (\d+) at/.exec(r.stdout + r.stderr)?.[1] ?? `exit ${r.status}`);
}

describe('an intermediate must be a CA', () => {
  beforeAll(() => {
    // basicConstraints CA:FALSE and no keyUsage: OpenSSL's issuer-name and signature checks pass.
    pki.issue('not-ca', { cn: 'NotCA Int', issuer: 'root', keyUsage: null, eku: null });
    pki.issue('under-not-ca', { cn: `*.${URL}`, dns: GOOD_DNS, issuer: 'not-ca' });
  });

  test('fails when the certificate that issued the leaf is not a CA, as openssl verify does (error 79)', () => {
    expect(opensslVerdict('under-not-ca', ['not-ca'], 'root')).toBe('79');
    expect(findings(['under-not-ca', 'not-ca', 'root'])).toEqual([
      expect.objectContaining({
        code: 'chain-issuer-not-ca',
        severity: 'error',
        message: expect.stringMatching(
          /^certificate 2 \(CN=NotCA Int\) issued certificate 1 \(CN=\*\.runai\.example\.com\) but is not a CA/,
        ),
      }),
    ]);
  });

  test('fails when the intermediate may not sign certificates (keyUsage without keyCertSign), naming that, as openssl verify does (error 79)', () => {
    pki.issue('no-sign', { cn: 'NoSign Int', ca: true, issuer: 'root', keyUsage: 'digitalSignature' });
    pki.issue('under-no-sign', { cn: `*.${URL}`, dns: GOOD_DNS, issuer: 'no-sign' });
    expect(opensslVerdict('under-no-sign', ['no-sign'], 'root')).toBe('79');
    expect(findings(['under-no-sign', 'no-sign', 'root'])).toEqual([
      expect.objectContaining({
        code: 'chain-issuer-not-ca',
        message: expect.stringMatching(
          /^certificate 2 \(CN=NoSign Int\) signed certificate 1 \(CN=\*\.runai\.example\.com\) but may not sign certificates/,
        ),
      }),
    ]);
  });

  test('a CA intermediate and a self-signed root (a trust anchor) pass', () => {
    expect(opensslVerdict('leaf', ['int'], 'root')).toBe('OK');
    expect(codes(findings(['leaf', 'int', 'root']))).toEqual([]);
  });
});

describe('name constraints of every CA above the leaf', () => {
  beforeAll(() => {
    const constrained = (name: string, cn: string, constraint: string) =>
      pki.issue(name, { cn, ca: true, issuer: 'root', extensions: [`nameConstraints=critical,${constraint}`] });
    constrained('nc-elsewhere', 'Corp Int', 'permitted;DNS:.corp.internal');
    constrained('nc-ours', 'Our Int', `permitted;DNS:${URL}`);
    constrained('nc-excluded', 'Excluding Int', `excluded;DNS:x.${URL}`);
    // A corporate CA's usual constraints, and a one-label exclusion: none covers a name of *.runai.example.com.
    constrained('nc-sibling', 'Sibling Int', 'permitted;DNS:example.com,excluded;DNS:www.example.com');
    constrained('nc-tld', 'TLD Int', 'excluded;DNS:mil');
    constrained('nc-fqdn', 'FQDN Int', 'permitted;DNS:example.com.');
    constrained('nc-dot-excluded', 'Dot Excluding Int', 'excluded;DNS:.');
    constrained('nc-dot-permitted', 'Dot Permitting Int', 'permitted;DNS:.');
    const ints = ['nc-elsewhere', 'nc-ours', 'nc-excluded', 'nc-sibling', 'nc-tld', 'nc-fqdn', 'nc-dot-excluded', 'nc-dot-permitted'];
    for (const int of ints) pki.issue(`under-${int}`, { cn: `*.${URL}`, dns: GOOD_DNS, issuer: int });
    pki.issue('nc-root', { cn: 'Constrained Root', ca: true, extensions: ['nameConstraints=critical,permitted;DNS:.corp.internal'] });
    pki.issue('under-nc-root', { cn: `*.${URL}`, dns: GOOD_DNS, issuer: 'nc-root' });
  });

  test("fails when an intermediate's permitted subtrees leave out the leaf's names, as openssl verify does (error 47)", () => {
    expect(opensslVerdict('under-nc-elsewhere', ['nc-elsewhere'], 'root')).toBe('47');
    expect(findings(['under-nc-elsewhere', 'nc-elsewhere', 'root'])).toEqual([
      expect.objectContaining({
        code: 'chain-name-not-permitted',
        severity: 'error',
        message:
          'certificate 2 (CN=Corp Int) has name constraints (permitted: .corp.internal; excluded: none) that do not allow the ' +
          "leaf's *.runai.example.com, runai.example.com, so browsers and Go refuse the chain; have the certificate issued by a CA whose constraints allow these names",
      }),
    ]);
  });

  test('a constraint the names are in (the domain itself and its subdomains) passes, as openssl verify does', () => {
    expect(opensslVerdict('under-nc-ours', ['nc-ours'], 'root')).toBe('OK');
    expect(codes(findings(['under-nc-ours', 'nc-ours', 'root']))).toEqual([]);
  });

  test("fails when an excluded subtree is one a wildcard covers (Go's matchDomainConstraint and Chrome; OpenSSL does not check it)", () => {
    expect(findings(['under-nc-excluded', 'nc-excluded', 'root'])).toEqual([
      expect.objectContaining({
        code: 'chain-name-not-permitted',
        message: expect.stringContaining(`(permitted: none; excluded: x.${URL}) that do not allow the leaf's *.${URL}, so`),
      }),
    ]);
  });

  test.each(['nc-sibling', 'nc-tld'])(
    "an excluded subtree beside the wildcard's base (%s) passes, as openssl verify and Chrome do (Go 1.25.5 refused it: golang/go#76935)",
    (int) => {
      expect(opensslVerdict(`under-${int}`, [int], 'root')).toBe('OK');
      expect(codes(findings([`under-${int}`, int, 'root']))).toEqual([]);
    },
  );

  test('a constraint written with a trailing dot (example.com.) permits the names under it, as Chrome reads it; Go refuses to parse that CA', () => {
    const chain = ['under-nc-fqdn', 'nc-fqdn', 'root'].map((name) => new X509Certificate(read(pki.file(name))));
    expect(chainAuthority(chain)).toEqual([]);
    // Go's parser.go (domainToReverseLabels): an absolute name in a constraint fails the parse, so
    // Go clients refuse the chain before any name is matched.
    expect(findings(['under-nc-fqdn', 'nc-fqdn', 'root'])).toEqual([
      expect.objectContaining({
        code: 'cert-go-refuses',
        message: expect.stringContaining(`(x509: failed to parse dnsName constraint "example.com.")`),
      }),
    ]);
  });

  // "." is not the empty constraint: Chrome tests for the empty one before it drops the dot, so "." matches no name.
  test('a constraint "." excludes no name, as openssl verify and Chrome read it', () => {
    expect(opensslVerdict('under-nc-dot-excluded', ['nc-dot-excluded'], 'root')).toBe('OK');
    expect(codes(findings(['under-nc-dot-excluded', 'nc-dot-excluded', 'root']))).toEqual([]);
  });

  test('fails when the only permitted subtree is "." (it permits no name, as Chrome reads it)', () => {
    expect(findings(['under-nc-dot-permitted', 'nc-dot-permitted', 'root'])).toEqual([
      expect.objectContaining({ code: 'chain-name-not-permitted', message: expect.stringContaining('(permitted: .; excluded: none)') }),
    ]);
  });

  test('fails when the private CA root the chain ends under constrains it, though the chain does not hold that root', () => {
    const root = new X509Certificate(read(pki.file('nc-root')));
    expect(opensslVerdict('under-nc-root', [], 'nc-root')).toBe('47');
    expect(findings(['under-nc-root'], 'under-nc-root', { privateCa: [root] })).toEqual([
      expect.objectContaining({
        code: 'chain-name-not-permitted',
        message: expect.stringMatching(/^the private CA root CN=Constrained Root \(privateCa\.caFile\) has name constraints/),
      }),
    ]);
  });
});

describe('path length and extended key usage of the CAs above the leaf', () => {
  beforeAll(() => {
    pki.issue('pl0', { cn: 'PL0 Int', ca: true, issuer: 'root', pathLen: 0 });
    pki.issue('pl0-sub', { cn: 'Sub Int', ca: true, issuer: 'pl0' });
    pki.issue('under-pl0-sub', { cn: `*.${URL}`, dns: GOOD_DNS, issuer: 'pl0-sub' });
    pki.issue('under-pl0', { cn: `*.${URL}`, dns: GOOD_DNS, issuer: 'pl0' });
    pki.issue('client-int', { cn: 'Client Int', ca: true, issuer: 'root', eku: 'clientAuth' });
    pki.issue('under-client-int', { cn: `*.${URL}`, dns: GOOD_DNS, issuer: 'client-int' });
    pki.issue('server-int', { cn: 'Server Int', ca: true, issuer: 'root', eku: 'serverAuth,clientAuth' });
    pki.issue('under-server-int', { cn: `*.${URL}`, dns: GOOD_DNS, issuer: 'server-int' });
  });

  test('fails when a CA has more CAs below it than its pathLenConstraint allows, as openssl verify does (error 25)', () => {
    expect(opensslVerdict('under-pl0-sub', ['pl0-sub', 'pl0'], 'root')).toBe('25');
    expect(findings(['under-pl0-sub', 'pl0-sub', 'pl0', 'root'])).toEqual([
      expect.objectContaining({
        code: 'chain-path-too-long',
        message: expect.stringMatching(/^certificate 3 \(CN=PL0 Int\) allows 0 CAs below it \(pathLenConstraint\) and has 1, so/),
      }),
    ]);
  });

  test('a pathlen:0 CA that issues the leaf itself passes, as openssl verify does', () => {
    expect(opensslVerdict('under-pl0', ['pl0'], 'root')).toBe('OK');
    expect(codes(findings(['under-pl0', 'pl0', 'root']))).toEqual([]);
  });

  test('fails when an intermediate lists extended key usages without serverAuth, as openssl verify -purpose sslserver does', () => {
    expect(opensslVerdict('under-client-int', ['client-int'], 'root', ['-purpose', 'sslserver'])).toBe('26');
    expect(findings(['under-client-int', 'client-int', 'root'])).toEqual([
      expect.objectContaining({
        code: 'chain-issuer-no-server-auth',
        message: expect.stringMatching(
          /^certificate 2 \(CN=Client Int\) limits what it issues to extended key usages without serverAuth \(1\.3\.6\.1\.5\.5\.7\.3\.2\)/,
        ),
      }),
    ]);
  });

  test('an intermediate that lists serverAuth among its extended key usages passes', () => {
    expect(opensslVerdict('under-server-int', ['server-int'], 'root', ['-purpose', 'sslserver'])).toBe('OK');
    expect(codes(findings(['under-server-int', 'server-int', 'root']))).toEqual([]);
  });
});

describe('a certificate after the leaf that expires soon', () => {
  beforeAll(() => {
    // The suites check at 2030-01-01: this intermediate has 14 days left, the leaf ten years.
    pki.issue('int-short', { cn: 'Short Int', ca: true, issuer: 'root', end: '20300115000000Z' });
    pki.issue('under-short', { cn: `*.${URL}`, dns: GOOD_DNS, issuer: 'int-short' });
    pki.issue('root-short', { cn: 'Short Root', ca: true, end: '20300110000000Z' });
    pki.issue('under-root-short', { cn: `*.${URL}`, dns: GOOD_DNS, issuer: 'root-short' });
  });

  test('warns when an intermediate expires within --warn-days, naming it and its date', () => {
    expect(findings(['under-short', 'int-short', 'root'])).toEqual([
      {
        code: 'chain-expires-soon',
        severity: 'warning',
        file: 'cert',
        message:
          'certificate 2 (CN=Short Int) expires on 2030-01-15T00:00:00Z, in 14 days, and the chain with it; get its renewal from your CA soon',
      },
    ]);
  });

  test('does not warn when it is further off than --warn-days', () => {
    expect(codes(findings(['under-short', 'int-short', 'root'], 'under-short', { warnDays: 10 }))).toEqual([]);
  });

  test('warns when the private CA root the chain ends under expires soon', () => {
    const root = new X509Certificate(read(pki.file('root-short')));
    expect(findings(['under-root-short'], 'under-root-short', { privateCa: [root] })).toEqual([
      expect.objectContaining({
        code: 'chain-expires-soon',
        message: expect.stringMatching(
          /^the private CA root CN=Short Root \(privateCa\.caFile\) expires on 2030-01-10T00:00:00Z, in 9 days/,
        ),
      }),
    ]);
  });
});

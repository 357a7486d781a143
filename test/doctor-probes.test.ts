/**
 * The doctor's DNS and TLS/HTTP probes against real servers on 127.0.0.1: a DNS server with a
 * wildcard record that can be dropped, misdirected, silent or failing, and node:tls servers
 * presenting the right chain, a controller's default certificate, a chain missing its
 * intermediate, an expired certificate, and nothing at all.
 */
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { clusterNameCheck, resolveName, wildcardCheck } from '../lib/doctor/dns';
import { certificateCheck, defaultCertificateOf, Expectation, httpCheck } from '../lib/doctor/served-certificate';
import { probeTls } from '../lib/doctor/tls-probe';
import {
  closedPort,
  DnsServer,
  DoctorPki,
  Listening,
  makeDoctorPki,
  startDnsServer,
  startPlainServer,
  startSilentServer,
  startTlsServer,
} from './doctor-servers';
import { tempDir } from './helpers';
import { Pki } from './pki';

const URL = 'runai.example.com';
const PROBE = `runai-access-doctor-test.${URL}`;

describe('doctor DNS probe against a DNS server on 127.0.0.1', () => {
  let dns: DnsServer;
  beforeAll(async () => {
    dns = await startDnsServer({});
  });
  afterAll(() => dns.close());
  beforeEach(() => {
    dns.mode = 'answer';
    dns.records = { [URL]: { A: ['127.0.0.1'] }, [`*.${URL}`]: { A: ['127.0.0.1'] } };
  });
  const both = async () => [await resolveName(URL, dns.address, 1000), await resolveName(PROBE, dns.address, 1000)] as const;

  test('the cluster name and a random name under it resolve to the same address: both checks pass', async () => {
    const [apex, probe] = await both();
    expect(apex.addresses).toEqual(['127.0.0.1']);
    expect(clusterNameCheck(apex, dns.address, 1000)).toMatchObject({ status: 'pass', detail: `${URL} -> 127.0.0.1` });
    expect(wildcardCheck('dns.wildcard', URL, apex, probe, dns.address, 1000)).toMatchObject({
      status: 'pass',
      detail: `${PROBE} -> 127.0.0.1, the same as ${URL}`,
    });
    expect(dns.queries.map((q) => `${q.name} ${q.type}`)).toEqual(expect.arrayContaining([`${PROBE} A`, `${PROBE} AAAA`]));
  });

  test('fails when the wildcard record is missing, and says which record to add', async () => {
    delete dns.records[`*.${URL}`];
    const [apex, probe] = await both();
    expect(probe).toEqual({ name: PROBE, addresses: [], error: 'ENOTFOUND' });
    const c = wildcardCheck('dns.wildcard', URL, apex, probe, dns.address, 1000);
    expect(c.status).toBe('fail');
    expect(c.detail).toBe(`${PROBE}: no such name (NXDOMAIN) from DNS server ${dns.address}: the wildcard record *.${URL} is missing`);
    expect(c.fix).toBe(`add a DNS record *.${URL} pointing at the address of ${URL} (127.0.0.1) (A record, or CNAME ${URL})`);
  });

  test('fails when the wildcard points elsewhere than the cluster name', async () => {
    dns.records[`*.${URL}`] = { A: ['127.0.0.9'] };
    const [apex, probe] = await both();
    const c = wildcardCheck('dns.wildcard', URL, apex, probe, dns.address, 1000);
    expect(c).toMatchObject({ status: 'fail', detail: `${PROBE} -> 127.0.0.9, but ${URL} -> 127.0.0.1: *.${URL} points elsewhere` });
    expect(c.fix).toContain(`point *.${URL} at the address of ${URL} (127.0.0.1)`);
  });

  test('fails when the cluster name has no record at all', async () => {
    dns.records = {};
    const [apex] = await both();
    const c = clusterNameCheck(apex, dns.address, 1000);
    expect(c).toMatchObject({ status: 'fail', detail: `${URL}: no such name (NXDOMAIN) from DNS server ${dns.address}` });
    expect(c.fix).toContain(`create an A record (or CNAME) for ${URL}`);
  });

  test('fails when the name exists without an address record (NODATA)', async () => {
    dns.records[URL] = {};
    const apex = await resolveName(URL, dns.address, 1000);
    expect(clusterNameCheck(apex, dns.address, 1000).detail).toBe(
      `${URL}: the name exists but has no A or AAAA record (DNS server ${dns.address})`,
    );
  });

  test('fails with a timeout when the server drops every query, within the probe limit', async () => {
    dns.mode = 'drop';
    const apex = await resolveName(URL, dns.address, 300);
    expect(apex.error).toBe('ETIMEOUT');
    const c = clusterNameCheck(apex, dns.address, 300);
    expect(c.detail).toBe(`${URL}: no answer from DNS server ${dns.address} within 0.3 s`);
    // The server given with --dns is the one to check; without --dns, the one to pass is said too.
    expect(c.fix).toBe(`check that ${dns.address} answers for ${URL}`);
    expect(clusterNameCheck(apex, undefined, 300).fix).toBe(
      `check that your DNS server answers for ${URL} (with split-horizon DNS, pass --dns IP[:PORT] of the server researchers use)`,
    );
  });

  test('fails when nothing answers on the DNS port (refused): the fix is the server, not a record', async () => {
    const server = `127.0.0.1:${await closedPort()}`;
    const probe = await resolveName(PROBE, server, 1000);
    expect(probe.error).toBe('ECONNREFUSED');
    const c = wildcardCheck('dns.wildcard', URL, { name: URL, addresses: [] }, probe, server, 1000);
    expect(c).toMatchObject({ status: 'fail', detail: `${PROBE}: nothing answers DNS at ${server} (connection refused)` });
    expect(c.fix).toBe(`check the address and port given to --dns: nothing listens for DNS at ${server}`);
  });

  test('fails when the server answers REFUSED: the fix is the server, not a record', async () => {
    dns.mode = 'refused';
    const probe = await resolveName(PROBE, dns.address, 1000);
    expect(probe.error).toBe('EREFUSED');
    const c = wildcardCheck('dns.wildcard', URL, { name: URL, addresses: [] }, probe, dns.address, 1000);
    expect(c).toMatchObject({
      status: 'fail',
      detail: `${PROBE}: DNS server ${dns.address} answered REFUSED (it will not resolve the name for this client)`,
    });
    expect(c.fix).toBe(`check that ${dns.address} answers for names under ${URL}`);
  });

  test('fails when the server answers SERVFAIL', async () => {
    dns.mode = 'servfail';
    const probe = await resolveName(PROBE, dns.address, 1000);
    expect(probe.error).toBe('ESERVFAIL');
    expect(wildcardCheck('dns.wildcard', URL, { name: URL, addresses: [] }, probe, dns.address, 1000).detail).toContain(
      'answered SERVFAIL',
    );
  });
});

describe('doctor TLS and HTTP probe against node:tls servers on 127.0.0.1', () => {
  let pki: DoctorPki;
  const servers: Listening[] = [];
  let right: Listening, fake: Listening, noIntermediate: Listening, expired: Listening, silent: Listening, mute: Listening;
  let configured: string;
  const expect_ = (over: Partial<Expectation> = {}): Expectation => ({
    fingerprint256: configured,
    source: 'files',
    secret: 'runai/runai-cluster-domain-star-tls-secret',
    wiredBy: 'Ingress runai/runai-cluster-domain-star-ingress',
    watchedBy: 'IngressClass nginx',
    ...over,
  });
  const probe = (port: number, ms = 2000) =>
    probeTls({ address: '127.0.0.1', port, servername: PROBE, timeoutMs: ms, extraCa: [fs.readFileSync(pki.root, 'latin1')] });

  beforeAll(async () => {
    pki = makeDoctorPki(path.join(tempDir(), 'pki'));
    configured = new X509Certificate(fs.readFileSync(pki.leafOnly)).fingerprint256;
    servers.push((right = await startTlsServer(pki.fullchain, pki.leafKey)));
    servers.push((fake = await startTlsServer(pki.fake, pki.fakeKey)));
    servers.push((noIntermediate = await startTlsServer(pki.leafOnly, pki.leafKey)));
    servers.push((expired = await startTlsServer(pki.expired, pki.expiredKey)));
    servers.push((silent = await startSilentServer()));
    servers.push((mute = await startTlsServer(pki.fullchain, pki.leafKey, { http: false })));
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  test('the right chain passes: the configured certificate, chain complete under the private CA, and any HTTP answer', async () => {
    const r = await probe(right.port);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.chain.map((c) => c.subject)).toEqual(['CN=*.runai.example.com', 'CN=Doctor Test Intermediate', 'CN=Doctor Test Root CA']);
    expect(r.authorized).toBe(true);
    const c = certificateCheck('tls.workspace', PROBE, `127.0.0.1:${right.port}`, r, expect_(), 2000);
    expect(c.status).toBe('pass');
    expect(c.detail).toBe(
      `127.0.0.1:${right.port} (SNI ${PROBE}) served the configured certificate, issued by CN=Doctor Test Intermediate, valid until 2040-01-01, chain complete`,
    );
    expect(httpCheck(PROBE, r, 2000, c.status === 'pass')).toMatchObject({
      status: 'pass',
      detail: `GET https://${PROBE}/ answered "HTTP/1.1 404 Not Found": routing reaches the controller`,
    });
  });

  test("a server's status line reaches the report as printable text, so that it cannot forge a line or colour the terminal", async () => {
    const forged = await startTlsServer(pki.fullchain, pki.leafKey, {
      statusLine: `HTTP/1.1 200 OK\rerror: forged \u001b[31m${'x'.repeat(300)}\nerror: another line`,
    });
    servers.push(forged);
    const r = await probe(forged.port);
    const shown = 'HTTP/1.1 200 OK?error: forged ?[31m'; // then x up to 100 characters; the line ends at the LF
    expect(httpCheck(PROBE, r, 2000, true)).toMatchObject({
      status: 'pass',
      detail: `GET https://${PROBE}/ answered "${shown.padEnd(100, 'x')}...": routing reaches the controller`,
    });
  });

  test('an answer with bare LF line ends (RFC 9112 lets a client take them) is an answer, not a closed connection', async () => {
    const lf = await startTlsServer(pki.fullchain, pki.leafKey, { answer: 'HTTP/1.1 200 OK\ncontent-length: 0\n\n' });
    servers.push(lf);
    const r = await probe(lf.port);
    expect(httpCheck(PROBE, r, 2000, true)).toMatchObject({
      status: 'pass',
      detail: `GET https://${PROBE}/ answered "HTTP/1.1 200 OK": routing reaches the controller`,
    });
  });

  test('with cert-manager (no fingerprint in the config) the names and issuer are checked', async () => {
    const r = await probe(right.port);
    const c = certificateCheck('tls.workspace', PROBE, 'x', r, expect_({ fingerprint256: undefined, source: 'cert-manager' }), 2000);
    expect(c).toMatchObject({ status: 'pass' });
    expect(c.detail).toContain('CN=*.runai.example.com (source cert-manager: names and issuer checked)');
  });

  test('fails when the controller serves its default certificate, naming it and the likely causes', async () => {
    const r = await probe(fake.port);
    if (!r.ok) throw new Error('no handshake');
    expect(defaultCertificateOf(r.chain[0])).toBe('ingress-nginx');
    const c = certificateCheck('tls.workspace', PROBE, 'lb:443', r, expect_(), 2000);
    expect(c.status).toBe('fail');
    expect(c.detail).toBe(
      `lb:443 (SNI ${PROBE}) served the default certificate of ingress-nginx (CN=Kubernetes Ingress Controller Fake Certificate): the controller has no certificate for this name`,
    );
    // A controller's own default certificate: it is the controller that answers.
    expect(httpCheck(PROBE, r, 2000, c.status === 'pass')).toMatchObject({
      status: 'pass',
      detail: `GET https://${PROBE}/ answered "HTTP/1.1 404 Not Found": routing reaches the controller`,
    });
    expect(c.fix).toContain(
      'Secret runai/runai-cluster-domain-star-tls-secret is missing or in another namespace than Ingress runai/runai-cluster-domain-star-ingress',
    );
    expect(c.fix).toContain('IngressClass nginx is one no running controller watches');
    expect(c.fix).toContain('did not parse');
  });

  test('fails when the chain lacks its intermediate, naming the missing issuer', async () => {
    const r = await probe(noIntermediate.port);
    if (!r.ok) throw new Error('no handshake');
    expect(r.authorized).toBe(false);
    const c = certificateCheck('tls.workspace', PROBE, 'lb:443', r, expect_(), 2000);
    expect(c.status).toBe('fail');
    expect(c.detail).toBe(
      `lb:443 (SNI ${PROBE}) served an incomplete chain: only the leaf CN=*.runai.example.com, without its issuer CN=Doctor Test Intermediate (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`,
    );
    expect(c.fix).toContain('must hold the leaf, then every intermediate (fullchain.pem)');
  });

  test('fails when an intermediate has expired, naming it (OpenSSL says CERT_HAS_EXPIRED; it was taken for an untrusted root)', async () => {
    const own = new Pki(path.join(tempDir(), 'pki'));
    own.issue('root', { cn: 'Own Root', ca: true });
    own.issue('old-int', { cn: 'Old Int', ca: true, issuer: 'root', start: '20200101000000Z', end: '20260101000000Z' });
    own.issue('leaf', {
      cn: '*.runai.example.com',
      dns: ['*.runai.example.com', 'runai.example.com'],
      issuer: 'old-int',
      end: '20400101000000Z',
    });
    const server = await startTlsServer(own.chain('chain.pem', 'leaf', 'old-int', 'root'), own.file('leaf', 'key'));
    servers.push(server);
    const r = await probeTls({
      address: '127.0.0.1',
      port: server.port,
      servername: PROBE,
      timeoutMs: 2000,
      extraCa: [fs.readFileSync(own.file('root'), 'latin1')],
    });
    if (!r.ok) throw new Error('no handshake');
    const leaf = new X509Certificate(fs.readFileSync(own.file('leaf'))).fingerprint256;
    const c = certificateCheck('tls.workspace', PROBE, 'lb:443', r, expect_({ fingerprint256: leaf }), 2000);
    expect(c).toMatchObject({ status: 'fail' });
    expect(c.detail).toBe(`lb:443 (SNI ${PROBE}) served a chain whose CA certificate CN=Old Int expired on 2026-01-01 (CERT_HAS_EXPIRED)`);
    expect(c.fix).toBe(
      "put your CA's current intermediate after the leaf in the certificate file (or the Secret runai/runai-cluster-domain-star-tls-secret) and apply",
    );
  });

  test('fails when the private CA is not configured: the chain ends in an untrusted root', async () => {
    const r = await probeTls({ address: '127.0.0.1', port: right.port, servername: PROBE, timeoutMs: 2000 });
    if (!r.ok) throw new Error('no handshake');
    const c = certificateCheck('tls.workspace', PROBE, 'lb:443', r, expect_(), 2000);
    expect(c).toMatchObject({ status: 'fail' });
    expect(c.detail).toBe(
      `lb:443 (SNI ${PROBE}) served 2 certificates ending in CN=Doctor Test Intermediate, whose issuer CN=Doctor Test Root CA is neither sent nor a trusted root (UNABLE_TO_GET_ISSUER_CERT_LOCALLY)`,
    );
    expect(c.fix).toContain('if CN=Doctor Test Root CA is your private CA, set privateCa.caFile');
  });

  test('fails when the served certificate has expired', async () => {
    const r = await probe(expired.port);
    const c = certificateCheck('tls.workspace', PROBE, 'lb:443', r, expect_({ fingerprint256: undefined, source: 'cert-manager' }), 2000);
    expect(c).toMatchObject({ status: 'fail', detail: `lb:443 (SNI ${PROBE}) served CN=*.runai.example.com, which expired on 2021-01-01` });
    expect(c.fix).toBe('cert-manager did not renew it: kubectl describe certificate -n runai');
  });

  test('fails when the served certificate is not the configured one', async () => {
    const r = await probe(expired.port);
    const c = certificateCheck('tls.workspace', PROBE, 'lb:443', r, expect_(), 2000);
    expect(c.status).toBe('fail');
    expect(c.detail).toMatch(
      /served CN=\*\.runai\.example\.com valid until 2021-01-01 \(SHA-256 [0-9A-F:]+…\), not the configured certificate/,
    );
    // A certificate for the probed name, refused for its dates: the cluster's controller answers.
    expect(httpCheck(PROBE, r, 2000, c.status === 'pass')).toMatchObject({ status: 'pass' });
  });

  test('skips HTTP when the answer comes over a certificate for other names (a proxy on the way): it may not be the controller', async () => {
    const other = new Pki(tempDir());
    other.issue('proxy', { cn: 'egress proxy', dns: ['proxy.example.net'] });
    const s = await startTlsServer(other.file('proxy'), other.file('proxy', 'key'));
    servers.push(s);
    const r = await probe(s.port);
    const c = certificateCheck('tls.workspace', PROBE, 'lb:443', r, expect_(), 2000);
    expect(c.status).toBe('fail');
    expect(httpCheck(PROBE, r, 2000, c.status === 'pass')).toEqual({
      name: 'http.workspace',
      step: 'HTTP',
      status: 'skip',
      detail:
        `GET https://${PROBE}/ answered "HTTP/1.1 404 Not Found", but over a connection whose certificate tls.workspace refused: ` +
        "what answered may not be the cluster's controller",
      fix: 'fix tls.workspace first',
    });
  });

  test('fails with a timeout when a server accepts and never speaks TLS, and skips HTTP', async () => {
    const r = await probe(silent.port, 300);
    expect(r).toEqual({ ok: false, code: 'ETIMEDOUT' });
    expect(certificateCheck('tls.workspace', PROBE, 'lb:443', r, expect_(), 300).detail).toBe('no TLS handshake with lb:443 within 0.3 s');
    expect(httpCheck(PROBE, r, 300, false)).toMatchObject({ status: 'skip' });
  });

  test('fails when nothing listens (connection refused)', async () => {
    const r = await probe(await closedPort());
    expect(r).toEqual({ ok: false, code: 'ECONNREFUSED' });
    expect(certificateCheck('tls.workspace', PROBE, 'lb:443', r, expect_(), 2000)).toMatchObject({
      status: 'fail',
      detail: 'lb:443 refused the connection',
    });
  });

  describe('a failed handshake says what the server did and what to check', () => {
    const failure = async (server: Promise<Listening>) => {
      const s = await server;
      servers.push(s);
      const r = await probe(s.port);
      return certificateCheck('tls.workspace', PROBE, 'lb:443', r, expect_(), 2000);
    };

    test('a reset is strict SNI or a load balancer without a backend, not strict SNI alone', async () => {
      expect(await failure(startPlainServer('reset'))).toMatchObject({
        status: 'fail',
        detail: `lb:443 closed the connection during the handshake (SNI ${PROBE})`,
        fix:
          'a controller with strict SNI does this for a name it has no certificate for (check the Secret and Ingress below); ' +
          'so does a load balancer with no healthy backend, or a firewall',
      });
    });

    test('plain HTTP on the TLS port', async () => {
      expect(await failure(startPlainServer({ text: 'HTTP/1.1 400 Bad Request\r\n\r\n' }))).toMatchObject({
        status: 'fail',
        detail: 'lb:443 answered the TLS handshake with something else (plain HTTP on this port?)',
      });
    });

    test('a server that asks for a client certificate: TLS 1.3 refuses it after the handshake, so the HTTP check says so', async () => {
      const s = await startTlsServer(pki.fullchain, pki.leafKey, { requestCert: true });
      servers.push(s);
      const r = await probe(s.port);
      expect(certificateCheck('tls.workspace', PROBE, 'lb:443', r, expect_(), 2000).status).toBe('pass');
      expect(httpCheck(PROBE, r, 2000, true)).toEqual({
        name: 'http.workspace',
        step: 'HTTP',
        status: 'fail',
        detail: `GET https://${PROBE}/ was refused: the server asks for a client certificate (mutual TLS)`,
        fix: 'browsers without one are refused too: client certificate authentication is set on the controller or the load balancer',
      });
    });

    test('a TLS 1.2 server that wants a client certificate ends the handshake itself: a handshake failure, with that among its causes', async () => {
      expect(await failure(startTlsServer(pki.fullchain, pki.leafKey, { requestCert: true, maxVersion: 'TLSv1.2' }))).toMatchObject({
        status: 'fail',
        detail: `lb:443 (SNI ${PROBE}) ended the TLS handshake with a handshake failure`,
        fix: expect.stringContaining('with TLS 1.2, wants a client certificate (mutual TLS)'),
      });
    });

    test('a server that speaks only HTTP/2', async () => {
      expect(await failure(startTlsServer(pki.fullchain, pki.leafKey, { alpn: ['h2'] }))).toMatchObject({
        status: 'fail',
        detail: `lb:443 (SNI ${PROBE}) refused HTTP/1.1 (ALPN): it speaks only another protocol, such as HTTP/2`,
      });
    });
  });

  test('fails HTTP when the handshake works but no HTTP answer comes', async () => {
    const r = await probe(mute.port, 400);
    expect(r).toMatchObject({ ok: true, httpError: 'timeout' });
    expect(certificateCheck('tls.workspace', PROBE, 'lb:443', r, expect_(), 400).status).toBe('pass');
    expect(httpCheck(PROBE, r, 400, true)).toMatchObject({
      status: 'fail',
      detail: `GET https://${PROBE}/ got no HTTP answer: no answer within 0.4 s`,
    });
  });
});

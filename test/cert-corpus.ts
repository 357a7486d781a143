/**
 * The certificate-and-key corpus: the forms admins really have (PKCS#1, PKCS#8 and SEC1 keys,
 * CRLF, a BOM, `openssl pkcs12 -nodes` output, chains in every order) and the ones Go refuses
 * (negative serials, duplicate extensions, odd curves and key types). Built with openssl at
 * test time from the fixed-date test PKI (test/pki.ts), so no form ever expires; the keys are
 * new on every run, the verdicts are not. Ported from the research script make-corpus.sh.
 */
import { execFileSync } from 'node:child_process';
import { createECDH, createPrivateKey, sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { SHARED_FIXTURES_ENV } from './helpers';
import { Pki } from './pki';

export const CORPUS_URL = 'runai.example.com';
const DNS = [`*.${CORPUS_URL}`, CORPUS_URL];

/** One form: what it is, and its two files. */
export interface Form {
  readonly note: string;
  readonly cert: string;
  readonly key: string;
}

/** The corpus in `dir`: every form, and the test root a client trusts. */
export interface Corpus {
  readonly root: string;
  readonly forms: Readonly<Record<string, Form>>;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A DER element with its header: `tag`, `length`, then `content`. */
export function der(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
}

/** The whole elements (header included) inside a DER SEQUENCE. */
export function elements(seq: Buffer): Buffer[] {
  const out: Buffer[] = [];
  const headerOf = (b: Buffer, at: number) => (b[at + 1] & 0x80 ? 2 + (b[at + 1] & 0x7f) : 2);
  const lengthOf = (b: Buffer, at: number) => {
    if (!(b[at + 1] & 0x80)) return b[at + 1];
    let n = 0;
    for (let i = 0; i < (b[at + 1] & 0x7f); i++) n = n * 256 + b[at + 2 + i];
    return n;
  };
  const body = seq.subarray(headerOf(seq, 0));
  for (let at = 0; at < body.length;) {
    const end = at + headerOf(body, at) + lengthOf(body, at);
    out.push(body.subarray(at, end));
    at = end;
  }
  return out;
}

export const pemOf = (derBytes: Buffer, label = 'CERTIFICATE') =>
  `-----BEGIN ${label}-----\n${derBytes.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
export const derOf = (pem: string) => Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');

/**
 * Changes a certificate's TBSCertificate bytes (same length) and signs it again with the
 * issuer's key, so the result still chains: how forms Go refuses and OpenSSL signs are made.
 */
function resign(certFile: string, issuerKeyFile: string, edit: (tbs: Buffer) => void): string {
  const [tbs, algorithm] = elements(derOf(fs.readFileSync(certFile, 'utf8')));
  const copy = Buffer.from(tbs);
  edit(copy);
  const signature = sign('sha256', copy, createPrivateKey(fs.readFileSync(issuerKeyFile)));
  return pemOf(der(0x30, Buffer.concat([copy, algorithm, der(0x03, Buffer.concat([Buffer.from([0]), signature]))])));
}

/**
 * A certificate with another subject public key (`spki`, a whole SubjectPublicKeyInfo element),
 * signed again with the issuer's key: a key OpenSSL would never make, in a certificate that still
 * chains.
 */
export function withPublicKey(certFile: string, issuerKeyFile: string, spki: Buffer): string {
  const [tbs, algorithm] = elements(derOf(fs.readFileSync(certFile, 'utf8')));
  const fields = elements(tbs);
  fields[fields[0][0] === 0xa0 ? 6 : 5] = spki;
  const newTbs = der(0x30, Buffer.concat(fields));
  const signature = sign('sha256', newTbs, createPrivateKey(fs.readFileSync(issuerKeyFile)));
  return pemOf(der(0x30, Buffer.concat([newTbs, algorithm, der(0x03, Buffer.concat([Buffer.from([0]), signature]))])));
}

/**
 * A certificate (signed by an EC key with SHA-256) whose signature algorithm outside the signed
 * part says SHA-384 while the one inside still says SHA-256: Go refuses to parse it.
 */
function mismatchedAlgorithm(certFile: string): string {
  const [tbs, algorithm, signature] = elements(derOf(fs.readFileSync(certFile, 'utf8')));
  const outer = Buffer.from(algorithm);
  patch(outer, '2a8648ce3d040302', '2a8648ce3d040303');
  return pemOf(der(0x30, Buffer.concat([tbs, outer, signature])));
}

/** Replaces the first occurrence of `from` (hex) by `to` (hex, same length) in `buf`. */
function patch(buf: Buffer, from: string, to: string): void {
  const at = buf.indexOf(Buffer.from(from, 'hex'));
  if (at < 0) throw new Error(`corpus: ${from} not found`);
  Buffer.from(to, 'hex').copy(buf, at);
}

/** Builds every form under `dir`: 1 to 2 s on these machines, most of it openssl. */
export function buildCorpus(dir: string): Corpus {
  const pki = new Pki(path.join(dir, 'pki'), 'corpus');
  const sh = (...args: string[]) => execFileSync('openssl', args, { cwd: pki.dir, stdio: 'pipe' });
  const text = (file: string) => fs.readFileSync(file, 'utf8');
  pki.issue('root', { cn: 'Test Root', ca: true });
  pki.issue('int', { cn: 'Test Int', ca: true, issuer: 'root' });
  const leaf = (name: string, o: Partial<Parameters<Pki['issue']>[1]> = {}) =>
    pki.issue(name, { cn: `*.${CORPUS_URL}`, dns: DNS, issuer: 'int', ...o });
  leaf('rsa', { key: 2048 });
  leaf('ec');
  leaf('other', { key: 2048 });
  for (const key of [
    'ed25519',
    'ed448',
    'rsa-pss',
    'p384',
    'p521',
    'secp256k1',
    'sm2',
    'ec-explicit',
    'dsa',
    'rsa-large-e',
    'rsa-3-primes',
  ] as const)
    leaf(key, { key });
  leaf('rsa512', { key: 512 });
  leaf('rsa1024', { key: 1024 });
  leaf('sha1', { md: 'sha1' });
  leaf('no-san', { dns: [] });
  leaf('expired', { start: '20200101000000Z', end: '20210101000000Z' });
  leaf('future', { start: '20350101000000Z', end: '20400101000000Z' });
  leaf('zero-serial', { serial: '00' });
  leaf('long-serial', { serial: '7F0102030405060708090A0B0C0D0E0F1011121314' });
  leaf('critical-ski', { extensions: ['subjectKeyIdentifier=critical,hash'] });
  leaf('critical-unknown', { extensions: ['1.2.3.4.5=critical,DER:0500'] });
  leaf('critical-standard', {
    extensions: [
      'extendedKeyUsage=critical,serverAuth',
      `subjectAltName=critical,${DNS.map((d) => `DNS:${d}`).join(',')}`,
      'certificatePolicies=critical,2.23.140.1.2.1',
    ],
  });
  leaf('dup-pre', { extensions: [`issuerAltName=${DNS.map((d) => `DNS:${d}`).join(',')}`] });
  // Intermediates with the same key and name as `int`, so the leaves still chain under them.
  const reissueInt = (name: string, start: string, end: string) => {
    fs.copyFileSync(pki.file('int', 'key'), pki.file(name, 'key'));
    sh('req', '-new', '-config', 'ca.cnf', '-key', pki.file(name, 'key'), '-subj', '/CN=Test Int', '-out', `${name}.csr`);
    fs.writeFileSync(path.join(pki.dir, `${name}.ext`), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
    sh(
      'ca',
      '-batch',
      '-notext',
      '-config',
      'ca.cnf',
      '-in',
      `${name}.csr`,
      '-out',
      pki.file(name),
      '-startdate',
      start,
      '-enddate',
      end,
      '-md',
      'sha256',
      '-extfile',
      `${name}.ext`,
      '-cert',
      pki.file('root'),
      '-keyfile',
      pki.file('root', 'key'),
    );
  };
  reissueInt('int-expired', '20200101000000Z', '20210101000000Z');
  reissueInt('int-future', '20350101000000Z', '20400101000000Z');
  // Serial 0x0N (one octet, after the version [0]) becomes 0xFF: -1.
  const negativeSerial = (tbs: Buffer) => {
    const at = tbs.indexOf(Buffer.from('a0030201020201', 'hex'));
    if (at < 0) throw new Error('corpus: no one-octet serial');
    tbs[at + 7] = 0xff;
  };
  const negLeaf = resign(pki.file('rsa'), pki.file('int', 'key'), negativeSerial);
  const negInt = resign(pki.file('int'), pki.file('root', 'key'), negativeSerial);
  // issuerAltName (2.5.29.18) becomes a second subjectAltName (2.5.29.17).
  const algorithmMismatch = mismatchedAlgorithm(pki.file('ec'));
  const dupSan = resign(pki.file('dup-pre'), pki.file('int', 'key'), (tbs) => patch(tbs, '0603551d12', '0603551d11'));

  sh('pkey', '-in', pki.file('rsa', 'key'), '-traditional', '-out', 'rsa.pkcs1.key');
  sh('ec', '-in', pki.file('ec', 'key'), '-out', 'ec.sec1.key');
  sh('ecparam', '-name', 'prime256v1', '-out', 'ec.params');
  sh('pkcs8', '-topk8', '-in', pki.file('rsa', 'key'), '-v2', 'aes-256-cbc', '-passout', 'pass:x', '-out', 'enc8.key');
  sh('rsa', '-in', pki.file('rsa', 'key'), '-traditional', '-aes256', '-passout', 'pass:x', '-out', 'enc1.key');
  sh('x509', '-in', pki.file('rsa'), '-outform', 'DER', '-out', 'rsa.der');
  sh('x509', '-in', pki.file('rsa'), '-trustout', '-addtrust', 'serverAuth', '-out', 'rsa.trusted');
  sh(
    'pkcs12',
    '-export',
    '-inkey',
    pki.file('rsa', 'key'),
    '-in',
    pki.file('rsa'),
    '-certfile',
    pki.file('int'),
    '-passout',
    'pass:x',
    '-name',
    'runai',
    '-out',
    'bag.p12',
  );
  sh('pkcs12', '-in', 'bag.p12', '-passin', 'pass:x', '-nodes', '-out', 'bag.pem');
  const bagRecords = text(path.join(pki.dir, 'bag.pem')).match(/Bag Attributes[\s\S]*?-----END [A-Z ]+-----\n/g) ?? [];

  const crt = (name: string) => text(pki.file(name));
  const key = (name: string) => text(pki.file(name, 'key'));
  const p = (file: string) => text(path.join(pki.dir, file));
  const chain = crt('rsa') + crt('int');
  const rsaKey = key('rsa');
  const withInt = (name: string) => crt(name) + crt('int');
  const crlf = (s: string) => s.replace(/\n/g, '\r\n');
  const indent = (s: string) => s.replace(/^/gm, '  ').replace(/ {2}$/, '');
  const blankInBody = (s: string) => s.replace(/^((?:.*\n){2})/, '$1\n');
  // The SEC1 key of `ec` with another P-256 key's public point in place of its own (the last 65 bytes).
  const ecSec1 = derOf(p('ec.sec1.key'));
  const otherPoint = createECDH('prime256v1');
  otherPoint.generateKeys();
  const storedPointOfAnother = pemOf(Buffer.concat([ecSec1.subarray(0, -65), otherPoint.getPublicKey()]), 'EC PRIVATE KEY');

  const forms: Record<string, [note: string, cert: string | Buffer, key: string | Buffer]> = {
    'pkcs1-rsa': ['RSA-2048 leaf + intermediate; key as PKCS#1 (BEGIN RSA PRIVATE KEY)', chain, p('rsa.pkcs1.key')],
    'pkcs8-rsa': ['RSA-2048 leaf + intermediate; key as PKCS#8 (BEGIN PRIVATE KEY)', chain, rsaKey],
    'sec1-ec': ['P-256 leaf + intermediate; key as SEC1 (BEGIN EC PRIVATE KEY)', withInt('ec'), p('ec.sec1.key')],
    'sec1-ec-with-params': [
      'P-256; BEGIN EC PARAMETERS, then BEGIN EC PRIVATE KEY (openssl ecparam -genkey)',
      withInt('ec'),
      p('ec.params') + p('ec.sec1.key'),
    ],
    'pkcs8-ec': ['P-256; key as PKCS#8', withInt('ec'), key('ec')],
    'ec-stored-point-of-another-key': [
      "P-256; the leaf's SEC1 key with another key's public point stored beside its private value",
      withInt('ec'),
      storedPointOfAnother,
    ],
    crlf: ['pkcs8-rsa with CRLF line ends in both files', crlf(chain), crlf(rsaKey)],
    'cr-line-ends': [
      'pkcs8-rsa with lone CR line ends (classic Mac OS) in both files',
      chain.replace(/\n/g, '\r'),
      rsaKey.replace(/\n/g, '\r'),
    ],
    'bom-cert': [
      'a UTF-8 BOM before the first -----BEGIN of tls.crt (leaf + intermediate)',
      Buffer.concat([BOM, Buffer.from(chain)]),
      rsaKey,
    ],
    'bom-cert-leaf-only': ['a UTF-8 BOM before the only certificate', Buffer.concat([BOM, Buffer.from(crt('rsa'))]), rsaKey],
    'bom-key': ['a UTF-8 BOM before -----BEGIN of tls.key', chain, Buffer.concat([BOM, Buffer.from(rsaKey)])],
    'bag-attributes': [
      'openssl pkcs12 -nodes output: Bag Attributes, subject= and issuer= text before every block',
      bagRecords.filter((r) => !r.includes('PRIVATE KEY')).join(''),
      bagRecords.filter((r) => r.includes('PRIVATE KEY')).join(''),
    ],
    'blank-lines': ['blank lines before, between and after blocks', `\n\n${crt('rsa')}\n\n${crt('int')}\n\n`, `\n\n${rsaKey}\n\n`],
    'blank-line-in-body': [
      'a blank line inside the base64 of the leaf and of the key',
      blankInBody(crt('rsa')) + crt('int'),
      blankInBody(rsaKey),
    ],
    'leading-text': [
      'a comment line before the first -----BEGIN of each file',
      `# leaf for *.${CORPUS_URL}\n${chain}`,
      `# private key\n${rsaKey}`,
    ],
    'no-final-newline': ['no newline after the last -----END line', chain.trimEnd(), rsaKey.trimEnd()],
    indented: ['every line indented by two spaces (pasted from YAML)', indent(chain), indent(rsaKey)],
    'trailing-root': ['leaf, intermediate, root', chain + crt('root'), rsaKey],
    'missing-intermediate': ['leaf only (its intermediate absent)', crt('rsa'), rsaKey],
    'reversed-chain': ['intermediate first, then leaf', crt('int') + crt('rsa'), rsaKey],
    'mismatched-key': ["another RSA-2048 key than the leaf's", chain, key('other')],
    'key-in-cert-file': ['tls.crt holds key + leaf + intermediate', rsaKey + chain, rsaKey],
    'swapped-files': ['key in tls.crt, chain in tls.key', rsaKey, chain],
    'encrypted-pkcs8-key': ['BEGIN ENCRYPTED PRIVATE KEY', chain, p('enc8.key')],
    'encrypted-pkcs1-key': ['legacy encrypted PKCS#1 (Proc-Type: 4,ENCRYPTED)', chain, p('enc1.key')],
    'der-cert': ['tls.crt in DER', fs.readFileSync(path.join(pki.dir, 'rsa.der')), rsaKey],
    'trusted-certificate': [
      'leaf as BEGIN TRUSTED CERTIFICATE (openssl x509 -trustout), then intermediate',
      p('rsa.trusted') + crt('int'),
      rsaKey,
    ],
    'ed25519-leaf': ['Ed25519 leaf', withInt('ed25519'), key('ed25519')],
    'ed448-leaf': ['Ed448 leaf', withInt('ed448'), key('ed448')],
    'rsa512-leaf': ['RSA-512 leaf', withInt('rsa512'), key('rsa512')],
    'rsa1024-leaf': ['RSA-1024 leaf', withInt('rsa1024'), key('rsa1024')],
    'rsa-pss-leaf': ['RSASSA-PSS (id-RSASSA-PSS) leaf key', withInt('rsa-pss'), key('rsa-pss')],
    'rsa-three-primes-leaf': ['RSA-2048 leaf whose key has three primes', withInt('rsa-3-primes'), key('rsa-3-primes')],
    'rsa-large-exponent-leaf': ['RSA-2048 leaf with the public exponent 2^32+1', withInt('rsa-large-e'), key('rsa-large-e')],
    'p384-leaf': ['ECDSA P-384 leaf', withInt('p384'), key('p384')],
    'p521-leaf': ['ECDSA P-521 leaf', withInt('p521'), key('p521')],
    'secp256k1-leaf': ['ECDSA secp256k1 leaf', withInt('secp256k1'), key('secp256k1')],
    'sm2-leaf': ['SM2 leaf (an EC key on the SM2 curve)', withInt('sm2'), key('sm2')],
    'ec-explicit-params': ['P-256 key with explicit curve parameters', withInt('ec-explicit'), key('ec-explicit')],
    'dsa-leaf': ['DSA leaf', withInt('dsa'), key('dsa')],
    'sha1-leaf': ['leaf signed with SHA-1', withInt('sha1'), key('sha1')],
    'no-san': ['CN=*.runai.example.com and no subjectAltName', withInt('no-san'), key('no-san')],
    'expired-leaf': ['leaf valid 2020-01-01..2021-01-01', withInt('expired'), key('expired')],
    'not-yet-valid-leaf': ['leaf valid from 2035-01-01', withInt('future'), key('future')],
    'expired-intermediate': ['intermediate valid 2020-01-01..2021-01-01', crt('rsa') + crt('int-expired'), rsaKey],
    'not-yet-valid-intermediate': ['intermediate valid from 2035-01-01', crt('rsa') + crt('int-future'), rsaKey],
    'negative-serial': ['leaf with serial -1', negLeaf + crt('int'), rsaKey],
    'negative-serial-intermediate': ['intermediate with serial -1', crt('rsa') + negInt, rsaKey],
    'zero-serial': ['leaf with serial 0', withInt('zero-serial'), key('zero-serial')],
    'long-serial': ['leaf with a 21-octet serial', withInt('long-serial'), key('long-serial')],
    'critical-ski': ['leaf with subjectKeyIdentifier marked critical', withInt('critical-ski'), key('critical-ski')],
    'critical-unknown-extension': [
      'leaf with an unknown extension (1.2.3.4.5) marked critical',
      withInt('critical-unknown'),
      key('critical-unknown'),
    ],
    'critical-standard-extensions': [
      'leaf with extendedKeyUsage, subjectAltName and certificatePolicies marked critical too',
      withInt('critical-standard'),
      key('critical-standard'),
    ],
    'signature-algorithm-mismatch': [
      'leaf whose outer signature algorithm (SHA-384) differs from the inner one (SHA-256)',
      algorithmMismatch + crt('int'),
      key('ec'),
    ],
    'duplicate-san': ['leaf with two subjectAltName extensions', dupSan + crt('int'), key('dup-pre')],
  };
  const out: Record<string, Form> = {};
  for (const [name, [note, cert, k]] of Object.entries(forms)) {
    fs.mkdirSync(path.join(dir, name));
    const form = { note, cert: path.join(dir, name, 'tls.crt'), key: path.join(dir, name, 'tls.key') };
    fs.writeFileSync(form.cert, cert);
    fs.writeFileSync(form.key, k);
    out[name] = form;
  }
  return { root: pki.file('root'), forms: out };
}

/** How long a suite waits for another suite's build of the corpus (the hooks that ask allow 60 s). */
export const CORPUS_WAIT_MS = 30_000;

/** Blocks this thread for `ms` (a suite's beforeAll waiting for another process). */
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * The corpus, built once per jest run for the suites that only read it (kubectl-parity,
 * cert-fuzz, pem): the first suite to ask builds it in the run's shared folder, the others read
 * the same files. A suite that asks while another is still building waits for it (a second build
 * beside the first, as before, took 1 to 2 s more of the two cores, which the type-check and the
 * lint use while a worker waits). It builds its own in `fallbackDir`, as outside a jest run with
 * the global setup, when the first build failed (it leaves corpus.failed) or no index appears
 * within `waitMs`. `build` is for this function's own test.
 */
export function sharedCorpus(fallbackDir: string, waitMs = CORPUS_WAIT_MS, build = buildCorpus): Corpus {
  const shared = process.env[SHARED_FIXTURES_ENV];
  if (!shared) return build(fallbackDir);
  const index = path.join(shared, 'corpus.json');
  const failed = path.join(shared, 'corpus.failed');
  const read = () => JSON.parse(fs.readFileSync(index, 'utf8')) as Corpus;
  if (fs.existsSync(index)) return read();
  const dir = path.join(shared, 'corpus');
  try {
    // mkdir is atomic: whoever makes the folder builds the corpus.
    fs.mkdirSync(dir);
  } catch {
    const until = Date.now() + waitMs;
    while (!fs.existsSync(index) && !fs.existsSync(failed) && Date.now() < until) sleep(50);
    return fs.existsSync(index) ? read() : build(fallbackDir);
  }
  let corpus: Corpus;
  try {
    corpus = build(dir);
  } catch (e) {
    fs.writeFileSync(failed, '');
    throw e;
  }
  // Written whole, then renamed: a reader sees the full index or none.
  fs.writeFileSync(`${index}.tmp`, JSON.stringify(corpus));
  fs.renameSync(`${index}.tmp`, index);
  return corpus;
}

/**
 * Certificate and key files as kubectl and the ingress controllers (Go) read them
 * (lib/tls/pem.ts, lib/tls/key-file.ts), and what Go refuses in a certificate (lib/tls/go-x509.ts) or a leaf key
 * (lib/tls/key-type.ts), from the corpus.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, JsonWebKey, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSecureContext } from 'node:tls';

import type { CertFinding } from '../lib/tls/findings';
import { inspectTlsPair, parseTlsPair } from '../lib/tls/inspect';
import { leafKeyFindings } from '../lib/tls/key-type';
import { privateCaProblem, readChain } from '../lib/tls/pem';
import { Corpus, der, pemOf, sharedCorpus } from './cert-corpus';
import { ROOT, tempDir } from './helpers';
import { CHECK_AT, codes, INSPECT_URL as URL, inspectionPki, read } from './pki';
import { kubectlGoMinor, kubectlSecret } from './tls-tools';

const hex = (s: string) => Buffer.from(s, 'hex');

const { pki } = inspectionPki();

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
  const BOM_FIX = 'remove the first 3 bytes (tail -c +4 FILE > FILE.new && mv FILE.new FILE), or save the file as UTF-8 without BOM';
  test('fails when certFile starts with a byte-order mark, with the one-line fix', () => {
    const message = `starts with a UTF-8 byte-order mark, which hides its first certificate from kubectl and the ingress controllers; ${BOM_FIX}`;
    expect(form('bom-cert')).toEqual([{ code: 'cert-bom', severity: 'error', file: 'cert', message }]);
    expect(form('bom-cert-leaf-only')).toEqual([{ code: 'cert-bom', severity: 'error', file: 'cert', message }]);
  });
  test('fails when certFile starts with two byte-order marks, saying how many and how many bytes to cut (it said "misplaced")', () => {
    const f = corpus.forms['bom-cert'];
    const twice = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), read(f.cert)]);
    expect(twice.subarray(0, 6)).toEqual(Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]));
    expect(inspectTlsPair(parseTlsPair(twice, read(f.key)), { clusterUrl: URL, now: CHECK_AT })).toEqual([
      {
        code: 'cert-bom',
        severity: 'error',
        file: 'cert',
        message:
          'starts with 2 UTF-8 byte-order marks, which hides its first certificate from kubectl and the ingress controllers; ' +
          'remove the first 6 bytes (tail -c +7 FILE > FILE.new && mv FILE.new FILE), or save the file as UTF-8 without BOM',
      },
    ]);
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
  test('fails when a byte-order mark hides a block before the key (EC PARAMETERS), which OpenSSL reads and Node refuses', () => {
    const f = corpus.forms['sec1-ec-with-params'];
    // The fuzz's counterexample (FUZZ_SEED=1520075441): the parameters block broken, and hidden from Go by the mark.
    const key = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(read(f.key).toString('latin1').replace('==\n-----END EC PARAMETERS', '==A-----END EC PARAMETERS'), 'latin1'),
    ]);
    expect(key.toString('latin1')).toContain('==A-----END EC PARAMETERS');
    expect(() => createPrivateKey(key)).toThrow();
    expect(parseTlsPair(read(f.cert), key).findings).toEqual([
      {
        code: 'key-bom',
        severity: 'error',
        file: 'key',
        message:
          'starts with a UTF-8 byte-order mark, which hides its EC PARAMETERS block from kubectl and Go but not from OpenSSL, ' +
          `which ingress controllers load keys with and may refuse the file; ${BOM_FIX}`,
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
  test('fails when an RSA key is damaged where OpenSSL does not look (d no longer matches e), as kubectl before 1.33 does', () => {
    const result = damaged('pkcs8-rsa', (jwk) => ({ ...jwk, d: other(jwk.d!) }));
    // Go 1.24 and later check the CRT values instead (test/go-rsa.test.ts).
    expect(result.kubectl).toBe(kubectlGoMinor() >= 24 ? 'accept' : 'error: tls: failed to parse private key');
    expect(result.findings).toEqual([
      {
        code: 'key-invalid',
        severity: 'error',
        file: 'key',
        message:
          'holds an RSA key whose private exponent d does not agree with its primes (damaged, or edited by hand), ' +
          'which Go before 1.24 refuses (kubectl 1.32 and earlier): export the key again',
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
  test.each([
    [
      'the PEM lines are indented',
      'indented',
      "each PEM block's BEGIN and END lines must start at the beginning of their line; remove the leading spaces or text",
    ],
    [
      'the lines end in a lone CR (classic Mac OS), naming that and the tr command, not indentation',
      'cr-line-ends',
      "its lines end in a lone CR (classic Mac OS), so its BEGIN lines do not start a line; save it with LF line ends (tr '\\r' '\\n' < FILE > FILE.new && mv FILE.new FILE)",
    ],
  ])('fails when %s', (_name, name, fix) => {
    expect(form(name)).toEqual([
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
  const LEAF_REFUSED = 'kubectl and the ingress controllers (Go) refuse it; have it issued again';
  test.each([
    ['negative-serial', 'certificate 1 (CN=*.runai.example.com) has a negative serial number (refused since Go 1.23)'],
    [
      'negative-serial-intermediate',
      'certificate 2 (CN=Test Int) has a negative serial number (refused since Go 1.23)',
      'Go TLS clients refuse the chain (kubectl reads only the leaf); have it issued again',
    ],
    ['duplicate-san', 'certificate 1 (CN=*.runai.example.com) has the extension 2.5.29.17 (subjectAltName) twice'],
  ])('fails when Go refuses a certificate: %s', (name, message, who = LEAF_REFUSED) => {
    expect(form(name)).toEqual([
      { code: 'cert-go-refuses', severity: 'error', file: 'cert', message: expect.stringContaining(`${message}; ${who}`) },
    ]);
  });
  const EXPLICIT_KEY =
    'holds an EC key with its curve written out as numbers (explicit parameters), which kubectl and Go refuse; ' +
    'write it with the curve named: openssl ec -in KEY -param_enc named_curve -out KEY';
  test('fails when Go refuses the certificate and the key, both with explicit curve parameters: ec-explicit-params', () => {
    expect(form('ec-explicit-params')).toEqual([
      { code: 'key-invalid', severity: 'error', file: 'key', message: EXPLICIT_KEY },
      {
        code: 'cert-go-refuses',
        severity: 'error',
        file: 'cert',
        message: expect.stringContaining(
          `certificate 1 (CN=*.runai.example.com) has an ECDSA key with explicit curve parameters instead of a named curve; ${LEAF_REFUSED}`,
        ),
      },
    ]);
  });
  test.each(['sec1', 'pkcs8'])(
    "fails when the leaf's own key is written with explicit curve parameters (%s), as kubectl does; the advice mends it",
    (form) => {
      const { cert, key } = corpus.forms['pkcs8-ec'];
      const dir = tempDir();
      const sec1 = path.join(dir, 'explicit-sec1.key');
      const explicit = form === 'pkcs8' ? path.join(dir, 'explicit-pkcs8.key') : sec1;
      const named = path.join(dir, 'named.key');
      execFileSync('openssl', ['ec', '-in', key, '-param_enc', 'explicit', '-out', sec1], { stdio: 'ignore' });
      if (form === 'pkcs8') execFileSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', sec1, '-out', explicit], { stdio: 'ignore' });
      expect(fs.readFileSync(explicit, 'utf8')).toMatch(form === 'pkcs8' ? /BEGIN PRIVATE KEY/ : /BEGIN EC PRIVATE KEY/);
      expect(kubectlSecret(cert, explicit).message).toBe('error: tls: failed to parse private key');
      expect(parseTlsPair(read(cert), read(explicit)).findings).toEqual([
        { code: 'key-invalid', severity: 'error', file: 'key', message: EXPLICIT_KEY },
      ]);
      execFileSync('openssl', ['ec', '-in', explicit, '-param_enc', 'named_curve', '-out', named], { stdio: 'ignore' });
      expect(kubectlSecret(cert, named).message).toBe('accept');
      expect(parseTlsPair(read(cert), read(named)).findings).toEqual([]);
    },
  );
  describe('a key under a PEM label of another form: kubectl reads it, OpenSSL (node:tls here) may not', () => {
    const FORMS = [
      ['pkcs1', 'pkcs8-rsa'],
      ['pkcs8', 'pkcs8-rsa'],
      ['sec1', 'pkcs8-ec'],
      ['pkcs8', 'pkcs8-ec'],
    ] as const;
    // And labels of other forms OpenSSL knows (SM2's SEC1, DSA's) or none: OpenSSL reads none of these keys under them.
    const LABELS = ['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'PRIVATE KEY', 'SM2 PRIVATE KEY', 'DSA PRIVATE KEY', 'FOO PRIVATE KEY'];
    test.each(FORMS.flatMap(([type, name]) => LABELS.map((label) => [type, name, label] as const)))(
      '%s of %s under %s: key-invalid exactly when OpenSSL cannot load the pair',
      (type, name, label) => {
        const { cert, key } = corpus.forms[name];
        const body = createPrivateKey(fs.readFileSync(key)).export({ format: 'der', type }).toString('base64');
        const file = path.join(tempDir(), 'key.pem');
        fs.writeFileSync(file, `-----BEGIN ${label}-----\n${body.replace(/.{64}/g, '$&\n')}\n-----END ${label}-----\n`);
        let openSsl = true;
        try {
          createSecureContext({ cert: fs.readFileSync(cert), key: fs.readFileSync(file) });
        } catch {
          openSsl = false;
        }
        expect(kubectlSecret(cert, file).message).toBe('accept');
        const findings = parseTlsPair(read(cert), read(file)).findings;
        if (openSsl) expect(findings).toEqual([]);
        else
          expect(findings).toEqual([
            expect.objectContaining({
              code: 'key-invalid',
              message: expect.stringMatching(new RegExp(`under the PEM label ${label}: kubectl reads it, OpenSSL-based servers`)),
            }),
          ]);
      },
    );
    test('says which label to write', () => {
      const { cert, key } = corpus.forms['pkcs8-ec'];
      const body = createPrivateKey(fs.readFileSync(key)).export({ format: 'der', type: 'sec1' }).toString('base64');
      const file = path.join(tempDir(), 'key.pem');
      fs.writeFileSync(file, `-----BEGIN RSA PRIVATE KEY-----\n${body.replace(/.{64}/g, '$&\n')}\n-----END RSA PRIVATE KEY-----\n`);
      expect(parseTlsPair(read(cert), read(file)).findings).toEqual([
        {
          code: 'key-invalid',
          severity: 'error',
          file: 'key',
          message:
            'holds a SEC1 (EC) key under the PEM label RSA PRIVATE KEY: kubectl reads it, OpenSSL-based servers ' +
            '(HAProxy, ingress-nginx) refuse it; change its BEGIN and END lines to EC PRIVATE KEY',
        },
      ]);
    });
  });
  describe('EC keys OpenSSL reads and Go refuses (sec1.go parseECPrivateKey, pkcs8.go), against kubectl', () => {
    const P256 = hex('06082a8648ce3d030107');
    const P384 = hex('06052b81040022');
    /** The corpus P-256 leaf's key as SEC1 DER: 30 77 | 02 01 01 | 04 20 d | a0 0a <P-256> | a1 44 <point>. */
    const sec1 = () => Buffer.from(createPrivateKey(fs.readFileSync(corpus.forms['pkcs8-ec'].key)).export({ format: 'der', type: 'sec1' }));
    const pkcs8 = (curve: Buffer, inner: Buffer) =>
      der(0x30, Buffer.concat([hex('020100'), der(0x30, Buffer.concat([hex('06072a8648ce3d0201'), curve])), der(0x04, inner)]));
    const judge = (name: string, keyDer: Buffer, label: string) => {
      const file = path.join(tempDir(), `${name}.key`);
      fs.writeFileSync(file, pemOf(keyDer, label));
      const { cert } = corpus.forms['pkcs8-ec'];
      return { kubectl: kubectlSecret(cert, file).message, findings: parseTlsPair(read(cert), read(file)).findings };
    };
    test.each([
      [
        'version 0',
        () => {
          const k = sec1();
          k[4] = 0;
          return k;
        },
        'holds an EC key whose version is not 1, which kubectl and Go refuse; export the key again: openssl ec -in KEY -out KEY',
      ],
      [
        'a private value of the order + 1 (its own point kept)',
        () => {
          const k = sec1();
          hex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632552').copy(k, 7);
          return k;
        },
        "holds an EC key whose private value is not below its curve's order (damaged, or edited by hand), which kubectl " +
          'and Go refuse; give the key the certificate was issued for',
      ],
    ])('fails for a SEC1 key with %s, as kubectl does', (name, make, message) => {
      const k = make();
      expect(k.subarray(0, 2).toString('hex')).toBe('3077'); // the layout the changes above assume
      expect(judge(name.replace(/\W+/g, '-'), k, 'EC PRIVATE KEY')).toEqual({
        kubectl: 'error: tls: failed to parse private key',
        findings: [{ code: 'key-invalid', severity: 'error', file: 'key', message }],
      });
    });
    test('fails for a PKCS#8 key that names P-384 outside and P-256 inside: Go reads it on P-384', () => {
      expect(judge('two-curves', pkcs8(P384, sec1()), 'PRIVATE KEY')).toEqual({
        kubectl: 'error: tls: private key does not match public key',
        findings: [
          {
            code: 'key-invalid',
            severity: 'error',
            file: 'key',
            message:
              'holds a PKCS#8 EC key that names one curve outside and another inside: Go (kubectl) reads it on the first and ' +
              'OpenSSL on the second; export the key again: openssl pkey -in KEY -out KEY',
          },
        ],
      });
    });
    test("passes a PKCS#8 key that names its curve outside and writes it out inside, as kubectl does (Go takes PKCS#8's)", () => {
      const explicit = execFileSync('openssl', ['ec', '-in', corpus.forms['pkcs8-ec'].key, '-param_enc', 'explicit', '-outform', 'DER'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      expect(judge('outer-named', pkcs8(P256, explicit), 'PRIVATE KEY')).toEqual({ kubectl: 'accept', findings: [] });
    });
  });
  test.each([
    ['ed448-leaf', 'an Ed448'],
    ['rsa-pss-leaf', 'an RSA-PSS'],
    ['dsa-leaf', 'a DSA'],
  ])('fails when the key is of a type Go does not load: %s', (name, article) => {
    expect(form(name)).toEqual([
      {
        code: 'key-invalid',
        severity: 'error',
        file: 'key',
        message: `holds ${article} key, which kubectl and the ingress controllers cannot use; issue the certificate with an RSA (2048 bits or more) or ECDSA P-256 key`,
      },
    ]);
  });
  test.each([
    ['secp256k1-leaf', 'an EC key on curve secp256k1', '1.3.132.0.10'],
    ['sm2-leaf', 'an SM2 key', '1.2.156.10197.1.301'], // Node gives it no key type
  ])('fails when the key is on a curve Go does not parse (%s): both files, as kubectl refuses either', (name, key, oid) => {
    expect(form(name)).toEqual([
      {
        code: 'key-invalid',
        severity: 'error',
        file: 'key',
        message: `holds ${key}, which kubectl and the ingress controllers cannot use; issue the certificate with an RSA (2048 bits or more) or ECDSA P-256 key`,
      },
      {
        code: 'cert-go-refuses',
        severity: 'error',
        file: 'cert',
        message:
          `certificate 1 (CN=*.runai.example.com) has an ECDSA key on a curve Go does not support (${oid}); ` +
          'kubectl and the ingress controllers (Go) refuse it; have it issued again on P-256 or P-384',
      },
    ]);
  });
  describe('a key on a curve Go does not parse, as SEC1 under any label, beside another certificate: the key is at fault, as kubectl says', () => {
    const KEY_INVALID = (key: string) => ({
      code: 'key-invalid',
      severity: 'error',
      file: 'key',
      message: `holds ${key}, which kubectl and the ingress controllers cannot use; issue the certificate with an RSA (2048 bits or more) or ECDSA P-256 key`,
    });
    test.each([
      ['sm2-leaf', 'SM2 PRIVATE KEY', 'an SM2 key'], // as openssl ec writes it
      ['sm2-leaf', 'EC PRIVATE KEY', 'an SM2 key'],
      ['secp256k1-leaf', 'EC PRIVATE KEY', 'an EC key on curve secp256k1'],
    ])('%s under %s', (name, label, key) => {
      const file = path.join(tempDir(), 'key.pem');
      const sec1 = execFileSync('openssl', ['ec', '-in', corpus.forms[name].key], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      expect(sec1).toMatch(name === 'sm2-leaf' ? /BEGIN SM2 PRIVATE KEY/ : /BEGIN EC PRIVATE KEY/);
      fs.writeFileSync(file, sec1.replace(/(BEGIN|END) \w+ PRIVATE KEY/g, `$1 ${label}`));
      const { cert } = corpus.forms['pkcs8-ec'];
      expect(kubectlSecret(cert, file).message).toBe('error: tls: failed to parse private key');
      expect(parseTlsPair(read(cert), read(file)).findings).toEqual([KEY_INVALID(key)]);
    });
  });
  test('fails when the key file holds an OpenSSH private key, naming it', () => {
    // ssh-keygen's format: the magic openssh-key-v1 and NUL, then the cipher (none) and the rest.
    const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), Buffer.from('000000046e6f6e65', 'hex'), Buffer.alloc(64, 7)]);
    const file = path.join(tempDir(), 'id_ed25519');
    fs.writeFileSync(file, pemOf(body, 'OPENSSH PRIVATE KEY'));
    const { cert } = corpus.forms['pkcs8-ec'];
    expect(kubectlSecret(cert, file).message).toBe('error: tls: failed to parse private key');
    expect(parseTlsPair(read(cert), read(file)).findings).toEqual([
      {
        code: 'key-invalid',
        severity: 'error',
        file: 'key',
        message:
          'holds an OpenSSH private key, which kubectl and the ingress controllers do not read; give the PEM key the certificate ' +
          'was issued for (BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)',
      },
    ]);
  });
  describe('PEM header lines (Name: value after the BEGIN line): kubectl reads past them, OpenSSL refuses the file', () => {
    const REFUSED =
      'has header lines (Name: value) after its BEGIN line, which kubectl reads past and OpenSSL-based servers (HAProxy, ' +
      'ingress-nginx) refuse; remove them and the blank line after them';
    /** `pem` with a Comment header after its `n`th BEGIN line (0-based). */
    const withHeader = (pem: string, n: number) => {
      let seen = -1;
      return pem.replace(/(-----BEGIN [A-Z ]+-----\r?\n)/g, (line) => (++seen === n ? `${line}Comment: exported by a tool\n\n` : line));
    };
    test.each([
      ['the leaf', 'cert', 0, { code: 'cert-invalid', file: 'cert', message: `certificate 1 of 2 ${REFUSED}` }],
      ['the intermediate', 'cert', 1, { code: 'cert-invalid', file: 'cert', message: `certificate 2 of 2 ${REFUSED}` }],
      ['the key', 'key', 0, { code: 'key-invalid', file: 'key', message: REFUSED }],
    ] as const)('fails when %s has one', (_, which, n, expected) => {
      const form = corpus.forms['pkcs8-ec'];
      const dir = tempDir();
      const files = { cert: path.join(dir, 'tls.crt'), key: path.join(dir, 'tls.key') };
      for (const f of ['cert', 'key'] as const) {
        const text = fs.readFileSync(form[f], 'utf8');
        fs.writeFileSync(files[f], f === which ? withHeader(text, n) : text);
      }
      expect(fs.readFileSync(files[which], 'utf8')).toContain('Comment: exported by a tool');
      expect(kubectlSecret(files.cert, files.key).message).toBe('accept');
      expect(() => createSecureContext({ cert: fs.readFileSync(files.cert), key: fs.readFileSync(files.key) })).toThrow('not proc type');
      expect(parseTlsPair(read(files.cert), read(files.key)).findings).toEqual([{ severity: 'error', ...expected }]);
    });
  });
  test.each([
    ['the leaf', 0, 'error: tls: private key does not match public key'], // Go takes the intermediate for the leaf
    ['the intermediate', 1, 'accept'],
  ])('fails when %s is under the old label X509 CERTIFICATE, which Go skips and OpenSSL reads', (_, n, kubectl) => {
    const form = corpus.forms['pkcs8-ec'];
    const file = path.join(tempDir(), 'tls.crt');
    let seen = -1;
    const text = fs
      .readFileSync(form.cert, 'utf8')
      .replace(/(BEGIN|END) CERTIFICATE/g, (m, edge: string) =>
        (edge === 'BEGIN' ? ++seen : seen) === n ? `${edge} X509 CERTIFICATE` : m,
      );
    fs.writeFileSync(file, text);
    expect(text.match(/X509 CERTIFICATE/g)).toHaveLength(2);
    expect(kubectlSecret(file, form.key).message).toBe(kubectl);
    // OpenSSL reads the block: node:tls loads the pair, and with it the intermediate.
    expect(() => createSecureContext({ cert: fs.readFileSync(file), key: fs.readFileSync(form.key) })).not.toThrow();
    expect(parseTlsPair(read(file), read(form.key)).findings).toEqual([
      {
        code: 'cert-old-label',
        severity: 'error',
        file: 'cert',
        message:
          'holds a BEGIN X509 CERTIFICATE block, an old label that kubectl and Go skip and OpenSSL-based servers read; ' +
          'change its BEGIN and END lines to CERTIFICATE',
      },
    ]);
  });
  test('passes a key whose header lines are 10 characters or fewer (A: b), which OpenSSL 3 reads past too (decode_pem2der.c)', () => {
    const form = corpus.forms['pkcs8-ec'];
    for (const [header, openSsl] of [
      ['ABCDE: fg', true], // 10 with its line end
      ['ABCDE: fgh', false],
    ] as const) {
      const file = path.join(tempDir(), 'tls.key');
      fs.writeFileSync(file, fs.readFileSync(form.key, 'utf8').replace(/(-----BEGIN [A-Z ]+-----\n)/, `$1${header}\n\n`));
      expect(kubectlSecret(form.cert, file).message).toBe('accept');
      const load = () => createSecureContext({ cert: fs.readFileSync(form.cert), key: fs.readFileSync(file) });
      if (openSsl) expect(load).not.toThrow();
      else expect(load).toThrow('not proc type');
      expect(codes(parseTlsPair(read(form.cert), read(file)).findings)).toEqual(openSsl ? [] : ['key-invalid']);
    }
  });
  test("reads a live Secret's tls.crt with an intermediate under X509 CERTIFICATE as the controllers do (doctor): the leaf, no finding", () => {
    const form = corpus.forms['pkcs8-ec'];
    let seen = -1;
    const text = fs
      .readFileSync(form.cert, 'utf8')
      .replace(/(BEGIN|END) CERTIFICATE/g, (m, edge: string) =>
        (edge === 'BEGIN' ? ++seen : seen) === 1 ? `${edge} X509 CERTIFICATE` : m,
      );
    const found: CertFinding[] = [];
    const chain = readChain(Buffer.from(text), found, { skipKeys: true });
    expect(found).toEqual([]);
    expect(chain.map((c) => c.subject)).toEqual([new X509Certificate(read(form.cert)).subject]);
  });
  test('fails when the key file holds a certificate under X509 CERTIFICATE, naming it a certificate', () => {
    const form = corpus.forms['pkcs8-ec'];
    const file = path.join(tempDir(), 'tls.key');
    fs.writeFileSync(file, fs.readFileSync(form.cert, 'utf8').replace(/(BEGIN|END) CERTIFICATE/g, '$1 X509 CERTIFICATE'));
    expect(parseTlsPair(read(form.cert), read(file)).findings).toEqual([
      expect.objectContaining({ code: 'key-no-pem', message: expect.stringMatching(/^holds a certificate, not a private key/) }),
    ]);
  });
  test('names the SM2 key type of a leaf that browsers refuse, where Node gives none', () => {
    const leaf = new X509Certificate(read(corpus.forms['sm2-leaf'].cert));
    expect(leaf.publicKey.asymmetricKeyType).toBeUndefined();
    expect(leafKeyFindings(leaf)).toEqual([
      {
        code: 'leaf-key-type',
        severity: 'error',
        file: 'cert',
        message: 'has an SM2 leaf key, which browsers do not accept for https; issue it with an ECDSA P-256 or an RSA 2048 key',
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

test('fails when a blank line stands just before an END line: OpenSSL (Node, HAProxy) will not load it (found by npm run fuzz)', async () => {
  const { createSecureContext } = await import('node:tls');
  const DEMO = path.join(ROOT, 'examples', 'certs');
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

// Windows PowerShell 5's `>` saves UTF-16LE with a mark: the files were said to hold no PEM at all.
describe('PEM files saved as UTF-16 or UTF-32', () => {
  const iconv = (file: string, from: string, to: string) => execFileSync('iconv', ['-f', from, '-t', to, file]);
  const DEMO = path.join(ROOT, 'examples', 'certs');
  test.each([
    ['UTF-16', 'UTF-16'],
    ['UTF-16LE', 'UTF-16LE'],
    ['UTF-16BE', 'UTF-16BE'],
    ['UTF-32', 'UTF-32'],
    ['UTF-32LE', 'UTF-32LE'],
  ])('fails naming %s for the key and the chain, and the iconv command it names gives files kubectl takes', (made, named) => {
    const dir = tempDir();
    const cert = path.join(dir, 'fullchain.pem');
    const key = path.join(dir, 'private.pem');
    fs.writeFileSync(cert, iconv(path.join(DEMO, 'fullchain.pem'), 'UTF-8', made));
    fs.writeFileSync(key, iconv(path.join(DEMO, 'private.pem'), 'UTF-8', made));
    const message = `holds its PEM as ${named} text, which kubectl and the ingress controllers do not read; save it as UTF-8 (iconv -f ${named} -t UTF-8 FILE > FILE.new && mv FILE.new FILE)`;
    const { findings } = parseTlsPair(fs.readFileSync(cert), fs.readFileSync(key));
    expect(findings.filter((f) => f.severity === 'error').map((f) => [f.code, f.message])).toEqual([
      ['cert-no-pem', message],
      ['key-no-pem', message],
    ]);
    expect(kubectlSecret(cert, key).ok).toBe(false);
    const ca = iconv(path.join(DEMO, 'demo-root-ca.pem'), 'UTF-8', made);
    expect(privateCaProblem(ca)).toEqual({ code: 'ca-invalid', message });
    for (const f of [cert, key]) fs.writeFileSync(f, iconv(f, named, 'UTF-8'));
    expect(fs.readFileSync(key)).toEqual(fs.readFileSync(path.join(DEMO, 'private.pem')));
    expect(kubectlSecret(cert, key).ok).toBe(true);
  });
});

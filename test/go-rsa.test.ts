/**
 * What Go refuses in an RSA key that OpenSSL, and so Node, takes: the numbers of a private key
 * (lib/tls/key-file.ts) and a certificate's RSA public key (lib/tls/go-x509.ts). Each key here is one
 * OpenSSL loads and signs with. Against the kubectl on PATH: a rule of every Go version matches
 * its verdict. For a rule of Go 1.24 and later, the test reads the Go version kubectl was built
 * with. Built with Go 1.24 or later, kubectl must refuse the key too. Built with an older Go,
 * kubectl accepts it, which shows the rule is Go 1.24's.
 */
import { execFileSync } from 'node:child_process';
import { checkPrimeSync, createPrivateKey, JsonWebKey, randomBytes, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { inspectTlsPair, parseTlsPair } from '../lib/tls/inspect';
import { b64, gcd, inverse, num } from './bigint-math';
import { Corpus, der, derOf, elements, sharedCorpus, withPublicKey } from './cert-corpus';
import { tempDir } from './helpers';
import { CHECK_AT, codes, INSPECT_URL, read } from './pki';
import { kubectlGoMinor, kubectlSecret } from './tls-tools';

let corpus: Corpus;
let dir: string;
beforeAll(() => {
  corpus = sharedCorpus(tempDir());
  dir = tempDir();
}, 60_000);

const bits = (x: bigint) => x.toString(2).length;
/** A DER INTEGER of `x`, two's complement. */
function integer(x: bigint): Buffer {
  let hex = (x < 0n ? (1n << BigInt(Math.ceil((bits(-x) + 1) / 8) * 8)) + x : x).toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (x >= 0n && parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  return der(0x02, Buffer.from(hex, 'hex'));
}
/** A whole DER element's content (after its tag and length). */
const contentOf = (element: Buffer) => element.subarray(element[1] & 0x80 ? 2 + (element[1] & 0x7f) : 2);
const prime = (x: bigint) => checkPrimeSync(x, { checks: 1 }) && checkPrimeSync(x);
/** The first prime at or after `from`. */
function nextPrime(from: bigint): bigint {
  let x = from % 2n ? from : from + 1n;
  while (!prime(x)) x += 2n;
  return x;
}
/**
 * A 1024-bit prime a little above 2^1023, with e coprime to p − 1. The product of two such primes
 * has 2,047 bits: an odd count, where Go's bits/2 rounds down (1,023).
 */
function lowPrime(e: bigint): bigint {
  for (;;) {
    const p = nextPrime((1n << 1023n) + BigInt(`0x${randomBytes(120).toString('hex')}`));
    if (gcd(e, p - 1n) === 1n) return p;
  }
}

/** A JWK of the RSA key with primes p and q, exponent e, and d (by default e⁻¹ mod lcm(p−1, q−1)). */
function rsaJwk(p: bigint, q: bigint, e: bigint, d?: bigint): JsonWebKey {
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  const dd = d ?? inverse(e, lambda);
  const [n, dp, dq, qi] = [p * q, dd % (p - 1n), dd % (q - 1n), inverse(q, p)];
  return { kty: 'RSA', n: b64(n), e: b64(e), d: b64(dd), p: b64(p), q: b64(q), dp: b64(dp), dq: b64(dq), qi: b64(qi) };
}

/**
 * Writes the key as PKCS#8 and a self-signed certificate that openssl makes with it (so openssl
 * signs with it), and returns our findings and kubectl's verdict. `certFrom` takes another
 * certificate instead, for a key with the corpus key's public half.
 */
function judge(name: string, jwk: JsonWebKey, certFrom?: string) {
  const key = path.join(dir, `${name}.key`);
  fs.writeFileSync(key, createPrivateKey({ key: jwk, format: 'jwk' }).export({ format: 'pem', type: 'pkcs8' }));
  const cert = certFrom ?? path.join(dir, `${name}.crt`);
  if (!certFrom)
    execFileSync('openssl', ['req', '-x509', '-key', key, '-subj', `/CN=*.${INSPECT_URL}`, '-days', '1', '-out', cert], { stdio: 'pipe' });
  return { findings: parseTlsPair(read(cert), read(key)).findings, kubectl: kubectlSecret(cert, key).message };
}

const GO124 = ', which Go 1.24 and later refuse (kubectl 1.33 and later, and the Go ingress controllers built with it): ';
const keyInvalid = (message: string) => [{ code: 'key-invalid', severity: 'error', file: 'key', message }];

describe('private keys: what Go 1.24 and later refuse', () => {
  let go124: boolean;
  let corpusJwk: JsonWebKey;
  /** kubectl built with Go before 1.24 refuses the key (1.24 reads it without that check), and the finding says so. */
  const expectRefusedBeforeGo124 = (result: { kubectl: string; findings: unknown }, what: string) => {
    expect(result.kubectl).toBe(go124 ? 'accept' : 'error: tls: failed to parse private key');
    expect(result.findings).toEqual(
      keyInvalid(
        `holds an RSA key whose ${what} (damaged, or edited by hand), which Go before 1.24 refuses (kubectl 1.32 and earlier): export the key again`,
      ),
    );
  };
  beforeAll(() => {
    go124 = kubectlGoMinor() >= 24;
    corpusJwk = createPrivateKey(read(corpus.forms['pkcs8-rsa'].key)).export({ format: 'jwk' });
  });
  /** kubectl's verdict on a key only Go 1.24 and later refuse. */
  const goVerdict = () => (go124 ? 'error: tls: failed to parse private key' : 'accept');

  test('fails when the CRT coefficient qi is not below p (qi + p: the same value mod p, so OpenSSL signs right)', () => {
    const jwk = { ...corpusJwk, qi: b64(num(corpusJwk.qi) + num(corpusJwk.p)) };
    const result = judge('qi-plus-p', jwk, corpus.forms['pkcs8-rsa'].cert);
    expect(result.kubectl).toBe(goVerdict());
    expect(result.findings).toEqual(
      keyInvalid(`holds an RSA key with its CRT coefficient qi not below its modulus${GO124}export the key again`),
    );
  });
  test('fails when d is not below n (d plus a multiple of lcm(p−1, q−1): the same key to OpenSSL)', () => {
    const [n, d, p, q] = [corpusJwk.n, corpusJwk.d, corpusJwk.p, corpusJwk.q].map(num);
    const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
    const big = d + lambda * ((n - d) / lambda + 1n);
    expect(big >= n && big < 2n * n).toBe(true);
    const result = judge('d-above-n', { ...corpusJwk, d: b64(big) }, corpus.forms['pkcs8-rsa'].cert);
    expect(result.kubectl).toBe(goVerdict());
    expect(result.findings).toEqual(
      keyInvalid(`holds an RSA key with its private exponent d not below its modulus${GO124}export the key again`),
    );
  });
  const CRT = `holds an RSA key whose CRT values (dp, dq, qi) do not agree with its other numbers (damaged, or edited by hand)${GO124}export the key again`;
  test.each([
    ['dp', (j: JsonWebKey) => ({ ...j, dp: b64((num(j.dp) + 2n) % (num(j.p) - 1n)) })],
    ['dq', (j: JsonWebKey) => ({ ...j, dq: b64((num(j.dq) + 2n) % (num(j.q) - 1n)) })],
    ['qi', (j: JsonWebKey) => ({ ...j, qi: b64((num(j.qi) + 1n) % num(j.p)) })],
  ])(
    'fails when %s does not agree with the other numbers (OpenSSL 3 still signs right; Go before 1.24 computed it again)',
    (name, change) => {
      const result = judge(`${name}-changed`, change(corpusJwk), corpus.forms['pkcs8-rsa'].cert);
      expect(result.kubectl).toBe(goVerdict());
      expect(result.findings).toEqual(keyInvalid(CRT));
    },
  );
  test('fails when d does not agree with e while the CRT values do, as kubectl before 1.33 does (Go 1.24 and later ignore d)', () => {
    const [d, e, p] = [corpusJwk.d, corpusJwk.e, corpusJwk.p].map(num);
    const result = judge('d-changed', { ...corpusJwk, d: b64(d + 2n) }, corpus.forms['pkcs8-rsa'].cert);
    expect(((d + 2n) * e) % (p - 1n)).not.toBe(1n);
    expectRefusedBeforeGo124(result, 'private exponent d does not agree with its primes');
  });

  describe('a key of three primes (openssl genpkey -pkeyopt rsa_keygen_primes:3), which Go reads without its CRT values', () => {
    /** The numbers of the corpus's three-prime key: version, n, e, d, p, q, dp, dq, qi, then each further prime's triple. */
    let numbers: bigint[];
    let others: bigint[][];
    beforeAll(() => {
      const pkcs8 = derOf(fs.readFileSync(corpus.forms['rsa-three-primes-leaf'].key, 'utf8'));
      const fields = elements(contentOf(elements(pkcs8)[2]));
      numbers = fields.slice(0, 9).map(value);
      others = elements(fields[9]).map((info) => elements(info).map(value));
    });
    const value = (int: Buffer) => BigInt(`0x${contentOf(int).toString('hex')}`);
    /** The key with `change` applied to its numbers, written as PKCS#1 (RSA PRIVATE KEY), with kubectl's verdict and our findings. */
    const judgeThree = (name: string, change: (n: bigint[], o: bigint[][]) => void) => {
      const n = [...numbers];
      const o = others.map((t) => [...t]);
      change(n, o);
      const body = der(
        0x30,
        Buffer.concat([...n.map(integer), der(0x30, Buffer.concat(o.map((t) => der(0x30, Buffer.concat(t.map(integer))))))]),
      );
      const key = path.join(dir, `${name}.key`);
      fs.writeFileSync(
        key,
        `-----BEGIN RSA PRIVATE KEY-----\n${body
          .toString('base64')
          .match(/.{1,64}/g)!
          .join('\n')}\n-----END RSA PRIVATE KEY-----\n`,
      );
      const cert = corpus.forms['rsa-three-primes-leaf'].cert;
      return { findings: parseTlsPair(read(cert), read(key)).findings, kubectl: kubectlSecret(cert, key).message };
    };
    test('passes it as written again here, as kubectl does', () => {
      expect(others).toHaveLength(1);
      expect(numbers[1]).toBe(numbers[4] * numbers[5] * others[0][0]);
      expect(judgeThree('three-primes', () => undefined)).toEqual({ findings: [], kubectl: 'accept' });
    });
    test('fails when its third prime is changed, as kubectl built with Go before 1.24 does', () => {
      const result = judgeThree('three-primes-damaged', (_n, o) => {
        o[0][0] += 2n;
      });
      expectRefusedBeforeGo124(result, 'primes do not multiply to its modulus');
    });
    test('fails when d agrees with the first two primes only, as kubectl built with Go before 1.24 does', () => {
      const result = judgeThree('three-primes-d-two', (n) => {
        // d + lcm(p−1, q−1) keeps d·e ≡ 1 mod p−1 and q−1 (and dp, dq), not mod r−1.
        const [p, q] = [n[4], n[5]];
        n[3] += ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
      });
      expectRefusedBeforeGo124(result, 'private exponent d does not agree with its primes');
    });
    test('fails when d is not below n, the one check Go 1.24 makes of such a key', () => {
      const result = judgeThree('three-primes-d-above-n', (n, o) => {
        const lambda = [n[4], n[5], o[0][0]].map((r) => r - 1n).reduce((a, b) => (a * b) / gcd(a, b));
        n[3] += lambda * ((n[1] - n[3]) / lambda + 1n);
      });
      expect(result.kubectl).toBe(goVerdict());
      expect(result.findings).toEqual(
        keyInvalid(`holds an RSA key with its private exponent d not below its modulus${GO124}export the key again`),
      );
    });
  });

  describe('|p − q| at most 2^(bits/2 − 100): its modulus can be factored (Fermat)', () => {
    const E = 65537n;
    let p: bigint;
    beforeAll(() => {
      p = lowPrime(E);
    });
    /** The key of p and the first usable prime at or after p + distance, and half its size in bits. */
    const keyAt = (distance: bigint) => {
      let q = nextPrime(p + distance);
      while (gcd(E, q - 1n) !== 1n) q = nextPrime(q + 2n);
      return { jwk: rsaJwk(p, q, E), half: Math.floor(bits(p * q) / 2), gap: bits(q - p) };
    };
    test('fails when q is the next prime after p', () => {
      const { jwk, half, gap } = keyAt(2n);
      expect(gap).toBeLessThan(half - 100);
      const result = judge('close-primes', jwk);
      expect(result.kubectl).toBe(goVerdict());
      expect(result.findings).toEqual(
        keyInvalid(`holds an RSA key whose primes p and q are so close that its modulus can be factored${GO124}make a new key`),
      );
    });
    test('fails at |p − q| of exactly bits/2 − 100 bits, and passes one bit above', () => {
      // p·q has 2,047 bits whatever the distance here (lowPrime), so half is 1,023, rounded down.
      expect(bits(p * p)).toBe(2047);
      const half = 1023;
      const at = keyAt((1n << BigInt(half - 100)) - (1n << BigInt(half - 103)));
      expect([at.half, at.gap]).toEqual([half, half - 100]);
      expect(judge('gap-at-limit', at.jwk).findings).toEqual(
        keyInvalid(`holds an RSA key whose primes p and q are so close that its modulus can be factored${GO124}make a new key`),
      );
      const above = keyAt(1n << BigInt(half - 100));
      expect([above.half, above.gap]).toEqual([half, half - 99]);
      expect(judge('gap-above-limit', above.jwk).findings).toEqual([]);
    });
  });

  describe('d at most 2^(bits/2): open to small-d attacks', () => {
    // q − 1 a multiple of p − 1 makes lcm(p−1, q−1) = q − 1 small against n = p·q, so an e below
    // 2^31 can have a d of about half the modulus's bits: the first few e show each size of d.
    let p: bigint;
    let q: bigint;
    let half: number;
    beforeAll(() => {
      p = lowPrime(65537n);
      // A modulus of an odd number of bits, where bits/2 rounds down.
      for (let k = 64n; ; k += 2n) {
        q = (p - 1n) * k + 1n;
        if (bits(p * q) % 2 === 1 && prime(q)) break;
      }
      half = Math.floor(bits(p * q) / 2);
    });
    /** The key with the first e from 65,537 whose d has `dBits` bits. */
    const keyWithD = (dBits: number) => {
      for (let e = 65537n; e < 0x7fffffffn; e += 2n) {
        let d: bigint;
        try {
          d = inverse(e, q - 1n);
        } catch {
          continue;
        }
        if (bits(d) === dBits) return rsaJwk(p, q, e, d);
      }
      throw new Error(`no e gives a ${dBits}-bit d`);
    };
    test('fails when d has half the bits of n, and passes at one bit more', () => {
      const result = judge('small-d', keyWithD(half));
      expect(result.kubectl).toBe(goVerdict());
      expect(result.findings).toEqual(
        keyInvalid(`holds an RSA key whose private exponent d is too small (${half} bits or fewer)${GO124}make a new key`),
      );
      expect(judge('d-above-limit', keyWithD(half + 1)).findings).toEqual([]);
    });
  });
});

describe("certificates' RSA keys: what Go refuses to read or use", () => {
  const RSA_ENCRYPTION = Buffer.from('06092a864886f70d010101', 'hex');
  const NULL = Buffer.from('0500', 'hex');
  /** A SubjectPublicKeyInfo of an RSA key (any numbers: nothing checks them but Go). */
  const spki = (n: bigint, e: bigint, params: Buffer | null = NULL, unusedBits = 0) =>
    der(
      0x30,
      Buffer.concat([
        der(0x30, Buffer.concat([RSA_ENCRYPTION, ...(params ? [params] : [])])),
        der(0x03, Buffer.concat([Buffer.from([unusedBits]), der(0x30, Buffer.concat([integer(n), integer(e)]))])),
      ]),
    );
  /** A leaf and the corpus intermediate, one of them given `key`, and the findings of a chain without a key file. */
  const chainWith = (key: Buffer, at: 'leaf' | 'intermediate') => {
    const f = corpus.forms['pkcs8-rsa'];
    const [leafPem, intPem] = read(f.cert)
      .toString()
      .match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g)!;
    const pki = path.dirname(corpus.root);
    const file = path.join(dir, 'cert.pem');
    fs.writeFileSync(file, at === 'leaf' ? leafPem : intPem);
    const changed = withPublicKey(file, path.join(pki, at === 'leaf' ? 'int.key' : 'root.key'), key);
    const pem = Buffer.from(at === 'leaf' ? changed + intPem : leafPem + changed);
    return parseTlsPair(pem, undefined).findings.filter((x) => x.code === 'cert-go-refuses');
  };
  const refusal = (nth: string, message: string) => [
    { code: 'cert-go-refuses', severity: 'error', file: 'cert', message: `${nth} ${message}` },
  ];
  const LEAF = 'certificate 1 (CN=*.runai.example.com)';
  const INT = 'certificate 2 (CN=Test Int)';
  const REISSUE = 'kubectl and the ingress controllers (Go) refuse it; have it issued again';
  const REISSUE_INT = 'Go TLS clients refuse the chain (kubectl reads only the leaf); have it issued again';
  const N2048 = (1n << 2047n) + 1n;

  test('the corpus certificate parses as written: its fields are what openssl shows', () => {
    const cert = new X509Certificate(read(corpus.forms['pkcs8-rsa'].cert));
    expect(cert.publicKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, publicExponent: 65537n });
    expect(chainWith(derOf(cert.publicKey.export({ format: 'pem', type: 'spki' }).toString()), 'leaf')).toEqual([]);
  });
  test.each([
    ['the public exponent is 2^32 + 1 (openssl makes such keys)', 2n ** 32n + 1n, '4294967297'],
    ['the public exponent is 1', 1n, '1'],
    ['the public exponent is even', 65536n, '65536'],
  ])('fails when %s, on the leaf and on an intermediate', (_name, e, shown) => {
    const message = (who: string) =>
      `has an RSA key whose public exponent (${shown}) Go does not use (it takes an odd e from 3 to 2^31−1); ${who} with a new key (e = 65537)`;
    expect(chainWith(spki(N2048, e), 'leaf')).toEqual(refusal(LEAF, message(REISSUE)));
    expect(chainWith(spki(N2048, e), 'intermediate')).toEqual(refusal(INT, message(REISSUE_INT)));
  });
  test('passes at the public exponents 3 and 2^31 − 1, and fails at 2^31 + 1', () => {
    expect(chainWith(spki(N2048, 3n), 'intermediate')).toEqual([]);
    expect(chainWith(spki(N2048, 0x7fffffffn), 'intermediate')).toEqual([]);
    expect(codes(chainWith(spki(N2048, 0x80000001n), 'intermediate'))).toEqual(['cert-go-refuses']);
  });
  test.each([
    ['the exponent does not fit 64 bits', spki(N2048, 2n ** 64n + 1n)],
    ['the exponent is 2^63, one above what Go reads into its int', spki(N2048, 2n ** 63n)],
    ['the exponent is negative', spki(N2048, -65537n)],
    ['the modulus is negative', spki(-N2048, 65537n)],
  ])('fails when %s: Go does not read the certificate', (_name, key) => {
    expect(chainWith(key, 'intermediate')).toEqual(
      refusal(INT, `has an RSA key whose modulus or exponent is not a positive number Go can read; ${REISSUE_INT}`),
    );
  });
  test('reads the exponent 2^63 − 1, the largest Go reads, and refuses it for its range only', () => {
    expect(chainWith(spki(N2048, 2n ** 63n - 1n), 'leaf')).toEqual(
      refusal(
        LEAF,
        `has an RSA key whose public exponent (${2n ** 63n - 1n}) Go does not use (it takes an odd e from 3 to 2^31−1); ${REISSUE} with a new key (e = 65537)`,
      ),
    );
  });
  test('fails when the algorithm has no NULL parameters', () => {
    expect(chainWith(spki(N2048, 65537n, null), 'intermediate')).toEqual(
      refusal(INT, `has an RSA key without the NULL parameters RFC 3279 requires; ${REISSUE_INT}`),
    );
    // A NULL with content OpenSSL refuses itself: the certificate is not read at all.
    const f = corpus.forms['pkcs8-rsa'];
    const [leafPem] = read(f.cert)
      .toString()
      .match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g)!;
    const file = path.join(dir, 'null-content.pem');
    fs.writeFileSync(file, leafPem);
    const pem = withPublicKey(file, path.join(path.dirname(corpus.root), 'int.key'), spki(N2048, 65537n, Buffer.from('050100', 'hex')));
    expect(codes(parseTlsPair(Buffer.from(pem), undefined).findings)).toEqual(['cert-invalid']);
  });
  test('fails when the BIT STRING of the key says it has unused bits', () => {
    expect(chainWith(spki(N2048, 65537n, NULL, 1), 'intermediate')).toEqual(refusal(INT, `is not DER that Go can read; ${REISSUE_INT}`));
  });
  test('fails when the modulus is even, which Go 1.24 and later refuse', () => {
    expect(chainWith(spki(N2048 + 1n, 65537n), 'leaf')).toEqual(
      refusal(LEAF, `has an RSA key with an even modulus, which Go 1.24 and later do not use; ${REISSUE}`),
    );
  });
  test('fails over 8,192 bits, on any certificate a server sends, and passes at 8,192', () => {
    const message =
      'has a 8193-bit RSA key; Go TLS clients refuse a server certificate with an RSA key over 8192 bits: have it issued again with a smaller key';
    expect(chainWith(spki((1n << 8192n) + 1n, 65537n), 'leaf')).toEqual(refusal(LEAF, message));
    expect(chainWith(spki((1n << 8192n) + 1n, 65537n), 'intermediate')).toEqual(refusal(INT, message));
    expect(chainWith(spki((1n << 8191n) + 1n, 65537n), 'intermediate')).toEqual([]);
  });
  test('fails under 1,024 bits on a certificate after the leaf, and leaves a small leaf to leaf-rsa-too-small', () => {
    const message =
      'has a 1023-bit RSA key, which Go 1.24 and later do not verify signatures with (1024 bits at least): have it issued again with a 2048-bit key or larger';
    expect(chainWith(spki((1n << 1022n) + 1n, 65537n), 'intermediate')).toEqual(refusal(INT, message));
    expect(chainWith(spki((1n << 1023n) + 1n, 65537n), 'intermediate')).toEqual([]);
    expect(chainWith(spki((1n << 1022n) + 1n, 65537n), 'leaf')).toEqual([]);
    const f = corpus.forms['rsa512-leaf'];
    const found = inspectTlsPair(parseTlsPair(read(f.cert), read(f.key)), { clusterUrl: INSPECT_URL, now: CHECK_AT });
    expect(codes(found)).toContain('leaf-rsa-too-small');
    expect(codes(found)).not.toContain('cert-go-refuses');
  });
  test('kubectl refuses the leaf with the exponent 2^32 + 1 that openssl made, and the finding names the certificate', () => {
    const f = corpus.forms['rsa-large-exponent-leaf'];
    expect(kubectlSecret(f.cert, f.key).message).toBe('error: tls: failed to parse private key');
    const found = parseTlsPair(read(f.cert), read(f.key)).findings;
    expect(found).toEqual(
      refusal(
        LEAF,
        `has an RSA key whose public exponent (4294967297) Go does not use (it takes an odd e from 3 to 2^31−1); ${REISSUE} with a new key (e = 65537)`,
      ),
    );
    // Without the key file (a clone without it), the certificate alone says the same.
    expect(parseTlsPair(read(f.cert), undefined).findings).toEqual(found);
  });
});

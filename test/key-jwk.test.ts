/**
 * lib/tls/key-jwk.ts: the common private-key encodings read without OpenSSL's decoders. What it
 * reads must be the very key `createPrivateKey` reads from the same DER, in the form Go's order
 * would find; anything else it leaves to `createPrivateKey`. Keys from the real `openssl`, the
 * forms it must leave alone, and a property over random byte changes of each form (`npm test`
 * replays a fixed seed, 600 cases; `npm run fuzz` runs 20,000 new ones, KEY_FUZZ_RUNS to change,
 * FUZZ_SEED to replay a failure).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, generatePrimeSync, KeyObject, sign, verify } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import fc from 'fast-check';

import { parseTlsPair } from '../lib/tls/inspect';
import { canonicalPrivateKey, KeyEncoding } from '../lib/tls/key-jwk';
import { b64, gcd, inverse } from './bigint-math';
import { fuzzSettings } from './fuzz-settings';
import { DEMO_CERT, DEMO_KEY, openssl, tempDir } from './helpers';
import { rsaKey } from './key-pool';

const { runs: RUNS, seed: SEED } = fuzzSettings('key-jwk', {
  ciRuns: 600,
  fuzzRuns: 20_000,
  ciSeed: 20261201,
  runsVariable: 'KEY_FUZZ_RUNS',
});

const TYPES: readonly KeyEncoding[] = ['pkcs1', 'pkcs8', 'sec1'];

/** The DER of a PEM text's first block. */
const derOf = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');

/** Every form createPrivateKey reads `der` as, with the key's JWK (private numbers included). */
function openSslReadings(der: Buffer): { type: KeyEncoding; jwk: object }[] {
  return TYPES.flatMap((type) => {
    try {
      return [{ type, jwk: createPrivateKey({ key: der, format: 'der', type }).export({ format: 'jwk' }) }];
    } catch {
      return [];
    }
  });
}

const jwkOf = (key: KeyObject) => key.export({ format: 'jwk' });

/** Whether a signature made with `key` verifies with its own public half (the point or modulus the file carries). */
function signsForItself(key: KeyObject): boolean {
  const data = Buffer.from('key-jwk');
  return verify('sha256', data, createPublicKey(key), sign('sha256', data, key));
}

/**
 * `read` is the key OpenSSL reads from `der`, in a form OpenSSL reads it in. (OpenSSL also reads a
 * PKCS#8 key asked for as PKCS#1 or SEC1, of its type, and then finds the same key; Go reads each
 * DER in one form only, and the shapes tell which: the tests above and below say it for each form.)
 */
function expectSameAsOpenSsl(der: Buffer, read: { key: KeyObject; type: KeyEncoding; halvesAgree: boolean }): void {
  const readings = openSslReadings(der);
  expect(readings.map((r) => r.type)).toContain(read.type);
  for (const r of readings) expect(r.jwk).toEqual(jwkOf(read.key));
  // An EC key's halves agree exactly when its signatures verify with its own point; of an RSA
  // key, the caller checks the numbers (key-file.ts), so it never says so here.
  expect(read.halvesAgree).toBe(read.key.asymmetricKeyType === 'ec' && signsForItself(read.key));
}

const rsaPem = rsaKey(2048);
const ecPem = (namedCurve: string) =>
  generateKeyPairSync('ec', {
    namedCurve,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;

/** The canonical forms: [name, DER, the form it is in]. */
const FORMS: [string, Buffer, KeyEncoding][] = [
  ['RSA PKCS#8', derOf(rsaPem), 'pkcs8'],
  ['RSA PKCS#1', createPrivateKey(rsaPem).export({ format: 'der', type: 'pkcs1' }), 'pkcs1'],
  ...(['P-256', 'P-384', 'P-521'] as const).flatMap((crv): [string, Buffer, KeyEncoding][] => {
    const key = createPrivateKey(ecPem(crv));
    return [
      [`EC ${crv} PKCS#8`, key.export({ format: 'der', type: 'pkcs8' }), 'pkcs8'],
      [`EC ${crv} SEC1`, key.export({ format: 'der', type: 'sec1' }), 'sec1'],
    ];
  }),
];

/** A DER element: tag, then its length in the shortest form. */
function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}
const hex = (h: string) => Buffer.from(h, 'hex');
const int = (bytes: Buffer) => tlv(0x02, bytes);
const P256 = hex('06082a8648ce3d030107');
const EC_ALGORITHM = tlv(0x30, hex('06072a8648ce3d0201'), P256);

/** The parts of a P-256 key, to build the forms around them. */
function p256Parts() {
  const jwk = createPrivateKey(ecPem('P-256')).export({ format: 'jwk' });
  const b = (s?: string) => Buffer.from(s!, 'base64url');
  return { d: b(jwk.d), point: Buffer.concat([hex('04'), b(jwk.x), b(jwk.y)]), x: b(jwk.x), y: b(jwk.y) };
}

/** A SEC1 ECPrivateKey from its parts (`params` and the public key left out when not given; `publicKey` its [1] element as it is written). */
function sec1(d: Buffer, params?: Buffer, point?: Buffer, publicKey = point && tlv(0xa1, tlv(0x03, hex('00'), point))): Buffer {
  return tlv(0x30, int(hex('01')), tlv(0x04, d), ...(params ? [tlv(0xa0, params)] : []), ...(publicKey ? [publicKey] : []));
}
const pkcs8 = (inner: Buffer, algorithm = EC_ALGORITHM, version = '00') => tlv(0x30, int(hex(version)), algorithm, tlv(0x04, inner));

describe('reads the common forms as the very key OpenSSL reads', () => {
  test.each(FORMS)('%s', (_name, der, type) => {
    const read = canonicalPrivateKey(der);
    expect(read?.type).toBe(type);
    expectSameAsOpenSsl(der, read!);
    expect(read!.halvesAgree).toBe(read!.key.asymmetricKeyType === 'ec');
  });

  test("an EC key whose private value is not its public point's: read, the same as OpenSSL's, and not said to agree", () => {
    const { d, point } = p256Parts();
    const other = p256Parts();
    for (const der of [pkcs8(sec1(other.d, undefined, point)), sec1(other.d, P256, point)]) {
      const read = canonicalPrivateKey(der);
      expect(read?.halvesAgree).toBe(false);
      expectSameAsOpenSsl(der, read!);
      expect(signsForItself(read!.key)).toBe(false);
    }
    expect(canonicalPrivateKey(pkcs8(sec1(d, undefined, point)))?.halvesAgree).toBe(true);
  });

  test('keys written by the openssl command: genpkey (PKCS#8), the traditional forms, and ecparam -genkey (SEC1 with its curve)', () => {
    const dir = tempDir();
    openssl(dir, 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ec.pem');
    openssl(dir, 'pkey', '-in', 'ec.pem', '-traditional', '-out', 'ec-sec1.pem');
    openssl(dir, 'ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', 'ecparam.pem');
    fs.writeFileSync(path.join(dir, 'rsa.pem'), rsaPem);
    openssl(dir, 'pkey', '-in', 'rsa.pem', '-traditional', '-out', 'rsa-pkcs1.pem');
    const files = { 'ec.pem': 'pkcs8', 'ec-sec1.pem': 'sec1', 'ecparam.pem': 'sec1', 'rsa-pkcs1.pem': 'pkcs1' };
    for (const [file, type] of Object.entries(files)) {
      const pem = fs.readFileSync(path.join(dir, file), 'utf8');
      const der = derOf(pem);
      const read = canonicalPrivateKey(der);
      expect({ file, type: read?.type }).toEqual({ file, type });
      expectSameAsOpenSsl(der, read!);
    }
  });
});

describe('leaves every other form to OpenSSL', () => {
  const { d, point, x, y } = p256Parts();
  const P256_ORDER = hex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

  test('builds the canonical forms it is compared with (so the cases below differ in one thing only)', () => {
    expect(canonicalPrivateKey(pkcs8(sec1(d, undefined, point)))?.type).toBe('pkcs8');
    expect(canonicalPrivateKey(pkcs8(sec1(d, P256, point)))?.type).toBe('pkcs8');
    expect(canonicalPrivateKey(sec1(d, P256, point))?.type).toBe('sec1');
  });

  test.each([
    ['an EC key without its public point (OpenSSL computes it)', pkcs8(sec1(d))],
    ['a SEC1 key without its curve', sec1(d, undefined, point)],
    ['a compressed public point', pkcs8(sec1(d, undefined, Buffer.concat([hex(y[31] & 1 ? '03' : '02'), x])))],
    ['a private value shorter than the curve (leading zeros dropped)', pkcs8(sec1(d.subarray(1), undefined, point))],
    ['a private value of zero', pkcs8(sec1(Buffer.alloc(32), undefined, point))],
    ['a private value at the curve order', pkcs8(sec1(P256_ORDER, undefined, point))],
    ['a SEC1 curve other than the PKCS#8 algorithm names', pkcs8(sec1(d, hex('06052b81040022'), point))],
    ['another curve (secp256k1)', sec1(d, hex('06052b8104000a'), point)],
    ['explicit curve parameters', pkcs8(sec1(d, undefined, point), tlv(0x30, hex('06072a8648ce3d0201'), tlv(0x30, int(hex('01')))))],
    ['PKCS#8 version 1 (OneAsymmetricKey)', pkcs8(sec1(d, undefined, point), EC_ALGORITHM, '01')],
    ['PKCS#8 attributes', tlv(0x30, int(hex('00')), EC_ALGORITHM, tlv(0x04, sec1(d, undefined, point)), tlv(0xa0, tlv(0x30)))],
    ['SEC1 version 0', tlv(0x30, int(hex('00')), tlv(0x04, d), tlv(0xa0, P256), tlv(0xa1, tlv(0x03, hex('00'), point)))],
    ['an element after the key (OpenSSL reads the key and ignores it)', Buffer.concat([pkcs8(sec1(d, undefined, point)), hex('0500')])],
    [
      'an element after the public key',
      tlv(0x30, int(hex('01')), tlv(0x04, d), tlv(0xa0, P256), tlv(0xa1, tlv(0x03, hex('00'), point)), hex('0500')),
    ],
    ['a length with a leading zero byte (82 00 87)', Buffer.concat([hex('30820087'), pkcs8(sec1(d, undefined, point)).subarray(3)])],
    ['a public point whose BIT STRING has unused bits', pkcs8(sec1(d, undefined, undefined, tlv(0xa1, tlv(0x03, hex('01'), point))))],
    [
      'a length in long form where the short one fits',
      tlv(0x30, hex('02810101'), tlv(0x04, d), tlv(0xa0, P256), tlv(0xa1, tlv(0x03, hex('00'), point))),
    ],
    ['a public point in hybrid form (06, read by OpenSSL)', pkcs8(sec1(d, undefined, Buffer.concat([hex(y[31] & 1 ? '07' : '06'), x, y])))],
    ['an indefinite length', Buffer.concat([hex('3080'), pkcs8(sec1(d, undefined, point)).subarray(2), hex('0000')])],
    ['an Ed25519 key (PKCS#8 without its public key)', generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' })],
    ['a point off the curve', pkcs8(sec1(d, undefined, Buffer.concat([hex('04'), x, Buffer.from(y).fill(1, 31)])))],
    ['nothing', Buffer.alloc(0)],
  ])('%s', (_name, der) => {
    expect(canonicalPrivateKey(der)).toBeUndefined();
  });

  test('RSA: a number with a needless leading zero, a negative number, a third prime (version 1), or parameters other than NULL', () => {
    const rsa = derOf(rsaPem);
    const [n, e, dd, p, q, dp, dq, qi] = (['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const).map((k) => {
      const bytes = Buffer.from(createPrivateKey(rsaPem).export({ format: 'jwk' })[k]!, 'base64url');
      return bytes[0] & 0x80 ? Buffer.concat([hex('00'), bytes]) : bytes;
    });
    const pkcs1 = (version: string, numbers: Buffer[]) => tlv(0x30, int(hex(version)), ...numbers.map(int));
    const numbers = [n, e, dd, p, q, dp, dq, qi];
    const rsaAlgorithm = (params: Buffer) => tlv(0x30, hex('06092a864886f70d010101'), params);
    // The builder is right: the same bytes as Node's own PKCS#1 and PKCS#8.
    expect(pkcs1('00', numbers)).toEqual(createPrivateKey(rsaPem).export({ format: 'der', type: 'pkcs1' }));
    expect(pkcs8(pkcs1('00', numbers), rsaAlgorithm(hex('0500')))).toEqual(rsa);
    expect(canonicalPrivateKey(rsa)?.type).toBe('pkcs8');
    expect(canonicalPrivateKey(pkcs1('00', [n, Buffer.concat([hex('00'), e]), ...numbers.slice(2)]))).toBeUndefined();
    expect(canonicalPrivateKey(pkcs1('00', [n, hex('ff'), ...numbers.slice(2)]))).toBeUndefined();
    expect(canonicalPrivateKey(pkcs1('01', numbers))).toBeUndefined();
    // Version 0 with a tenth element (a third prime's place): OpenSSL reads two primes, Go refuses it.
    expect(canonicalPrivateKey(pkcs1('00', [...numbers, hex('01')]))).toBeUndefined();
    expect(canonicalPrivateKey(pkcs8(pkcs1('00', numbers), rsaAlgorithm(Buffer.alloc(0))))).toBeUndefined();
    expect(canonicalPrivateKey(pkcs8(pkcs1('00', numbers), rsaAlgorithm(hex('0400'))))).toBeUndefined();
  });
});

test('property: any byte of any form changed, what it reads is the key OpenSSL reads, in a form OpenSSL reads it in', () => {
  let read = 0;
  fc.assert(
    fc.property(
      fc.constantFrom(...FORMS),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
      ([, original], changes) => {
        const der = Buffer.from(original);
        for (const [at, value] of changes) der[at % der.length] = value;
        const fast = canonicalPrivateKey(der);
        if (fast === undefined) return;
        read++;
        expectSameAsOpenSsl(der, fast);
      },
    ),
    { numRuns: RUNS, seed: SEED },
  );
  // Most changes land in a key's numbers, which both read: the property was tested, not skipped.
  expect(read).toBeGreaterThan(RUNS / 4);
});

describe('the pair check signs only for a key whose halves are not known to agree (an EC key with its point)', () => {
  /** How often parseTlsPair called crypto.sign for this pair, and its findings' codes. */
  function signings(certPem: Buffer, keyPem: Buffer): { signed: number; codes: string[] } {
    // The module object lib/ calls through (a namespace import would be a frozen copy).
    const spy = jest.spyOn(require('node:crypto') as typeof import('node:crypto'), 'sign');
    try {
      const codes = parseTlsPair(certPem, keyPem).findings.map((f) => f.code);
      return { signed: spy.mock.calls.length, codes };
    } finally {
      spy.mockRestore();
    }
  }
  const cert = fs.readFileSync(DEMO_CERT);
  const key = fs.readFileSync(DEMO_KEY);

  test('none for the demo pair (PKCS#8 P-256 with its point), nor for the same key as SEC1', () => {
    expect(signings(cert, key)).toEqual({ signed: 0, codes: [] });
    const sec1Pem = Buffer.from(createPrivateKey(key).export({ format: 'pem', type: 'sec1' }));
    expect(signings(cert, sec1Pem)).toEqual({ signed: 0, codes: [] });
    // Another certificate's key: no signature either way, the mismatch is found by the public halves.
    const rsa = Buffer.from(createPrivateKey(rsaPem).export({ format: 'pem', type: 'pkcs1' }));
    expect(signings(cert, rsa)).toEqual({ signed: 0, codes: ['key-mismatch'] });
  });

  /** A self-signed certificate for `keyPem` (openssl req), and the key. */
  function selfSigned(keyPem: string): Buffer {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'key.pem'), keyPem);
    openssl(dir, 'req', '-x509', '-key', 'key.pem', '-subj', '/CN=runai.example.com', '-days', '1', '-out', 'cert.pem');
    return fs.readFileSync(path.join(dir, 'cert.pem'));
  }

  test('one for an RSA key, also when its numbers agree: read as PKCS#1 and as PKCS#8, with its own certificate', () => {
    const rsaCert = selfSigned(rsaPem);
    const pkcs1 = Buffer.from(createPrivateKey(rsaPem).export({ format: 'pem', type: 'pkcs1' }));
    expect(signings(rsaCert, pkcs1)).toEqual({ signed: 1, codes: [] });
    expect(signings(rsaCert, Buffer.from(rsaPem))).toEqual({ signed: 1, codes: [] });
  });

  test("fails when an RSA key's numbers agree but a factor is not prime (n = p·q with p = p1·p2): its signatures do not verify", () => {
    const prime = (bits: number) => generatePrimeSync(bits, { bigint: true });
    // d·e ≡ 1 mod p−1 and q−1, the CRT values right: everything rsaKeyConsistent checks holds.
    for (;;) {
      const [p, q, e] = [prime(512) * prime(512), prime(1024), 65537n];
      const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
      if (gcd(e, lambda) !== 1n || gcd(q, p) !== 1n) continue;
      const d = inverse(e, lambda);
      const numbers = { n: p * q, e, d, p, q, dp: d % (p - 1n), dq: d % (q - 1n), qi: inverse(q, p) };
      const jwk = Object.fromEntries(Object.entries(numbers).map(([k, v]) => [k, b64(v)]));
      const composite = createPrivateKey({ key: { kty: 'RSA', ...jwk }, format: 'jwk' }).export({ format: 'pem', type: 'pkcs1' }) as string;
      const cert = selfSigned(composite);
      expect(signsForItself(createPrivateKey(composite))).toBe(false);
      expect(signings(cert, Buffer.from(composite))).toEqual({ signed: 1, codes: ['key-mismatch'] });
      return;
    }
  });

  test('one for the demo key with its private value changed (the point kept): the signature check finds it', () => {
    const jwk = createPrivateKey(key).export({ format: 'jwk' });
    const damaged = createPrivateKey({ key: { ...jwk, d: p256Parts().d.toString('base64url') }, format: 'jwk' });
    const pem = Buffer.from(damaged.export({ format: 'pem', type: 'pkcs8' }));
    expect(signings(cert, pem)).toEqual({ signed: 1, codes: ['key-mismatch'] });
  });

  test('one for the demo key without its public point, which OpenSSL reads (and computes the point)', () => {
    const d = Buffer.from(createPrivateKey(key).export({ format: 'jwk' }).d!, 'base64url');
    const der = pkcs8(sec1(d));
    expect(canonicalPrivateKey(der)).toBeUndefined();
    const pem = Buffer.from(`-----BEGIN PRIVATE KEY-----\n${der.toString('base64')}\n-----END PRIVATE KEY-----\n`);
    expect(signings(cert, pem)).toEqual({ signed: 1, codes: [] });
  });
});

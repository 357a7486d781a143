import { execFileSync } from 'node:child_process';
import { createDecipheriv, createPrivateKey, createPublicKey, KeyObject, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { fitsSealing, sealingFingerprint, sealingLabel, sealValue } from '../lib/tls/sealing';
import { ROOT, tempDir } from './helpers';
import { rsaKey } from './key-pool';
import { unsealValue } from './unseal';

let publicKey: KeyObject;
let privateKey: KeyObject;
beforeAll(() => {
  privateKey = createPrivateKey(rsaKey(2048));
  publicKey = createPublicKey(privateKey);
});
/** A public key of `bits` from test/fixtures/keys (made with openssl genpkey; its private half was never kept). */
const fixedPublicKey = (bits: 2047 | 3072) =>
  createPublicKey(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'keys', `rsa-${bits}.pub.pem`)));

const PEM = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

describe('sealValue', () => {
  test("round-trips: the controller's scheme opens it with the same label and gives back the exact bytes", () => {
    const label = sealingLabel('strict', 'runai', 'runai-cluster-domain-star-tls-secret');
    expect(unsealValue(privateKey, sealValue(publicKey, PEM, label), label)).toEqual(PEM);
  });

  test('has the layout uint16 BE length, RSA ciphertext, AES-GCM ciphertext and 16-byte tag', () => {
    const sealed = sealValue(publicKey, PEM, Buffer.from('a/b'));
    expect(sealed.readUInt16BE(0)).toBe(256);
    expect(sealed.length).toBe(2 + 256 + PEM.length + 16);
  });

  test('an independent decryption agrees: openssl opens the RSA-OAEP(SHA-256, label) part, AES-256-GCM with a zero nonce the rest', () => {
    const dir = tempDir();
    const label = sealingLabel('strict', 'runai', 'runai-cluster-domain-star-tls-secret');
    const sealed = sealValue(publicKey, PEM, label);
    fs.writeFileSync(path.join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    fs.writeFileSync(path.join(dir, 'rsa.bin'), sealed.subarray(2, 258));
    const sessionKey = execFileSync(
      'openssl',
      [
        'pkeyutl',
        '-decrypt',
        '-inkey',
        'key.pem',
        '-in',
        'rsa.bin',
        '-pkeyopt',
        'rsa_padding_mode:oaep',
        '-pkeyopt',
        'rsa_oaep_md:sha256',
        '-pkeyopt',
        `rsa_oaep_label:${label.toString('hex')}`,
      ],
      { cwd: dir },
    );
    expect(sessionKey).toHaveLength(32);
    const body = sealed.subarray(258);
    const decipher = createDecipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
    decipher.setAuthTag(body.subarray(body.length - 16));
    expect(Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()])).toEqual(PEM);
  });

  test('binds the scope: another namespace or name cannot open a strict sealing', () => {
    const sealed = sealValue(publicKey, PEM, sealingLabel('strict', 'runai', 's'));
    expect(() => unsealValue(privateKey, sealed, sealingLabel('strict', 'runai-backend', 's'))).toThrow();
    expect(() => unsealValue(privateKey, sealed, sealingLabel('strict', 'runai', 'other'))).toThrow();
  });

  test('namespace-wide binds the namespace only; cluster-wide binds nothing', () => {
    expect(sealingLabel('namespace-wide', 'runai', 's').toString()).toBe('runai');
    expect(sealingLabel('cluster-wide', 'runai', 's').toString()).toBe('');
    expect(sealingLabel('strict', 'runai', 's').toString()).toBe('runai/s');
    const sealed = sealValue(publicKey, PEM, sealingLabel('namespace-wide', 'runai', 's'));
    expect(unsealValue(privateKey, sealed, sealingLabel('namespace-wide', 'runai', 'any-name'))).toEqual(PEM);
    expect(() => unsealValue(privateKey, sealed, sealingLabel('namespace-wide', 'other', 's'))).toThrow();
  });

  test('fails to open with another controller key', () => {
    const other = createPrivateKey(rsaKey(2048));
    const label = Buffer.from('a/b');
    expect(() => unsealValue(other, sealValue(publicKey, PEM, label), label)).toThrow();
  });

  test('is randomized, and deterministic for given randomness', () => {
    const label = Buffer.from('a/b');
    expect(sealValue(publicKey, PEM, label)).not.toEqual(sealValue(publicKey, PEM, label));
    const fixed = (n: number) => Buffer.alloc(n, 7);
    const aesPart = (b: Buffer) => b.subarray(258);
    expect(aesPart(sealValue(publicKey, PEM, label, fixed))).toEqual(aesPart(sealValue(publicKey, PEM, label, fixed)));
  });
});

describe('fitsSealing', () => {
  test('accepts a sealing of a value that long for this key', () => {
    expect(fitsSealing(sealValue(publicKey, PEM, Buffer.from('a/b')).toString('base64'), publicKey, PEM.length)).toBe(true);
  });

  test('accepts a sealing for a key whose size is not a multiple of 8 (2047 bits: a 256-byte RSA block)', () => {
    const odd = fixedPublicKey(2047);
    expect(fitsSealing(sealValue(odd, PEM, Buffer.from('a/b')).toString('base64'), odd, PEM.length)).toBe(true);
  });

  test.each([
    ['a hand-edited value', () => 'AAAA'],
    ['an empty value', () => ''],
    ['a sealing cut short by one byte', () => sealValue(publicKey, PEM, Buffer.from('a/b')).subarray(0, -1).toString('base64')],
    ['a sealing of a longer value', () => sealValue(publicKey, Buffer.concat([PEM, PEM]), Buffer.from('a/b')).toString('base64')],
    ['a sealing for a 3072-bit key', () => sealValue(fixedPublicKey(3072), PEM, Buffer.from('')).toString('base64')],
    [
      'base64 with a line break in it',
      () =>
        sealValue(publicKey, PEM, Buffer.from('a/b'))
          .toString('base64')
          .replace(/^(.{76})/, '$1\n'),
    ],
  ])('fails for %s', (_, value) => {
    expect(fitsSealing(value(), publicKey, PEM.length)).toBe(false);
  });
});

describe('sealingFingerprint', () => {
  const values = { 'tls.crt': PEM, 'tls.key': Buffer.from('key') };
  const fp = (over: Partial<{ controller: string; scope: 'strict' | 'cluster-wide'; ns: string; values: typeof values }> = {}) =>
    sealingFingerprint(over.controller ?? 'AA:BB', over.scope ?? 'strict', over.ns ?? 'runai', 's', over.values ?? values);

  test('is stable for the same inputs and changes with each of them', () => {
    expect(fp()).toBe(fp());
    expect(fp()).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const other of [
      fp({ controller: 'CC' }),
      fp({ scope: 'cluster-wide' }),
      fp({ ns: 'runai-backend' }),
      fp({ values: { ...values, 'tls.crt': Buffer.from('new') } }),
    ]) {
      expect(other).not.toBe(fp());
    }
  });

  test('holds no key material', () => {
    const key = randomBytes(64);
    expect(fp({ values: { ...values, 'tls.key': key } })).not.toContain(key.toString('hex').slice(0, 16));
  });
});

/**
 * lib/tls/certificate-fields.ts: a certificate's fields are read from its DER once, however many checks ask
 * (Go's, the chain's, the chain authority's), and a certificate whose DER cannot be read says so
 * every time it is asked.
 */
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';

import { fieldsOf, readableFields } from '../lib/tls/certificate-fields';
import { DEMO_CERT } from './helpers';

const ders = (fs.readFileSync(DEMO_CERT, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []).map((b) =>
  Buffer.from(b.replace(/-----[^-]+-----|\s/g, ''), 'base64'),
);

test("reads a certificate's fields once: the same answer for the same certificate, its own for another", () => {
  const [leaf, intermediate] = ders.map((der) => new X509Certificate(der));
  const first = fieldsOf(leaf);
  expect(fieldsOf(leaf)).toBe(first);
  expect(readableFields(leaf)).toBe(first);
  // The demo leaf's key usage (openssl x509 -ext keyUsage: Digital Signature) forbids signing certificates; its issuer, a CA, may.
  expect(first.keyUsage).toEqual(['digitalSignature']);
  expect(fieldsOf(intermediate).keyUsage).toEqual(['keyCertSign', 'cRLSign']);
  // Another object for the same bytes is read on its own, to the same fields.
  expect(fieldsOf(new X509Certificate(ders[0]))).not.toBe(first);
  expect(fieldsOf(new X509Certificate(ders[0]))).toEqual(first);
});

test('fails when the DER cannot be read (an indefinite length, which OpenSSL reads and Go does not): every time it is asked', () => {
  // The leaf's signed part (tbsCertificate) with a BER indefinite length, 30 80 … 00 00: OpenSSL
  // keeps the signed part's bytes as they came, so `raw` has them too.
  const leaf = ders[0];
  const tbsEnd = 8 + leaf.readUInt16BE(6);
  const hex = (h: string) => Buffer.from(h, 'hex');
  const ber = Buffer.concat([hex('30803080'), leaf.subarray(8, tbsEnd), hex('0000'), leaf.subarray(tbsEnd), hex('0000')]);
  const cert = new X509Certificate(ber);
  expect(cert.raw.subarray(4, 6)).toEqual(hex('3080'));
  expect(cert.subject).toContain('CN=*.runai.example.com');
  expect(() => fieldsOf(cert)).toThrow('DER: bad length');
  expect(() => fieldsOf(cert)).toThrow('DER: bad length');
  expect(readableFields(cert)).toBeUndefined();
});

import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';

import { tempDir } from './helpers';
import { Pki } from './pki';

test('the fixture PKI issues chains with the fixed windows and extensions asked for', () => {
  const pki = new Pki(tempDir());
  pki.issue('root', { cn: 'Root', ca: true });
  pki.issue('int', { cn: 'Int', ca: true, issuer: 'root' });
  pki.issue('leaf', { cn: 'leaf', dns: ['*.a.example'], issuer: 'int', md: 'sha1', key: 2048 });
  const leaf = new X509Certificate(fs.readFileSync(pki.file('leaf')));
  const int = new X509Certificate(fs.readFileSync(pki.file('int')));
  expect(leaf.validFrom).toBe('Jan  1 00:00:00 2020 GMT');
  expect(leaf.validTo).toBe('Jan  1 00:00:00 2040 GMT');
  expect(leaf.subjectAltName).toBe('DNS:*.a.example');
  expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
  expect(leaf.checkIssued(int) && leaf.verify(int.publicKey)).toBe(true);
  expect(leaf.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  expect(int.ca).toBe(true);
});

// A key line as the subject (key-leaks.test.ts) failed in openssl req when it held "+" or "/",
// which -subj reads as separators: the checked-in demo key's first line happens to hold neither.
test('the fixture PKI takes a CN with "+", "/" and "\\" as it is', () => {
  const pki = new Pki(tempDir());
  const cn = 'MIGHAgEA+jBaCaGs39FR/Qg7tFg\\x';
  const cert = new X509Certificate(fs.readFileSync(pki.issue('leaf', { cn, dns: ['*.a.example'] })));
  // Node writes the subject as RFC 4514 does, with "+" and "\" escaped.
  expect(cert.subject).toBe(`CN=${cn.replace(/[+\\]/g, '\\$&')}`);
});

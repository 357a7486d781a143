/**
 * A config's bytes before YAML reads them (lib/config/encoding.ts): wide text named by the
 * encoding that reads it as YAML, binary data named as such, and UTF-8 left alone, NULs or not.
 * Wide files are made by iconv, binary ones by openssl and zlib.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

import { encodingProblem } from '../lib/config/encoding';
import { DEMO_CERT, DEMO_KEY, ROOT, runInProcess, tempDir } from './helpers';

const CONFIG = fs.readFileSync(path.join(ROOT, 'examples', 'runai-access.yaml'), 'utf8');
const wide = (encoding: string) =>
  `is ${encoding} text; save it as UTF-8 (iconv -f ${encoding} -t UTF-8, or your editor's "Save with encoding")`;
const BINARY = 'is not text: it reads as binary data (such as a DER certificate, a PKCS#12 bundle or a gzip file); give the YAML config';
const iconv = (text: string, encoding: string) => execFileSync('iconv', ['-f', 'UTF-8', '-t', encoding], { input: text });
const problem = (bytes: Buffer) => encodingProblem(bytes, bytes.toString('utf8'));

describe('wide text without a byte-order mark', () => {
  test.each([
    // 一 (U+4E00) twice a line: a NUL at the even offset for each, as well as the odd ones of ASCII.
    ['UTF-16LE', 'Chinese comment lines with 一 twice a line', '# 这是第一个集群的配置文件，请统一管理。\n'.repeat(12) + CONFIG],
    ['UTF-16LE', 'a long line of Chinese without ASCII first', `# ${'研究人员工作空间访问配置'.repeat(40)}\n${CONFIG}`],
    // U+3000 is 00 30 in UTF-16LE: read as UTF-16BE it is "0".
    ['UTF-16LE', 'a line of 256 ideographic spaces', `#${'\u3000'.repeat(256)}\n${CONFIG}`],
    // U+2500 is 00 25: read as UTF-16BE it is "%".
    ['UTF-16LE', 'a banner of box-drawing lines', `# ${'─'.repeat(100)}\n${CONFIG}`],
    ['UTF-16BE', 'a banner of box-drawing lines', `# ${'─'.repeat(100)}\n${CONFIG}`],
    ['UTF-16BE', 'Cyrillic comment lines', '# Конфигурация доступа к рабочим пространствам\n'.repeat(5) + CONFIG],
    ['UTF-32LE', 'emoji in a comment', `# 🚀 ${'🎉'.repeat(20)}\n${CONFIG}`],
    ['UTF-32BE', 'emoji in a comment', `# 🚀 ${'🎉'.repeat(20)}\n${CONFIG}`],
  ])('names %s opening with %s', (encoding, _what, text) => {
    const bytes = iconv(text, encoding);
    expect(problem(bytes)).toBe(wide(encoding));
    // The command it names gives the text back.
    expect(execFileSync('iconv', ['-f', encoding, '-t', 'UTF-8'], { input: bytes }).toString('utf8')).toBe(text);
  });
});

describe('UTF-8 with NULs in it', () => {
  test('names no encoding for 9 NULs in a comment, 8 of them at odd offsets (it said UTF-16LE)', () => {
    const bytes = Buffer.from(CONFIG);
    const comment = CONFIG.indexOf('# The bundled example') + 2;
    const odd = comment % 2 === 1 ? comment : comment + 1;
    for (const at of [odd, odd + 2, odd + 4, odd + 6, odd + 8, odd + 10, odd + 12, odd + 14, odd + 21]) bytes[at] = 0;
    expect(bytes.filter((b) => b === 0).length).toBe(9);
    expect(problem(bytes)).toBeUndefined();
  });

  test('names no encoding for 9 NULs at random places in its comments, in any of 500 seeded draws', () => {
    const commentEnds = [...CONFIG.matchAll(/#[^\n]*/g)].map((m) => m.index! + m[0].length);
    let seed = Buffer.from('runai-access nul draws');
    const named: number[] = [];
    for (let draw = 0; draw < 500; draw++) {
      const bytes = Buffer.from(CONFIG);
      const with0 = Buffer.alloc(bytes.length + 9);
      const at = new Set<number>();
      while (at.size < 9) {
        seed = createHash('sha256').update(seed).digest();
        at.add(commentEnds[seed.readUInt32BE(0) % commentEnds.length]);
      }
      let o = 0;
      bytes.forEach((b, i) => {
        if (at.has(i)) with0[o++] = 0;
        with0[o++] = b;
      });
      if (problem(with0.subarray(0, o)) !== undefined) named.push(draw);
    }
    expect(named).toEqual([]);
  });
});

describe('binary data', () => {
  const dir = tempDir();
  test.each([
    ['a DER certificate', () => execFileSync('openssl', ['x509', '-in', DEMO_CERT, '-outform', 'DER'])],
    [
      'a PKCS#12 bundle',
      () => execFileSync('openssl', ['pkcs12', '-export', '-in', DEMO_CERT, '-inkey', DEMO_KEY, '-passout', 'pass:x', '-out', '-']),
    ],
    ['a gzip file', () => gzipSync(CONFIG)],
  ])('names %s as binary data (it said: ends its lines with a lone CR)', (_what, make) => {
    expect(problem(make())).toBe(BINARY);
  });

  test('fails when --config is a DER certificate: one line, exit 2', () => {
    const file = path.join(dir, 'cert.der');
    fs.writeFileSync(file, execFileSync('openssl', ['x509', '-in', DEMO_CERT, '-outform', 'DER']));
    expect(runInProcess(['validate', '--config', file])).toEqual({ status: 2, stdout: '', stderr: `${file}: ${BINARY}\n` });
  });
});

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
    // Few line ends or spaces in the whole window: named because nothing in it is no text.
    ['UTF-16LE', 'a line of 4,800 Chinese characters before a short config', `# ${'研究人员工作空间访问配置'.repeat(400)}\nclusters: []\n`],
    ['UTF-16BE', 'a quoted value of 6,000 Chinese characters', `clusters:\n  - name: "${'集群'.repeat(3000)}"\n`],
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

describe('short or Latin-1 text with a few NULs', () => {
  /** `count` NULs at seeded places in `text`'s bytes, `draws` times: the draws named as anything. */
  function named(text: Buffer, count: number, draws: number): number[] {
    let seed = Buffer.from(`runai-access nuls ${text.length} ${count}`);
    const found: number[] = [];
    for (let draw = 0; draw < draws; draw++) {
      const bytes = Buffer.from(text);
      for (let n = 0; n < count; n++) {
        seed = createHash('sha256').update(seed).digest();
        bytes[seed.readUInt32BE(0) % bytes.length] = 0;
      }
      if (problem(bytes) !== undefined) found.push(draw);
    }
    return found;
  }

  test.each([
    ['a Latin-1 config ending in a NUL', 'clusters:\n  - name: m\xfcnchen\n    clusterUrl: x\n\0'],
    // Read as UTF-16LE, its last two bytes are a line end: the rule before named it UTF-16LE.
    [
      'a Latin-1 comment of accented letters, then a config ending in a NUL',
      `# ${'\xf1'.repeat(19)} ${'\xe9'.repeat(13)}\nclusters: []\n\0`,
    ],
  ])('names no encoding for %s (it said UTF-16LE)', (_what, text) => {
    expect(problem(Buffer.from(text, 'latin1'))).toBeUndefined();
  });
  test('names no encoding for Latin-1 comment lines: broken UTF-8, but no binary data', () => {
    expect(problem(Buffer.from(`# Zugang für Forscher: Schlüssel und Zertifikate\n`.repeat(20) + CONFIG, 'latin1'))).toBeUndefined();
  });
  const start = Buffer.from(CONFIG).subarray(0, 120);
  const short = Buffer.from(
    CONFIG.split('\n')
      .filter((l) => !l.startsWith('#'))
      .join('\n'),
  ).subarray(0, 206);
  test.each([
    ['the first 120 bytes of the example', 9, 300, start],
    ['the first 120 bytes of the example', 3, 300, start],
    ['a whole config of 206 bytes', 16, 500, short],
  ])('names no encoding for %s with %d NULs in seeded places, in any of %d draws (most were named UTF-16)', (_what, count, draws, text) => {
    expect(named(text, count, draws)).toEqual([]);
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
    // Random bytes without a NUL (an encrypted file): no wide reading, and not UTF-8 text either.
    [
      'random bytes without a NUL',
      () => {
        let seed = Buffer.from('runai-access no-nul data');
        const chunks: Buffer[] = [];
        for (let i = 0; i < 10; i++) chunks.push((seed = createHash('sha256').update(seed).digest()));
        return Buffer.from(Buffer.concat(chunks).filter((b) => b !== 0));
      },
    ],
  ])('names %s as binary data (it said: ends its lines with a lone CR)', (_what, make) => {
    expect(problem(make())).toBe(BINARY);
  });

  test('fails when --config is a DER certificate: one line, exit 2', () => {
    const file = path.join(dir, 'cert.der');
    fs.writeFileSync(file, execFileSync('openssl', ['x509', '-in', DEMO_CERT, '-outform', 'DER']));
    expect(runInProcess(['validate', '--config', file])).toEqual({ status: 2, stdout: '', stderr: `${file}: ${BINARY}\n` });
  });

  test.each([
    ['its PEM private key', DEMO_KEY, 'is a PEM private key, not a config'],
    ['its PEM certificate chain', DEMO_CERT, 'is a PEM certificate, not a config'],
  ])('fails when --config is %s: named as what it is (it said "got a string"), one line, exit 2', (_what, file, what) => {
    expect(runInProcess(['validate', '--config', file])).toEqual({
      status: 2,
      stdout: '',
      stderr: `${file}: ${what}; give the YAML config (runai-access.yaml)\n`,
    });
  });
});

describe('characters no value takes', () => {
  const dir = tempDir();
  const NOT_UTF8 =
    'holds a byte that is not UTF-8 (a Latin-1 or Windows-1252 character, perhaps); save the file as UTF-8 ' +
    '(iconv -f WINDOWS-1252 -t UTF-8 old.yaml > new.yaml)';
  const config = (annotations: string) =>
    `clusters:\n  - name: prod\n    clusterUrl: runai.example.com\n    tls: {source: existing}\n    ingress: {annotations: ${annotations}}\n`;
  const validate = (name: string, bytes: Buffer) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return { file, ...runInProcess(['validate', '-q', '--config', file]) };
  };

  // The YAML reader took a Latin-1 é as U+FFFD and wrote it into the annotation (caf\uFFFD), exit 0.
  test('fails when a Latin-1 file holds é in a value, naming the line; the iconv command it names gives a config that works', () => {
    const latin1 = iconv(config('{note: café}'), 'LATIN1');
    const { file, ...r } = validate('old.yaml', latin1);
    expect(r).toEqual({
      status: 2,
      stdout: '',
      stderr: `${file}: clusters[0].ingress.annotations.note (line 5, column 35): ${NOT_UTF8}\n`,
    });
    execFileSync('sh', ['-c', 'iconv -f WINDOWS-1252 -t UTF-8 old.yaml > new.yaml'], { cwd: dir });
    expect(fs.readFileSync(path.join(dir, 'new.yaml'), 'utf8')).toBe(config('{note: café}'));
    expect(runInProcess(['validate', '-q', '--config', path.join(dir, 'new.yaml')]).status).toBe(0);
  });

  test.each([
    ['a raw NUL', '{note: "a\u0000b"}', 'U+0000', 35],
    ['a NUL from an escape', '{note: "a\\0b"}', 'U+0000', 35],
    ['an escape character in a key', '{"a\u001b[31m": b}', 'U+001B', 29],
    ['a C1 control character', '{note: "a\u0090b"}', 'U+0090', 35],
    ['NEL, a line end to YAML 1.1', '{note: "a\u0085b"}', 'U+0085', 35],
  ])('fails when a value or key holds %s (it was written to the cluster)', (_what, annotations, name, col) => {
    const { file, ...r } = validate('control.yaml', Buffer.from(config(annotations)));
    expect(r).toEqual({
      status: 2,
      stdout: '',
      // A key's problem is placed at the mapping that holds it.
      stderr: `${file}: clusters[0].ingress.annotations${col === 35 ? '.note' : ''} (line 5, column ${col}): holds the control character ${name}, which no value takes; remove it\n`,
    });
  });

  // The parser's words for these were "Unexpected scalar at node end" and "Implicit map keys need to be followed by map values".
  test.each([
    ['a NUL after a value', 'clusters: []\u0000\n', 'U+0000', 'line 1, column 13'],
    ['a BEL after a value', 'clusters: []\u0007\n', 'U+0007', 'line 1, column 13'],
    ['a NUL on a line of its own', 'clusters: []\n\u0000\n', 'U+0000', 'line 2, column 1'],
  ])('fails naming the character and where it is when YAML cannot read the file for %s', (_what, text, name, where) => {
    const { file, ...r } = validate('raw-control.yaml', Buffer.from(text));
    expect(r).toEqual({
      status: 2,
      stdout: '',
      stderr: `${file}: ${where}: holds the control character ${name}, which YAML does not allow here (an editor shows none); remove it\n`,
    });
  });

  test('fails naming the syntax error, not a control character in a comment above it, which is let be', () => {
    const { file, ...r } = validate('comment-control.yaml', Buffer.from('# a\u0001 comment\nclusters: [\n'));
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line [23], column \\d+: invalid YAML: `));
    expect(r.stderr).not.toContain('control character');
  });

  test('fails when a value holds a lone surrogate, from an escape (it reached the cluster as U+FFFD)', () => {
    const { file, ...r } = validate('surrogate.yaml', Buffer.from(config('{note: "x\\uD800y"}')));
    expect(r).toEqual({
      status: 2,
      stdout: '',
      stderr: `${file}: clusters[0].ingress.annotations.note (line 5, column 35): holds the lone surrogate U+D800, which is no character; remove it\n`,
    });
  });

  test('takes them in comments, and tab, emoji and a U+FFFD written as such in values', () => {
    const text = `# caf\u00e9 \u0000\n${config('{tab: "a\\tb", emoji: "\u{1F680} \\U0001F389", replacement: "\ufffd"}')}`;
    expect(validate('comments.yaml', Buffer.from(text))).toMatchObject({ status: 0, stderr: '' });
    // A Latin-1 é in a comment reaches no value. (In a file that holds one, a U+FFFD written as
    // such in a value is taken for a broken byte too: the reading keeps no trace of which it was.)
    const latin1 = Buffer.concat([Buffer.from('# caf\u00e9\n', 'latin1'), Buffer.from(config('{tab: "a\\tb"}'))]);
    expect(latin1[5]).toBe(0xe9);
    expect(validate('latin1-comment.yaml', latin1)).toMatchObject({ status: 0, stderr: '' });
  });
});

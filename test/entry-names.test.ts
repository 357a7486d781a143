/**
 * Names read as bytes (lib/output/entry-names.ts): a name that is not UTF-8 is reached by its bytes
 * and shown with each stray byte as `\xNN`; a UTF-8 name keeps a path of text.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { entriesOf, shownName } from '../lib/output/entry-names';
import { tempDir } from './helpers';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('shownName', () => {
  test.each([
    ['plain ASCII', bytes('10-ingress.yaml'), '10-ingress.yaml'],
    ['UTF-8 of two, three and four bytes', bytes('é€😀.txt'), 'é€😀.txt'],
    ['a stray byte', bytes('bad', [0xff], '.txt'), 'bad\\xff.txt'],
    ['a lead byte without its continuation', bytes('x', [0xc3, 0x28]), 'x\\xc3('],
    ['a sequence cut off at the end', bytes('x', [0xe2, 0x82]), 'x\\xe2\\x82'],
    ['an overlong form of "/"', bytes([0xc0, 0xaf]), '\\xc0\\xaf'],
    ['a UTF-16 surrogate encoded as UTF-8', bytes([0xed, 0xa0, 0x80]), '\\xed\\xa0\\x80'],
    ['a code point past U+10FFFF', bytes([0xf4, 0x90, 0x80, 0x80]), '\\xf4\\x90\\x80\\x80'],
  ])('%s', (_, name, shown) => {
    expect(shownName(name)).toBe(shown);
  });
});

describe('entriesOf', () => {
  test('a UTF-8 name keeps a path of text; one that is not gets a path of bytes that reaches the file', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'ok.yaml'), 'a\n');
    fs.writeFileSync(bytes(dir, '/bad', [0xff]), 'b\n');
    const entries = entriesOf(dir).sort((a, b) => (a.shown < b.shown ? -1 : 1));
    expect(entries.map((e) => [e.shown, e.utf8, typeof e.path])).toEqual([
      ['bad\\xff', false, 'object'],
      ['ok.yaml', true, 'string'],
    ]);
    expect(entries.map((e) => fs.readFileSync(e.path, 'utf8'))).toEqual(['b\n', 'a\n']);
    expect(entries[1].path).toBe(path.join(dir, 'ok.yaml'));
  });

  test('below a name that is not UTF-8, every path is bytes', () => {
    const dir = tempDir();
    const folder = bytes(dir, '/d', [0xfe]);
    fs.mkdirSync(folder);
    fs.writeFileSync(Buffer.concat([folder, Buffer.from('/f.txt')]), 'c\n');
    const [inner] = entriesOf(entriesOf(dir)[0].path);
    expect([inner.shown, inner.utf8, Buffer.isBuffer(inner.path), fs.readFileSync(inner.path, 'utf8')]).toEqual([
      'f.txt',
      true,
      true,
      'c\n',
    ]);
  });

  test('fails when the folder cannot be read, as readdirSync does', () => {
    expect(() => entriesOf(path.join(tempDir(), 'missing'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

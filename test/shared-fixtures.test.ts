/**
 * The fixtures the suites of one jest run share (test/key-pool.ts, sharedCorpus in
 * test/cert-corpus.ts): each suite still gets distinct keys, and a suite waits for another's
 * build of the corpus rather than build it again.
 */
import { spawn } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Corpus, sharedCorpus } from './cert-corpus';
import { SHARED_FIXTURES_ENV, tempDir } from './helpers';
import { KeyPool, PoolName } from './key-pool';
import { Pki } from './pki';

/** Runs `f` with the shared folder set to `dir`, as the global setup sets it. */
function withShared<T>(dir: string, f: () => T): T {
  const before = process.env[SHARED_FIXTURES_ENV];
  process.env[SHARED_FIXTURES_ENV] = dir;
  try {
    return f();
  } finally {
    if (before === undefined) delete process.env[SHARED_FIXTURES_ENV];
    else process.env[SHARED_FIXTURES_ENV] = before;
  }
}

const bits = (pem: string) => createPrivateKey(pem).asymmetricKeyDetails?.modulusLength;

describe('the RSA key pool', () => {
  test("one suite's keys are distinct RSA keys of the size asked for; another suite gets the same ones, in order", () => {
    const shared = tempDir();
    const a = new KeyPool(shared);
    const first = [a.rsaKey(512), a.rsaKey(512), a.rsaKey(1024)];
    const b = new KeyPool(shared);
    const again = [b.rsaKey(512), b.rsaKey(512), b.rsaKey(1024)];
    expect(first.map(bits)).toEqual([512, 512, 1024]);
    expect(new Set(first).size).toBe(3);
    expect(again).toEqual(first);
    expect(fs.readdirSync(path.join(shared, 'rsa-keys')).sort()).toEqual(['suite-1024-0.pem', 'suite-512-0.pem', 'suite-512-1.pem']);
  });

  test("another pool's keys are not this pool's: two suites, one taking from the corpus's pool", () => {
    const shared = tempDir();
    const suite = new KeyPool(shared).rsaKey(512);
    const corpus = new KeyPool(shared).rsaKey(512, 'corpus');
    expect(bits(corpus)).toBe(512);
    expect(corpus).not.toEqual(suite);
  });

  test("a Pki's RSA keys come from its pool: a suite's and the corpus's differ", () => {
    const shared = tempDir();
    const keys = new KeyPool(shared);
    const issue = (pool: PoolName) => {
      const pki = new Pki(tempDir(), pool, keys);
      pki.issue('leaf', { cn: 'leaf', key: 512 });
      return fs.readFileSync(pki.file('leaf', 'key'), 'utf8');
    };
    const [suite, corpus] = [issue('suite'), issue('corpus')];
    expect(suite).toBe(fs.readFileSync(path.join(shared, 'rsa-keys', 'suite-512-0.pem'), 'utf8'));
    expect(corpus).toBe(fs.readFileSync(path.join(shared, 'rsa-keys', 'corpus-512-0.pem'), 'utf8'));
    expect(corpus).not.toEqual(suite);
  });

  test('outside a jest run with the global setup, every key is new', () => {
    const keys = [new KeyPool(undefined).rsaKey(512), new KeyPool(undefined).rsaKey(512)];
    expect(keys.map(bits)).toEqual([512, 512]);
    expect(keys[0]).not.toEqual(keys[1]);
  });
});

describe('sharedCorpus', () => {
  const corpus = (root: string): Corpus => ({ root, forms: {} });

  test('the first suite builds it in the shared folder and writes the index; the next reads the index', () => {
    const shared = tempDir();
    const built: string[] = [];
    const build = (dir: string) => (built.push(dir), corpus(dir));
    const [a, b] = withShared(shared, () => [sharedCorpus('/fallback', 1000, build), sharedCorpus('/fallback', 1000, build)]);
    expect(built).toEqual([path.join(shared, 'corpus')]);
    expect(a).toEqual(corpus(path.join(shared, 'corpus')));
    expect(b).toEqual(a);
  });

  test('a suite that asks while another builds waits for its index and builds nothing', () => {
    const shared = tempDir();
    fs.mkdirSync(path.join(shared, 'corpus'));
    const index = JSON.stringify(corpus('/by-the-other-suite'));
    // The other suite, in another process: its index appears after 0.3 s, written whole and renamed.
    spawn('sh', ['-c', 'sleep 0.3 && printf %s "$1" > "$2.tmp" && mv "$2.tmp" "$2"', 'sh', index, path.join(shared, 'corpus.json')]);
    const built: string[] = [];
    const got = withShared(shared, () => sharedCorpus('/fallback', 20_000, (dir) => (built.push(dir), corpus(dir))));
    expect([got, built]).toEqual([corpus('/by-the-other-suite'), []]);
  });

  test("the run's corpus takes its RSA keys from the corpus's pool, not from the suites'", () => {
    const shared = process.env[SHARED_FIXTURES_ENV]!;
    const corpus = sharedCorpus(tempDir());
    expect(fs.readFileSync(path.join(path.dirname(corpus.root), 'rsa.key'), 'utf8')).toBe(
      fs.readFileSync(path.join(shared, 'rsa-keys', 'corpus-2048-0.pem'), 'utf8'),
    );
  }, 60_000);

  test('fails over to a build of its own at once when the first build failed (it leaves corpus.failed)', () => {
    const shared = tempDir();
    const broken = () => {
      throw new Error('openssl failed');
    };
    expect(() => withShared(shared, () => sharedCorpus('/fallback', 1000, broken))).toThrow('openssl failed');
    expect(fs.existsSync(path.join(shared, 'corpus.failed'))).toBe(true);
    const built: string[] = [];
    const start = Date.now();
    const got = withShared(shared, () => sharedCorpus('/fallback', 20_000, (dir) => (built.push(dir), corpus(dir))));
    expect([got, built]).toEqual([corpus('/fallback'), ['/fallback']]);
    // Not a timing of speed: without the marker it would wait out the whole 20 s.
    expect(Date.now() - start).toBeLessThan(20_000);
  });

  test('fails over to a build of its own in its fallback folder when no index appears in time (the builder failed)', () => {
    const shared = tempDir();
    fs.mkdirSync(path.join(shared, 'corpus'));
    const built: string[] = [];
    const got = withShared(shared, () => sharedCorpus('/fallback', 200, (dir) => (built.push(dir), corpus(dir))));
    expect([got, built]).toEqual([corpus('/fallback'), ['/fallback']]);
  });
});

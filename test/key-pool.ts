/**
 * RSA private keys for tests, shared by the suites of one jest run: generating one takes 0.1 to
 * 1 s (2,048 bits about 0.25 s on these machines, 3,072 bits 0.6 s), and the suites ask for some
 * twenty. A suite's n-th key of a pool and size is the run's n-th, so the keys one suite gets are
 * distinct, and another suite gets the same ones. Pools keep apart keys that must not meet: the
 * certificate corpus, which suites share, has its own, so a suite's own key never matches a
 * corpus certificate by chance. The first suite to ask for a key makes it, in the folder
 * test/global-setup.js made; without that folder (a suite run outside jest's global setup),
 * every call makes a new key.
 */
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';

import { SHARED_FIXTURES_ENV } from './helpers';

/** A new RSA private key of `bits`, as PKCS#8 PEM (the form `openssl genpkey` writes). */
export function newRsaKey(bits: number): string {
  return generateKeyPairSync('rsa', {
    modulusLength: bits,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
}

/** The pools: a suite's own keys, and the shared certificate corpus's (see the header). */
export type PoolName = 'suite' | 'corpus';

/** The keys one suite takes from the run's pools, kept in `sharedDir` (none: every key is new). */
export class KeyPool {
  /** How many keys of each pool and size this suite took. */
  private readonly taken = new Map<string, number>();

  constructor(private readonly sharedDir: string | undefined) {}

  /** This suite's next RSA key of `bits` from `pool`, as PKCS#8 PEM: distinct from every other key it took from the pool. */
  public rsaKey(bits: number, pool: PoolName = 'suite'): string {
    const id = `${pool}-${bits}`;
    const n = this.taken.get(id) ?? 0;
    this.taken.set(id, n + 1);
    if (this.sharedDir === undefined) return newRsaKey(bits);
    const file = path.join(this.sharedDir, 'rsa-keys', `${id}-${n}.pem`);
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const pem = newRsaKey(bits);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Written whole, then renamed: a reader sees a whole key or none. Two suites making the same
    // key at once each keep the one they made; later suites read the one renamed last.
    const tmp = `${file}.${process.pid}-${threadId}`;
    fs.writeFileSync(tmp, pem);
    fs.renameSync(tmp, file);
    return pem;
  }
}

/** This suite's keys from the run's pools (jest loads this module afresh for each suite). */
export const suiteKeys = new KeyPool(process.env[SHARED_FIXTURES_ENV]);

/** This suite's next RSA key of `bits` from `pool` (see {@link KeyPool.rsaKey}). */
export const rsaKey = (bits: number, pool?: PoolName): string => suiteKeys.rsaKey(bits, pool);

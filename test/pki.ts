/**
 * A throw-away PKI for certificate tests, built with openssl at test time. Validity windows
 * are fixed dates (`openssl ca -startdate/-enddate`) and tests pass the time they check at,
 * so no fixture ever expires.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { CertFinding, InspectOptions, inspectTlsPair, parseTlsPair } from '../lib/tls/inspect';
import { tempDir } from './helpers';
import { KeyPool, PoolName, suiteKeys } from './key-pool';

/** 2020-01-01 to 2040-01-01 unless a certificate says otherwise; tests check at 2030-01-01. */
export const DEFAULT_START = '20200101000000Z';
export const DEFAULT_END = '20400101000000Z';
export const CHECK_AT = new Date('2030-01-01T00:00:00Z');

export interface IssueOptions {
  /** The subject CN, as it is: `/`, `+` and `\` are escaped for openssl's -subj. */
  readonly cn: string;
  /** DNS subject alternative names. @default - none */
  readonly dns?: readonly string[];
  /** The issuing certificate's name; self-signed when left out. */
  readonly issuer?: string;
  /** basicConstraints CA:TRUE. @default false */
  readonly ca?: boolean;
  /** basicConstraints pathlen of a CA. @default - none */
  readonly pathLen?: number;
  /** extendedKeyUsage value, or null for none. @default 'serverAuth' for leaves, null for CAs */
  readonly eku?: string | null;
  /** Key: EC P-256, RSA of the given size, or another algorithm (see {@link KeyAlgorithm}). @default 'ec' */
  readonly key?: 'ec' | number | KeyAlgorithm;
  /** The serial number in hex. @default - the next of a counter from 01 */
  readonly serial?: string;
  /** keyUsage value, or null for none. @default 'keyCertSign,cRLSign' for CAs, 'digitalSignature,keyEncipherment' for leaves */
  readonly keyUsage?: string | null;
  /** Extra extension lines (openssl x509v3 config syntax). @default - none */
  readonly extensions?: readonly string[];
  /** Signature digest. @default 'sha256' */
  readonly md?: 'sha256' | 'sha1' | 'sm3';
  readonly start?: string;
  readonly end?: string;
}

/** A new P-256 private key as PKCS#8 PEM, the form `openssl genpkey` writes. */
function newEcKey(): string {
  return generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
}

/** `openssl genpkey` arguments of each further key algorithm. */
const KEY_ARGS = {
  p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  p521: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
  secp256k1: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1'],
  'ec-explicit': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-pkeyopt', 'ec_param_enc:explicit'],
  ed25519: ['-algorithm', 'ED25519'],
  ed448: ['-algorithm', 'ED448'],
  /** An EC key on the SM2 curve, which Node names no type (asymmetricKeyType undefined). */
  sm2: ['-algorithm', 'SM2'],
  'rsa-pss': ['-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048'],
  /** RSA-2048 of three primes (PKCS#1 version 1, OtherPrimeInfos), which Go and OpenSSL take. */
  'rsa-3-primes': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-pkeyopt', 'rsa_keygen_primes:3'],
  /** RSA-2048 with the public exponent 2^32+1, above the 2^31−1 Go takes. */
  'rsa-large-e': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-pkeyopt', 'rsa_keygen_pubexp:4294967297'],
  dsa: [],
} as const;
export type KeyAlgorithm = keyof typeof KEY_ARGS;

export class Pki {
  private serial = 1;

  /** RSA keys come from `keyPool` of `keys` (test/key-pool.ts; the shared certificate corpus has a pool of its own). */
  constructor(
    public readonly dir: string,
    private readonly keyPool: PoolName = 'suite',
    private readonly keys: KeyPool = suiteKeys,
  ) {
    fs.mkdirSync(path.join(dir, 'db'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'db', 'index.txt'), '');
    fs.writeFileSync(
      path.join(dir, 'ca.cnf'),
      `[ca]
default_ca = ca_default
[ca_default]
database = ${path.join(dir, 'db', 'index.txt')}
new_certs_dir = ${path.join(dir, 'db')}
serial = ${path.join(dir, 'db', 'serial')}
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
[policy_any]
commonName = supplied
[req]
distinguished_name = dn
[dn]
`,
    );
  }

  /** The path of `name`'s certificate (`name.pem`) or key (`name.key`). */
  public file(name: string, kind: 'pem' | 'key' = 'pem'): string {
    return path.join(this.dir, `${name}.${kind}`);
  }

  /** Creates `name.key` and `name.pem`. */
  public issue(name: string, o: IssueOptions): string {
    const key = this.file(name, 'key');
    // P-256 and RSA keys in this process, as PKCS#8 PEM like `openssl genpkey` writes them: one
    // openssl start fewer per certificate (the suites issue some 150); RSA keys from the run's pool.
    if (o.key === undefined || o.key === 'ec') fs.writeFileSync(key, newEcKey());
    else if (typeof o.key === 'number') fs.writeFileSync(key, this.keys.rsaKey(o.key, this.keyPool));
    else if (o.key === 'dsa') {
      this.openssl('genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:1024', '-out', `${key}.params`);
      this.openssl('genpkey', '-paramfile', `${key}.params`, '-out', key);
    } else this.openssl('genpkey', ...KEY_ARGS[o.key], '-out', key);
    const csr = path.join(this.dir, `${name}.csr`);
    this.openssl(
      'req',
      '-new',
      '-config',
      path.join(this.dir, 'ca.cnf'),
      '-key',
      key,
      '-subj',
      `/CN=${o.cn.replace(/[\\/+]/g, '\\$&')}`,
      '-out',
      csr,
    );
    const ext = path.join(this.dir, `${name}.ext`);
    const eku = o.eku === undefined ? (o.ca ? null : 'serverAuth') : o.eku;
    fs.writeFileSync(
      ext,
      [
        `basicConstraints=critical,CA:${o.ca ? 'TRUE' : 'FALSE'}${o.pathLen === undefined ? '' : `,pathlen:${o.pathLen}`}`,
        ...(o.keyUsage === null
          ? []
          : [`keyUsage=critical,${o.keyUsage ?? (o.ca ? 'keyCertSign,cRLSign' : 'digitalSignature,keyEncipherment')}`]),
        ...(eku ? [`extendedKeyUsage=${eku}`] : []),
        ...(o.dns?.length ? [`subjectAltName=${o.dns.map((d) => `DNS:${d}`).join(',')}`] : []),
        'subjectKeyIdentifier=hash',
        ...(o.issuer ? ['authorityKeyIdentifier=keyid'] : []),
        ...(o.extensions ?? []),
      ].join('\n'),
    );
    fs.writeFileSync(path.join(this.dir, 'db', 'serial'), `${o.serial ?? (this.serial++).toString(16).padStart(2, '0')}\n`);
    const signer = o.issuer ? ['-cert', this.file(o.issuer), '-keyfile', this.file(o.issuer, 'key')] : ['-selfsign', '-keyfile', key];
    this.openssl(
      'ca',
      '-batch',
      '-notext',
      '-config',
      path.join(this.dir, 'ca.cnf'),
      '-in',
      csr,
      '-out',
      this.file(name),
      '-startdate',
      o.start ?? DEFAULT_START,
      '-enddate',
      o.end ?? DEFAULT_END,
      '-md',
      o.md ?? 'sha256',
      '-extfile',
      ext,
      ...signer,
    );
    return this.file(name);
  }

  /** Writes the named certificates, in order, into one file and returns its path. */
  public chain(file: string, ...names: string[]): string {
    const out = path.join(this.dir, file);
    fs.writeFileSync(out, names.map((n) => fs.readFileSync(this.file(n), 'utf8')).join(''));
    return out;
  }

  private openssl(...args: string[]): void {
    execFileSync('openssl', args, { cwd: this.dir, stdio: 'pipe' });
  }
}

/** The cluster URL the inspection suites check certificates for, and the names of a leaf that covers it. */
export const INSPECT_URL = 'runai.example.com';
export const GOOD_DNS = [`*.${INSPECT_URL}`, INSPECT_URL];

/** A file's bytes. */
export const read = (file: string) => fs.readFileSync(file);
/** The codes of `f`, in order. */
export const codes = (f: readonly CertFinding[]) => f.map((x) => x.code);

/**
 * The PKI of the certificate-inspection suites (inspect, pem and chain tests), in a fresh folder:
 * Test Root, Test Int under it, Other Root, the wildcard leaf `leaf` and further `leaves` under
 * Test Int, issued in the suite's beforeAll; and `findings`, every finding for a chain of them.
 */
export function inspectionPki(leaves: Record<string, IssueOptions> = {}) {
  const pki = new Pki(tempDir());
  beforeAll(() => {
    pki.issue('root', { cn: 'Test Root', ca: true });
    pki.issue('int', { cn: 'Test Int', ca: true, issuer: 'root' });
    pki.issue('other-root', { cn: 'Other Root', ca: true });
    for (const [name, o] of Object.entries({ leaf: { cn: `*.${INSPECT_URL}`, dns: GOOD_DNS }, ...leaves }))
      pki.issue(name, { issuer: 'int', ...o });
  });
  /** Every finding for `certs` (chained in order) with the key of `keyOf`, at 2030-01-01. */
  function findings(certs: string[], keyOf = certs[0], opts: Partial<InspectOptions> = {}): CertFinding[] {
    const chain = pki.chain(`${certs.join('+')}.pem`, ...certs);
    const pair = parseTlsPair(read(chain), read(pki.file(keyOf, 'key')));
    return inspectTlsPair(pair, { clusterUrl: INSPECT_URL, now: CHECK_AT, ...opts });
  }
  return { pki, findings };
}

/**
 * The path a client builds stops at the first certificate it trusts (lib/tls/chain-authority.ts
 * pathAbove): what follows in the file (a renewed or cross-signed root's other copy, a root sent
 * twice) is not held to pathLenConstraint, extended key usage or name constraints, and a
 * self-issued key-rollover link does not count as a CA below (RFC 5280 6.1.4 (l), OpenSSL,
 * Chrome). Each chain is made with openssl and held to `openssl verify -purpose sslserver`.
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { inspectTlsPair, parseTlsPair } from '../lib/tls/inspect';
import { bash, tempDir } from './helpers';

const dir = tempDir();
const URL = 'runai.corp.com';
const CA =
  'basicConstraints=critical,CA:TRUE\\nkeyUsage=critical,keyCertSign,cRLSign\\nsubjectKeyIdentifier=hash\\nauthorityKeyIdentifier=keyid';
const ROOT = (pathLen: number, eku = '') =>
  `basicConstraints=critical,CA:TRUE,pathlen:${pathLen}\\nkeyUsage=critical,keyCertSign,cRLSign\\nsubjectKeyIdentifier=hash${eku}`;
const LEAF = `basicConstraints=CA:FALSE\\nkeyUsage=digitalSignature\\nextendedKeyUsage=serverAuth\\nsubjectAltName=DNS:*.${URL},DNS:${URL}`;

beforeAll(() => {
  // mk NAME ISSUER|self EXT CN [KEY]: a certificate NAME.pem under ISSUER (or self-signed), on key KEY (default NAME).
  const script = `set -e
mk() { name=$1 issuer=$2 ext=$3 cn=$4 key=\${5:-$1}
  [ -f $key.key ] || openssl ecparam -name prime256v1 -genkey -noout -out $key.key
  [ $key = $name ] || cp $key.key $name.key
  openssl req -new -key $key.key -subj "/CN=$cn" -out $name.csr 2>/dev/null
  printf "$ext\\n" > $name.ext
  if [ $issuer = self ]; then
    openssl x509 -req -in $name.csr -signkey $key.key -days 3650 -extfile $name.ext -set_serial 0x$(openssl rand -hex 8) -out $name.pem 2>/dev/null
  else
    openssl x509 -req -in $name.csr -CA $issuer.pem -CAkey $issuer.key -days 3000 -extfile $name.ext -set_serial 0x$(openssl rand -hex 8) -out $name.pem 2>/dev/null
  fi; }
mk rootV1 self '${ROOT(0)}' MyRoot myroot; mk rootV2 self '${ROOT(0)}' MyRoot myroot; mk leafR rootV1 '${LEAF}' leafR
mk A self '${ROOT(1, '\\nextendedKeyUsage=clientAuth')}' RootA; mk B self '${CA}' RootB; mk Bx A '${CA}' RootB B
mk int B '${CA}' Int; mk leaf int '${LEAF}' leaf
mk R1 self '${ROOT(1)}' Root1; mk I1 R1 '${CA}' Int1; mk L1 I1 '${LEAF}' L1
mk old self '${ROOT(1)}' RootR old; openssl ecparam -name prime256v1 -genkey -noout -out new.key
mk link old '${CA}' RootR new; mk int2 link '${CA}' Int2; mk leaf2 int2 '${LEAF}' leaf2
mk P0 self '${ROOT(0)}' Root0; mk I0 P0 '${CA}' Int0; mk L0 I0 '${LEAF}' L0
mk root3 self '${CA}' Root3; mk int3 root3 '${CA}' Int3; mk leaf3 int3 '${LEAF}' leaf3
mk int3b root3 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=0102030405060708090A0B0C0D0E0F1011121314' Int3 int3
`;
  const r = bash(['-c', script], { cwd: dir });
  expect([r.status, r.stderr]).toEqual([0, '']);
});

const pem = (name: string) => fs.readFileSync(path.join(dir, `${name}.pem`));
/** `openssl verify -purpose sslserver` of `leaf` through `untrusted` to the roots `trusted`: 'OK' or its error number. */
function openssl(trusted: string[], leaf: string, untrusted: string[]): string {
  const ca = path.join(dir, `ca-${trusted.join('-')}.pem`);
  fs.writeFileSync(ca, Buffer.concat(trusted.map(pem)));
  const more = untrusted.length > 0 ? ['-untrusted', path.join(dir, `untrusted-${untrusted.join('-')}.pem`)] : [];
  if (untrusted.length > 0) fs.writeFileSync(more[1], Buffer.concat(untrusted.map(pem)));
  const r = spawnSync('openssl', ['verify', '-purpose', 'sslserver', '-CAfile', ca, ...more, path.join(dir, `${leaf}.pem`)], {
    encoding: 'utf8',
  });
  return r.status === 0 ? 'OK' : (/error (\d+) at/.exec(r.stdout + r.stderr)?.[1] ?? `exit ${r.status}`);
}
/** The error codes the tool finds for the chain `leaf, ...rest` with `trusted` as privateCa. */
function errors(trusted: string[], leaf: string, rest: string[]): string[] {
  const pair = parseTlsPair(Buffer.concat([leaf, ...rest].map(pem)), fs.readFileSync(path.join(dir, `${leaf}.key`)));
  const privateCa = trusted.map((t) => new X509Certificate(pem(t)));
  return inspectTlsPair(pair, { clusterUrl: URL, privateCa })
    .filter((f) => f.severity === 'error')
    .map((f) => f.code);
}

test.each<[string, string[], string, string[]]>([
  [
    'a pathlen:0 root renewed with the same name and key: the chain sends the new copy, privateCa holds the old',
    ['rootV1'],
    'leafR',
    ['rootV2'],
  ],
  [
    'privateCa holds old root A (pathlen:1, clientAuth only) and new root B; the chain ends in B cross-signed by A',
    ['A', 'B'],
    'leaf',
    ['int', 'Bx'],
  ],
  ['the same with A appended to the chain, privateCa = B only', ['B'], 'leaf', ['int', 'Bx', 'A']],
  ['a pathlen:1 root sent twice at the end', ['R1'], 'L1', ['I1', 'R1', 'R1']],
  ['a self-issued key-rollover link under a pathlen:1 root (not a CA below, as RFC 5280 counts)', ['old'], 'leaf2', ['int2', 'link']],
])('passes, as openssl verify does: %s', (_name, trusted, leaf, rest) => {
  expect(openssl(trusted, leaf, rest)).toBe('OK');
  expect(errors(trusted, leaf, rest)).toEqual([]);
});

test('still fails when the path itself breaks a pathLenConstraint: a pathlen:0 root above an intermediate (openssl error 25)', () => {
  expect(openssl(['P0'], 'L0', ['I0'])).toBe('25');
  expect(errors(['P0'], 'L0', ['I0', 'P0'])).toEqual(['chain-path-too-long']);
  expect(errors(['P0'], 'L0', ['I0'])).toEqual(['chain-path-too-long']);
});

test('an intermediate re-issued on the same key with another key identifier is not said to lack keyCertSign (it has it)', () => {
  const pair = parseTlsPair(Buffer.concat(['leaf3', 'int3b'].map(pem)), fs.readFileSync(path.join(dir, 'leaf3.key')));
  const messages = inspectTlsPair(pair, { clusterUrl: URL, privateCa: [new X509Certificate(pem('root3'))] }).map((f) => f.message);
  expect(messages.join('\n')).not.toContain('keyCertSign');
  expect(messages.some((m) => /did not issue certificate 1/.test(m))).toBe(true);
});

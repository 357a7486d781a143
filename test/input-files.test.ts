/**
 * Input files (lib/config/input-files.ts, read through lib/config/bounded-read.ts): a config or
 * certificate file that is missing, a folder, too large, unreadable or not what its field needs;
 * and device files, FIFOs, sockets and folders as every kind of input, a table of the
 * reliability suite (see the README's Safety section).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { MAX_INPUT_BYTES } from '../lib/config/input-files';
import { loadConfig } from '../lib/config/load';
import { InputError } from '../lib/model/errors';
import { cli, DEMO_CERT, DEMO_KEY, demoConfig, MAIN, openssl, ROOT, tempDir, writeConfig } from './helpers';

describe('input files', () => {
  function loadProblems(file: string): string[] {
    try {
      loadConfig(file);
      return [];
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      return e.message.split('\n');
    }
  }

  test('fails when the config file does not exist', () => {
    expect(loadProblems('/nonexistent/runai-access.yaml')).toEqual([
      '/nonexistent/runai-access.yaml: does not exist; create it or pass --config FILE [file-missing]',
    ]);
  });
  test('fails when the config file is a directory', () => {
    const dir = tempDir();
    expect(loadProblems(dir)).toEqual([`${dir}: is a directory; give a file [file-is-directory]`]);
  });
  test('fails when the config file is larger than 1 MiB', () => {
    const file = writeConfig(tempDir(), `# ${'x'.repeat(MAX_INPUT_BYTES)}\n`);
    expect(loadProblems(file)).toEqual([`${file}: is ${MAX_INPUT_BYTES + 3} bytes; at most 1048576 (1 MiB) are allowed [file-too-large]`]);
  });
  test('fails when a certificate file does not exist or is a directory, naming both fields', () => {
    const dir = tempDir();
    const file = writeConfig(dir, demoConfig('', 'missing.pem', dir));
    expect(loadProblems(file)).toEqual([
      `${file}: clusters[0].tls.certFile: missing.pem does not exist (looked for ${path.join(path.dirname(file), 'missing.pem')}) [file-missing]`,
      `${file}: clusters[0].tls.keyFile: ${dir} is a directory; give a file [file-is-directory]`,
    ]);
  });
  test('fails when a certificate file is a symbolic link to nothing, saying so rather than that it does not exist', () => {
    const dir = tempDir();
    fs.symlinkSync(path.join(dir, 'gone.pem'), path.join(dir, 'cert.pem'));
    const file = writeConfig(dir, demoConfig('', 'cert.pem'));
    expect(loadProblems(file)).toEqual([
      `${file}: clusters[0].tls.certFile: cert.pem is a symbolic link to a file that does not exist; point it at the file, or give ` +
        `the file (looked for ${path.join(dir, 'cert.pem')}) [file-missing]`,
    ]);
  });
  test('fails when a certificate file cannot be read', () => {
    if (process.getuid?.() === 0) {
      // root reads any file; use a path through a file instead, which fails like an unreadable one.
      const file = writeConfig(tempDir(), demoConfig('', `${DEMO_CERT}/x`));
      expect(loadProblems(file)).toEqual([
        `${file}: clusters[0].tls.certFile: ${DEMO_CERT}/x does not exist: a part of its path is a file, not a folder [file-missing]`,
      ]);
      return;
    }
    const dir = tempDir();
    const locked = path.join(dir, 'locked.pem');
    fs.copyFileSync(DEMO_CERT, locked);
    fs.chmodSync(locked, 0o000);
    const file = writeConfig(dir, demoConfig('', locked));
    expect(loadProblems(file)).toEqual([
      `${file}: clusters[0].tls.certFile: ${locked} cannot be read: permission denied [file-unreadable]`,
    ]);
  });

  describe('certificates', () => {
    let dir: string;
    beforeAll(() => {
      dir = tempDir();
      openssl(dir, 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'other.pem');
      openssl(dir, 'pkey', '-in', DEMO_KEY, '-aes256', '-passout', 'pass:secret', '-out', 'encrypted.pem');
      openssl(dir, 'x509', '-in', DEMO_CERT, '-outform', 'DER', '-out', 'cert.der');
      fs.writeFileSync(
        path.join(dir, 'two-keys.pem'),
        fs.readFileSync(DEMO_KEY, 'utf8') + fs.readFileSync(path.join(dir, 'other.pem'), 'utf8'),
      );
      fs.writeFileSync(path.join(dir, 'broken-cert.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
      fs.writeFileSync(path.join(dir, 'broken-key.pem'), '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
      fs.writeFileSync(path.join(dir, 'empty.pem'), '');
    });
    const check = (cert: string, key: string) => loadProblems(writeConfig(dir, demoConfig('', cert, key)));
    const at = (field: string) => `${path.join(dir, 'runai-access.yaml')}: clusters[0].tls.${field}: `;

    test('accepts the demo pair', () => {
      expect(check(DEMO_CERT, DEMO_KEY)).toEqual([]);
    });
    test('fails when the key does not match the leaf certificate', () => {
      expect(check(DEMO_CERT, 'other.pem')).toEqual([
        `${at('keyFile')}other.pem does not match the first (leaf) certificate in certFile; give the private key of that certificate [key-mismatch]`,
      ]);
    });
    test('fails when the key is encrypted, saying how to decrypt it', () => {
      expect(check(DEMO_CERT, 'encrypted.pem')).toEqual([
        `${at('keyFile')}encrypted.pem is encrypted; decrypt it first with: openssl pkey -in encrypted.pem -out private.pem [key-encrypted]`,
      ]);
    });
    test('fails when the key file holds two keys', () => {
      expect(check(DEMO_CERT, 'two-keys.pem')).toEqual([
        `${at('keyFile')}two-keys.pem holds 2 private keys: kubectl and the servers use the first, and the Secret would carry the others ` +
          'into the cluster; give only the key of the leaf certificate [key-multiple]',
      ]);
    });
    test('fails when the key file holds a certificate', () => {
      expect(check(DEMO_CERT, DEMO_CERT)).toEqual([
        `${at('keyFile')}${DEMO_CERT} holds a certificate, not a private key; keyFile must be the PEM private key (private.pem) [key-no-pem]`,
      ]);
    });
    test('fails when the key block cannot be read', () => {
      expect(check(DEMO_CERT, 'broken-key.pem')).toEqual([
        `${at('keyFile')}broken-key.pem holds a PEM private key block that cannot be read as PKCS#1, PKCS#8 or SEC1; export it again as unencrypted PEM [key-invalid]`,
      ]);
    });
    test('fails when the certificate file is DER, not PEM', () => {
      expect(check('cert.der', DEMO_KEY)).toEqual([
        `${at('certFile')}cert.der holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the PEM certificate chain, leaf first [cert-no-pem]`,
      ]);
    });
    test('fails when the certificate file is empty', () => {
      expect(check('empty.pem', 'empty.pem')).toEqual([
        `${at('certFile')}empty.pem holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the PEM certificate chain, leaf first [cert-no-pem]`,
        `${at('keyFile')}empty.pem holds no PEM private key (-----BEGIN PRIVATE KEY-----); give the unencrypted PEM key of the leaf certificate [key-no-pem]`,
      ]);
    });
    test('fails when the certificate and key files are swapped', () => {
      expect(check(DEMO_KEY, DEMO_CERT)).toEqual([
        `${at('certFile')}${DEMO_KEY} holds a private key, not a certificate; certFile must be the PEM certificate chain (fullchain.pem) and keyFile the key [cert-no-pem]`,
        `${at('keyFile')}${DEMO_CERT} holds a certificate, not a private key; keyFile must be the PEM private key (private.pem) [key-no-pem]`,
      ]);
    });
    test('fails when a certificate block is not a valid certificate', () => {
      expect(check('broken-cert.pem', DEMO_KEY)).toEqual([
        `${at('certFile')}broken-cert.pem certificate 1 of 1 is not a valid X.509 certificate [cert-invalid]`,
      ]);
    });
  });
});

describe('device files, FIFOs, sockets, folders and oversized files as every kind of input', () => {
  const dir = tempDir();
  const fifo = path.join(dir, 'fifo');
  const socket = path.join(dir, 'socket');
  const folder = path.join(dir, 'folder');
  const big = path.join(dir, 'big.pem');
  const server = net.createServer();
  beforeAll(async () => {
    spawnSync('mkfifo', [fifo]);
    fs.mkdirSync(folder);
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 2 * 1024 * 1024);
    await new Promise<void>((resolve) => server.listen(socket, resolve));
  });
  afterAll(() => server.close());

  const notRegular = (what: string) => `is ${what}, not a regular file; give a regular file [file-not-regular]`;
  const KINDS: [string, () => string, string][] = [
    ['/dev/zero', () => '/dev/zero', notRegular('a character device')],
    ['/dev/urandom', () => '/dev/urandom', notRegular('a character device')],
    ['a FIFO', () => fifo, notRegular('a FIFO (named pipe)')],
    ['a socket', () => socket, notRegular('a socket')],
    ['a folder', () => folder, 'is a directory; give a file [file-is-directory]'],
    ['a 2 MiB file', () => big, 'is 2097152 bytes; at most 1048576 (1 MiB) are allowed [file-too-large]'],
  ];
  const cluster = (tls: string, extra = '') => `clusters:\n  - {name: c0, clusterUrl: runai.example.com, tls: ${tls}${extra}}\n`;
  const CONTROLLER = path.join(ROOT, 'test', 'fixtures', 'corpus', 'sealed-secrets-controller.pem');
  const INPUTS: [string, (file: string) => string | undefined, string][] = [
    ['the config', () => undefined, ''],
    ['tls.certFile', (f) => cluster(`{source: files, certFile: ${f}, keyFile: ${DEMO_KEY}}`), 'clusters[0].tls.certFile: '],
    ['tls.keyFile', (f) => cluster(`{source: files, certFile: ${DEMO_CERT}, keyFile: ${f}}`), 'clusters[0].tls.keyFile: '],
    ['privateCa.caFile', (f) => cluster('{source: existing}', `, privateCa: {caFile: ${f}}`), 'clusters[0].privateCa.caFile: '],
    [
      'tls.controllerCertFile',
      (f) => cluster(`{source: sealed-secret, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}, controllerCertFile: ${f}}`),
      'clusters[0].tls.controllerCertFile: ',
    ],
  ];
  const cases = INPUTS.flatMap(([input, yaml, at]) => KINDS.map(([kind, file, phrase]) => [input, kind, yaml, at, file, phrase] as const));

  test.each(cases)(
    'fails when %s is %s: synth, check and validate refuse it with one line, exit 2, before reading it',
    (_i, _k, yaml, at, file, phrase) => {
      const text = yaml(file());
      const config = text === undefined ? file() : writeConfig(tempDir(), text);
      const line = text === undefined ? `${config}: ${phrase}` : `${config}: ${at}${file()} ${phrase}`;
      for (const args of [['synth', '--out', path.join(dir, 'dist')], ['check', '--out', path.join(dir, 'dist')], ['validate']]) {
        expect(cli(...args, '--config', config)).toEqual({ status: 2, stdout: '', stderr: `${line}\n` });
      }
    },
  );

  test.each([
    ['a FIFO', () => fifo],
    ['/dev/zero', () => '/dev/zero'],
  ])('the bundled CLI given %s as its config exits 2 at once, without hanging or growing', (_k, file) => {
    const r = spawnSync(process.execPath, [MAIN, 'validate', '--config', file()], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^\S+: is (a FIFO \(named pipe\)|a character device), not a regular file; give a regular file \[file-not-regular\]\n$/,
    );
  });

  /** An output with a SealedSecret, whose file (or another) is then replaced by `kind`. */
  function sealedOutput() {
    const d = tempDir();
    const config = writeConfig(
      d,
      cluster(`{source: sealed-secret, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}, controllerCertFile: ${CONTROLLER}}`),
    );
    const out = path.join(d, 'dist');
    expect(cli('synth', '-q', '--config', config, '--out', out).status).toBe(0);
    const sealed = fs.readdirSync(path.join(out, 'c0')).find((f) => f.includes('sealedsecret'))!;
    return { config, out, sealed: path.join(out, 'c0', sealed) };
  }
  const replaceWith: [string, (at: string) => void, string][] = [
    ['a link to /dev/zero', (at) => fs.symlinkSync('/dev/zero', at), ''],
    ['a link to /dev/urandom', (at) => fs.symlinkSync('/dev/urandom', at), ''],
    ['a FIFO', (at) => spawnSync('mkfifo', [at]), ''],
    ['a link to a socket', (at) => fs.symlinkSync(socket, at), ''],
    ['a folder', (at) => fs.mkdirSync(at), '/'],
  ];
  test.each(replaceWith)(
    'the previous SealedSecret replaced by %s: check reports its type (exit 1), synth seals afresh and replaces it',
    (_k, make, slash) => {
      const { config, out, sealed } = sealedOutput();
      fs.rmSync(sealed);
      make(sealed);
      expect(cli('check', '--config', config, '--out', out)).toEqual({
        status: 1,
        stdout: `type    ${sealed}${slash}\n`,
        stderr: `${out} differs from ${config} in 1 file; run: npx runai-access synth --config ${config} --out ${out}\n`,
      });
      expect(cli('synth', '-q', '--config', config, '--out', out).status).toBe(0);
      expect(fs.lstatSync(sealed).isFile()).toBe(true);
      expect(cli('check', '-q', '--config', config, '--out', out).status).toBe(0);
    },
  );
});

/**
 * Reliability suite (issue 12): the classes of hostile situations an adversarial pass found,
 * each run as a table of cases against the CLI — in this process through `run` where that is
 * enough, through the bundled entry point where a process must die, race or drop privileges:
 * a synth killed at every step of the writer, concurrent synths, an output folder a normal
 * user cannot write, device files and FIFOs as every kind of input, broken output trees for
 * `check`, and key text in every field. The README's Safety section states what these prove.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { Io, run } from '../lib/cli/run';
import { LOCK_WAIT_ENV } from '../lib/output/lock';
import { MARKER_FILE, NOT_A_FOLDER, TEST_ONLY_KILL_ENV } from '../lib/output/writer';
import { asNobody, DEMO_CERT, DEMO_KEY, MAIN, ROOT, tempDir, treeOf, writeConfig } from './helpers';

/** Runs the CLI in this process: the same code as the bundle, without a process per case. */
function cli(...args: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } };
  const status = run(args, io);
  return { status, stdout, stderr };
}

/** A config of `n` clusters with an existing TLS Secret at c<i>.<domain>. */
const fleet = (n: number, domain: string) =>
  `clusters:\n${Array.from({ length: n }, (_, i) => `  - {name: c${i}, clusterUrl: c${i}.${domain}, tls: {source: existing}}`).join('\n')}\n`;

/** What a run left beside an output folder named dist: temporary, old and lock files. */
const leftovers = (dir: string) => fs.readdirSync(dir).filter((e) => e.startsWith('.dist'));

const STACK = /^\s+at /m;

describe('a synth killed at every step of the writer (SIGKILL at step N through the test-only hook)', () => {
  test('leaves the output all old, all new, or set aside between the renames; the next synth recovers and check accepts what is there', () => {
    const dir = tempDir();
    const oldConfig = writeConfig(dir, fleet(2, 'example.com'), 'old.yaml');
    const newConfig = writeConfig(dir, fleet(1, 'example.org'), 'new.yaml');
    const out = path.join(dir, 'dist');
    expect(cli('synth', '-q', '--config', newConfig, '--out', out).status).toBe(0);
    const next = treeOf(out);
    const states: string[] = [];
    let old: ReturnType<typeof treeOf> | undefined;
    for (let step = 1; step < 50 && states.at(-1) !== 'done'; step++) {
      // The synth after a kill recovers: it must leave the old output whole and nothing beside it.
      expect(cli('synth', '-q', '--config', oldConfig, '--out', out)).toEqual({ status: 0, stdout: '', stderr: '' });
      expect(leftovers(dir)).toEqual([]);
      old ??= treeOf(out);
      expect(treeOf(out)).toEqual(old);
      const r = spawnSync(process.execPath, [MAIN, 'synth', '-q', '--config', newConfig, '--out', out], {
        env: { ...process.env, [TEST_ONLY_KILL_ENV]: String(step) },
        encoding: 'utf8',
      });
      if (r.status === 0) {
        expect(treeOf(out)).toEqual(next);
        states.push('done');
      } else if (!fs.existsSync(out)) {
        expect(r.signal).toBe('SIGKILL');
        const aside = leftovers(dir).filter((e) => /^\.dist\.old-\d+-[0-9a-f]{8}$/.test(e));
        expect(aside).toHaveLength(1);
        expect(treeOf(path.join(dir, aside[0]))).toEqual(old);
        states.push('aside');
      } else {
        expect(r.signal).toBe('SIGKILL');
        const now = treeOf(out);
        const which = JSON.stringify(now) === JSON.stringify(old) ? 'old' : 'new';
        expect(now).toEqual(which === 'old' ? old : next);
        expect(cli('check', '-q', '--config', which === 'old' ? oldConfig : newConfig, '--out', out).status).toBe(0);
        states.push(which);
      }
    }
    // Lock taken, temporary folder, each file: old; between the renames: aside; then new until the cleanup ends.
    expect(states.join(' ')).toMatch(/^(old ){3,}aside (new ){4,}done$/);
  });

  test('a synth killed while it recovers from a killed synth: the run after it still recovers, and nothing is left', () => {
    const dir = tempDir();
    const oldConfig = writeConfig(dir, fleet(2, 'example.com'), 'old.yaml');
    const newConfig = writeConfig(dir, fleet(1, 'example.org'), 'new.yaml');
    const out = path.join(dir, 'dist');
    expect(cli('synth', '-q', '--config', oldConfig, '--out', out).status).toBe(0);
    const old = treeOf(out);
    const killedAt = (step: string) =>
      spawnSync(process.execPath, [MAIN, 'synth', '-q', '--config', newConfig, '--out', out], {
        env: { ...process.env, [TEST_ONLY_KILL_ENV]: step },
      }).signal;
    expect(killedAt('between-the-renames')).toBe('SIGKILL');
    expect(fs.existsSync(out)).toBe(false);
    expect(killedAt('previous-output-put-back')).toBe('SIGKILL');
    expect(treeOf(out)).toEqual(old);
    expect(leftovers(dir).filter((e) => e.includes('.tmp-'))).toHaveLength(1);
    expect(killedAt('leftover-entry-removed')).toBe('SIGKILL');
    expect(treeOf(out)).toEqual(old);
    expect(cli('synth', '-q', '--config', newConfig, '--out', out).status).toBe(0);
    expect(leftovers(dir)).toEqual([]);
    expect(cli('check', '-q', '--config', newConfig, '--out', out).status).toBe(0);
  });
});

describe('concurrent synths into one output folder', () => {
  // A live process whose pid a lock names; started only when these tests run, and never keeping jest alive.
  let sleeper: ReturnType<typeof spawn>;
  beforeAll(() => {
    sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    sleeper.unref();
  });
  afterAll(() => sleeper.kill('SIGKILL'));

  test('four at once, two configs of 120 clusters: all exit 0, the folder is one whole output that check accepts, nothing is left beside it', async () => {
    const dir = tempDir();
    const a = writeConfig(dir, fleet(120, 'example.com'), 'a.yaml');
    const b = writeConfig(dir, fleet(120, 'example.org'), 'b.yaml');
    const out = path.join(dir, 'dist');
    const synth = (config: string) =>
      new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [MAIN, 'synth', '-q', '--config', config, '--out', out], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (status) => resolve({ status, stderr }));
      });
    const results = await Promise.all([synth(a), synth(b), synth(a), synth(b)]);
    for (const r of results) expect(r.status).toBe(0);
    const checks = [a, b].map((config) => cli('check', '-q', '--config', config, '--out', out).status).sort();
    expect(checks).toEqual([0, 1]);
    expect(leftovers(dir)).toEqual([]);
    expect(fs.readdirSync(out)).toHaveLength(121);
  }, 60_000);

  test(`fails when another synth holds the lock past ${LOCK_WAIT_ENV} seconds: exit 2, one line naming it, the output unchanged`, () => {
    const dir = tempDir();
    const config = writeConfig(dir, fleet(1, 'example.com'));
    const out = path.join(dir, 'dist');
    expect(cli('synth', '-q', '--config', config, '--out', out).status).toBe(0);
    const before = treeOf(out);
    const lock = path.join(dir, '.dist.lock');
    const holder = { pid: sleeper.pid, host: os.hostname(), started: '2026-11-30T00:00:00.000Z', nonce: '0123456789abcdef' };
    fs.writeFileSync(lock, JSON.stringify(holder));
    fs.writeFileSync(config, fleet(2, 'example.com'));
    const r = spawnSync(process.execPath, [MAIN, 'synth', '--config', config, '--out', out], {
      env: { ...process.env, [LOCK_WAIT_ENV]: '0' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `--out: another runai-access (pid ${sleeper.pid} on ${os.hostname()}, started 2026-11-30T00:00:00.000Z) is writing ${out}; waited 0 s. ` +
        `The output is unchanged; run again when it is done, or, if no such process runs, remove ${lock}\n`,
    );
    expect(treeOf(out)).toEqual(before);
    // Once that process is gone, its lock is stale and the next synth takes it over.
    fs.writeFileSync(lock, JSON.stringify({ ...holder, pid: spawnSync('true').pid }));
    expect(cli('synth', '-q', '--config', config, '--out', out).status).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual([MARKER_FILE, 'c0', 'c1']);
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('an output folder a normal user cannot change (run as uid 65534 with setpriv)', () => {
  /** Gives `at` and everything under it to the unprivileged user. */
  const chownTree = (at: string) => {
    fs.chownSync(at, 65534, 65534);
    if (fs.lstatSync(at).isDirectory()) for (const e of fs.readdirSync(at)) chownTree(path.join(at, e));
  };
  /**
   * A folder owned by the unprivileged user, with a config and its output: written by the CLI in
   * this process, then handed to that user (the files, their modes and owner are what a synth run
   * by that user leaves; the tests' own runs are that user's, through the bundled CLI).
   */
  function owned() {
    const dir = tempDir();
    const config = writeConfig(dir, fleet(2, 'example.com'));
    const out = path.join(dir, 'dist');
    expect(cli('synth', '-q', '--config', config, '--out', out)).toEqual({ status: 0, stdout: '', stderr: '' });
    chownTree(dir);
    return { dir, config, out };
  }
  const file = (out: string) => path.join(out, 'c0', fs.readdirSync(path.join(out, 'c0')).sort()[0]);

  test.each([
    ['the output folder is not writable', (out: string) => out, 0o555, (out: string) => `cannot replace ${out}: ${out} is not writable`],
    [
      'a cluster folder is not writable',
      (out: string) => path.join(out, 'c0'),
      0o555,
      (out: string) => `cannot replace ${out}: ${out}/c0 is not writable`,
    ],
    [
      'a cluster folder is not readable',
      (out: string) => path.join(out, 'c0'),
      0o333,
      (out: string) => `cannot replace ${out}: ${out}/c0 is not readable`,
    ],
  ])(
    'fails when %s: exit 2, one line saying so and that the output is unchanged, no copy left; fixed, the next synth works',
    (_name, at, mode, says) => {
      const { dir, config, out } = owned();
      const before = treeOf(out);
      fs.chmodSync(at(out), mode);
      fs.writeFileSync(config, fleet(1, 'example.org'));
      const r = asNobody('synth', '--config', config, '--out', out);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        `--out: ${says(out)} (permission denied), so the previous output could not be removed; the previous output is unchanged\n`,
      );
      fs.chmodSync(at(out), 0o755);
      expect(treeOf(out)).toEqual(before);
      expect(leftovers(dir)).toEqual([]);
      expect(asNobody('synth', '-q', '--config', config, '--out', out).status).toBe(0);
      expect(fs.readdirSync(out).sort()).toEqual([MARKER_FILE, 'c0']);
      expect(leftovers(dir)).toEqual([]);
    },
  );

  test('fails when the folder holding the output is not writable: exit 2, the output unchanged', () => {
    const { dir, config, out } = owned();
    const before = treeOf(out);
    fs.chmodSync(dir, 0o555);
    const r = asNobody('synth', '--config', config, '--out', out);
    fs.chmodSync(dir, 0o755);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`--out: cannot write ${out}: permission denied (EACCES); the previous output is unchanged\n`);
    expect(treeOf(out)).toEqual(before);
    expect(leftovers(dir)).toEqual([]);
  });

  test('replaces an output with a file it cannot read (only the folders must be writable)', () => {
    const { dir, config, out } = owned();
    fs.chmodSync(file(out), 0o000);
    fs.writeFileSync(config, fleet(1, 'example.org'));
    expect(asNobody('synth', '-q', '--config', config, '--out', out).status).toBe(0);
    expect(asNobody('check', '-q', '--config', config, '--out', out).status).toBe(0);
    expect(leftovers(dir)).toEqual([]);
  });

  test.each([
    ['a file of the output', (out: string) => file(out), 0o000],
    ['a cluster folder', (out: string) => path.join(out, 'c0'), 0o333],
  ])('check fails when %s cannot be read: exit 2, one line naming it', (_name, at, mode) => {
    const { config, out } = owned();
    const target = at(out);
    fs.chmodSync(target, mode);
    const r = asNobody('check', '--config', config, '--out', out);
    fs.chmodSync(target, 0o755);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`--out: cannot compare ${target}: it cannot be read: permission denied\n`);
  });

  test.each([
    [
      'the config',
      (_dir: string, config: string) => config,
      (config: string) => `${config}: cannot be read: permission denied [file-unreadable]`,
    ],
    [
      'a certificate file',
      (dir: string) => {
        const cert = path.join(dir, 'cert.pem');
        fs.copyFileSync(DEMO_CERT, cert);
        return cert;
      },
      (config: string, cert: string) => `${config}: clusters[0].tls.certFile: ${cert} cannot be read: permission denied [file-unreadable]`,
    ],
  ])('fails when %s cannot be read: exit 2, one line', (_name, make, says) => {
    const { dir, config } = owned();
    const target = make(dir, config);
    fs.writeFileSync(
      config,
      `clusters:\n  - {name: c0, clusterUrl: c0.example.com, tls: {source: files, certFile: ${dir}/cert.pem, keyFile: ${DEMO_KEY}}}\n`,
    );
    fs.chmodSync(target, 0o000);
    const r = asNobody('validate', '--config', config);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${says(config, target)}\n`);
    expect(r.stderr).not.toMatch(STACK);
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

describe('check on a broken output tree: one line per difference (exit 1) or per entry it cannot compare (exit 2), never a crash', () => {
  const INGRESS = 'c0/10-ingress-runai-cluster-domain-star-ingress.yaml';
  // No runaiVersion: the 2.25 profile tells Run:ai through Helm values.
  const VALUES = 'c0/helm/runai-cluster-values.yaml';
  const sockets: net.Server[] = [];
  afterAll(() => sockets.forEach((s) => s.close()));

  /** Each case breaks a fresh output and names the drift lines (kind, path relative to the output) or the error it expects. */
  const CASES: [string, (out: string) => void | Promise<void>, number, [string, string][] | ((out: string) => string)][] = [
    [
      '--out is a file',
      (out) => (fs.rmSync(out, { recursive: true }), fs.writeFileSync(out, 'x')),
      2,
      (out) => `--out: ${out} ${NOT_A_FOLDER}\n`,
    ],
    [
      '--out is a symbolic link loop',
      (out) => (fs.rmSync(out, { recursive: true }), fs.symlinkSync(out, out)),
      2,
      (out) => `--out: ${out} ${NOT_A_FOLDER}\n`,
    ],
    [
      '--out is a link to a copy of the output',
      (out) => (fs.renameSync(out, `${out}-copy`), fs.symlinkSync(`${out}-copy`, out)),
      1,
      [['type', '']],
    ],
    [
      'the output is missing',
      (out) => fs.rmSync(out, { recursive: true }),
      1,
      [
        ['missing', MARKER_FILE],
        ['missing', INGRESS],
        ['missing', VALUES],
      ],
    ],
    [
      'a symbolic link loop inside',
      (out) => fs.symlinkSync(path.join(out, 'c0', 'loop'), path.join(out, 'c0', 'loop')),
      1,
      [['extra', 'c0/loop']],
    ],
    [
      'a file replaced by a link to an identical copy',
      (out) => {
        fs.copyFileSync(path.join(out, INGRESS), path.join(out, '..', 'copy.yaml'));
        fs.rmSync(path.join(out, INGRESS));
        fs.symlinkSync(path.join(out, '..', 'copy.yaml'), path.join(out, INGRESS));
      },
      1,
      [['type', INGRESS]],
    ],
    [
      'a file replaced by a FIFO',
      (out) => (fs.rmSync(path.join(out, INGRESS)), spawnSync('mkfifo', [path.join(out, INGRESS)])),
      1,
      [['type', INGRESS]],
    ],
    [
      'a file replaced by a link to /dev/zero',
      (out) => (fs.rmSync(path.join(out, INGRESS)), fs.symlinkSync('/dev/zero', path.join(out, INGRESS))),
      1,
      [['type', INGRESS]],
    ],
    [
      'a file replaced by a socket',
      async (out) => {
        fs.rmSync(path.join(out, INGRESS));
        const server = net.createServer();
        sockets.push(server);
        await new Promise<void>((resolve) => server.listen(path.join(out, INGRESS), resolve));
      },
      1,
      [['type', INGRESS]],
    ],
    [
      'a file replaced by a folder',
      (out) => (fs.rmSync(path.join(out, INGRESS)), fs.mkdirSync(path.join(out, INGRESS))),
      1,
      [['type', `${INGRESS}/`]],
    ],
    [
      'a file grown past 1 MiB',
      (out) => fs.appendFileSync(path.join(out, INGRESS), Buffer.alloc(2 * 1024 * 1024, 'a')),
      1,
      [['changed', INGRESS]],
    ],
    ['the setuid bit on a file', (out) => fs.chmodSync(path.join(out, INGRESS), 0o4644), 1, [['mode', INGRESS]]],
    ['the sticky bit on a cluster folder', (out) => fs.chmodSync(path.join(out, 'c0'), 0o1755), 1, [['mode', 'c0/']]],
    ['a cluster folder of mode 0700', (out) => fs.chmodSync(path.join(out, 'c0'), 0o700), 1, [['mode', 'c0/']]],
    ['the output folder of mode 0775', (out) => fs.chmodSync(out, 0o775), 1, [['mode', '']]],
    ['the marker removed', (out) => fs.rmSync(path.join(out, MARKER_FILE)), 1, [['missing', MARKER_FILE]]],
    ['the marker edited', (out) => fs.appendFileSync(path.join(out, MARKER_FILE), 'x'), 1, [['changed', MARKER_FILE]]],
    ['an extra empty folder', (out) => fs.mkdirSync(path.join(out, 'c0', 'empty')), 1, [['extra', 'c0/empty/']]],
    [
      'a cluster folder replaced by a file',
      (out) => (fs.rmSync(path.join(out, 'c0'), { recursive: true }), fs.writeFileSync(path.join(out, 'c0'), '')),
      1,
      [
        ['type', 'c0'],
        ['missing', INGRESS],
        ['missing', VALUES],
      ],
    ],
  ];

  test.each(CASES)('%s', async (name, breakIt, status, expected) => {
    const dir = tempDir();
    const config = writeConfig(dir, fleet(1, 'example.com'));
    const out = path.join(dir, 'dist');
    expect(cli('synth', '-q', '--config', config, '--out', out).status).toBe(0);
    await breakIt(out);
    const r = cli('check', '--config', config, '--out', out);
    expect(r.status).toBe(status);
    if (typeof expected === 'function') {
      expect(r).toEqual({ status, stdout: '', stderr: expected(out) });
    } else {
      expect(r.stdout).toBe(expected.map(([kind, rel]) => `${kind.padEnd(7)} ${path.join(out, rel)}\n`).join(''));
      const marker = path.join(out, '.runai-access');
      const restore =
        name === 'the marker removed'
          ? `restore ${marker} (git checkout -- ${marker}), without which synth will not replace the folder, then `
          : '';
      expect(r.stderr).toBe(
        `${out} differs from ${config} in ${expected.length} file${expected.length === 1 ? '' : 's'}; ${restore}run: npx runai-access synth --config ${config} --out ${out}\n`,
      );
      if (name === 'the marker removed') {
        // Without the marker the folder is no longer runai-access's: synth refuses it rather than delete it.
        expect(cli('synth', '-q', '--config', config, '--out', out).stderr).toMatch(
          /was not written by runai-access; refusing to replace it/,
        );
        return;
      }
      // synth makes exactly the differences check saw: afterwards check finds none.
      expect(cli('synth', '-q', '--config', config, '--out', out).status).toBe(0);
      expect(cli('check', '-q', '--config', config, '--out', out).status).toBe(0);
    }
  });
});

describe('key text in every field never reaches any output', () => {
  const KEYS = [DEMO_KEY, path.join(ROOT, 'test', 'fixtures', 'keys', 'test-only-rsa-2048.pem')].map((f) => fs.readFileSync(f, 'utf8'));
  const LINES = KEYS.flatMap((k) => k.split('\n').filter((l) => l && !l.startsWith('-----')));
  /**
   * Any 16 characters in a row of a key line, in any case: more than that in an output is a leak
   * (a host name is lower-cased before it is checked, and must not carry a key line out that way).
   */
  const WINDOW = 16;
  const windows = new Set(
    LINES.flatMap((l) => Array.from({ length: l.length - WINDOW + 1 }, (_, i) => l.slice(i, i + WINDOW).toLowerCase())),
  );
  const leak = (text: string) => {
    const lower = text.toLowerCase();
    for (let i = 0; i + WINDOW <= lower.length; i++) if (windows.has(lower.slice(i, i + WINDOW))) return text.slice(i, i + WINDOW);
    return undefined;
  };
  const pieces = (sep: RegExp) => [...new Set(LINES.flatMap((l) => l.split(sep)).filter((p) => p.length > 0))];
  /** The shapes key text is pasted in: whole PEM blocks, single lines, and lines split at "/", at "+", and at both. */
  const SHAPES: [string, string[]][] = [
    ['whole PEM blocks', KEYS],
    ['single lines', LINES],
    ['lines split at "/"', pieces(/\//)],
    ['lines split at "+"', pieces(/\+/)],
    ['lines split at "/" and "+"', pieces(/[/+]/)],
  ];
  const q = (v: string) => JSON.stringify(v);
  const c = (fields: string) => `  - {name: a, clusterUrl: runai.example.com, ${fields}}`;
  /** Each field, as a cluster entry holding value `v` there (a key or a value of the config). */
  const FIELDS: [string, (v: string) => string][] = [
    ['name', (v) => `  - {name: ${q(v)}, clusterUrl: runai.example.com, tls: {source: existing}}`],
    ['clusterUrl', (v) => `  - {name: a, clusterUrl: ${q(v)}, tls: {source: existing}}`],
    ['runaiVersion', (v) => c(`tls: {source: existing}, runaiVersion: ${q(v)}`)],
    ['deployment', (v) => c(`tls: {source: existing}, deployment: ${q(v)}`)],
    ['tls.source', (v) => c(`tls: {source: ${q(v)}}`)],
    ['tls.certFile', (v) => c(`tls: {source: files, certFile: ${q(v)}, keyFile: ${DEMO_KEY}}`)],
    ['tls.keyFile', (v) => c(`tls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${q(v)}}`)],
    [
      'tls.controllerCertFile',
      (v) => c(`tls: {source: sealed-secret, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}, controllerCertFile: ${q(v)}}`),
    ],
    ['privateCa.caFile', (v) => c(`tls: {source: existing}, privateCa: {caFile: ${q(v)}}`)],
    ['ingress.className', (v) => c(`tls: {source: existing}, ingress: {className: ${q(v)}}`)],
    ['an ingress annotation key', (v) => c(`tls: {source: existing}, ingress: {annotations: {${q(v)}: x}}`)],
    [
      'a certificate label key',
      (v) => c(`tls: {source: cert-manager, issuerRef: {name: le, kind: ClusterIssuer}, secretTemplate: {labels: {${q(v)}: x}}}`),
    ],
    ['an expose port', (v) => c(`tls: {source: existing}, expose: [{project: p, workload: w, type: node-port, ports: [${q(v)}]}]`)],
    ['an expose project', (v) => c(`tls: {source: existing}, expose: [{project: ${q(v)}, workload: w, type: node-port, ports: ["80"]}]`)],
    [
      'an expose selector key',
      (v) => c(`tls: {source: existing}, expose: [{project: p, workload: w, type: subdomain, ports: ["80"], selector: {${q(v)}: x}}]`),
    ],
    [
      'a load balancer source range',
      (v) =>
        c(
          `tls: {source: existing}, expose: [{project: p, workload: w, type: load-balancer, ports: ["80"], loadBalancerSourceRanges: [${q(v)}]}]`,
        ),
    ],
    ['inference.domain', (v) => c(`tls: {source: existing}, inference: {domain: ${q(v)}}`)],
    ['an unknown key', (v) => c(`tls: {source: existing}, ${q(v)}: 1`)],
    ['a list used as a key', (v) => c(`tls: {source: existing}, [${q(v)}]: 1`)],
  ];
  const COMMANDS = (config: string, dir: string) => [
    ['synth', '--config', config, '--out', path.join(dir, 'dist')],
    ['check', '--config', config, '--out', path.join(dir, 'dist')],
    ['validate', '--config', config],
    ['validate', '--json', '--config', config],
    ['url', '--config', config, '--cluster', 'a', '--project', 'p', '--workload', 'w'],
  ];
  const expectNoLeak = (args: string[]) => {
    const r = cli(...args);
    expect([0, 1, 2]).toContain(r.status);
    expect(leak(r.stdout + r.stderr)).toBeUndefined();
    expect(r.stderr).not.toMatch(STACK);
  };

  test.each(FIELDS.flatMap(([field, entry]) => SHAPES.map(([shape, values]) => [field, shape, entry, values] as const)))(
    'in %s, as %s: no 16 characters of a key line in the output of synth, check, validate, validate --json or url',
    (_field, _shape, entry, values) => {
      // One config holds every value of the shape, one cluster each: every problem is reported in one run.
      const dir = tempDir();
      const config = writeConfig(dir, `clusters:\n${values.map(entry).join('\n')}\n`);
      for (const args of COMMANDS(config, dir)) expectNoLeak(args);
    },
  );

  test.each(SHAPES)('as the --config path, and as url --cluster, --project and --workload: as %s', (_shape, values) => {
    const dir = tempDir();
    const config = writeConfig(dir, `clusters:\n${c('tls: {source: existing}')}\n`);
    for (const v of values) {
      for (const args of COMMANDS(v, dir)) expectNoLeak(args);
      for (const flag of ['--cluster', '--project', '--workload']) {
        const args = ['url', '--config', config, '--cluster', 'a', '--project', 'p', '--workload', 'w'];
        args[args.indexOf(flag) + 1] = v;
        expectNoLeak(args);
      }
    }
  });

  test('the key file itself as the config: no key text, and the yaml library prints no warning of its own', () => {
    const dir = tempDir();
    const warn = jest.spyOn(process, 'emitWarning');
    try {
      for (const key of KEYS) for (const args of COMMANDS(writeConfig(dir, key), dir)) expectNoLeak(args);
      const config = writeConfig(dir, `clusters:\n${c(`tls: {source: existing}, [${q(LINES[0])}]: 1`)}\n`);
      expect(cli('validate', '--config', config)).toEqual({
        status: 2,
        stdout: '',
        stderr: `${config}: line 2, column 71: invalid YAML: a mapping key must be a plain value, not a list or a mapping\n`,
      });
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

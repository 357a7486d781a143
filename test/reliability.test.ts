/**
 * Reliability suite (issue 12): the classes of hostile situations an adversarial pass found,
 * each run as a table of cases against the CLI — in this process through `run` where that is
 * enough, through the bundled entry point where a process must die, race or drop privileges:
 * a synth killed at every step of the writer, concurrent synths and an output folder a normal
 * user cannot write. Device files and FIFOs as every kind of input are in input-files.test.ts,
 * broken output trees for `check` in drift.test.ts and key text in every field in
 * key-leaks.test.ts. The README's Safety section states what these prove.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { LOCK_WAIT_ENV } from '../lib/output/lock';
import { MARKER_FILE, TEST_ONLY_KILL_ENV } from '../lib/output/writer';
import { asNobody, cli, DEMO_CERT, DEMO_KEY, fleet, LAUNCHER, ROOT, STACK, tempDir, treeOf, writeConfig } from './helpers';

/** What a run left beside an output folder named dist: temporary, old and lock files. */
const leftovers = (dir: string) => fs.readdirSync(dir).filter((e) => e.startsWith('.dist'));

/** Two configs in one folder that write the same output folder, 2 clusters and 1: the output of the new one written. */
function oldAndNew() {
  const dir = tempDir();
  const oldConfig = writeConfig(dir, fleet(2, 'example.com'), 'old.yaml');
  const newConfig = writeConfig(dir, fleet(1, 'example.org'), 'new.yaml');
  const out = path.join(dir, 'dist');
  expect(cli('synth', '-q', '--config', newConfig, '--out', out).status).toBe(0);
  return { dir, oldConfig, newConfig, out, next: treeOf(out) };
}

/** What synth -q of `config` will say: that it takes over the cluster folder c0 when new.yaml wrote it; nothing when old.yaml did. */
function tookOver(dir: string, config: string): string {
  const folder = path.join(dir, 'dist', 'c0');
  // Killed between the renames: no output folder, and the one the recovery puts back is old.yaml's.
  if (!fs.existsSync(folder)) return '';
  const first = fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .sort()[0];
  return fs.readFileSync(path.join(folder, first), 'utf8').split('\n')[0].includes('(new.yaml)')
    ? `replaced ${path.join(dir, 'dist')}/c0/, written from new.yaml: an output folder holds the clusters of one config (give each ` +
        `config its own --out); the objects it held that ${config} does not write are not named, and stay in the cluster until deleted\n`
    : '';
}

describe('a synth killed at every step of the writer (SIGKILL at step N through the test-only hook)', () => {
  test('leaves the output all old, all new, or set aside between the renames; the next synth recovers and check accepts what is there', () => {
    const { dir, oldConfig, newConfig, out, next } = oldAndNew();
    const states: string[] = [];
    let old: ReturnType<typeof treeOf> | undefined;
    for (let step = 1; step < 50 && states.at(-1) !== 'done'; step++) {
      // The synth after a kill recovers: it must leave the old output whole and nothing beside it.
      const said = tookOver(dir, oldConfig);
      expect(cli('synth', '-q', '--config', oldConfig, '--out', out)).toEqual({ status: 0, stdout: '', stderr: said });
      expect(leftovers(dir)).toEqual([]);
      old ??= treeOf(out);
      expect(treeOf(out)).toEqual(old);
      const r = spawnSync(LAUNCHER, ['synth', '-q', '--config', newConfig, '--out', out], {
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

  test('the synth after a kill between the renames names what it removes of the output it put back (read under the lock, after recovery)', () => {
    const { oldConfig, out } = oldAndNew();
    fs.writeFileSync(path.join(out, 'README.md'), '# notes\n');
    const killed = spawnSync(LAUNCHER, ['synth', '-q', '--config', oldConfig, '--out', out], {
      env: { ...process.env, [TEST_ONLY_KILL_ENV]: 'between-the-renames' },
    });
    expect([killed.signal, fs.existsSync(out)]).toEqual(['SIGKILL', false]);
    const r = cli('synth', '-q', '--config', oldConfig, '--out', out);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`removed ${out}/README.md, which runai-access did not write`);
    expect(r.stderr).toContain(`replaced ${out}/c0/, written from new.yaml`);
    expect(fs.existsSync(path.join(out, 'README.md'))).toBe(false);
  });

  test('a synth killed while it recovers from a killed synth: the run after it still recovers, and nothing is left', () => {
    const dir = tempDir();
    const oldConfig = writeConfig(dir, fleet(2, 'example.com'), 'old.yaml');
    const newConfig = writeConfig(dir, fleet(1, 'example.org'), 'new.yaml');
    const out = path.join(dir, 'dist');
    expect(cli('synth', '-q', '--config', oldConfig, '--out', out).status).toBe(0);
    const old = treeOf(out);
    const killedAt = (step: string) =>
      spawnSync(LAUNCHER, ['synth', '-q', '--config', newConfig, '--out', out], {
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

describe('a synth sent SIGINT, SIGTERM or SIGHUP while it replaces the output (the test-only hook sends it at step N)', () => {
  test('finishes the replacement first, then ends by that signal: the new output whole, nothing beside it, no lock', () => {
    const { dir, oldConfig, newConfig, out, next } = oldAndNew();
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    let stopped = 0;
    for (let step = 1; step < 50; step++) {
      expect(cli('synth', '-q', '--config', oldConfig, '--out', out).status).toBe(0);
      const signal = signals[step % signals.length];
      const r = spawnSync(LAUNCHER, ['synth', '-q', '--config', newConfig, '--out', out], {
        env: { ...process.env, [TEST_ONLY_KILL_ENV]: `${step}:${signal}` },
        encoding: 'utf8',
      });
      // Whether it stopped or the step was past the last: the whole new output, and nothing beside it.
      expect(treeOf(out)).toEqual(next);
      expect(leftovers(dir)).toEqual([]);
      if (r.status === 0) break;
      // What synth says of the write (the folder it removed) comes first: it is said once, and was.
      expect(r.signal).toBe(signal);
      expect(r.stderr.split('\n').slice(-2)).toEqual([
        `runai-access: stopped by ${signal}, held back until the output folder was whole again`,
        '',
      ]);
      stopped += 1;
    }
    // The lock, the temporary folder, each file, the two renames, the cleanup: each step was stopped at.
    expect(stopped).toBeGreaterThanOrEqual(9);
    expect(cli('check', '-q', '--config', newConfig, '--out', out).status).toBe(0);
  });

  test('a signal while the summary waits for a slow reader of stderr (a pipe, CI, | tee) leaves the summary whole, and is said after it', async () => {
    const dir = tempDir();
    // 300 clusters: a summary of some 450 kB, far more than a pipe and the reader's buffer hold.
    const config = writeConfig(dir, fleet(300, 'example.com'));
    const out = path.join(dir, 'dist');
    const lock = path.join(dir, '.dist.lock');
    const child = spawn(LAUNCHER, ['synth', '--config', config, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Nothing is read until the write is done (its marker there, its lock gone): the summary is queued behind a full pipe.
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const written = () => fs.existsSync(path.join(out, MARKER_FILE)) && !fs.existsSync(lock);
    for (let waited = 0; !written() && waited < 20_000; waited += 10) await sleep(10);
    await sleep(300);
    child.kill('SIGINT');
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const [signal] = await Promise.all([exited, new Promise((resolve) => child.stderr!.on('close', resolve))]);
    expect(signal).toBe('SIGINT');
    // Every cluster's block of the summary (cut short at the pipe's 64 KiB before), then the line that says why it stopped, last.
    for (const name of ['c0', 'c150', 'c299']) expect(stderr).toContain(`-f ${out}/${name}/helm/runai-cluster-values.yaml)`);
    expect(stderr.split('\n').slice(-3)).toEqual([
      expect.stringContaining(`${out}/c299/helm/runai-cluster-values.yaml`),
      'runai-access: stopped by SIGINT, held back until the output folder was whole again',
      '',
    ]);
    expect(cli('check', '-q', '--config', config, '--out', out).status).toBe(0);
  });

  test('as PID 1 (a container without an init, where the kernel drops the signal raised again): exits 128 + its number', () => {
    const { dir, oldConfig, out } = oldAndNew();
    const r = spawnSync('unshare', ['--pid', '--fork', LAUNCHER, 'synth', '-q', '--config', oldConfig, '--out', out], {
      env: { ...process.env, [TEST_ONLY_KILL_ENV]: 'between-the-renames:SIGTERM' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(143);
    expect(r.stderr.split('\n').slice(-2)).toEqual([
      'runai-access: stopped by SIGTERM, held back until the output folder was whole again',
      '',
    ]);
    expect(leftovers(dir)).toEqual([]);
    expect(cli('check', '-q', '--config', oldConfig, '--out', out).status).toBe(0);
  });

  // `once`: gone from the listeners by the time a listener after it runs; the writer's listener runs first.
  test.each(['on', 'once'])(
    'a program that calls writeOutput and listens for SIGINT itself (process.%s) gets it once, and is not stopped or told it was',
    (listen) => {
      const { dir, out } = oldAndNew();
      const program =
        `const { writeOutput } = require(${JSON.stringify(path.join(ROOT, 'build', 'lib'))});\n` +
        `let heard = 0; process.${listen}('SIGINT', () => { heard += 1; });\n` +
        `writeOutput(${JSON.stringify(out)}, [{ name: 'c9', files: [{ path: 'a.yaml', content: 'a: 1\\n', mode: 0o644 }] }]);\n` +
        `setTimeout(() => { console.log('heard', heard); }, 50);\n`;
      const r = spawnSync(process.execPath, ['-e', program], {
        env: { ...process.env, [TEST_ONLY_KILL_ENV]: 'between-the-renames:SIGINT' },
        encoding: 'utf8',
      });
      expect([r.status, r.signal, r.stdout, r.stderr]).toEqual([0, null, 'heard 1\n', '']);
      expect(fs.readdirSync(out).sort()).toEqual([MARKER_FILE, 'c9']);
      expect(leftovers(dir)).toEqual([]);
    },
  );

  // The event loop reads the signals that came in its poll phase; a write run there (after an await of
  // a file read) returns before the loop polls again, and an immediate runs first.
  test.each([
    ['at start', ''],
    ['after an await of a file read', 'await fs.promises.readFile(process.execPath);'],
    ['after a timer', 'await new Promise((r) => setTimeout(r, 5));'],
  ])('a program that calls writeOutput %s, listening for nothing, is stopped by the SIGINT held back', (_, before) => {
    const { dir, out } = oldAndNew();
    const program =
      `const fs = require('node:fs'); const { writeOutput } = require(${JSON.stringify(path.join(ROOT, 'build', 'lib'))});\n` +
      `(async () => { ${before}\n` +
      `writeOutput(${JSON.stringify(out)}, [{ name: 'c9', files: [{ path: 'a.yaml', content: 'a: 1\\n', mode: 0o644 }] }]);\n` +
      `setTimeout(() => { console.log('not stopped'); }, 500); })();\n`;
    const r = spawnSync(process.execPath, ['-e', program], {
      env: { ...process.env, [TEST_ONLY_KILL_ENV]: 'between-the-renames:SIGINT' },
      encoding: 'utf8',
    });
    expect([r.signal, r.stdout, r.stderr]).toEqual([
      'SIGINT',
      '',
      'runai-access: stopped by SIGINT, held back until the output folder was whole again\n',
    ]);
    expect(fs.readdirSync(out).sort()).toEqual([MARKER_FILE, 'c9']);
    expect(leftovers(dir)).toEqual([]);
  });

  test("is stopped at once by SIGINT while it waits for another synth's lock: nothing held, nothing written", async () => {
    const dir = tempDir();
    const config = writeConfig(dir, fleet(1, 'example.com'));
    const out = path.join(dir, 'dist');
    expect(cli('synth', '-q', '--config', config, '--out', out).status).toBe(0);
    const before = treeOf(out);
    const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      const lock = path.join(dir, '.dist.lock');
      fs.writeFileSync(
        lock,
        JSON.stringify({ pid: holder.pid, host: os.hostname(), started: '2026-11-30T00:00:00.000Z', nonce: '0123456789abcdef' }),
      );
      fs.writeFileSync(config, fleet(2, 'example.com'));
      const child = spawn(LAUNCHER, ['synth', '--config', config, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
      // Interrupted once it says it waits (the lock's wait is 60 s by default).
      await new Promise<void>((resolve) =>
        child.stderr.on('data', (d) => {
          stderr += d;
          if (stderr.includes('waiting')) resolve();
        }),
      );
      const sent = Date.now();
      child.kill('SIGINT');
      expect(await ended).toBe('SIGINT');
      expect(Date.now() - sent).toBeLessThan(10_000);
      expect(stderr).not.toContain('stopped by');
      expect(treeOf(out)).toEqual(before);
      expect(fs.readFileSync(lock, 'utf8')).toContain(`"pid":${holder.pid}`);
    } finally {
      holder.kill('SIGKILL');
    }
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
        const child = spawn(LAUNCHER, ['synth', '-q', '--config', config, '--out', out], {
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
    const r = spawnSync(LAUNCHER, ['synth', '--config', config, '--out', out], {
      env: { ...process.env, [LOCK_WAIT_ENV]: '0' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `--out: another runai-access (pid ${sleeper.pid} on ${os.hostname()}, started 2026-11-30T00:00:00.000Z) is writing ${out}; waited 0 s. ` +
        `This run wrote nothing; run again when it is done, or, if no such process runs, remove ${lock}\n`,
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
  /** What is said when the folder holding `out` is not writable. */
  const PARENT = (out: string) =>
    `in ${path.dirname(out)}, the folder that holds it, where synth writes its lock and the new output before that takes the ` +
    'place of the old one; make that folder writable, or give an --out inside a folder you can write';

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
        `--out: ${says(out)}: permission denied (EACCES), so the previous output could not be removed; the previous output is unchanged\n`,
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
    // The output folder itself is the user's and writable: the message names the folder to change.
    expect(r.stderr).toBe(`--out: cannot write ${out}: permission denied (EACCES): ${PARENT(out)}; the previous output is unchanged\n`);
    expect(treeOf(out)).toEqual(before);
    expect(leftovers(dir)).toEqual([]);
  });

  test('fails when the folder holding the output is not writable and --out holds files of another program: "no output was written", not "unchanged"', () => {
    const { dir, config } = owned();
    const other = path.join(dir, 'other');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'notes.txt'), 'not ours\n');
    fs.chmodSync(dir, 0o555);
    const r = asNobody('synth', '--config', config, '--out', other);
    fs.chmodSync(dir, 0o755);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`--out: cannot write ${other}: permission denied (EACCES): ${PARENT(other)}; no output was written\n`);
    expect(fs.readdirSync(other)).toEqual(['notes.txt']);
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

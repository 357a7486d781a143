import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { InputError } from '../lib/model/errors';
import { acquireLock, DEFAULT_LOCK_WAIT_SECONDS, LOCK_WAIT_ENV, lockWaitSeconds } from '../lib/output/lock';
import { asNobody, bash, DEMO_CERT, DEMO_KEY, demoConfig, MAIN, runCli, tempDir, writeConfig } from './helpers';

/** A lock file as another runai-access writes it. */
const holder = (pid: number, host = os.hostname()) =>
  `${JSON.stringify({ pid, host, started: '2026-11-30T00:00:00.000Z', nonce: '0123456789abcdef' })}\n`;

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync('true').pid!;
}

describe('acquireLock', () => {
  // A live process whose pid a lock names; started only when these tests run, and never keeping jest alive.
  let sleeper: ReturnType<typeof spawn>;
  beforeAll(() => {
    sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    sleeper.unref();
  });
  afterAll(() => sleeper.kill('SIGKILL'));

  test('takes a free lock, writes its own pid in it and removes it on release', () => {
    const file = path.join(tempDir(), '.dist.lock');
    const lock = acquireLock(file, 'dist', '--out', 0);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(expect.objectContaining({ pid: process.pid, host: os.hostname() }));
    lock.assertHeld();
    lock.release();
    expect(fs.existsSync(file)).toBe(false);
  });

  test('fails when a live process holds the lock, naming it, with the output unchanged', () => {
    const file = path.join(tempDir(), '.dist.lock');
    fs.writeFileSync(file, holder(sleeper.pid!));
    expect(() => acquireLock(file, 'dist', '--out', 0)).toThrow(
      new InputError([
        {
          source: '--out',
          path: '',
          message:
            `another runai-access (pid ${sleeper.pid} on ${os.hostname()}, started 2026-11-30T00:00:00.000Z) is writing dist; waited 0 s. ` +
            `This run wrote nothing; run again when it is done, or, if no such process runs, remove ${file}`,
        },
      ]),
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(holder(sleeper.pid!));
  });

  test('fails when another host holds the lock: its process cannot be checked, so it is never taken over', () => {
    const file = path.join(tempDir(), '.dist.lock');
    fs.writeFileSync(file, holder(deadPid(), 'another-host.example'));
    expect(() => acquireLock(file, 'dist', '--out', 0)).toThrow(/pid \d+ on another-host\.example/);
  });

  test('takes over a lock whose process is gone', () => {
    const file = path.join(tempDir(), '.dist.lock');
    fs.writeFileSync(file, holder(deadPid()));
    const lock = acquireLock(file, 'dist', '--out', 0);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(fs.readdirSync(path.dirname(file))).toEqual([]);
  });

  // kill(0, 0) and kill(-1, 0) signal a process group and succeed: such a lock was live for ever.
  test.each([0, -1])('takes over an old lock that names pid %d, which is no process', (pid) => {
    const file = path.join(tempDir(), '.dist.lock');
    fs.writeFileSync(file, holder(pid));
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    const lock = acquireLock(file, 'dist', '--out', 0);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  test('fails at once when an old lock file holds more than a lock file of runai-access does (it spun at full CPU, past the wait)', () => {
    const file = path.join(tempDir(), '.dist.lock');
    fs.writeFileSync(file, 'x'.repeat(600));
    const old = new Date(Date.now() - 3600_000);
    fs.utimesSync(file, old, old);
    expect(() => acquireLock(file, 'dist', '--out', 1)).toThrow(
      new InputError([
        {
          source: '--out',
          path: '',
          message: `${file} holds 600 bytes, not the one line of the lock file runai-access writes there; this run wrote nothing; remove it, then run again`,
        },
      ]),
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('x'.repeat(600));
  });

  test('the lock file is readable by every user under any umask: a reader of another user tells a live holder from a dead one', () => {
    const file = path.join(tempDir(), '.dist.lock');
    const umask = process.umask(0o077);
    try {
      const lock = acquireLock(file, 'dist', '--out', 0);
      expect(fs.statSync(file).mode & 0o777).toBe(0o644);
      lock.release();
    } finally {
      process.umask(umask);
    }
  });

  test('takes over a lock file without an owner only once it is old (its writer died before filling it)', () => {
    const file = path.join(tempDir(), '.dist.lock');
    fs.writeFileSync(file, '');
    // Empty: created, and not filled in yet, as by a runai-access that has just taken the lock.
    expect(() => acquireLock(file, 'dist', '--out', 0)).toThrow(
      /another process has just taken the lock of dist \(its lock file is still empty\)/,
    );
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    acquireLock(file, 'dist', '--out', 0).release();
  });

  test.each([
    ['a folder', (file: string) => fs.mkdirSync(file)],
    ['a named pipe', (file: string) => spawnSync('mkfifo', [file])],
    // Created exclusively, the lock cannot be made through it; followed, it names nothing: the run spun at full CPU.
    ['a symbolic link', (file: string) => fs.symlinkSync('nowhere', file)],
    [
      'a socket',
      // A process killed while listening leaves its socket file behind.
      (file: string) =>
        spawnSync(process.execPath, [
          '-e',
          `require('net').createServer().listen(${JSON.stringify(file)}, () => process.kill(process.pid, 'SIGKILL'))`,
        ]),
    ],
  ])('fails at once when the lock path is %s: not ours, never removed, named as what it is', (kind, make) => {
    const file = path.join(tempDir(), '.dist.lock');
    make(file);
    // A wait of an hour: the refusal must not wait for something no runai-access will remove.
    expect(() => acquireLock(file, 'dist', '--out', 3600)).toThrow(
      new InputError([
        {
          source: '--out',
          path: '',
          message: `${file} is ${kind}, not the lock file runai-access writes there; this run wrote nothing; remove it, then run again`,
        },
      ]),
    );
    expect(fs.lstatSync(file).isFile()).toBe(false);
  });

  // ext4 (these machines' /tmp) usually gives a freed inode to the next file at once: the pipe then
  // has the lock's inode, which the fix is for (without it, the read fails with ESPIPE). Not always:
  // another process may take that inode first, so the test cannot insist on it. A socket cannot be
  // opened at all (ENXIO, an earlier fix).
  test.each([
    ['a named pipe', (file: string) => spawnSync('mkfifo', [file])],
    [
      'a socket',
      (file: string) =>
        spawnSync(process.execPath, [
          '-e',
          `require('net').createServer().listen(${JSON.stringify(file)}, () => process.kill(process.pid, 'SIGKILL'))`,
        ]),
    ],
  ])('fails naming %s put in place of a live lock between its look and its open', (kind, make) => {
    const file = path.join(tempDir(), '.dist.lock');
    fs.writeFileSync(file, holder(sleeper.pid!));
    // The real module, which lib/ reads its functions from at each call.
    const nodeFs = jest.requireActual<typeof fs>('node:fs');
    const open = nodeFs.openSync;
    const inodes: number[] = [];
    // Only the open that reads the lock (not the one that tries to create it), once.
    const spy = jest.spyOn(nodeFs, 'openSync').mockImplementation((p, ...rest) => {
      const flags = rest[0];
      if (p === file && typeof flags === 'number' && flags & nodeFs.constants.O_NONBLOCK && inodes.length === 0) {
        inodes.push(nodeFs.lstatSync(file).ino);
        nodeFs.unlinkSync(file);
        make(file);
        inodes.push(nodeFs.lstatSync(file).ino);
      }
      return open(p, ...rest);
    });
    try {
      expect(() => acquireLock(file, 'dist', '--out', 3600)).toThrow(
        `${file} is ${kind}, not the lock file runai-access writes there; this run wrote nothing; remove it, then run again`,
      );
      expect(inodes).toHaveLength(2);
    } finally {
      spy.mockRestore();
    }
  });

  // The case above, with the inode reuse it cannot count on made certain: a stand-in for ext4 giving
  // the pipe the lock's freed inode, fstat of the opened pipe reports the lock's device and inode.
  // Without the kind check after the open, the read fails with ESPIPE (exit 2, "file-system error").
  test('fails naming a named pipe put in place of a live lock that the file system gave the inode of the lock (stand-in: fstat reports it)', () => {
    const file = path.join(tempDir(), '.dist.lock');
    fs.writeFileSync(file, holder(sleeper.pid!));
    const lock = fs.lstatSync(file);
    const nodeFs = jest.requireActual<typeof fs>('node:fs');
    const open = nodeFs.openSync;
    const fstat = nodeFs.fstatSync;
    const pipes: number[] = [];
    const openSpy = jest.spyOn(nodeFs, 'openSync').mockImplementation((p, ...rest) => {
      const flags = rest[0];
      if (p === file && typeof flags === 'number' && flags & nodeFs.constants.O_NONBLOCK && pipes.length === 0) {
        nodeFs.unlinkSync(file);
        spawnSync('mkfifo', [file]);
        const fd = open(p, ...rest);
        pipes.push(fd);
        return fd;
      }
      return open(p, ...rest);
    });
    const fstatSpy = jest.spyOn(nodeFs, 'fstatSync').mockImplementation(((fd: number, ...rest: []) => {
      const real = fstat(fd, ...rest);
      return pipes.includes(fd) ? Object.assign(real, { ino: lock.ino, dev: lock.dev }) : real;
    }) as typeof fs.fstatSync);
    try {
      expect(() => acquireLock(file, 'dist', '--out', 3600)).toThrow(
        `${file} is a named pipe, not the lock file runai-access writes there; this run wrote nothing; remove it, then run again`,
      );
      expect(pipes).toHaveLength(1);
    } finally {
      openSpy.mockRestore();
      fstatSpy.mockRestore();
    }
  });

  test("waits for a lock file it cannot read, which may be another user's live lock, and then names it (run as uid 65534 with setpriv)", () => {
    const dir = tempDir();
    fs.chmodSync(dir, 0o777);
    const config = writeConfig(dir, `clusters:\n  - {name: a, clusterUrl: runai.example.com, tls: {source: existing}}\n`);
    const lock = path.join(dir, '.dist.lock');
    fs.writeFileSync(lock, holder(sleeper.pid!), { mode: 0o600 });
    // A lower bound only: it waited, as for a live lock, rather than refuse at once.
    const started = Date.now();
    const r = spawnSync(
      'setpriv',
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        process.execPath,
        MAIN,
        'synth',
        '--config',
        config,
        '--out',
        path.join(dir, 'dist'),
      ],
      { encoding: 'utf8', env: { ...process.env, [LOCK_WAIT_ENV]: '1' } },
    );
    expect([r.status, r.stderr]).toEqual([
      2,
      `--out: another user's runai-access may be writing ${path.join(dir, 'dist')} (its lock file cannot be read); waiting up to 1 s\n` +
        `--out: another user's runai-access may be writing ${path.join(dir, 'dist')} (its lock file cannot be read); waited 1 s. ` +
        `This run wrote nothing; run again when it is done, or, if no such process runs, remove ${lock}\n`,
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fs.readFileSync(lock, 'utf8')).toBe(holder(sleeper.pid!));
  });

  test('fails when the lock file cannot be written: one line, and no empty lock file left to stop the next run (ulimit -f 0 stands in for a full disk)', () => {
    const dir = tempDir();
    const config = writeConfig(dir, `clusters:\n  - {name: a, clusterUrl: runai.example.com, tls: {source: existing}}\n`);
    const out = path.join(dir, 'dist');
    // SIGXFSZ ignored, as the shell passes it on: a write past the limit then fails with EFBIG, as ENOSPC would.
    const r = bash([
      '-c',
      `trap '' XFSZ; ulimit -f 0; exec "$0" "$@"`,
      process.execPath,
      MAIN,
      'synth',
      '-q',
      '--config',
      config,
      '--out',
      out,
    ]);
    expect([r.status, r.stderr]).toEqual([
      2,
      `--out: cannot write ${out}: a file would be larger than this process may write (ulimit -f) (EFBIG); no output was written\n`,
    ]);
    expect(fs.readdirSync(dir)).toEqual(['runai-access.yaml']);
    expect(runCli(['synth', '-q', '--config', config, '--out', out], { env: { [LOCK_WAIT_ENV]: '0' } }).status).toBe(0);
  });

  test('synth --quiet waits without a line about it, and says what it waited for when it gives up (1 s)', () => {
    const dir = tempDir();
    const config = writeConfig(dir, `clusters:\n  - {name: a, clusterUrl: runai.example.com, tls: {source: existing}}\n`);
    fs.writeFileSync(path.join(dir, '.dist.lock'), holder(sleeper.pid!));
    const r = runCli(['synth', '-q', '--config', config, '--out', path.join(dir, 'dist')], { env: { [LOCK_WAIT_ENV]: '1' } });
    expect(r.status).toBe(2);
    expect(r.stderr).not.toContain('waiting up to');
    expect(r.stderr).toMatch(/^--out: another runai-access \(pid \d+ on .*\) is writing .*dist; waited 1 s\. /);
    expect(r.stderr.split('\n')).toHaveLength(2);
  });

  test('waits for the holder: tells once, then gives up after the time given', () => {
    const file = path.join(tempDir(), '.dist.lock');
    fs.writeFileSync(file, holder(sleeper.pid!));
    const told: string[] = [];
    expect(() => acquireLock(file, 'dist', '--out', 0.2, (t) => told.push(t))).toThrow(/waited 0.2 s/);
    expect(told).toEqual([
      `another runai-access (pid ${sleeper.pid} on ${os.hostname()}, started 2026-11-30T00:00:00.000Z) is writing dist; waiting up to 0.2 s\n`,
    ]);
  });

  test('release leaves a lock that another process has taken over', () => {
    const file = path.join(tempDir(), '.dist.lock');
    const lock = acquireLock(file, 'dist', '--out', 0);
    fs.writeFileSync(file, holder(sleeper.pid!));
    expect(() => lock.assertHeld()).toThrow(/lost the lock/);
    lock.release();
    expect(fs.readFileSync(file, 'utf8')).toBe(holder(sleeper.pid!));
  });
});

describe('lockWaitSeconds', () => {
  test.each([
    [undefined, DEFAULT_LOCK_WAIT_SECONDS],
    ['', DEFAULT_LOCK_WAIT_SECONDS],
    ['0', 0],
    ['120', 120],
  ])('reads %p as %p', (value, seconds) => {
    expect(lockWaitSeconds(value === undefined ? {} : { [LOCK_WAIT_ENV]: value })).toBe(seconds);
  });

  test.each(['-1', '1.5', 'soon', '3601'])('fails when it is %p', (value) => {
    expect(() => lockWaitSeconds({ [LOCK_WAIT_ENV]: value })).toThrow(
      new InputError([
        { source: LOCK_WAIT_ENV, path: '', message: 'must be a whole number of seconds from 0 to 3600; this run wrote nothing' },
      ]),
    );
  });
});

test("fails when a stale lock in a folder with the sticky bit is another user's: that lock is named as the cause, not the folder (exit 2)", () => {
  // A shared folder (mode 1777, as /tmp) where uid 65534 wrote dist before; root's synth died, leaving its lock.
  const dir = tempDir();
  fs.chmodSync(dir, 0o1777);
  for (const file of [DEMO_CERT, DEMO_KEY]) fs.copyFileSync(file, path.join(dir, path.basename(file)));
  const config = writeConfig(dir, demoConfig('', path.join(dir, 'fullchain.pem'), path.join(dir, 'private.pem')));
  for (const file of ['fullchain.pem', 'private.pem', 'runai-access.yaml']) fs.chmodSync(path.join(dir, file), 0o644);
  const synth = () => asNobody('synth', '-q', '--config', config, '--out', path.join(dir, 'dist'));
  expect(synth().status).toBe(0);
  const lock = path.join(dir, '.dist.lock');
  fs.writeFileSync(lock, `${JSON.stringify({ pid: spawnSync('true').pid, host: os.hostname(), started: 'x', nonce: 'y' })}\n`);
  const r = synth();
  expect([r.status, r.stdout]).toEqual([2, '']);
  expect(r.stderr).toBe(
    `--out: ${lock} is a stale lock (left by runai-access pid ${JSON.parse(fs.readFileSync(lock, 'utf8')).pid}, which is gone) that ` +
      "this user cannot remove: operation not permitted (EPERM); its folder has the sticky bit, so only the lock file's owner " +
      `(or the folder's, or root) may. Remove it as that user (rm ${lock}); this run wrote nothing\n`,
  );
  // Removed by its owner, the next run takes the folder as before.
  fs.rmSync(lock);
  expect(synth().status).toBe(0);
});

test('fails naming the folder, not the lock, when a stale lock lies in a folder this user cannot write (no sticky bit)', () => {
  const dir = tempDir();
  fs.chmodSync(dir, 0o755); // root's: uid 65534 may read, not write
  for (const file of [DEMO_CERT, DEMO_KEY]) fs.copyFileSync(file, path.join(dir, path.basename(file)));
  const config = writeConfig(dir, demoConfig('', path.join(dir, 'fullchain.pem'), path.join(dir, 'private.pem')));
  for (const file of ['fullchain.pem', 'private.pem', 'runai-access.yaml']) fs.chmodSync(path.join(dir, file), 0o644);
  fs.writeFileSync(
    path.join(dir, '.dist.lock'),
    `${JSON.stringify({ pid: spawnSync('true').pid, host: os.hostname(), started: 'x', nonce: 'y' })}\n`,
  );
  const r = asNobody('synth', '-q', '--config', config, '--out', path.join(dir, 'dist'));
  expect([r.status, r.stdout]).toEqual([2, '']);
  expect(r.stderr).toMatch(
    new RegExp(
      `^--out: cannot write ${path.join(dir, 'dist')}: permission denied \\(EACCES\\): in ${dir}, the folder that holds it, where synth writes its lock`,
    ),
  );
  expect(r.stderr).not.toMatch(/stale lock/);
});

/**
 * `build/runai-access`, the command admins run (`npm run synth` and the other npm scripts): a shell
 * launcher that starts Node from the V8 start-up snapshot `npm run build` made, when the node on
 * PATH is the binary that made it, and runs `build/runai-access.js` otherwise. Which way it took
 * is read from `sh -x`'s trace of its `exec` line; what each way prints and writes is compared
 * byte for byte.
 */
import { execFileSync, spawn, spawnSync, SpawnSyncReturns } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { COMMANDS } from '../lib/cli/flags';
import { run } from '../lib/cli/run';
import { bash, DEMO_CERT, DEMO_KEY, ROOT, runLoader, tempDir, treeOf, writeConfig } from './helpers';

const BUILD = path.join(ROOT, 'build');
const LAUNCHER = path.join(BUILD, 'runai-access');
const BLOB = path.join(BUILD, 'runai-access.snapshot.blob');
const MADE_BY = path.join(BUILD, 'runai-access.snapshot.node');
const CORPUS = path.join(ROOT, 'test', 'fixtures', 'corpus', 'corpus.yaml');
const EXAMPLE = path.join(ROOT, 'examples', 'runai-access.yaml');
const AT = ['--at', '2030-01-01T00:00:00Z'];

function launch(
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; launcher?: string } = {},
): SpawnSyncReturns<string> {
  return spawnSync(opts.launcher ?? LAUNCHER, args, { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, encoding: 'utf8' });
}

/** The `exec` line the launcher ran, from `sh -x`: which way it started Node. */
function execLine(launcher: string, env: NodeJS.ProcessEnv = {}, cwd = ROOT): string {
  const r = spawnSync('sh', ['-x', launcher, '--help'], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^usage: runai-access <command>/);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('+ exec '));
  expect(lines).toHaveLength(1);
  return lines[0];
}

/** Copies `from` to `to` with its mode and, to the nanosecond, its file times (touch -r). */
function copyAsIs(from: string, to: string): void {
  fs.copyFileSync(from, to);
  fs.chmodSync(to, fs.statSync(from).mode);
  execFileSync('touch', ['-r', from, to]);
}

/** A copy of the build folder's launcher, loader, bundle and snapshot, to change one thing in. */
function buildCopy(): string {
  const dir = path.join(tempDir(), 'build');
  fs.mkdirSync(dir);
  for (const f of fs.readdirSync(BUILD).filter((f) => f.startsWith('runai-access'))) copyAsIs(path.join(BUILD, f), path.join(dir, f));
  return dir;
}

test('npm run build made a start-up snapshot with this node, and names the binary that made it, with its file time', () => {
  expect(fs.statSync(BLOB).size).toBeGreaterThan(1_000_000);
  expect(fs.readFileSync(MADE_BY, 'utf8')).toBe(`${process.execPath}\n`);
  // To the nanosecond: the launcher compares the two file times with sh's test -nt and -ot.
  expect(fs.statSync(MADE_BY, { bigint: true }).mtimeNs).toBe(fs.statSync(process.execPath, { bigint: true }).mtimeNs);
  expect(fs.statSync(LAUNCHER).mode & 0o111).toBe(0o111);
});

test('the bundle keeps only the Kubernetes classes lib/ uses (scripts/shake-k8s.js)', () => {
  const bundle = fs.readFileSync(path.join(BUILD, 'runai-access.bundle.js'), 'utf8');
  // esbuild writes `class X` as `var X=class _X`.
  const defines = (name: string) => new RegExp(`(class|function) _?${name}\\b`).test(bundle);
  expect(['KubeSecret', 'KubeIngress', 'KubeService', 'toJson_IngressTls'].filter((n) => !defines(n))).toEqual([]);
  expect(['KubeDeployment', 'KubeConfigMap', 'toJson_PodSpec'].filter(defines)).toEqual([]);
});

describe('which way the launcher starts Node', () => {
  const nodeOnPath = spawnSync('sh', ['-c', 'command -v node'], { encoding: 'utf8' }).stdout.trim();

  test('from the snapshot when this node made it, with every argument after -- (so node reads none of them)', () => {
    expect(execLine(LAUNCHER)).toBe(`+ exec ${nodeOnPath} --snapshot-blob ${BLOB} -- --help`);
  });

  test('through runai-access.js when RUNAI_ACCESS_NO_SNAPSHOT is set', () => {
    expect(execLine(LAUNCHER, { RUNAI_ACCESS_NO_SNAPSHOT: '1' })).toBe(
      `+ exec ${nodeOnPath} ${path.join(BUILD, 'runai-access.js')} --help`,
    );
  });

  test('through runai-access.js when another node binary made the snapshot', () => {
    const dir = buildCopy();
    fs.writeFileSync(path.join(dir, 'runai-access.snapshot.node'), '/bin/sh\n');
    expect(execLine(path.join(dir, 'runai-access'))).toBe(`+ exec ${nodeOnPath} ${dir}/runai-access.js --help`);
  });

  test('through runai-access.js when the node binary has another file time than when the snapshot was made, older or newer', () => {
    const dir = buildCopy();
    const record = path.join(dir, 'runai-access.snapshot.node');
    const node = fs.statSync(process.execPath);
    for (const ms of [-1, 1, -86_400_000]) {
      const at = new Date(node.mtimeMs + ms);
      fs.utimesSync(record, at, at);
      expect(execLine(path.join(dir, 'runai-access'))).toBe(`+ exec ${nodeOnPath} ${dir}/runai-access.js --help`);
    }
    execFileSync('touch', ['-r', process.execPath, record]);
    expect(execLine(path.join(dir, 'runai-access'))).toBe(
      `+ exec ${nodeOnPath} --snapshot-blob ${dir}/runai-access.snapshot.blob -- --help`,
    );
  });

  test('through runai-access.js when NODE_OPTIONS is set (a V8 flag in it would make node refuse the snapshot)', () => {
    const env = { NODE_OPTIONS: '--max-old-space-size=200' };
    expect(execLine(LAUNCHER, env)).toBe(`+ exec ${nodeOnPath} ${path.join(BUILD, 'runai-access.js')} --help`);
    // What it guards against: node itself refuses the snapshot with that flag (exit 14).
    const refused = spawnSync(process.execPath, ['--snapshot-blob', BLOB, '--', '--help'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    expect(refused.status).toBe(14);
    expect(refused.stderr).toMatch(/^Failed to load the startup snapshot/);
    expect(launch(['--help'], { env })).toMatchObject({ status: 0, stderr: '' });
  });

  test('through runai-access.js when an upgrade renamed a new node binary into place, with the package file time', () => {
    // A node of its own in a folder of its own, recorded as the one that made the snapshot: a copy,
    // since the test changes its file time (a hard link would change this machine's node's).
    const bin = path.join(tempDir(), 'bin');
    fs.mkdirSync(bin);
    const node = path.join(bin, 'node');
    fs.copyFileSync(process.execPath, node);
    fs.chmodSync(node, 0o755);
    fs.utimesSync(node, new Date('2020-01-01'), new Date('2020-01-01'));
    const dir = buildCopy();
    const record = path.join(dir, 'runai-access.snapshot.node');
    fs.writeFileSync(record, `${node}\n`);
    execFileSync('touch', ['-r', node, record]);
    const env = { PATH: `${bin}:${process.env.PATH}` };
    const snapshot = `+ exec ${node} --snapshot-blob ${dir}/runai-access.snapshot.blob -- --help`;
    expect(execLine(path.join(dir, 'runai-access'), env)).toBe(snapshot);
    // A program installed beside node (apt, npm install -g) changes the folder, not node.
    fs.writeFileSync(path.join(bin, 'other'), '#!/bin/sh\n');
    expect(fs.statSync(bin).mtimeMs).toBeGreaterThan(fs.statSync(record).mtimeMs);
    expect(execLine(path.join(dir, 'runai-access'), env)).toBe(snapshot);
    // An upgrade: a new binary renamed into place, with its package's file time, older than the old
    // one's (here the same bytes, linked: what the launcher reads is the path and the file time).
    fs.linkSync(node, `${node}.new`);
    fs.utimesSync(`${node}.new`, new Date('2019-06-01'), new Date('2019-06-01'));
    fs.renameSync(`${node}.new`, node);
    expect(execLine(path.join(dir, 'runai-access'), env)).toBe(`+ exec ${node} ${dir}/runai-access.js --help`);
  });

  test('through runai-access.js when no snapshot was made (an installed package: npm pack leaves it out)', () => {
    const dir = buildCopy();
    fs.rmSync(path.join(dir, 'runai-access.snapshot.node'));
    fs.rmSync(path.join(dir, 'runai-access.snapshot.blob'));
    expect(execLine(path.join(dir, 'runai-access'))).toBe(`+ exec ${nodeOnPath} ${dir}/runai-access.js --help`);
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).files).not.toContain('build/runai-access.snapshot.blob');
  });

  test('from its own folder when started through a relative symbolic link from elsewhere, as npm links node_modules/.bin', () => {
    const dir = buildCopy();
    const bin = path.join(path.dirname(dir), 'node_modules', '.bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.symlinkSync(path.relative(bin, path.join(dir, 'runai-access')), path.join(bin, 'runai-access'));
    const elsewhere = tempDir();
    expect(execLine(path.join(bin, 'runai-access'), {}, elsewhere)).toBe(
      `+ exec ${nodeOnPath} --snapshot-blob ${bin}/../../build/runai-access.snapshot.blob -- --help`,
    );
  });

  test('through a relative link run by its bare name (sh ra), the link is read from its own folder', () => {
    const elsewhere = tempDir();
    fs.symlinkSync(path.relative(elsewhere, path.join(BUILD, 'runai-access')), path.join(elsewhere, 'ra'));
    const r = spawnSync('sh', ['ra', '--help'], { cwd: elsewhere, encoding: 'utf8' });
    // It took ra/<link>: "Cannot find module" and Node's stack, exit 1.
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^usage: runai-access <command>/);
  });

  test('through a link found on PATH and run by its bare name (bash ra), from another folder', () => {
    const bin = tempDir();
    fs.symlinkSync(path.join(BUILD, 'runai-access'), path.join(bin, 'ra'));
    const r = bash(['ra', '--help'], { cwd: tempDir(), env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^usage: runai-access <command>/);
  });

  test('from a folder whose name starts with -, which node would take for an option, both ways', () => {
    const parent = tempDir();
    const dir = path.join(parent, '-x');
    fs.mkdirSync(dir);
    for (const f of [
      'runai-access',
      'runai-access.js',
      'runai-access.bundle.js',
      'runai-access.snapshot.blob',
      'runai-access.snapshot.node',
    ])
      copyAsIs(path.join(BUILD, f), path.join(dir, f));
    for (const env of [{}, { RUNAI_ACCESS_NO_SNAPSHOT: '1' }]) {
      const r = spawnSync('sh', ['--', '-x/runai-access', '--help'], { cwd: parent, env: { ...process.env, ...env }, encoding: 'utf8' });
      expect([r.status, r.stderr]).toEqual([0, '']);
    }
  });

  test('fails with one line, exit 2, when copied away from runai-access.js', () => {
    const dir = tempDir();
    fs.copyFileSync(path.join(BUILD, 'runai-access'), path.join(dir, 'runai-access'));
    const r = spawnSync('sh', [path.join(dir, 'runai-access'), '--help'], { encoding: 'utf8' });
    expect([r.status, r.stdout, r.stderr]).toEqual([
      2,
      '',
      `runai-access: ${dir}/runai-access.js is missing: run this launcher by its path, from the package's build folder or through a link to it (npm install puts one in node_modules/.bin)\n`,
    ]);
  });

  // Node reads NODE_EXTRA_CA_CERTS when it starts, and warns on stderr when it cannot load it.
  const extraCa = 'Warning: Ignoring extra certs from `/nonexistent/ca.pem`';
  test.each([
    ['synth', ['synth', '--quiet', '--config', EXAMPLE, '--out', '@', ...AT]],
    ['check', ['check', '--quiet', '--config', EXAMPLE, '--out', '@', ...AT]],
    ['validate', ['validate', '--quiet', '--config', EXAMPLE, ...AT]],
    ['url', ['url', '--config', EXAMPLE, '--cluster', 'example', '--project', 'p', '--workload', 'w']],
    ['init', ['init', '@']],
  ])('without NODE_EXTRA_CA_CERTS for %s, which makes no TLS connection, both ways', (_, args) => {
    for (const env of [{}, { RUNAI_ACCESS_NO_SNAPSHOT: '1' }]) {
      const out = path.join(tempDir(), 'out');
      if (args[0] === 'check') launch(['synth', '--quiet', '--config', EXAMPLE, '--out', out, ...AT]);
      const r = launch(
        args.map((a) => (a === '@' ? out : a)),
        { env: { ...env, NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem' } },
      );
      expect(r.stderr).not.toContain('extra certs');
      expect(r.status).toBe(0);
    }
  });

  test('certificate checks never used NODE_EXTRA_CA_CERTS: a chain short of its root gets the same findings with that root in it', () => {
    const dir = tempDir();
    const [leaf, intermediate] =
      fs.readFileSync(DEMO_CERT, 'utf8').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g) ?? [];
    fs.writeFileSync(path.join(dir, 'chain.pem'), leaf + intermediate);
    fs.copyFileSync(DEMO_KEY, path.join(dir, 'key.pem'));
    const config = writeConfig(
      dir,
      'clusters:\n  - name: demo\n    clusterUrl: runai.example.com\n    tls: {source: files, certFile: chain.pem, keyFile: key.pem}\n',
    );
    // Straight through runai-access.js, which cannot leave the variable out: Node loads the root.
    const validate = (extraCa: string | undefined) => {
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: extraCa };
      if (extraCa === undefined) delete env.NODE_EXTRA_CA_CERTS;
      return spawnSync(process.execPath, [path.join(BUILD, 'runai-access.js'), 'validate', '--json', '--config', config, ...AT], {
        env,
        encoding: 'utf8',
      });
    };
    const without = validate(undefined);
    expect(without.stdout).toContain('"chain-incomplete"'); // decided against Node's own roots
    expect(validate(path.join(ROOT, 'examples', 'certs', 'demo-root-ca.pem'))).toMatchObject({
      status: without.status,
      stdout: without.stdout,
      stderr: without.stderr,
    });
  });

  test('the commands it starts without NODE_EXTRA_CA_CERTS are every command but doctor: a new one is decided on', () => {
    const line = /^\s*([a-z |]+)\) unset NODE_EXTRA_CA_CERTS ;;$/m.exec(fs.readFileSync(path.join(ROOT, 'scripts', 'launcher.sh'), 'utf8'));
    expect(
      line?.[1]
        .split('|')
        .map((c) => c.trim())
        .sort(),
    ).toEqual([...COMMANDS].sort());
  });

  test('with NODE_EXTRA_CA_CERTS for doctor, and for no command at all', () => {
    for (const args of [['doctor', '--help'], ['--help'], []]) {
      const r = launch(args, { env: { NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem' } });
      expect(r.stderr).toContain(extraCa);
    }
  });

  test('fails when node is not on PATH: one line and exit 127, as a shell does for a missing command', () => {
    const r = spawnSync('/bin/sh', [LAUNCHER, 'synth'], { env: { PATH: '/nonexistent' }, encoding: 'utf8' });
    expect(r.status).toBe(127);
    expect(r.stderr).toBe('runai-access: node (version 20 or later) is not on PATH\n');
  });
});

describe("glibc's huge pages for the snapshot's memory (GLIBC_TUNABLES)", () => {
  /**
   * The environment and command line of the process the launcher started, read from /proc while
   * its synth waits for the output's lock, held here by this process.
   */
  async function started(env: NodeJS.ProcessEnv): Promise<{ tunables: string | undefined; snapshot: boolean }> {
    const dir = tempDir();
    const config = writeConfig(dir, `clusters:\n  - {name: a, clusterUrl: runai.example.com, tls: {source: existing}}\n`);
    const holder = { pid: process.pid, host: os.hostname(), started: '2026-12-01T00:00:00.000Z', nonce: '0123456789abcdef' };
    fs.writeFileSync(path.join(dir, '.dist.lock'), JSON.stringify(holder));
    const base = { ...process.env };
    delete base.GLIBC_TUNABLES;
    const child = spawn(LAUNCHER, ['synth', '--config', config, '--out', path.join(dir, 'dist')], {
      env: { ...base, ...env, RUNAI_ACCESS_LOCK_WAIT: '30' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      // The line that says it waits: by then the launcher has exec'd node in its own place (same pid).
      const first = await Promise.race([once(child.stderr, 'data'), once(child, 'exit').then(() => undefined)]);
      if (first === undefined) throw new Error('the synth ended without waiting for the lock');
      const environ = fs.readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0');
      const cmdline = fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
      const snapshot = cmdline.includes('--snapshot-blob');
      // glibc (2.36, Debian 12's), reading the tunables as the process starts, ends each value with
      // a NUL in place: a:b shows as two entries, a and then b.
      const at = environ.findIndex((e) => e.startsWith('GLIBC_TUNABLES='));
      if (at < 0) return { tunables: undefined, snapshot };
      const parts = [environ[at].slice('GLIBC_TUNABLES='.length)];
      for (const e of environ.slice(at + 1)) {
        if (!e.startsWith('glibc.')) break;
        parts.push(e);
      }
      return { tunables: parts.join(':'), snapshot };
    } finally {
      child.kill('SIGKILL');
      await once(child, 'close');
    }
  }

  test.each([
    ['none of its own', {}, 'glibc.malloc.hugetlb=1'],
    [
      'other tunables: kept, hugetlb added',
      { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' },
      'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1',
    ],
    ['its own hugetlb setting: left as it is', { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' }, 'glibc.malloc.hugetlb=0'],
  ])('node from the snapshot asks for them when the caller sets %s', async (_, env, expected) => {
    expect(await started(env)).toEqual({ tunables: expected, snapshot: true });
  });

  test('through runai-access.js, which reads no snapshot, the environment is left as it is', async () => {
    expect(await started({ RUNAI_ACCESS_NO_SNAPSHOT: '1' })).toEqual({ tunables: undefined, snapshot: false });
  });

  test('not for doctor, which starts kubectl and its credential plugins with its environment', () => {
    const env = { ...process.env };
    delete env.GLIBC_TUNABLES;
    const trace = (command: string) => spawnSync('sh', ['-x', LAUNCHER, command, '--help'], { env, encoding: 'utf8' }).stderr;
    expect(trace('synth')).toMatch(/^\+ export GLIBC_TUNABLES=glibc\.malloc\.hugetlb=1$/m);
    const doctor = trace('doctor');
    expect(doctor).toMatch(/^\+ exec \S+ --snapshot-blob /m);
    expect(doctor).not.toContain('GLIBC_TUNABLES');
  });
});

describe('the snapshot and runai-access.js give the same results', () => {
  test("synth of every mode (the behaviour corpus): the same files, and each finds the other's output up to date", () => {
    const dir = tempDir();
    // Three output folders of one name (the header names a folder other than dist), in three places.
    const [a, b, c] = ['1', '2', '3'].map((place) => path.join(dir, place, 'out'));
    const fromSnapshot = launch(['synth', '--config', CORPUS, '--out', a, ...AT]);
    expect(fromSnapshot.stderr).toMatch(/^runai-access: wrote 22 clusters from /m);
    expect(fromSnapshot.status).toBe(0);
    fs.cpSync(a, b, { recursive: true });
    // Sealed Secrets keep their previous sealing: runai-access.js, run on a copy, must find every byte it would write.
    const fromLoader = runLoader(['synth', '--config', CORPUS, '--out', b, ...AT]);
    expect(fromLoader.status).toBe(0);
    expect(fromLoader.stderr).toMatch(/^runai-access: .*\/2\/out\/ already holds 22 clusters from .*: nothing rewritten$/m);
    expect(treeOf(b)).toEqual(treeOf(a));
    // The warnings and the summary below its first line are the same, but for the folder's name
    // and the sealings, which the second run found in place.
    const rest = (stderr: string) => stderr.split('\n').filter((l) => !l.startsWith('runai-access: '));
    const resealed = 'the SealedSecret was sealed afresh for the controller certificate given.';
    expect(fromSnapshot.stderr).toContain(resealed);
    expect(rest(fromLoader.stderr)).toEqual(
      rest(fromSnapshot.stderr).map((l) =>
        l.split(a).join(b).replace(resealed, 'the SealedSecret keeps its ciphertexts: its inputs match the previous sealing.'),
      ),
    );
    expect(rest(fromLoader.stderr).length).toBeGreaterThan(100);
    // And lib/, run in this process unbundled (no Kubernetes class left out), finds the same bytes.
    fs.cpSync(a, c, { recursive: true });
    let stderr = '';
    const io = { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) } };
    expect(run(['synth', '--config', CORPUS, '--out', c, ...AT], io)).toBe(0);
    expect(stderr).toMatch(/^runai-access: .*\/3\/out\/ already holds 22 clusters from .*: nothing rewritten$/m);
  });

  test('synth of the demo config into a fresh folder, the snapshot in another time zone and locale: the same bytes, modes, summary and warnings', () => {
    const results = ['snapshot', 'loader'].map((way) => {
      const dir = tempDir();
      writeConfig(
        dir,
        `clusters:\n  - name: demo\n    clusterUrl: runai.example.com\n    tls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}\n`,
      );
      // The snapshot way in another time zone and locale: the output may not depend on them.
      const elsewhere = { TZ: 'Pacific/Kiritimati', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' };
      const r = way === 'snapshot' ? launch(['synth', ...AT], { cwd: dir, env: elsewhere }) : runLoader(['synth', ...AT], { cwd: dir });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr, tree: treeOf(path.join(dir, 'dist')) };
    });
    expect(results[0].status).toBe(0);
    expect(Object.keys(results[0].tree)).toContain('demo/00-secret-runai-cluster-domain-star-tls-secret.yaml');
    expect(results[1]).toEqual(results[0]);
  });

  test.each([
    ['validate --json', ['validate', '--json', '--config', CORPUS, ...AT], 0],
    ['url', ['url', '--config', CORPUS, '--cluster', 'current-saas-files', '--project', 'team-a', '--workload', 'nb1'], 0],
    ['a bad flag', ['synth', '--bogus'], 2],
    ['a missing config', ['validate', '--config', 'no-such-file.yaml'], 2],
    ['doctor --help', ['doctor', '--help'], 0],
  ])('%s: the same exit code, stdout and stderr', (_name, args, status) => {
    const a = launch(args);
    const b = runLoader(args);
    expect(a.status).toBe(status);
    expect({ status: b.status, stdout: b.stdout, stderr: b.stderr }).toEqual({ status: a.status, stdout: a.stdout, stderr: a.stderr });
  });

  test('check from the snapshot: 0 on its own output, 1 after a hand edit, like runai-access.js', () => {
    const dir = tempDir();
    writeConfig(
      dir,
      `clusters:\n  - name: demo\n    clusterUrl: runai.example.com\n    tls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}\n`,
    );
    expect(launch(['synth', ...AT], { cwd: dir }).status).toBe(0);
    const same = launch(['check', ...AT], { cwd: dir });
    expect(same.status).toBe(0);
    expect(same.stdout + same.stderr).toContain('dist is up to date with runai-access.yaml');
    fs.appendFileSync(path.join(dir, 'dist', 'demo', '20-runaiconfig-runai.yaml'), '# edited\n');
    const a = launch(['check', ...AT], { cwd: dir });
    expect(a.status).toBe(1);
    expect(a.stdout).toContain('demo/20-runaiconfig-runai.yaml');
    expect(runLoader(['check', ...AT], { cwd: dir })).toMatchObject({ status: 1, stdout: a.stdout, stderr: a.stderr });
  });

  test('the environment is read when a command runs, not when the snapshot was made: a bad RUNAI_ACCESS_LOCK_WAIT is refused', () => {
    const r = launch(['synth', '--config', CORPUS, '--out', path.join(tempDir(), 'dist'), ...AT], {
      env: { RUNAI_ACCESS_LOCK_WAIT: 'soon' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('RUNAI_ACCESS_LOCK_WAIT: must be a whole number of seconds from 0 to 3600; this run wrote nothing');
  });

  test('nothing random is frozen into the snapshot: two doctor runs pick two probe names', () => {
    const dir = tempDir();
    const config = writeConfig(dir, `clusters:\n  - name: demo\n    clusterUrl: runai.example.com\n    routing: path\n`);
    const names = [1, 2].map(() => {
      const r = launch(
        ['doctor', '--config', config, '--no-kube', '--json', '--dns', '127.0.0.1:9', '--address', '127.0.0.1', '--port', '9'],
        {
          env: { RUNAI_ACCESS_TEST_ONLY_DOCTOR_TIMEOUTS: 'dns=300,tls=300,kube=1000,total=3000' },
        },
      );
      expect(r.status).toBe(1);
      return JSON.parse(r.stdout).probeHost as string;
    });
    expect(names[0]).toMatch(/^runai-access-doctor-[0-9a-f]{8}\.runai\.example\.com$/);
    expect(names[1]).not.toBe(names[0]);
  });
});

test("npx cdk8s synth (cdk8s.yaml's app) still writes what runai-access synth writes", () => {
  const dir = tempDir();
  // The bundled example, not the admin's runai-access.yaml: a sealing would differ between two runs.
  for (const f of ['build', 'node_modules']) fs.symlinkSync(path.join(ROOT, f), path.join(dir, f));
  fs.symlinkSync(path.join(ROOT, 'examples', 'certs'), path.join(dir, 'certs'));
  fs.copyFileSync(path.join(ROOT, 'cdk8s.yaml'), path.join(dir, 'cdk8s.yaml'));
  fs.copyFileSync(path.join(ROOT, 'examples', 'runai-access.yaml'), path.join(dir, 'runai-access.yaml'));
  const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade'], { cwd: dir, encoding: 'utf8' });
  expect(r.status).toBe(0);
  // Into dist again, once cdk8s's is moved aside (headers name an output folder by its name when it is not dist).
  const written = treeOf(path.join(dir, 'dist'));
  fs.renameSync(path.join(dir, 'dist'), path.join(dir, 'by-cdk8s'));
  expect(launch(['synth'], { cwd: dir }).status).toBe(0);
  expect(Object.keys(written).length).toBeGreaterThan(5);
  expect(written).toEqual(treeOf(path.join(dir, 'dist')));
});

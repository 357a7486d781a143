/**
 * `check` on a broken output tree (lib/output/drift.ts): one line per difference (exit 1) or per
 * entry it cannot compare (exit 2), never a crash; a table of the reliability suite (see the
 * README's Safety section).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { MARKER_FILE, MARKER_TEXT, NOT_A_FOLDER } from '../lib/output/writer';
import { cli, DEMO_CERT, DEMO_KEY, fleet, runInProcess, tempDir, writeConfig } from './helpers';

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
    ['the exec bit on a file (which git records)', (out) => fs.chmodSync(path.join(out, INGRESS), 0o755), 1, [['mode', INGRESS]]],
    ['the exec bit on the marker', (out) => fs.chmodSync(path.join(out, MARKER_FILE), 0o744), 1, [['mode', MARKER_FILE]]],
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
          ? `restore ${marker} (git checkout -- ${marker}, or where git has none: printf '%s\\n' '${MARKER_TEXT.trimEnd()}' > ${marker}), ` +
            'without which synth will not replace the folder, then '
          : '';
      expect(r.stderr).toBe(
        `${out} differs from ${config} in ${expected.length} file${expected.length === 1 ? '' : 's'}; ${restore}run: npx runai-access synth --config ${config} --out ${out}\n`,
      );
      if (name === 'the marker removed') {
        // Without the marker the folder is no longer runai-access's: synth refuses it rather than delete it.
        // It says what it misses and how to restore it, not that runai-access did not write the folder.
        expect(cli('synth', '-q', '--config', config, '--out', out).stderr).toContain(
          `has no .runai-access, the file by which synth knows a folder it wrote; refusing to replace it. Give a new or empty folder, ` +
            `or, if runai-access wrote this one, restore its marker (git checkout -- ${marker}, or where git has none: printf`,
        );
        return;
      }
      // synth makes exactly the differences check saw: afterwards check finds none.
      expect(cli('synth', '-q', '--config', config, '--out', out).status).toBe(0);
      expect(cli('check', '-q', '--config', config, '--out', out).status).toBe(0);
    }
  });
});

test('fails when --out is a folder runai-access never wrote: one line (exit 2), not a walk of it nor advice to mark it', () => {
  const dir = tempDir();
  const config = writeConfig(dir, fleet(1, 'runai.example.com'));
  const notes = path.join(dir, 'notes');
  fs.mkdirSync(path.join(notes, 'deep'), { recursive: true });
  fs.writeFileSync(path.join(notes, 'a.txt'), 'hi');
  const r = cli('check', '--config', config, '--out', notes);
  expect(r).toEqual({
    status: 2,
    stdout: '',
    stderr:
      `--out: ${notes} was not written by runai-access (no ${MARKER_FILE}, and no folder of a cluster of ${config}), ` +
      'so there is nothing to compare; give the folder synth writes\n',
  });
  expect(fs.existsSync(path.join(notes, MARKER_FILE))).toBe(false);
});

describe('check compares modes as git records them (the owner exec bit), so a clone made with any umask passes', () => {
  const INGRESS = 'c0/10-ingress-runai-cluster-domain-star-ingress.yaml';

  test.each<[string, (out: string) => void]>([
    ['the setuid bit on a file', (out) => fs.chmodSync(path.join(out, INGRESS), 0o4644)],
    ['the sticky bit on a cluster folder', (out) => fs.chmodSync(path.join(out, 'c0'), 0o1755)],
    ['a cluster folder of mode 0700', (out) => fs.chmodSync(path.join(out, 'c0'), 0o700)],
    ['the output folder of mode 0775', (out) => fs.chmodSync(out, 0o775)],
    ['a file of mode 0666 (a checkout with umask 0000)', (out) => fs.chmodSync(path.join(out, INGRESS), 0o666)],
  ])('%s: no drift for check; synth, which writes every bit, rewrites the folder', (_name, breakIt) => {
    const dir = tempDir();
    const config = writeConfig(dir, fleet(1, 'example.com'));
    const out = path.join(dir, 'dist');
    expect(cli('synth', '-q', '--config', config, '--out', out).status).toBe(0);
    breakIt(out);
    expect(cli('check', '--config', config, '--out', out)).toEqual({
      status: 0,
      stdout: '',
      stderr: `${out} is up to date with ${config}\n`,
    });
    // synth does not say "nothing rewritten" over modes it would change: it writes them.
    expect(cli('synth', '--config', config, '--out', out).stderr).toMatch(/^runai-access: wrote 1 cluster from /);
    expect(fs.statSync(path.join(out, INGRESS)).mode & 0o7777).toBe(0o644);
    expect(fs.statSync(path.join(out, 'c0')).mode & 0o7777).toBe(0o755);
  });

  test('a private key that git keeps out (only synth writes it) is drift when others may read it', () => {
    const dir = tempDir();
    const config = writeConfig(
      dir,
      `clusters:\n  - name: c0\n    clusterUrl: runai.example.com\n    tls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}\n`,
    );
    const out = path.join(dir, 'dist');
    expect(cli('synth', '-q', '--config', config, '--out', out).status).toBe(0);
    const secret = path.join(out, 'c0', '00-secret-runai-cluster-domain-star-tls-secret.yaml');
    expect(fs.statSync(secret).mode & 0o777).toBe(0o600);
    fs.chmodSync(secret, 0o640);
    const r = cli('check', '--config', config, '--out', out);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(`mode    ${secret}\n`);
  });

  test('on Windows, where no file has a mode to compare, check passes and synth has nothing to rewrite (a stand-in: process.platform)', () => {
    const dir = tempDir();
    const config = writeConfig(
      dir,
      `clusters:\n  - name: c0\n    clusterUrl: runai.example.com\n    tls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}}\n` +
        '  - name: old\n    clusterUrl: runai.example.org\n    deployment: self-hosted\n    runaiVersion: "2.10"\n    tls: {source: existing}\n',
    );
    const out = path.join(dir, 'dist');
    expect(cli('synth', '-q', '--config', config, '--out', out).status).toBe(0);
    // Modes as Node reports them on Windows: 0666 for every file (a key's 0600 and a script's 0755 too), 0777 folders.
    const windowsModes = (entry: string): void => {
      const folder = fs.statSync(entry).isDirectory();
      fs.chmodSync(entry, folder ? 0o777 : 0o666);
      if (folder) for (const name of fs.readdirSync(entry)) windowsModes(path.join(entry, name));
    };
    windowsModes(out);
    const args = ['--config', config, '--out', out];
    // Here, such modes are drift: the key readable by all, the script no longer executable.
    expect(runInProcess(['check', '-q', ...args]).stdout).toBe(
      `mode    ${out}/c0/00-secret-runai-cluster-domain-star-tls-secret.yaml\nmode    ${out}/old/patches/apply-runai-backend-ingress-tls.sh\n`,
    );
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { value: 'win32' });
    try {
      expect(runInProcess(['check', ...args])).toMatchObject({ status: 0, stdout: '' });
      expect(runInProcess(['synth', ...args]).stderr).toMatch(/nothing rewritten/);
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
  });

  test('a clone made with umask 0000 (GitLab runners), with a committed plaintext key too, passes check', () => {
    const repo = tempDir();
    const config = writeConfig(
      repo,
      `clusters:\n  - name: c0\n    clusterUrl: runai.example.com\n    tls: {source: files, certFile: ${DEMO_CERT}, keyFile: ${DEMO_KEY}, commitPlaintextKey: true}\n` +
        '  - name: c1\n    clusterUrl: runai.example.org\n    tls: {source: existing}\n',
    );
    expect(cli('synth', '-q', '--config', config, '--out', path.join(repo, 'dist')).status).toBe(0);
    const git = (cwd: string, ...args: string[]) => {
      const r = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return r;
    };
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'dist');
    const clone = path.join(tempDir(), 'clone');
    const r = spawnSync('sh', ['-c', 'umask 0000 && git clone -q "$0" "$1"', repo, clone], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const committed = path.join(clone, 'dist', 'c0', '00-secret-runai-cluster-domain-star-tls-secret.yaml');
    expect(fs.statSync(committed).mode & 0o777).toBe(0o666);
    expect(fs.statSync(path.join(clone, 'dist', 'c1')).mode & 0o777).toBe(0o777);
    const cloned = path.join(clone, 'runai-access.yaml');
    const check = cli('check', '--config', cloned, '--out', path.join(clone, 'dist'));
    expect(check).toEqual({ status: 0, stdout: '', stderr: `${path.join(clone, 'dist')} is up to date with ${cloned}\n` });
    // core.autocrlf true, Git for Windows' default (its system config): every text file checked out with CRLF, which git records as LF.
    const crlf = path.join(tempDir(), 'crlf');
    expect(spawnSync('git', ['-c', 'core.autocrlf=true', 'clone', '-q', repo, crlf]).status).toBe(0);
    git(crlf, 'config', 'core.autocrlf', 'true');
    expect(fs.readFileSync(path.join(crlf, 'dist', 'c1', '10-ingress-runai-cluster-domain-star-ingress.yaml'), 'utf8')).toContain('\r\n');
    const crlfCheck = cli('check', '--config', path.join(crlf, 'runai-access.yaml'), '--out', path.join(crlf, 'dist'));
    expect([crlfCheck.status, crlfCheck.stdout]).toEqual([0, '']);
    // A CR added by hand to a file git records is still drift.
    const ingress = path.join(clone, 'dist', 'c1', '10-ingress-runai-cluster-domain-star-ingress.yaml');
    fs.writeFileSync(ingress, fs.readFileSync(ingress, 'utf8').replace('\n', '\r\n'));
    expect(cli('check', '--config', cloned, '--out', path.join(clone, 'dist')).stdout).toBe(`changed ${ingress}\n`);
  });
});

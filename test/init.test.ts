/**
 * `init` (lib/cli/init.ts): what it scaffolds, its questions (through `run` with a stand-in
 * terminal), and every way it refuses or fails, all or nothing; without a terminal through the
 * real entry point, and as uid 65534 for permissions.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parse } from 'yaml';

import { INIT_FILES, tlsNextStep } from '../lib/cli/init';
import { Io, run } from '../lib/cli/run';
import { RunaiVersion } from '../lib/model/runai-version';
import { asNobody, MAIN, oneExisting, runCli, runInProcess, tempDir, writeConfig } from './helpers';

const SOURCES = ['files', 'existing', 'cert-manager', 'sealed-secret', 'external-secret'];

describe('init', () => {
  test('writes the config, .gitignore, both CI workflows and a README, each as promised', () => {
    const dir = path.join(tempDir(), 'gitops');
    const r = runInProcess([
      'init',
      dir,
      '--cluster-url',
      'https://runai.mycorp.com/',
      '--deployment',
      'self-hosted',
      '--runai-version',
      '2.18',
    ]);
    expect(r.status).toBe(0);
    for (const f of INIT_FILES) expect(fs.existsSync(path.join(dir, f))).toBe(true);
    const config = fs.readFileSync(path.join(dir, 'runai-access.yaml'), 'utf8');
    expect(config.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/runai-access/schema/runai-access.schema.json');
    expect(parse(config)).toEqual({
      clusters: [
        {
          name: 'runai',
          clusterUrl: 'runai.mycorp.com',
          deployment: 'self-hosted',
          runaiVersion: '2.18',
          tls: { source: 'files', certFile: 'certs/fullchain.pem', keyFile: 'certs/private.key' },
        },
      ],
    });
    const gitignore = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8').split('\n');
    expect(gitignore).toEqual(expect.arrayContaining(['*.key', 'node_modules/']));
    expect(gitignore).not.toContain('dist/');
    // What a killed synth leaves beside dist/ (a key among it), held to git's own reading of the .gitignore.
    const beside = ['.dist.lock', '.dist.tmp-123-0a1b2c3d/runai/00-secret-x.yaml', '.dist.old-1-ffffffff/x', '.dist.del-1-ffffffff/x'];
    // Private keys under the names tools give them (openssl, certbot, cfssl, cert exports), and the certificates beside them.
    const keys = [
      'certs/private.key',
      'certs/key.pem',
      'certs/server-key.pem',
      'certs/tls_key.pem',
      'certs/privkey1.pem',
      'certs/private.pem',
    ];
    const certs = ['certs/fullchain.pem', 'certs/cert.pem', 'certs/chain.pem', 'certs/sealed-secrets-controller.pem', 'certs/ca.crt'];
    // A controller certificate is a public key: names with "pubkey" stay committed.
    certs.push('certs/pubkey.pem', 'certs/sealed-secrets-pubkey.pem', 'certs/publickey.pem');
    const committed = ['dist/runai/10-ingress-x.yaml', 'dist/.runai-access', 'runai-access.yaml', ...certs];
    execFileSync('git', ['init', '-q', dir]);
    const ignored = spawnSync('git', ['check-ignore', '--no-index', ...beside, ...keys, ...committed], { cwd: dir, encoding: 'utf8' });
    expect(ignored.stdout.split('\n').filter(Boolean)).toEqual([...beside, ...keys]);
    const github = parse(fs.readFileSync(path.join(dir, '.github/workflows/runai-access.yml'), 'utf8'));
    expect(github.jobs.check.steps.filter((s: { run?: string }) => s.run).map((s: { run: string }) => s.run)).toEqual([
      'npm ci',
      './node_modules/.bin/runai-access validate --warn-days 30',
      './node_modules/.bin/runai-access check',
    ]);
    const gitlab = parse(fs.readFileSync(path.join(dir, '.gitlab-ci.yml'), 'utf8'));
    expect(gitlab['runai-access'].script).toEqual([
      'npm ci',
      './node_modules/.bin/runai-access validate --warn-days 30',
      './node_modules/.bin/runai-access check',
    ]);
  });

  test.each(SOURCES)("the scaffolded config for tls source %s is valid, and the next step printed is that source's", (source) => {
    const dir = tempDir();
    const made = runInProcess(['init', dir, '--tls-source', source]);
    expect(made.status).toBe(0);
    // It said "source files: put the certificate chain and its key under certs/" whatever the source.
    const step = tlsNextStep({ tlsSource: source, deployment: 'saas' });
    expect(step).toMatch(/^[a-z]/);
    expect(made.stderr).toContain(`next: check the tls block of runai-access.yaml (source ${source}: ${step}), then run`);
    const needsFiles = source === 'files' || source === 'sealed-secret';
    const r = runInProcess(['validate', '-q', '--require-keys'], { cwd: dir });
    if (!needsFiles) expect([r.status, r.stderr]).toEqual([0, '']);
    // With files, the only problems are the files the admin still has to put in place.
    else expect(r.stderr.split('\n').filter((l) => l && !/does not exist \(looked for [^)]*\) \[file-missing\]$/.test(l))).toEqual([]);
  });

  test("the next step of an existing Secret names the namespace the cluster's mode puts it in (runai-backend for a legacy self-hosted one)", () => {
    const dir = tempDir();
    const made = runInProcess(['init', dir, '--tls-source', 'existing', '--deployment', 'self-hosted', '--runai-version', '2.10']);
    expect(made.stderr).toContain('(source existing: create the Secret runai-cluster-domain-star-tls-secret in runai-backend yourself)');
    expect(tlsNextStep({ tlsSource: 'existing', deployment: 'saas' })).toBe(
      'create the Secret runai-cluster-domain-star-tls-secret in runai yourself',
    );
  });

  test('says to install runai-access first in a folder whose package.json does not list it, since its CI runs the installed bin', () => {
    const bare = path.join(tempDir(), 'bare');
    expect(runInProcess(['init', bare]).stderr).toContain(
      `next: install runai-access in ${bare}, which its CI runs from node_modules: cd ${bare} && npm init -y && npm install --save-dev ` +
        `--save-exact <the runai-access .tgz that npm pack made> (runai-access's README, "GitOps")\n`,
    );
    // Beside a package.json that lacks it, only the install: npm init -y is no step there.
    const other = tempDir();
    fs.writeFileSync(path.join(other, 'package.json'), '{"name": "gitops", "devDependencies": {}}\n');
    expect(runInProcess(['init', other]).stderr).toContain(
      `next: install runai-access in ${other}, which its CI runs from node_modules: cd ${other} && npm install --save-dev --save-exact `,
    );
    for (const odd of ['fifo', 'zero']) {
      // A FIFO or /dev/zero as package.json is not read as one: init ends, and says to install.
      const d = path.join(tempDir(), odd);
      fs.mkdirSync(d);
      if (odd === 'fifo') spawnSync('mkfifo', [path.join(d, 'package.json')]);
      else fs.symlinkSync('/dev/zero', path.join(d, 'package.json'));
      const r = spawnSync(process.execPath, [MAIN, 'init', d], { encoding: 'utf8', timeout: 20_000 });
      expect([r.signal, r.status]).toEqual([null, 0]);
      expect(r.stderr).toContain('next: install runai-access');
    }
    const installed = tempDir();
    fs.writeFileSync(
      path.join(installed, 'package.json'),
      JSON.stringify({ devDependencies: { 'runai-access': 'file:runai-access-0.1.0.tgz' } }),
    );
    expect(runInProcess(['init', installed]).stderr).not.toContain('next: install runai-access');
  });

  /** init run with a stand-in terminal that gives `answers` in turn (then end of input): the questions, exit code and stderr. */
  function initAnswering(dir: string, flags: string[], answers: (string | undefined)[]) {
    const questions: string[] = [];
    const err: string[] = [];
    const code = run(['init', dir, ...flags], {
      stdout: { write: () => true },
      stderr: { write: (t: string) => err.push(t) },
      prompt: (q) => {
        questions.push(q);
        return answers.shift();
      },
    });
    return { code, questions, stderr: err.join('') };
  }

  test('asks for missing settings on a terminal and uses the answers; empty answers take the defaults', () => {
    const dir = tempDir();
    const { code, questions } = initAnswering(dir, [], ['runai.lab.example.org', '', '2.21', 'existing']);
    expect(code).toBe(0);
    expect(questions).toEqual([
      'Run:ai cluster URL (host name) [runai.example.com]: ',
      'control plane (saas | self-hosted) [saas]: ',
      'Run:ai version, such as 2.20 (empty: current): ',
      'TLS source (files | existing | cert-manager | sealed-secret | external-secret) [files]: ',
    ]);
    expect(parse(fs.readFileSync(path.join(dir, 'runai-access.yaml'), 'utf8')).clusters[0]).toEqual({
      name: 'runai',
      clusterUrl: 'runai.lab.example.org',
      deployment: 'saas',
      runaiVersion: '2.21',
      tls: { source: 'existing' },
    });
  });

  test('an answer it does not take is said, and the question asked again; a flag given is not asked', () => {
    const dir = tempDir();
    const answers = ['runai', 'runai.lab.mycorp.io', 'cloud', 'self-hosted', '2.x', '2.21'];
    const { code, questions } = initAnswering(dir, ['--tls-source', 'existing'], answers);
    expect(code).toBe(0);
    expect(questions).toEqual([
      'Run:ai cluster URL (host name) [runai.example.com]: ',
      'answer not taken: runai is a single-label name; give a fully qualified name such as runai.example.com\n' +
        'Run:ai cluster URL (host name) [runai.example.com]: ',
      'control plane (saas | self-hosted) [saas]: ',
      'answer not taken: must be one of: saas, self-hosted; got cloud\ncontrol plane (saas | self-hosted) [saas]: ',
      'Run:ai version, such as 2.20 (empty: current): ',
      `answer not taken: 2.x ${RunaiVersion.check('2.x')}\nRun:ai version, such as 2.20 (empty: current): `,
    ]);
    expect(parse(fs.readFileSync(path.join(dir, 'runai-access.yaml'), 'utf8')).clusters[0]).toEqual({
      name: 'runai',
      clusterUrl: 'runai.lab.mycorp.io',
      deployment: 'self-hosted',
      runaiVersion: '2.21',
      tls: { source: 'existing' },
    });
  });

  test('fails when five answers to one question are not taken: it stops there, with the problem, and writes nothing', () => {
    const dir = tempDir();
    const r = initAnswering(dir, [], ['a b', 'a b', 'a b', 'a b', 'a b', 'runai.mycorp.io']);
    expect(r.code).toBe(2);
    expect(r.questions).toHaveLength(5);
    expect(r.questions.every((q) => q.endsWith('Run:ai cluster URL (host name) [runai.example.com]: '))).toBe(true);
    expect(r.stderr).toBe(
      'init: cluster URL: a b must not contain white space; give a host name such as runai.example.com (5 answers not taken); ' +
        'init wrote nothing\n',
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a misspelt control plane or TLS source, as a flag or an answer, names the one it most likely means', () => {
    expect(runInProcess(['init', tempDir(), '--deployment', 'selfhosted', '--tls-source', 'cert-manger']).stderr).toBe(
      'init: --deployment: did you mean self-hosted? must be one of: saas, self-hosted; got selfhosted\n' +
        'init: --tls-source: did you mean cert-manager? must be one of: files, existing, cert-manager, sealed-secret, external-secret; ' +
        'got cert-manger\n',
    );
    const r = initAnswering(tempDir(), [], ['', 'sass', 'saas', '', '']);
    expect([r.code, r.questions[2]]).toEqual([
      0,
      'answer not taken: did you mean saas? must be one of: saas, self-hosted; got sass\ncontrol plane (saas | self-hosted) [saas]: ',
    ]);
  });

  test('fails when a flag is invalid before asking anything', () => {
    const dir = tempDir();
    const r = initAnswering(dir, ['--deployment', 'bogus'], ['runai.mycorp.io']);
    expect([r.code, r.questions, r.stderr]).toEqual([2, [], 'init: --deployment: must be one of: saas, self-hosted; got bogus\n']);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('end of input takes the default, but after an answer that was not taken it gives up (exit 2, nothing written)', () => {
    const defaults = tempDir();
    expect(initAnswering(defaults, [], []).code).toBe(0);
    expect(parse(fs.readFileSync(path.join(defaults, 'runai-access.yaml'), 'utf8')).clusters[0].clusterUrl).toBe('runai.example.com');

    const dir = tempDir();
    const r = initAnswering(dir, [], ['runai.mycorp.io', 'cloud', undefined]);
    expect([r.code, r.questions.length, r.stderr]).toEqual([
      2,
      3,
      'init: control plane: no answer taken (must be one of: saas, self-hosted; got cloud); init wrote nothing\n',
    ]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('only init reads the prompt: the other commands leave it, and the terminal behind it, untouched', () => {
    // runProcess gives the prompt as a getter because reaching process.stdin costs every command
    // about 2 ms; a run that read it for synth, validate or check (a copy of io made with ...io did) paid that.
    const dir = tempDir();
    let reads = 0;
    const io = {
      stdout: { write: () => true },
      stderr: { write: () => true },
      get prompt() {
        reads++;
        return undefined;
      },
    };
    const config = writeConfig(dir, oneExisting());
    for (const argv of [
      ['synth', '--quiet', '--config', config, '--out', path.join(dir, 'dist')],
      ['validate', '--quiet', '--config', config],
      ['check', '--quiet', '--config', config, '--out', path.join(dir, 'dist')],
      ['--help'],
    ]) {
      expect([argv[0], run(argv, io)]).toEqual([argv[0], 0]);
    }
    expect(reads).toBe(0);
    // Also when the caller gives only stdout: the prompt it gives is still read only by init.
    const stdoutOnly = {
      stdout: io.stdout,
      get prompt() {
        reads++;
        return undefined;
      },
    };
    expect(run(['validate', '--quiet', '--config', config], stdoutOnly as unknown as Io)).toBe(0);
    expect(run(['init', path.join(dir, 'new')], io)).toBe(0);
    expect(reads).toBe(1);
  });

  test('without a terminal it asks nothing, uses the defaults and says so, naming the ones no flag gave', () => {
    const dir = tempDir();
    // A process whose stdin is a pipe, not a terminal: the entry point must not prompt, nor read the answers piped to it.
    const r = spawnSync(process.execPath, [MAIN, 'init', dir, '--deployment', 'self-hosted'], {
      input: 'prod.corp.com\nsaas\n2.20\nexisting\n',
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(parse(fs.readFileSync(path.join(dir, 'runai-access.yaml'), 'utf8')).clusters[0]).toMatchObject({
      clusterUrl: 'runai.example.com',
      deployment: 'self-hosted',
      tls: { source: 'files' },
    });
    expect(r.stderr.split('\n').at(-2)).toBe(
      'note: no terminal to ask on (stdin is not one), so init took the defaults of what no flag gave: cluster URL runai.example.com, ' +
        "Run:ai version left out (the newest release's rules, 2.25 and later), TLS source files; edit runai-access.yaml to change them " +
        '(the flags --cluster-url, --deployment, --runai-version and --tls-source set them without a terminal)',
    );
    // Every setting given: nothing to say.
    const three = ['--cluster-url', 'runai.corp.com', '--deployment', 'saas', '--tls-source', 'existing'];
    const given = runCli(['init', path.join(dir, 'all'), ...three, '--runai-version', '2.25']);
    expect([given.status, given.stderr]).toEqual([0, expect.not.stringContaining('note:')]);
    // All but the version (README's example): the version is named, which the note left out.
    const unversioned = runCli(['init', path.join(dir, 'three'), ...three]);
    expect(unversioned.stderr.split('\n').at(-2)).toMatch(
      /^note: .* no flag gave: Run:ai version left out \(the newest release's rules, 2\.25 and later\); /,
    );
  });

  test('fails when any file it would write exists, and writes nothing (exit 2)', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.github/workflows/runai-access.yml'), 'mine\n');
    const r = runInProcess(['init', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `init: ${path.join(dir, '.github/workflows/runai-access.yml')} already exists; init never overwrites a file: move it away or init another folder\n`,
    );
    expect(fs.readdirSync(dir)).toEqual(['.github']);
    expect(fs.readFileSync(path.join(dir, '.github/workflows/runai-access.yml'), 'utf8')).toBe('mine\n');
  });

  test.each([
    ['a regular file', () => writeConfig(tempDir(), 'x: 1\n', 'notes.txt'), 'a regular file'],
    ['a device', () => '/dev/null', 'a character device'],
  ])('fails when DIR is %s: one line naming it, and nothing written (exit 2)', (_, make, what) => {
    const dir = make();
    const before = fs.statSync(dir);
    const r = runInProcess(['init', dir]);
    expect(r).toEqual({
      status: 2,
      stdout: '',
      stderr: `init: ${dir} is ${what}, not a folder; give a folder (init makes it when it does not exist)\n`,
    });
    const after = fs.statSync(dir);
    expect([after.isFile(), after.isCharacterDevice(), after.size, after.mtimeMs]).toEqual([
      before.isFile(),
      before.isCharacterDevice(),
      before.size,
      before.mtimeMs,
    ]);
  });

  describe('a write that fails midway (a full disk, stood in for by a spy that fails the write of .gitlab-ci.yml with ENOSPC)', () => {
    const realFs = jest.requireActual<typeof import('node:fs')>('node:fs');
    /** Runs init with ENOSPC on .gitlab-ci.yml, the fourth file, after three were written. */
    const initWithFullDisk = (dir: string) => {
      // The file is made (open), then its write fails: a failed write names no path, as a real one does not.
      const [open, write] = [realFs.openSync, realFs.writeFileSync];
      const full = new Set<number>();
      const spies = [
        jest.spyOn(realFs, 'openSync').mockImplementation((file, ...rest) => {
          const fd = open(file, ...rest);
          if (String(file).endsWith('.gitlab-ci.yml')) full.add(fd);
          return fd;
        }),
        jest.spyOn(realFs, 'writeFileSync').mockImplementation((file, ...rest) => {
          if (typeof file === 'number' && full.has(file))
            throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          return write(file, ...rest);
        }),
      ];
      try {
        return runInProcess(['init', dir]);
      } finally {
        for (const spy of spies) spy.mockRestore();
      }
    };

    test('fails in a new DIR: one line, and DIR is removed again (exit 2)', () => {
      const parent = tempDir();
      const dir = path.join(parent, 'repo');
      expect(initWithFullDisk(dir)).toEqual({
        status: 2,
        stdout: '',
        stderr: `init: cannot write ${path.join(dir, '.gitlab-ci.yml')}: no space left on device (ENOSPC); init wrote nothing\n`,
      });
      expect(fs.readdirSync(parent)).toEqual([]);
    });

    test('fails in a DIR with an empty .github: only what was there before is left (exit 2)', () => {
      const dir = tempDir();
      fs.mkdirSync(path.join(dir, '.github'));
      expect(initWithFullDisk(dir).stderr).toBe(
        `init: cannot write ${path.join(dir, '.gitlab-ci.yml')}: no space left on device (ENOSPC); init wrote nothing\n`,
      );
      expect(fs.readdirSync(dir)).toEqual(['.github']);
      expect(fs.readdirSync(path.join(dir, '.github'))).toEqual([]);
    });
  });

  test('fails when a folder init writes in is a file (.github), and writes nothing (exit 2)', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '.github'), 'mine\n');
    const r = runInProcess(['init', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `init: ${path.join(dir, '.github')} is a regular file, not a folder; give a folder (init makes it when it does not exist)\n`,
    );
    expect(fs.readdirSync(dir)).toEqual(['.github']);
  });

  test('fails when a file cannot be written whole (a full disk; here ulimit -f 0, EFBIG): it names the file, and leaves none', () => {
    const parent = tempDir();
    const repo = path.join(parent, 'repo');
    // SIGXFSZ ignored, as a full disk does not kill: the write fails instead. stderr is a pipe, which no file limit holds.
    const r = spawnSync('sh', ['-c', `trap '' XFSZ; ulimit -f 0; exec "$0" "$1" init "$2"`, process.execPath, MAIN, repo], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(r).toMatchObject({ status: 2, stdout: '' });
    expect(r.stderr).toBe(
      `init: cannot write ${path.join(repo, INIT_FILES[0])}: a file would be larger than this process may write (ulimit -f) (EFBIG); ` +
        'init wrote nothing\n',
    );
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  describe('run as uid 65534 with setpriv, where a folder cannot be written', () => {
    test('fails when DIR cannot be made: one line, no stack (exit 2)', () => {
      const parent = tempDir();
      fs.chmodSync(parent, 0o755); // root's: the unprivileged user may look, not write
      const r = asNobody('init', path.join(parent, 'repo'));
      expect(r).toMatchObject({ status: 2, stdout: '' });
      expect(r.stderr).toBe(`init: cannot write ${path.join(parent, 'repo')}: permission denied (EACCES); init wrote nothing\n`);
      expect(fs.readdirSync(parent)).toEqual([]);
    });

    test('fails when .github cannot be written into, and takes back the files it wrote before (exit 2)', () => {
      const dir = tempDir();
      fs.mkdirSync(path.join(dir, '.github'), { mode: 0o555 });
      fs.chownSync(dir, 65534, 65534);
      fs.chownSync(path.join(dir, '.github'), 65534, 65534);
      const r = asNobody('init', dir);
      expect(r).toMatchObject({ status: 2, stdout: '' });
      expect(r.stderr).toBe(
        `init: cannot write ${path.join(dir, '.github', 'workflows')}: permission denied (EACCES); init wrote nothing\n`,
      );
      // runai-access.yaml and .gitignore come first in INIT_FILES: they were written, then removed.
      expect(INIT_FILES.indexOf('.github/workflows/runai-access.yml')).toBe(2);
      expect(fs.readdirSync(dir)).toEqual(['.github']);
      expect(fs.readdirSync(path.join(dir, '.github'))).toEqual([]);
    });
  });

  test.each(['123', 'true', 'null', '1e3', '0x1f', '0o17', '007'])(
    'a cluster URL whose first label YAML reads as no text (%s.example.com): the name is written quoted, and the config validates',
    (label) => {
      const dir = tempDir();
      expect(runInProcess(['init', dir, '-q', '--cluster-url', `${label}.example.com`, '--tls-source', 'existing']).status).toBe(0);
      const text = fs.readFileSync(path.join(dir, 'runai-access.yaml'), 'utf8');
      expect(parse(text).clusters[0]).toMatchObject({ name: label, clusterUrl: `${label}.example.com` });
      const r = runInProcess(['validate', '-q', '--config', path.join(dir, 'runai-access.yaml')]);
      expect([r.status, r.stderr]).toEqual([0, '']);
    },
  );

  test('fails when a setting is invalid, one line per flag (exit 2)', () => {
    const dir = tempDir();
    const r = runInProcess([
      'init',
      dir,
      '--cluster-url',
      'runai.example.com:8443',
      '--deployment',
      'cloud',
      '--runai-version',
      '2.x',
      '--tls-source',
      'vault',
    ]);
    expect(r.status).toBe(2);
    expect(
      r.stderr
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(':').slice(0, 2).join(':')),
    ).toEqual(['init: --cluster-url', 'init: --deployment', 'init: --runai-version', 'init: --tls-source']);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('fails when --cluster-url is a single label, naming the value once (exit 2)', () => {
    const dir = tempDir();
    expect(runInProcess(['init', dir, '--cluster-url', 'x'])).toEqual({
      status: 2,
      stdout: '',
      stderr: 'init: --cluster-url: x is a single-label name; give a fully qualified name such as runai.example.com\n',
    });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('fails when --cluster-url leaves no room for a workspace host under it, as the config it writes would (exit 2)', () => {
    const dir = tempDir();
    const url = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(55)}.co`;
    expect(runInProcess(['init', dir, '--cluster-url', url])).toEqual({
      status: 2,
      stdout: '',
      stderr:
        `init: --cluster-url: is 250 characters: with routing: host (the default), each workspace is served at ` +
        '<project>-<workload>.<clusterUrl>, at least 254 characters, and a host name has at most 253; ' +
        'use a cluster URL of at most 249 characters\n',
    });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('fails when --cluster-url is blank, quoting it so the line shows it (exit 2)', () => {
    expect(runInProcess(['init', tempDir(), '--cluster-url', '  ']).stderr).toBe(
      'init: --cluster-url: "  " must not contain white space; give a host name such as runai.example.com\n',
    );
  });

  test('fails when --cluster-url is empty, saying so in words (exit 2)', () => {
    const dir = tempDir();
    expect(runInProcess(['init', dir, '--cluster-url', ''])).toEqual({
      status: 2,
      stdout: '',
      stderr: 'init: --cluster-url: is empty: it must be a host name such as runai.example.com\n',
    });
  });

  test('fails when --runai-version is empty or not a version, saying what to give (exit 2)', () => {
    const dir = tempDir();
    expect(runInProcess(['init', dir, '--runai-version', ''])).toEqual({
      status: 2,
      stdout: '',
      stderr: 'init: --runai-version: is empty; give a Run:ai version such as 2.20, or leave the flag out for the current release\n',
    });
    expect(runInProcess(['init', dir, '--runai-version', '2.x']).stderr).toBe(
      'init: --runai-version: 2.x is not a Run:ai version; use major.minor such as "2.20"\n',
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('fails when given two folders (exit 2)', () => {
    const r = runInProcess(['init', 'a', 'b'], { cwd: tempDir() });
    expect([r.status, r.stderr]).toEqual([2, 'runai-access: b: unexpected argument; init takes one folder: runai-access init [DIR]\n']);
  });
});
